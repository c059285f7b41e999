"""Plain text (and a PDF's extracted text) into blocks: hard-wrapped lines joined into paragraphs, words a wrap
broke made whole, markup a scrape left in made text."""

from __future__ import annotations

import re

from .blocks import Block

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


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,30});")


def without_markup(text: str) -> str:
    """A plain-text file's leftover markup made text: the tags and entities a scrape left in ("<p>…</p>", "<div
    class='ad'>", "&amp;", "&#8211;"), its own line breaks kept and a block element's tags parting lines, so that it
    reads as the page did. Only a text with a paragraph's or a container's tags is a page saved as text: one that
    quotes a tag in a sentence ("…backed Article 54 <script>…</script> with the note…") keeps every character, as
    does a "<" that opens no element ("a < b")."""
    import html

    if "<" in text:
        from bs4 import BeautifulSoup

        from .web_pages import BLOCK_TAGS, CONTAINER_TAGS, DROP_TAGS

        soup = BeautifulSoup(text, "html.parser")
        if soup.find((*BLOCK_TAGS, *CONTAINER_TAGS, "br")):
            for tag in soup(DROP_TAGS):
                tag.decompose()
            for tag in soup.find_all((*BLOCK_TAGS, *CONTAINER_TAGS)):
                tag.insert_before("\n\n")
                tag.insert_after("\n\n")
            for br in soup.find_all("br"):
                br.replace_with("\n")
            return soup.get_text()
    return html.unescape(text) if _ENTITY.search(text) else text
