"""Read a source file of any supported type into raw blocks of text.

A block is one paragraph-like unit in reading order. Formats with real
structure (HTML, Markdown) say which blocks are headings; plain text and PDF
leave that to the cleaner. Nothing here decides what is noise, except markup
that is never content (scripts, styles, figures, navigation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass
class Block:
    text: str
    heading: bool | None = None  # None: the format does not say
    group: int = 0  # blocks of one group were not separated by a blank line
    headline: bool = False  # the format marks it as the page's top heading (HTML h1, Markdown "# ")
    furniture: bool = False  # a web page's, not its article's: a cookie notice, related stories (main_text)


def read_blocks(path: Path, with_text: bool = False):
    """The file's blocks of text; with_text, also its decoded text (None for a PDF), which
    metadata.py reads for HTML meta tags and Markdown front matter."""
    blocks, text = _read_blocks(path)
    return (blocks, text) if with_text else blocks


def _read_blocks(path: Path) -> tuple[list[Block], str | None]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            path, f"unsupported file type '{suffix or '(none)'}'; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror})") from exc
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(path, f"is {size} bytes; the limit is {MAX_DOCUMENT_BYTES}")
    if suffix == ".pdf":
        return _pdf_blocks(path), None
    text = _decode(path)
    if suffix in (".html", ".htm"):
        return main_text(html_blocks(text, path), text), text
    if suffix in (".md", ".markdown"):
        from markdown_it import MarkdownIt

        from .metadata import split_front_matter

        _, body = split_front_matter(text)  # front matter is metadata, not text to cite
        return html_blocks(MarkdownIt("commonmark").enable("table").render(body), path), text
    return text_blocks(_without_markup(text)), text


# The elements whose tags a scrape may leave in a plain-text file: a tag of one of them is markup, not text.
_BREAKING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "div", "ul",
                  "ol", "table", "tr", "section", "article", "header", "footer", "main", "aside", "nav", "hr", "body", "html")
_INLINE_MARKUP = ("span", "a", "b", "i", "em", "strong", "u", "small", "sup", "sub", "font", "br", "img", "time")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,30});")


def _without_markup(text: str) -> str:
    """A plain-text file's leftover markup made text: the tags and entities a scrape left in ("<p>…</p>", "<div
    class='ad'>", "&amp;", "&#8211;"), its own line breaks kept and a block element's tags parting lines, so that it
    reads as the page did. (A "<" that opens no HTML element, "a < b", is text.)"""
    import html

    if "<" in text:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        if soup.find((*_BREAKING_TAGS, *_INLINE_MARKUP, *_DROP_TAGS)):
            for tag in soup(_DROP_TAGS):
                tag.decompose()
            for tag in soup.find_all(_BREAKING_TAGS):
                tag.insert_before("\n\n")
                tag.insert_after("\n\n")
            for br in soup.find_all("br"):
                br.replace_with("\n")
            return soup.get_text()
    return html.unescape(text) if _ENTITY.search(text) else text


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(path, f"is not valid UTF-16 ({exc.reason} at byte {exc.start})") from exc
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what scraped pages that are not UTF-8 almost always are;
    # anything that is not valid cp1252 either is refused rather than guessed.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            path, f"is neither UTF-8 nor Windows-1252 text (undecodable byte at offset {exc.start})"
        ) from exc


_OPEN_ENDED = re.compile(r"(,|\b(the|a|an|and|or|but|of|in|on|at|to|for|with|by|from|as|that|which|its|their|our|his|her))$")


# A text is hard-wrapped when most of its lines stop near one width, as a PDF page's lines and an
# e-mail's do; a text whose paragraphs are single lines has no such width.
WRAP_MIN_LINES = 5
WRAP_WIDTHS = (40, 120)  # the width (the 90th percentile of line lengths) of a wrapped text lies in this range
WRAP_FULL = 0.8  # a line this share of the width long, with no end punctuation, runs on into the next

# Abbreviations of this domain's copy: "the U.S. Department", "the E.U. Commission", "McCarthy (Ret.) under",
# "Art. 17". A full line that stops on one ("…address cybercrime: the U.S.") runs on as one that stops
# mid-word does, and the sentence splitter (passages.py) does not end sentences on them.
ABBREVIATIONS = {"u.s", "u.k", "e.u", "u.n", "u.s.a", "ret", "amb", "gen", "art", "arts", "para", "paras", "no", "nos",
                 "sec", "secs", "vol", "ch", "approx", "est",
                 # titles before a name ("comprised … of Hon. Edmund Hinkson", "H.E. Mr. Nguyen", "Maj. Gen. Ghallab")
                 "hon", "h.e", "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "lt", "col", "maj", "capt", "rev"}
_ENDS_ABBREVIATED = re.compile(r"(?:^|[\s(])(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
                               + r")\.$", re.IGNORECASE)


def wrap_width(lines: list[str]) -> int | None:
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < WRAP_MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    return width if WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1] else None


def _runs_on(block: str, last_line: str, line: str, width: int | None) -> bool:
    """Whether the line carries on the block before it (whose last line is last_line)."""
    full = width is not None and len(last_line) >= WRAP_FULL * width and line[0].isalnum()
    if re.search(r"[.!?:;”\"’)]$", block):
        # A full line that stops on an abbreviation ("…address cybercrime: the U.S.") stops mid-sentence.
        return full and bool(_ENDS_ABBREVIATED.search(last_line))
    # The next line starts in lower case, or the line before stops on a comma or a word that cannot end
    # a sentence ("…Network, and the" / "International Law Enforcement Academies."), as no heading,
    # caption or page footer does; or the line before fills the width, stopping on a word (not a table of
    # contents' "… law enforcement 7").
    return (line[0].islower() and len(block) > 60 or line[0].isalpha() and bool(_OPEN_ENDED.search(block))
            or full and last_line[-1].isalpha())


# A line that ends in a word broken by a hyphen ("…in particular the criminali-" / "zation of offences…")
_BROKEN_WORD = re.compile(r"([A-Za-z]+)-$")
_LEADING_WORD = re.compile(r"^([a-z]+)")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_BROKEN_AT_WRAP = re.compile(r"[A-Za-z]+-\n[a-z]+")


def _words_in(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _joined(block: str, line: str, vocabulary: set[str]) -> str:
    """A wrapped line joined to the block before it. A word the wrap broke with a hyphen is made whole ("criminali-"
    + "zation" -> "criminalization"), unless the text elsewhere writes it with its hyphen ("cyber-dependent"), or
    never whole while it uses both parts as words of their own. (Written here: pypdf gives lines, not words, and
    nothing in this stack mends them.)"""
    head, tail = _BROKEN_WORD.search(block), _LEADING_WORD.match(line)
    if not head or not tail:
        return block + " " + line
    first, second = head.group(1).casefold(), tail.group(1).casefold()
    compound = f"{first}-{second}" in vocabulary or \
        f"{first}{second}" not in vocabulary and first in vocabulary and second in vocabulary
    return block + line if compound else block[:-1] + line


def text_blocks(text: str) -> list[Block]:
    """One block per line; blank lines separate groups.

    Hard-wrapped paragraphs (a line that stops mid-sentence, followed by one
    starting in lower case or after a comma or a word such as "the", or a line
    that fills the text's wrap width) are joined back into one block.
    """
    blocks: list[Block] = []
    group = 0
    previous_blank = True
    lines = [raw.strip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    width = wrap_width(lines)
    vocabulary = _words_in(_BROKEN_AT_WRAP.sub(" ", "\n".join(lines)))  # (the words the text writes whole)
    last_line = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if not previous_blank:
                group += 1
            previous_blank = True
            continue
        if blocks and not previous_blank and blocks[-1].group == group and _runs_on(blocks[-1].text, last_line, line, width):
            blocks[-1].text = _joined(blocks[-1].text, line, vocabulary)
        else:
            blocks.append(Block(line, None, group))
        last_line = line
        previous_blank = False
    return blocks


_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "figure", "figcaption",
              "img", "svg", "picture", "iframe", "form", "button", "aside", "footer", "header")
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th", "dd", "dt")
_CELL_TAGS = ("td", "th")
_CELL_BLOCK_TAGS = tuple(t for t in _BLOCK_TAGS if t not in _CELL_TAGS) + ("table",)


def html_blocks(markup: str, path: Path | None = None) -> list[Block]:
    try:
        return _html_blocks(markup)
    except RecursionError as exc:
        raise DocumentError(path or "the document", "has HTML nested too deeply to read") from exc


# Tags that run inside a line of text; any other tag breaks it.
_INLINE_TAGS = frozenset(("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
                          "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br"))


def _wrap_loose_text(soup, body) -> None:
    """Text set straight in a container, beside or instead of paragraphs ("<div>The Assembly adopted…<br><br>The
    treaty will…<p>…</p></div>", as many publishing systems write it), becomes paragraphs of its own, each
    "<br><br>" ending one: only block elements are read, so it would otherwise be lost. (Written here: bs4 gives
    the tree, not which of its text runs are paragraphs; a main-text extractor such as trafilatura rewrites the
    text and drops short lines, a date or a document symbol, that answers quote.)"""
    from bs4 import NavigableString

    def inline(node) -> bool:
        if type(node) is NavigableString:
            return True
        return getattr(node, "name", None) in _INLINE_TAGS and not node.find(lambda t: t.name not in _INLINE_TAGS)

    for container in [body, *body.find_all(True)]:
        if container.name in _INLINE_TAGS or container.name in _BLOCK_TAGS and not container.find(_BLOCK_TAGS):
            continue  # (a block without blocks inside is read whole)
        runs, run = [], []
        for child in list(container.children):
            if getattr(child, "name", None) == "br" and any(getattr(n, "name", None) == "br" for n in run[-1:]):
                runs.append(run[:-1])
                run = []
            elif inline(child):
                if not (getattr(child, "name", None) == "br" and not run):
                    run.append(child)
            elif getattr(child, "name", None):  # (any other tag ends the line; a comment is skipped)
                runs.append(run)
                run = []
        runs.append(run)
        for run in runs:
            if "".join(n.get_text() if hasattr(n, "get_text") else str(n) for n in run).strip():
                paragraph = soup.new_tag("p")
                run[0].insert_before(paragraph)
                for node in run:
                    paragraph.append(node.extract())


def _html_blocks(markup: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    if body.find(_BLOCK_TAGS):  # (markup without any is read as plain text, below, its blank lines parting paragraphs)
        _wrap_loose_text(soup, body)
    for br in soup.find_all("br"):
        br.replace_with(" ")
    blocks: list[Block] = []
    # A data table's row is one line, its cells parted by " | " ("Egypt | opposes | Article 24"): cell by cell, what
    # each row says would be lost. (A layout table, whose cells hold paragraphs, is read by its paragraphs.)
    rows = {id(tr) for tr in body.find_all("tr") if not tr.find(_CELL_BLOCK_TAGS) and tr.find(_CELL_TAGS)}
    for i, element in enumerate(body.find_all(_BLOCK_TAGS + ("tr",))):
        if element.name == "tr" and id(element) in rows:
            text = " | ".join(cell for c in element.find_all(_CELL_TAGS) if (cell := " ".join(c.get_text().split())))
            blocks.append(Block(text, False, i))
            continue
        if element.name == "tr" or element.name in _CELL_TAGS and id(element.find_parent("tr")) in rows:
            continue
        if element.find(_BLOCK_TAGS):  # the inner blocks carry the text
            continue
        text = " ".join(element.get_text().split())
        if text:
            blocks.append(Block(text, element.name.startswith("h"), i, element.name == "h1"))
    if not blocks:  # markup without block elements: fall back to its text
        blocks = text_blocks(body.get_text("\n"))
    return blocks


# A page's head: its title, dateline and byline lines, which trafilatura keeps as metadata rather than text.
HEAD_LINE_WORDS = 12
# Below this share of the page's text, trafilatura's main text is taken to be the wrong part of the page (a sidebar or a
# comment picked for the article; the page's furniture is seldom more than twice its article).
MIN_MAIN_SHARE = 0.3


def main_text(blocks: list[Block], markup: str) -> list[Block]:
    """A web page's blocks, its furniture marked: a cookie notice, "Sign up for our newsletter", related stories,
    readers' comments, a copyright line. trafilatura finds the page's main text; a block it leaves out is furniture,
    except the page's headline (h1) and the short lines heading the page before the main text's first paragraph
    (masthead, dateline, byline). The
    blocks themselves stay as read here (trafilatura's own text would lose the lines it keeps as metadata)."""
    import trafilatura

    try:
        main = trafilatura.extract(markup, output_format="html", include_tables=True, include_comments=False,
                                   include_links=False, include_images=False, favor_recall=True)
    except Exception:  # (a page it cannot read is read whole, as before it was used)
        return blocks
    held_text = " ".join(b.text for b in _html_blocks(main)) if main else ""
    held = [b.text in held_text for b in blocks]
    short = [len(b.text.split()) <= HEAD_LINE_WORDS for b in blocks]
    first = next((i for i, (b, h, s) in enumerate(zip(blocks, held, short)) if h and not b.heading and not s), None)
    total = sum(len(b.text) for b in blocks)
    if first is None or sum(len(b.text) for b, h in zip(blocks, held) if h) < MIN_MAIN_SHARE * total:
        return blocks
    for i, (block, h, s) in enumerate(zip(blocks, held, short)):
        block.furniture = not (h or block.headline or i < first and s)
    return blocks


def _pdf_blocks(path: Path) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except LimitReachedError as exc:  # a decompression bomb, or a stream pypdf will not expand
        raise DocumentError(path, "is not a readable PDF (a compressed stream expands beyond the size limit)") from exc
    except RecursionError as exc:
        raise DocumentError(path, "is not a readable PDF (its objects nest too deeply)") from exc
    except Exception as exc:  # pypdf raises many kinds of error on hostile files; none may become a 500
        raise DocumentError(path, f"is not a readable PDF ({type(exc).__name__}: {str(exc)[:200]})") from exc
    # (The pages are read as one text, so a paragraph that runs on over a page break is one paragraph.)
    return text_blocks("\n".join(page.strip("\n") for page in _without_running_lines(pages)))


EDGE_LINES = 2  # a running header or footer is among a page's first or last lines
RUNNING_SHARE = 0.5  # of a document's pages, at least this share (and two) carry the same running line


def _without_running_lines(pages: list[str]) -> list[str]:
    """A PDF's pages less their running header and footer (the document's symbol, "V.23-04567 2/12", "Page 3 of 9"),
    found as a line that recurs, figures aside, among the first or last lines of many pages: read as text, it would
    break into the paragraph that runs over a page break. The first page keeps its header, which says what the
    document is ("A/AC.291/22")."""
    def key(line: str) -> str:
        return " ".join(re.sub(r"\d+", "#", line).split()).casefold()

    lined = [[line for line in page.split("\n")] for page in pages]
    edges = []
    for lines in lined:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges.append(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))
    counts = Counter(k for lines, edge in zip(lined, edges) for k in {key(lines[i]) for i in edge})
    running = {k for k, n in counts.items() if n >= max(2, RUNNING_SHARE * len(pages))}
    if not running:
        return pages
    kept = []
    for number, (lines, edge) in enumerate(zip(lined, edges)):
        head = min(edge, default=0)
        kept.append("\n".join(line for i, line in enumerate(lines)
                              if not (i in edge and key(line) in running and not (number == 0 and i == head))))
    return kept
