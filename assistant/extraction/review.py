"""Extracted position records on disk, the editor's decisions on them, and the merge the index build uses.

In the knowledge folder:

* ``extracted/<document>.yaml`` -- written by the index build, never by hand (cache.py): for
  every document that gets extraction, the records the extractor found (with confidence and a
  content fingerprint) and the gazetteer candidates (names that read like delegations but are
  not in actors.yaml). A cache keyed by the document's fingerprint, the extractor version and
  the gazetteer, so a document is re-extracted only when one of those changes.
* ``reviews.yaml`` -- the editor's decisions: accept, reject or fix a record. Decisions are
  keyed by the record's content fingerprint (and its id), so re-extraction never overwrites
  them: a rejected record stays rejected, an accepted or fixed one is treated as curated.

Which documents get extraction: those with no curated record in positions.yaml (the seed is
fully curated and is left alone). A document that was extracted before keeps its extracted
records when curated ones are added for it later; any extracted record whose
(actor, article, stance) triples a curated record of the same document already states is
dropped -- curated records always win.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, KnowledgeFileError
from ..gazetteer import Gazetteer, article_of, normalise_provision
from ..positions import STANCES, Position
from ..yamlfile import read_list
from .cache import (EXTRACTED_DIR, LEGACY_FILE, DocumentEntry, cached_documents, drop_entry, dump, entry_path, load_all, load_entry,
                    save_entry, write_atomic)
from .extractor import EXTRACTOR_VERSION, Extractor

log = logging.getLogger(__name__)
EXTRACTED_FILE = LEGACY_FILE  # the single file of earlier versions, split into EXTRACTED_DIR when found

REVIEWS_FILE = "reviews.yaml"
DECISIONS = ("accept", "reject", "fix")
FIXABLE = ("actors", "provisions", "stance", "issue", "summary", "reason", "responds_to")

REVIEWS_HEADER = """\
# reviews.yaml -- an editor's decisions on automatically extracted positions
# (knowledge/extracted/). `assistant positions review --accept/--reject/--fix`
# writes it; it may also be edited by hand (the command rewrites the file and keeps only this header).
#
# One entry per decision:
#   record:      id of the extracted record (x-<document>-<offset>-<n>)
#   fingerprint: the record's content fingerprint when it was reviewed; a decision follows the
#                record through re-extraction by this key (and by id when the quote is unchanged)
#   decision:    accept | reject | fix
#                accept and fix make the record curated (no "not yet reviewed" label);
#                reject keeps it out of the index for good
#   fix:         with decision fix, the corrected fields: actors, provisions, stance, issue,
#                summary, reason, responds_to
#   document, stance, quote: the record as reviewed (written by the command); when the extractor
#                changes a record of an unchanged sentence, the decision still finds it by these
#   note, date:  optional
"""


# -- small file helpers --------------------------------------------------------
_write_atomic, _dump = write_atomic, dump


def gazetteer_fingerprint(gazetteer: Gazetteer) -> str:
    payload = json.dumps(
        [[a.model_dump() for a in gazetteer.actors.values()], [a.model_dump() for a in gazetteer.articles.values()]],
        sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


# -- the extraction cache (assistant/extraction/cache.py: one file per document) -------------
def load_extracted(knowledge_dir: Path) -> dict[str, DocumentEntry]:
    """Every document's cache entry (for review and listing; an index build reads only the ones it needs)."""
    return load_all(knowledge_dir)


def _record_dict(record) -> dict:
    data = record.to_dict()
    order = ["id", "fingerprint", "confidence", "stance", "actors", "provisions", "issue", "responds_to", "summary",
             "reason", "evidence", "notes"]
    data.pop("origin", None)
    return {k: data[k] for k in order if k in data}


def refresh_extracted(knowledge_dir: Path, gazetteer: Gazetteer, documents: dict, curated: list[Position],
                      force: set[str] = frozenset(), only: set[str] | None = None) -> dict[str, DocumentEntry]:
    """Bring the extraction cache in step with the documents: extract new or changed ones, drop removed ones.

    With `only`, just those documents are looked at (and their entries dropped if they are not in
    `documents`): an ingest or a delete touches its own documents' entries and no other."""
    curated_documents = {e.document for p in curated for e in p.evidence}
    gaz_fp = gazetteer_fingerprint(gazetteer)
    cached = set(cached_documents(knowledge_dir))
    wanted = sorted(documents) if only is None else sorted(d for d in only if d in documents)
    gone = (cached - set(documents)) if only is None else {d for d in only if d not in documents}
    entries: dict[str, DocumentEntry] = {}
    extractor: Extractor | None = None
    for doc_id in wanted:
        if doc_id in curated_documents and doc_id not in cached and doc_id not in force:
            continue  # fully curated (the seed): no extraction
        entry = load_entry(knowledge_dir, doc_id) if doc_id in cached else None
        doc = documents[doc_id]
        if entry and doc_id not in force and (entry.document_fingerprint, entry.extractor, entry.gazetteer) == \
                (doc.fingerprint, EXTRACTOR_VERSION, gaz_fp):
            entries[doc_id] = entry
            continue
        extractor = extractor or Extractor(gazetteer)
        extraction = extractor.extract(doc)
        entries[doc_id] = entry = DocumentEntry(doc_id, doc.fingerprint, EXTRACTOR_VERSION, gaz_fp,
                                                [_record_dict(r) for r in extraction.records],
                                                [c.to_dict() for c in extraction.candidates])
        try:
            save_entry(knowledge_dir, entry)
        except OSError as exc:  # a read-only knowledge folder: index what was found, keep no cache
            log.warning("cannot write %s: %s", entry_path(knowledge_dir, doc_id), exc)
    for doc_id in gone:
        try:
            drop_entry(knowledge_dir, doc_id)
        except OSError as exc:
            log.warning("cannot remove %s: %s", entry_path(knowledge_dir, doc_id), exc)
    return entries


def extraction_inputs(knowledge_dir: Path, gazetteer: Gazetteer, curated: list[Position]) -> str:
    """A fingerprint of what, besides its own text, decides a document's indexed extracted records:
    the extractor, the gazetteer, the editor's decisions and the curated records. While it is
    unchanged, a build need merge only the documents it writes."""
    reviews = Path(knowledge_dir) / REVIEWS_FILE
    payload = json.dumps([EXTRACTOR_VERSION, gazetteer_fingerprint(gazetteer),
                          reviews.read_text(encoding="utf-8") if reviews.exists() else "",
                          sorted(json.dumps(p.record(), sort_keys=True, ensure_ascii=False, default=str)
                                 for p in curated)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


# -- decisions -----------------------------------------------------------------
@dataclass
class Decision:
    record: str
    decision: str
    fingerprint: str | None = None
    fix: dict = field(default_factory=dict)
    note: str | None = None
    date: str | None = None
    document: str | None = None
    stance: str | None = None
    quote: str | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        data = {"record": self.record, "fingerprint": self.fingerprint, "decision": self.decision}
        for key in ("document", "stance", "quote"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.fix:
            data["fix"] = self.fix
        if self.note:
            data["note"] = self.note
        if self.date:
            data["date"] = self.date
        return data


def validate_fix(fix: dict, gazetteer: Gazetteer) -> dict:
    """Check and normalise the corrected fields of a fix; raises ValueError with the reason."""
    if not isinstance(fix, dict):
        raise ValueError("'fix' must be a mapping of field: value")
    out = {}
    for key, value in fix.items():
        if key not in FIXABLE:
            raise ValueError(f"'{key}' cannot be fixed; use one of {', '.join(FIXABLE)}")
        if key == "actors":
            values = value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]
            actors = []
            for name in values:
                actor = gazetteer.resolve_actor(str(name))
                if actor is None:
                    raise ValueError(f"unknown actor '{name}' (add it to actors.yaml first)")
                actors.append(actor)
            out[key] = list(dict.fromkeys(actors))
        elif key == "provisions":
            values = value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]
            provisions = []
            for provision in values:
                norm = normalise_provision(str(provision).removeprefix("Article").strip())
                if norm is None:
                    raise ValueError(f"provision '{provision}' is not like '24', '35(3)' or '53(3)(h)'")
                if gazetteer.articles and article_of(norm) not in gazetteer.articles:
                    raise ValueError(f"article {article_of(norm)} is not in articles.yaml")
                provisions.append(norm)
            out[key] = provisions
        elif key == "stance":
            if value not in STANCES:
                raise ValueError(f"unknown stance '{value}'; use one of {', '.join(STANCES)}")
            out[key] = value
        else:
            out[key] = None if value in (None, "", "null") else str(value)
    return out


def load_reviews(knowledge_dir: Path, gazetteer: Gazetteer) -> list[Decision]:
    path = Path(knowledge_dir) / REVIEWS_FILE
    decisions = []
    for item in read_list(path, required=False):
        data = item.data
        unknown = set(data) - {"record", "fingerprint", "decision", "fix", "note", "date", "document", "stance", "quote"}
        if unknown:
            raise KnowledgeFileError(path, f"unknown field '{sorted(unknown)[0]}'", item.line_of(sorted(unknown)[0]))
        if not data.get("record") and not data.get("fingerprint"):
            raise KnowledgeFileError(path, "a decision needs the 'record' id (or its 'fingerprint')", item.line)
        if data.get("decision") not in DECISIONS:
            raise KnowledgeFileError(path, f"decision must be one of {', '.join(DECISIONS)}, not '{data.get('decision')}'",
                                     item.line_of("decision"))
        fix = {}
        if data.get("decision") == "fix" or data.get("fix"):
            try:
                fix = validate_fix(data.get("fix") or {}, gazetteer)
            except ValueError as exc:
                raise KnowledgeFileError(path, f"record '{data.get('record')}': {exc}", item.line_of("fix")) from exc
            if data.get("decision") == "fix" and not fix:
                raise KnowledgeFileError(path, f"record '{data.get('record')}': decision fix needs the corrected fields under 'fix'",
                                         item.line_of("decision"))
        decisions.append(Decision(str(data.get("record") or ""), data["decision"],
                                  str(data["fingerprint"]) if data.get("fingerprint") else None, fix,
                                  data.get("note"), str(data["date"]) if data.get("date") else None,
                                  data.get("document"), data.get("stance"), data.get("quote"), item.line))
    return decisions


def save_reviews(knowledge_dir: Path, decisions: list[Decision]):
    body = _dump([d.to_dict() for d in decisions]) if decisions else "[]\n"
    _write_atomic(Path(knowledge_dir) / REVIEWS_FILE, REVIEWS_HEADER + "\n" + body)


def _same_quote(a: str | None, b: str) -> bool:
    return a is None or " ".join(a.split()) == " ".join(b.split())


def find_decision(record: dict, decisions: list[Decision]) -> Decision | None:
    """The decision on a record: by content fingerprint; else by id when the quote is the same; else by the
    same document, quote and stance (the extractor changed, the sentence did not)."""
    quote, document = record["evidence"][0]["quote"], record["evidence"][0]["document"]
    for match in (
        lambda d: d.fingerprint and d.fingerprint == record.get("fingerprint"),
        lambda d: d.record == record["id"] and _same_quote(d.quote, quote),
        lambda d: d.quote and d.document == document and d.stance == record["stance"] and _same_quote(d.quote, quote),
    ):
        found = [d for d in decisions if match(d)]
        if found:
            return found[-1]
    return None


# -- the merge -----------------------------------------------------------------
@dataclass
class Reviewed:
    """One extracted record with what became of it."""

    document: str
    record: dict
    status: str  # pending | accepted | fixed | rejected | duplicate
    position: Position | None = None  # what goes into the index (None if rejected or a duplicate)
    detail: str = ""


def _triples(position: Position) -> set[tuple]:
    places = position.articles or ["-"]
    document = position.evidence[0].document
    return {(document, actor, place, position.stance) for actor in position.actors for place in places}


def merge(entries: dict[str, DocumentEntry], decisions: list[Decision], curated: list[Position],
          gazetteer: Gazetteer) -> list[Reviewed]:
    """Apply the editor's decisions and curated precedence to the extracted records."""
    covered: dict[tuple, str] = {}
    for p in curated:
        for t in _triples(p):
            covered.setdefault(t, p.id)
    extractor = Extractor(gazetteer)
    out: list[Reviewed] = []
    replaced: dict[str, str | None] = {}
    for doc_id in sorted(entries):
        for raw in entries[doc_id].records:
            record = dict(raw)
            decision = find_decision(record, decisions)
            status = "pending"
            data = {k: record[k] for k in ("id", "actors", "provisions", "issue", "stance", "responds_to", "summary",
                                             "reason", "evidence") if k in record}
            if decision is not None:
                if decision.decision == "reject":
                    out.append(Reviewed(doc_id, record, "rejected", None, decision.note or ""))
                    replaced[record["id"]] = None
                    continue
                if decision.decision == "fix" or decision.fix:
                    if "actors" in decision.fix and "summary" not in decision.fix:  # keep the summary in step
                        old_who, new_who = extractor._who(data["actors"]), extractor._who(decision.fix["actors"])
                        if decision.fix["actors"] and data["summary"].startswith(old_who):
                            data["summary"] = new_who + data["summary"][len(old_who):]
                    data.update(decision.fix)
                    status = "fixed"
                else:
                    status = "accepted"
            data["actors"] = [a for a in data.get("actors", []) if a in gazetteer.actors]
            data["provisions"] = [p for p in data.get("provisions", [])
                                  if not gazetteer.articles or article_of(p) in gazetteer.articles]
            data["origin"] = "extracted" if status == "pending" else "curated"
            if status == "pending":
                data["confidence"] = record.get("confidence")
            try:
                position = Position(**data)
            except ValidationError as exc:
                out.append(Reviewed(doc_id, record, "invalid", None, str(exc.errors()[0]["msg"])))
                replaced[record["id"]] = None
                continue
            if not position.actors:
                out.append(Reviewed(doc_id, record, "invalid", None, "no known actor left"))
                replaced[record["id"]] = None
                continue
            # curated wins: drop the actors whose triples a curated record of this document already states
            keep, covering = [], None
            for actor in position.actors:
                places = position.articles or ["-"]
                hits = [covered.get((doc_id, actor, place, position.stance)) for place in places]
                if all(hits):
                    covering = covering or hits[0]
                else:
                    keep.append(actor)
            if not keep:
                out.append(Reviewed(doc_id, record, "duplicate", None, f"curated record '{covering}' says the same"))
                replaced[record["id"]] = covering
                continue
            if keep != position.actors:
                old_who, new_who = extractor._who(position.actors), extractor._who(keep)
                if position.summary.startswith(old_who):
                    position.summary = new_who + position.summary[len(old_who):]
                position.actors = keep
            out.append(Reviewed(doc_id, record, status, position, decision.note if decision and decision.note else ""))
    curated_ids = {p.id for p in curated}
    present = {r.position.id for r in out if r.position is not None} | curated_ids
    for r in out:
        if r.position is not None and r.position.responds_to and r.position.responds_to not in present:
            target = replaced.get(r.position.responds_to)
            r.position.responds_to = target if target in curated_ids else None
    return out


def extracted_positions(knowledge_dir: Path, gazetteer: Gazetteer, documents: dict, curated: list[Position],
                        only: set[str] | None = None) -> list[Position]:
    """The index build's hook: extracted records (reviewed or not) to index beside the curated ones;
    with `only`, of those documents alone (a document's records depend on no other document's)."""
    entries = refresh_extracted(knowledge_dir, gazetteer, documents, curated, only=only)
    if not entries:
        return []
    decisions = load_reviews(knowledge_dir, gazetteer)
    return [r.position for r in merge(entries, decisions, curated, gazetteer) if r.position is not None]


# -- what the review command does ----------------------------------------------
def find_record(entries: dict[str, DocumentEntry], key: str, document: str | None = None) -> tuple[str, dict]:
    for doc_id, entry in entries.items():
        if document and doc_id != document:
            continue
        for record in entry.records:
            if key in (record["id"], record.get("fingerprint")):
                return doc_id, record
    where = f" in document '{document}'" if document else ""
    raise InputError(f"no extracted record '{key}'{where}; list them with `assistant positions review --list`")


def decide(knowledge_dir: Path, gazetteer: Gazetteer, key: str, decision: str, fix: dict | None = None,
           note: str | None = None, document: str | None = None) -> Decision:
    """Record an editor's decision on one extracted record (replacing an earlier decision on it)."""
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}")
    entries = _entries_of(knowledge_dir, document)
    _, record = find_record(entries, key, document)
    try:
        fix = validate_fix(fix or {}, gazetteer)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if decision == "fix" and not fix:
        raise InputError("a fix needs at least one corrected field, e.g. --set stance=opposes")
    decisions = [d for d in load_reviews(knowledge_dir, gazetteer) if find_decision(record, [d]) is None]
    new = Decision(record["id"], decision, record["fingerprint"], fix, note, date.today().isoformat(),
                   record["evidence"][0]["document"], record["stance"], record["evidence"][0]["quote"])
    decisions.append(new)
    save_reviews(knowledge_dir, decisions)
    return new


def _entries_of(knowledge_dir: Path, document: str | None) -> dict[str, DocumentEntry]:
    if document is None:
        return load_extracted(knowledge_dir)
    entry = load_entry(knowledge_dir, document)
    return {document: entry} if entry else {}


def review_state(knowledge_dir: Path, gazetteer: Gazetteer, curated: list[Position],
                 document: str | None = None) -> tuple[list[Reviewed], list[dict]]:
    """Every extracted record with its status, and the gazetteer candidates, for listing."""
    entries = _entries_of(knowledge_dir, document)
    if document:
        if document not in entries:
            raise InputError(f"no extracted positions for document '{document}' (documents with curated records "
                             "are not extracted; run `assistant index` after adding documents)")
        entries = {document: entries[document]}
    decisions = load_reviews(knowledge_dir, gazetteer)
    reviewed = merge(entries, decisions, curated, gazetteer)
    candidates = [dict(c, document=doc_id) for doc_id, e in entries.items() for c in e.candidates]
    return reviewed, candidates


def parse_set(values: list[str]) -> dict:
    """--set stance=opposes --set actors=egypt,iran --set provisions=35(3) -> a fix mapping."""
    fix = {}
    for value in values:
        if "=" not in value:
            raise InputError(f"--set takes field=value, not '{value}'")
        key, _, val = value.partition("=")
        key = key.strip()
        if key in ("actors", "provisions"):
            fix[key] = [v.strip() for v in re.split(r"[;,]", val) if v.strip()]
        else:
            fix[key] = val.strip()
    return fix


def extraction_report(knowledge_dir: Path, documents: list[str] | None = None) -> str:
    """One line per extracted document: records found, and the gazetteer candidates (for `ingest` to print)."""
    ids = cached_documents(knowledge_dir) if documents is None else sorted(documents)
    lines = []
    for doc_id in ids:
        entry = load_entry(knowledge_dir, doc_id)
        if entry is None:
            continue
        line = f"{doc_id}: {len(entry.records)} positions extracted automatically (review: assistant positions review --document {doc_id})"
        if entry.candidates:
            names = ", ".join(dict.fromkeys(c["name"] for c in entry.candidates))
            line += f"; names not in actors.yaml that read like delegations: {names}"
        lines.append(line)
    return "\n".join(lines)


__all__ = ["EXTRACTED_DIR", "EXTRACTED_FILE", "REVIEWS_FILE", "DocumentEntry", "Decision", "Reviewed", "load_extracted",
           "refresh_extracted", "extraction_inputs", "extracted_positions", "load_reviews", "save_reviews", "merge",
           "decide", "review_state", "parse_set", "extraction_report", "find_decision", "find_record", "validate_fix",
           "gazetteer_fingerprint"]
