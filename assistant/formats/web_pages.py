"""HTML (and Markdown, rendered) into blocks: block elements and the text set straight in containers, a table's row
as one line, and a web page's furniture marked by its main text."""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError
from .blocks import Block
from .text_files import text_blocks

DROP_TAGS = ("script", "style", "noscript", "template", "nav", "figure", "figcaption",
             "img", "svg", "picture", "iframe", "form", "button", "aside", "footer", "header")
BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th", "dd", "dt")
# Elements that hold blocks: their tags part lines too, where a plain-text file still carries them (text_files)
CONTAINER_TAGS = ("div", "ul", "ol", "table", "tr", "section", "article", "header", "footer", "main", "aside", "nav", "hr",
                  "body", "html")
_CELL_TAGS = ("td", "th")
_CELL_BLOCK_TAGS = tuple(t for t in BLOCK_TAGS if t not in _CELL_TAGS) + ("table",)


def html_blocks(markup: str, path: Path | None = None) -> list[Block]:
    try:
        return _html_blocks(markup)
    except RecursionError as exc:
        raise DocumentError(path or "the document", "has HTML nested too deeply to read") from exc


# Tags that run inside a line of text; any other tag breaks it.
INLINE_TAGS = frozenset(("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
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
        return getattr(node, "name", None) in INLINE_TAGS and not node.find(lambda t: t.name not in INLINE_TAGS)

    for container in [body, *body.find_all(True)]:
        if container.name in INLINE_TAGS or container.name in BLOCK_TAGS and not container.find(BLOCK_TAGS):
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
    for tag in soup(DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    if body.find(BLOCK_TAGS):  # (markup without any is read as plain text, below, its blank lines parting paragraphs)
        _wrap_loose_text(soup, body)
    for br in soup.find_all("br"):
        br.replace_with(" ")
    blocks: list[Block] = []
    # A data table's row is one line, its cells parted by " | " ("Egypt | opposes | Article 24"): cell by cell, what
    # each row says would be lost. (A layout table, whose cells hold paragraphs, is read by its paragraphs.)
    rows = {id(tr) for tr in body.find_all("tr") if not tr.find(_CELL_BLOCK_TAGS) and tr.find(_CELL_TAGS)}
    for i, element in enumerate(body.find_all(BLOCK_TAGS + ("tr",))):
        if element.name == "tr" and id(element) in rows:
            text = " | ".join(cell for c in element.find_all(_CELL_TAGS) if (cell := " ".join(c.get_text().split())))
            blocks.append(Block(text, False, i))
            continue
        if element.name == "tr" or element.name in _CELL_TAGS and id(element.find_parent("tr")) in rows:
            continue
        if element.find(BLOCK_TAGS):  # the inner blocks carry the text
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
