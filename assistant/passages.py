"""Split cleaned documents into passages and sentences that keep their offsets."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .documents import SourceDocument
from .formats import ABBREVIATIONS

PASSAGE_TOKENS = 180
PASSAGE_OVERLAP = 30


@dataclass
class Passage:
    id: str
    document_id: str
    start: int
    end: int
    text: str
    section: str
    attribution: str | None = None

    def metadata(self) -> dict:
        meta = {"document_id": self.document_id, "start": self.start, "end": self.end, "section": self.section}
        if self.attribution:
            meta["attribution"] = self.attribution
        return meta


@dataclass
class Sentence:
    document_id: str
    start: int
    end: int
    text: str
    paragraph: int  # index into the document's paragraphs


@lru_cache(maxsize=1)
def _splitter():
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=PASSAGE_TOKENS, chunk_overlap=PASSAGE_OVERLAP)


@lru_cache(maxsize=1)
def _sentence_tokenizer():
    # llama-index-core ships NLTK's punkt tables; pointing NLTK at them avoids
    # any download while getting a real sentence splitter with offsets.
    import llama_index.core
    import nltk
    from nltk.tokenize import PunktTokenizer

    cache = os.path.join(os.path.dirname(llama_index.core.__file__), "_static", "nltk_cache")
    if cache not in nltk.data.path:
        nltk.data.path.append(cache)
    tokenizer = PunktTokenizer("english")
    # Abbreviations of this domain's copy that punkt's English tables end sentences on: "U.S. Statement as
    # Delivered", "the E.U. Commission", "McCarthy (Ret.) under". A sentence they do end ("…in the U.S.
    # The talks…") is then cited with the next one, a smaller harm than a fragment cited alone.
    tokenizer._params.abbrev_types.update(ABBREVIATIONS)
    return tokenizer


_INITIALS = re.compile(r"^\s*(?:[^\W\d_]\.){2,}\s*$")
# A name's middle initials ("By Dr Leo S.F. Lin") end no sentence (one initial, "George W. Bush", punkt reads
# itself). "…in Washington D.C. The talks…" is then one sentence, the smaller harm, as with ABBREVIATIONS.
_MIDDLE_INITIALS = re.compile(r"\b[A-Z][^\W\d_]+\s+(?:[A-Z]\.){2,3}\s*$")
# Scraped pages glue one paragraph to the next without a space ("…business priorities.The agreement aims…"), where
# punkt, which needs whitespace after a full stop, sees one sentence. A word's (or a bracket's or quote's) full stop
# followed at once by a capitalised word ends a sentence ("…technology (ICT).On Monday"); initials ("U.S.") and
# domain names ("digwatch.org") have no such boundary. A dateline's year glued to the first word of the text
# ("October 30, 2025As China…") ends there too: a year never runs into a capitalised word.
_GLUED = re.compile(r"(?:(?<=[a-z]{2}[.!?])|(?<=[)\]”’\"][.!?])|(?<=\b(?:19|20)\d\d))(?=[A-Z][a-z])")


def _units(doc: SourceDocument):
    """Paragraph spans worth retrieving: body text, a quote with its attribution."""
    paragraphs = doc.paragraphs
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        if p.kind == "quote" and i + 1 < len(paragraphs) and paragraphs[i + 1].kind == "attribution":
            yield p.start, paragraphs[i + 1].end, p
            i += 2
            continue
        if p.kind in ("text", "quote", "attribution"):
            yield p.start, p.end, p
        i += 1


def split_passages(doc: SourceDocument) -> list[Passage]:
    from llama_index.core import Document

    passages: list[Passage] = []
    for start, end, paragraph in _units(doc):
        unit = doc.text[start:end]
        nodes = _splitter().get_nodes_from_documents([Document(text=unit)])
        for node in nodes:
            local = node.start_char_idx if node.start_char_idx is not None else unit.find(node.text)
            if local is None or local < 0 or unit[local : local + len(node.text)] != node.text:
                local = unit.find(node.text)
            if local < 0:  # the splitter rewrote whitespace: keep the whole unit, never a wrong offset
                local, text = 0, unit
            else:
                text = node.text
            s, e = start + local, start + local + len(text)
            passages.append(
                Passage(f"{doc.id}:{s}-{e}", doc.id, s, e, text, paragraph.section, paragraph.attribution)
            )
    return passages


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text: punkt's spans, where it split too early joined again.
    The one sentence splitter, for documents and for answers (evaluation/metrics.py)."""
    spans: list[list[int]] = []
    for a, b in _glued_apart(_sentence_tokenizer().span_tokenize(text), text):
        # No sentence starts in lower case, and initials alone ("U.S.") are none.
        before = text[spans[-1][0]:spans[-1][1]] if spans else ""
        if spans and (text[a:a + 1].islower() or _INITIALS.match(before)
                      or _MIDDLE_INITIALS.search(before) and text[a:a + 1].isupper()):
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def _glued_apart(spans, text: str):
    for a, b in spans:
        for cut in [m.start() for m in _GLUED.finditer(text, a, b)]:
            yield a, cut
            a = cut
        yield a, b


def split_sentences(doc: SourceDocument) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(doc.paragraphs):
        if paragraph.kind not in ("text", "quote", "attribution"):  # "who is X?" is answered by the attribution
            continue
        text = doc.text[paragraph.start : paragraph.end]
        for a, b in sentence_spans(text):
            sentences.append(Sentence(doc.id, paragraph.start + a, paragraph.start + b, text[a:b], index))
    return sentences
