"""Turn raw blocks into clean text: scraping noise out, headings found.

No library recognises the leftovers of scraped news pages (image tag lists,
machine-written alt text, page footers repeating the title, stray words,
photo captions), so the rules are written here. Each rule looks at the shape
of a block, never at the words of one particular article, and every removed
block is reported with its reason so the cleaning can be checked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .formats import Block

_TERMINAL = re.compile(r"[.!?;:”\"’)\]]$")
# ("The text is riddled with disagreement…" is news of the treaty's text: of a message or a text, only what describes
# it as an image would be described, "is short", "seems to…", is alt text.)
_ALT_TEXT = re.compile(
    r"^(the|this) (image|picture|photo|photograph|illustration|graphic) (is|shows|depicts|features|contains|seems|appears)\b"
    r"|^(the|this) (message|text) (shows|depicts|seems|appears|is (short|brief|blurry|unclear|illegible|unreadable))\b"
    r"|^it seems to (mention|show|depict)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(A|An) [^.!?]*\b(on|in|of|with|at|over|under|beside) (a|an|the)\b", re.UNICODE)
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(share( this)?|tweet|subscribe|read more|advertisement|cookie settings|accept cookies|print)$",
    re.IGNORECASE,
)
_OPENING_QUOTES = "“\"‘"
_CLOSING_QUOTES = "”\"’"


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str  # title | heading | text | quote | attribution
    section: str
    attribution: str | None = None


@dataclass
class CleanText:
    text: str
    title: str
    paragraphs: list[Paragraph]
    removed: list[tuple[str, str]] = field(default_factory=list)  # (block text, reason)


def _words(text: str) -> list[str]:
    return text.split()


def _is_tag_list(text: str) -> bool:
    items = [item.strip() for item in text.split(",")]
    # (A list in prose joins its last item with "and", and a labelled line names what it lists: "ABSTAIN: Bahamas,
    # Barbados, Grenada and Guyana" is a tally, not an image's tags.)
    if len(items) < 3 or _TERMINAL.search(text) or re.search(r"\band\b|:", text):
        return False
    return all(item and len(_words(item)) <= 4 and item[0].isupper() for item in items)


def _footer_key(text: str) -> str | None:
    match = re.match(r"^(.*\S)\s+(\d{1,4})$", text)
    return match.group(1).casefold() if match else None


def _is_stray(text: str) -> bool:
    words = _words(text)
    return len(words) <= 2 and text == text.lower() and not re.search(r"[^\w\s'-]", text)


def _is_quote(text: str) -> bool:
    return text[:1] in _OPENING_QUOTES and text.rstrip()[-1:] in _CLOSING_QUOTES and len(_words(text)) > 8


def _looks_like_heading(text: str) -> bool:
    words = _words(text)
    if not words or len(words) > 10 or not text[0].isupper():
        return False
    if text.endswith("?"):
        return True
    return not _TERMINAL.search(text) and "," not in text


def noise_reason(block: Block, title: str, repeated_footers: set[str], group_has_tags: bool) -> str | None:
    text = block.text
    if block.furniture:
        return "web page furniture (not the page's main text)"
    if block.heading:
        return None
    if _is_tag_list(text):
        return "image tag list"
    if _ALT_TEXT.search(text):
        return "machine-written image description"
    key = _footer_key(text)
    if key and (key == title.casefold() or key in repeated_footers):
        return "page footer"
    if group_has_tags and len(_words(text)) < 40:
        return "image description beside a tag list"
    if _PAGE_NUMBER.match(text):
        return "page number"
    if _is_stray(text):
        return "stray word"
    if not _TERMINAL.search(text) and len(_words(text)) <= 15 and _CAPTION.match(text):
        return "photo caption"
    if _BOILERPLATE.match(text):
        return "page boilerplate"
    return None


# A page may open with a few short lines before its headline: a masthead ("Australian Outlook"), a section or a
# breadcrumb ("Speech", "Latest Headlines"), a date, an image's caption.
LEAD_LINES = 4
LEAD_WORDS = 12


def _headline(blocks: list[Block]) -> str:
    """The title a document's own text gives: its top heading (h1) after at most a few short lead lines; else
    its first line, unless that reads like a sentence (content, not a title)."""
    for block in blocks[:LEAD_LINES + 1]:
        if block.headline:
            return block.text
        if len(_words(block.text)) > LEAD_WORDS:
            break
    first = blocks[0].text if blocks else ""
    return first if first and len(_words(first)) <= 25 and not first.endswith(".") else ""


def clean(blocks: list[Block], title: str | None = None) -> CleanText:
    blocks = [b for b in blocks if b.text.strip()]
    if title is None:
        title = _headline([b for b in blocks if not b.furniture])  # (a cookie notice does not open the report)
    footer_counts = Counter(k for k in (_footer_key(b.text) for b in blocks) if k)
    repeated_footers = {k for k, n in footer_counts.items() if n >= 2}
    tag_groups = {b.group for b in blocks if not b.heading and _is_tag_list(b.text)}

    kept: list[Block] = []
    removed: list[tuple[str, str]] = []
    at = next((i for i, b in enumerate(blocks) if title and b.text.casefold() == title.casefold()), None)
    for index, block in enumerate(blocks):
        if index == at:
            kept.append(block)
            continue
        reason = noise_reason(block, title, repeated_footers, block.group in tag_groups)
        if reason:
            removed.append((block.text, reason))
        else:
            kept.append(block)

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    section = title
    previous_kind = None
    for index, block in enumerate(kept):
        text = block.text
        nxt = kept[index + 1] if index + 1 < len(kept) else None
        if at is not None and block is blocks[at]:
            kind = "title"
        elif previous_kind == "quote" and not _TERMINAL.search(text) and len(_words(text)) <= 25:
            kind = "attribution"
        elif block.heading or (
            block.heading is None and _looks_like_heading(text) and nxt is not None
            and not (nxt.heading is None and _looks_like_heading(nxt.text) and not text.endswith("?"))
        ):
            kind = "heading"
        elif _is_quote(text):
            kind = "quote"
        else:
            kind = "text"
        if kind == "heading":
            section = text
        if parts:
            offset += 2
        paragraphs.append(Paragraph(offset, offset + len(text), kind, section if kind != "title" else title))
        if kind == "attribution":
            paragraphs[-2].attribution = text
            paragraphs[-1].attribution = text
        parts.append(text)
        offset += len(text)
        previous_kind = kind
    return CleanText("\n\n".join(parts), title, paragraphs, removed)
