"""Read a source file of any supported type into raw blocks of text.

A block is one paragraph-like unit in reading order. Formats with real
structure (HTML, Markdown) say which blocks are headings; plain text and PDF
leave that to the cleaner. Nothing here decides what is noise, except markup
that is never content (scripts, styles, figures, navigation) and a web page's
furniture, which web_pages.main_text marks for the cleaner to remove.

One module a kind of file: text_files (plain text, and the text a PDF gives),
web_pages (HTML, and Markdown rendered to it), pdf_files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DocumentError
from .blocks import Block
from .pdf_files import pdf_blocks
from .text_files import ABBREVIATIONS, text_blocks, without_markup
from .web_pages import html_blocks, main_text

__all__ = ["ABBREVIATIONS", "Block", "MAX_DOCUMENT_BYTES", "SUPPORTED_SUFFIXES", "html_blocks", "read_blocks", "text_blocks"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


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
        return pdf_blocks(path), None
    text = _decode(path)
    if suffix in (".html", ".htm"):
        return main_text(html_blocks(text, path), text), text
    if suffix in (".md", ".markdown"):
        from markdown_it import MarkdownIt

        from ..metadata import split_front_matter

        _, body = split_front_matter(text)  # front matter is metadata, not text to cite
        return html_blocks(MarkdownIt("commonmark").enable("table").render(body), path), text
    return text_blocks(without_markup(text)), text


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
