"""A PDF's pages into blocks: its text as pypdf extracts it, less the running header and footer."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import DocumentError
from .blocks import Block
from .text_files import text_blocks


def pdf_blocks(path: Path) -> list[Block]:
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

    lined = [page.split("\n") for page in pages]
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
