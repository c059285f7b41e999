"""Numbered citations and their markers: the one sentence splitter for answers."""

from __future__ import annotations

import re

from ..formats import ABBREVIATIONS

# Titles and initials end in a full stop but end no sentence ("Dr. Tatiana Tropina", "Hon. Edmund Hinkson"): the
# abbreviations the source splitter is given (formats.ABBREVIATIONS), so an answer splits where its sources do, and
# "St.", which punkt's own English tables hold.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])" + "".join(rf"(?<!\b{a.capitalize()}\.)" for a in sorted(ABBREVIATIONS | {"st"})
                                                     if "." not in a)
                             + r"(?<!\b[A-Z]\.)\s+(?=[A-Z“‘\"'])")


def answer_sentences(text: str) -> list[str]:
    """An answer's sentences, split where the engine put its markers (streamed one at a time)."""
    return [piece for piece in _SENTENCE_BREAK.split(text.strip()) if piece]


# A source's own footnote references ("…Ahead of the Concluding Session [1]", "[6-14]") would read as the
# answer's citation markers; the citation keeps them, in its verbatim quote.
_SOURCE_REFERENCE = re.compile(r"\s*\[\d+(?:\s*[-–,]\s*\d+)*\]")


def with_markers(sentence: str, numbers: list[int]) -> str:
    """Markers go at the end of every sentence, so a quote of two sentences cites twice."""
    sentence = _SOURCE_REFERENCE.sub("", sentence)
    pieces = _SENTENCE_BREAK.split(sentence.strip())
    if len(pieces) > 1:
        return " ".join(with_markers(p, numbers) for p in pieces)
    markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1].rstrip()} {markers}{sentence[-1]}"
    return f"{sentence} {markers}."
