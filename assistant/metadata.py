"""A document's title, publisher, date and kind, read from the file itself.

Where each value comes from, best first:
  1. an editor's correction (`assistant documents edit ID --set date=…`), kept in
     knowledge/corrections.yaml so it survives re-ingesting the file;
  2. the file: HTML <meta> tags (Open Graph, Dublin Core, article:published_time, …) and
     <time datetime>, PDF document information, Markdown front matter, and a date written
     in the text's first lines;
  3. the `.meta.yaml` beside the file.
Whatever none of them gives is listed in `meta["missing"]`, never guessed. `meta["found"]`
says where each value came from, so a reader can judge it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml

FIELDS = ("title", "publisher", "date", "kind")
CORRECTIONS = "corrections.yaml"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]
_MONTHS = {**{m: i + 1 for i, m in enumerate(_MONTH_NAMES)}, **{m[:3]: i + 1 for i, m in enumerate(_MONTH_NAMES)},
           "sept": 9}
_MONTH = (r"(January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
# A year ends a date at a word's end, or where a scraped page glued the time to it ("22 November 201913:18").
_YEAR_END = r"(?:\b|(?=\d{1,2}:\d{2}\b))"
# Dates as reports write them: 2024-08-09, 9 August 2024, 9th of August 2024, August 9, 2024.
_DATES = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH},? (\d{{4}}){_YEAR_END}", re.I),
     lambda m: (int(m[3]), _MONTHS[m[2].lower()], int(m[1]))),
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){_YEAR_END}", re.I),
     lambda m: (int(m[3]), _MONTHS[m[1].lower()], int(m[2]))),
]
_FIRST_LINES = 5  # a dateline or "Published on" sits at the top; a date further down is an event's
# Only a line that says it dates the text ("Published December 25, 2024", "Posted on 26 Jul 2024") or
# holds nothing but a date gives the document's date: "On 29 January 2024, the session begins" dates
# an event, which may be days from the report's own date.
_PUBLICATION_CUE = re.compile(r"\b(published|posted|updated|issued|dated|date)\b\s*(on|:)?", re.I)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Markdown front matter (a YAML block between --- lines at the very top) and the text after it."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text  # not front matter after all: leave the text as written
    if not isinstance(data, dict):
        return {}, text
    return {str(k).lower(): v for k, v in data.items() if v is not None}, text[m.end():]


def iso_date(value) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date, a datetime, an ISO string or a PDF date (D:20240809…)."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value or "").strip()
    m = re.match(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", text)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    return first_date(text)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def first_date(text: str) -> str | None:
    found = []
    for pattern, parts in _DATES:
        for m in pattern.finditer(text):
            iso = _valid(*parts(m))
            if iso:
                found.append((m.start(), iso))
    return min(found)[1] if found else None


# A month the cue gives without a day ("Date: 2024-02", "Published February 2024"): the month is what is known.
_YEAR_MONTH = [(re.compile(r"^\W*(\d{4})-(\d{2})\b"), lambda m: (int(m[1]), int(m[2]))),
               (re.compile(rf"^\W*{_MONTH},? (\d{{4}})\b", re.I), lambda m: (int(m[2]), _MONTHS[m[1].lower()]))]


def _month_after_cue(text: str) -> str | None:
    for pattern, parts in _YEAR_MONTH:
        m = pattern.match(text)
        if m:
            year, month = parts(m)
            return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    return None


def date_in_first_lines(text: str) -> str | None:
    for line in [line.strip() for line in text.splitlines() if line.strip()][:_FIRST_LINES]:
        for cue in _PUBLICATION_CUE.finditer(line):
            after = line[cue.end():cue.end() + 40]  # the date right after the cue, not further on
            iso = first_date(after) or _month_after_cue(after)
            if iso:
                return iso
        if first_date(line) and len(line) <= 40 and _only_a_date(line):
            return first_date(line)
    return None


def _only_a_date(line: str) -> bool:
    rest = line
    for pattern, _ in _DATES:
        rest = pattern.sub(" ", rest)
    return not re.search(r"[A-Za-z]{3,}", re.sub(r"(?i)\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", " ", rest))


def _html_meta(markup: str) -> dict[str, tuple[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    tags = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        if key and tag.get("content") and key not in tags:
            tags[key] = " ".join(str(tag["content"]).split())
    out: dict[str, tuple[str, str]] = {}

    def first(field: str, keys: tuple[str, ...]):
        for key in keys:
            if tags.get(key):
                out.setdefault(field, (tags[key], f'HTML <meta {key}>'))
                return

    first("title", ("og:title", "twitter:title", "dc.title", "citation_title"))
    first("publisher", ("og:site_name", "publisher", "dc.publisher", "citation_publisher", "application-name"))
    for key in ("article:published_time", "datepublished", "dc.date", "dc.date.issued", "date", "citation_date",
                "publish-date", "pubdate"):
        if tags.get(key) and iso_date(tags[key]):
            out["date"] = (iso_date(tags[key]), f"HTML <meta {key}>")
            break
    for field, (value, where) in _json_ld(soup).items():
        out.setdefault(field, (value, where))
    if "date" not in out:
        time = soup.find("time", attrs={"datetime": True})
        if time is not None and iso_date(time["datetime"]):
            out["date"] = (iso_date(time["datetime"]), "HTML <time datetime>")
    if "title" not in out and soup.title and soup.title.get_text(strip=True):
        out["title"] = (" ".join(soup.title.get_text().split()), "HTML <title>")
    return out


def _json_ld(soup) -> dict[str, tuple[str, str]]:
    """The title, publisher and date a page's schema.org JSON-LD gives its article ("headline", "publisher":
    {"name": …}, "datePublished"), as many news sites give them instead of <meta> tags. (Read here with json: trafilatura
    reads JSON-LD too, but fills what it lacks with guesses, a page's title for its site's name.)"""
    out: dict[str, tuple[str, str]] = {}
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items = [i for item in items if isinstance(item, dict) for i in [item, *item.get("@graph", [])] if isinstance(i, dict)]
        for item in items:
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and (t.endswith("Article") or t in _CREATIVE_WORKS) for t in types):
                continue
            publisher = item.get("publisher")
            publisher = publisher[0] if isinstance(publisher, list) and publisher else publisher
            name = publisher.get("name") if isinstance(publisher, dict) else publisher
            if isinstance(name, str) and name.strip():
                out.setdefault("publisher", (" ".join(name.split()), "HTML JSON-LD publisher"))
            headline = item.get("headline") or item.get("name")
            if isinstance(headline, str) and headline.strip():
                out.setdefault("title", (" ".join(headline.split()), "HTML JSON-LD headline"))
            date = item.get("datePublished") or item.get("dateCreated")
            if isinstance(date, str) and iso_date(date):
                out.setdefault("date", (iso_date(date), "HTML JSON-LD datePublished"))
    return out


# schema.org types of a page's own report besides the *Article ones (NewsArticle, ScholarlyArticle, …)
_CREATIVE_WORKS = {"Report", "BlogPosting", "PressRelease", "WebPage", "CreativeWork", "Legislation"}


def _pdf_meta(path: Path) -> dict[str, tuple[str, str]]:
    from pypdf import PdfReader

    try:
        info = PdfReader(str(path)).metadata or {}
    except Exception:  # noqa: BLE001 -- a PDF that cannot be read is reported by the text reader
        return {}
    out = {}
    if str(info.get("/Title") or "").strip():
        out["title"] = (" ".join(str(info["/Title"]).split()), "PDF document information /Title")
    for key in ("/Publisher", "/Company"):  # /Author is usually a person and /Producer a program
        if str(info.get(key) or "").strip():
            out["publisher"] = (str(info[key]).strip(), f"PDF document information {key}")
            break
    # /CreationDate is when the file was made, which for a saved or converted copy is not when the
    # text was published: left out rather than risk a wrong date.
    return out


def from_file(path: Path, text: str | None) -> dict[str, tuple[str, str]]:
    """(value, where it was found) for each field the file itself gives. `text` is the decoded
    text of a text format (None for a PDF); the cleaned text's first lines are searched for a
    date by the caller, since only it knows where the document's own text starts."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_meta(path)
    if suffix in (".html", ".htm"):
        return _html_meta(text or "")
    if suffix in (".md", ".markdown"):
        front, _ = split_front_matter(text or "")
        out = {}
        for field in FIELDS:
            value = front.get(field) if field != "publisher" else (front.get("publisher") or front.get("source"))
            if field == "date":
                value = iso_date(value) if value else None
            if value:
                out[field] = (str(value), "Markdown front matter")
        return out
    return {}


def load_corrections(knowledge_dir: Path) -> dict[str, dict]:
    path = Path(knowledge_dir) / CORRECTIONS
    if not path.exists():
        return {}
    from .errors import KnowledgeFileError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(path, f"is not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise KnowledgeFileError(path, "must map document ids to {field: value}")
    return {str(k): {str(f): str(v) for f, v in fields.items()} for k, fields in data.items()}


def save_correction(knowledge_dir: Path, doc_id: str, changes: dict[str, str]) -> dict:
    """Record an editor's correction; returns the document's corrections after it."""
    from .errors import InputError

    for field, value in changes.items():
        if field not in FIELDS:
            raise InputError(f"unknown field '{field}': use one of {', '.join(FIELDS)}")
        if field == "date" and value and iso_date(value) != value:
            raise InputError(f"date '{value}' is not a date like 2024-08-09")
    corrections = load_corrections(knowledge_dir)
    fields = corrections.setdefault(doc_id, {})
    for field, value in changes.items():
        if value:
            fields[field] = value
        else:
            fields.pop(field, None)  # "--set date=" removes the correction
    if not fields:
        corrections.pop(doc_id)
    path = Path(knowledge_dir) / CORRECTIONS
    tmp = path.with_suffix(".tmp")
    tmp.write_text("# Editors' corrections of document metadata (assistant documents edit); they win over the files.\n"
                   + yaml.safe_dump(corrections, allow_unicode=True, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return fields


# A date a newsroom writes into a file's name: "wam-2024-12-25-ga-adopts.txt", "20241225_statement.pdf", "dw-2024-07".
_FILE_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(\d\d)[-_.]?(\d\d)(?!\d)")
_FILE_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_](\d\d)(?![-_.]?\d)")


def date_in_file_name(name: str) -> str | None:
    """The date a file's name gives (day, else month), if any."""
    m = _FILE_DAY.search(name)
    if m and (iso := _valid(int(m[1]), int(m[2]), int(m[3]))):
        return iso
    m = _FILE_MONTH.search(name)
    return f"{m[1]}-{m[2]}" if m and 1 <= int(m[2]) <= 12 else None


def merge(found: dict[str, tuple[str, str]], beside: dict, corrections: dict, text: str, file_name: str = "") -> dict:
    """The document's metadata: corrections, then the file, then the .meta.yaml, then a date
    in the text's first lines, then one in the file's name; with `found` (where each value came
    from) and `missing`."""
    meta = {k: v for k, v in beside.items()}
    origin = {k: ".meta.yaml" for k in FIELDS if meta.get(k)}
    for field, (value, where) in found.items():
        meta[field], origin[field] = value, where
    if not meta.get("date"):
        iso = date_in_first_lines(text)
        if iso:
            meta["date"], origin["date"] = iso, "a date in the text's first lines"
    if not meta.get("date") and (iso := date_in_file_name(file_name)):
        meta["date"], origin["date"] = iso, "the file's name"
    for field, value in corrections.items():
        meta[field], origin[field] = value, "editor's correction"
    meta["found"] = "; ".join(f"{k}: {origin[k]}" for k in FIELDS if k in origin)
    meta["missing"] = ", ".join(k for k in FIELDS if not meta.get(k))
    return meta
