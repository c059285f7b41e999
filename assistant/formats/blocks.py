"""A block: one paragraph-like unit of a source file, in reading order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Block:
    text: str
    heading: bool | None = None  # None: the format does not say
    group: int = 0  # blocks of one group were not separated by a blank line
    headline: bool = False  # the format marks it as the page's top heading (HTML h1, Markdown "# ")
    furniture: bool = False  # a web page's, not its article's: a cookie notice, related stories (main_text)
