"""Who and which article each sentence and passage is about, worked out once at ingest.

The notes are stored beside the vectors in Chroma, so opening the index and
asking never re-read the gazetteer over the whole archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .answering.settings import MASTHEAD_CHARS  # (the head of a document, where a masthead stands too)
from .gazetteer import initials
from .instructions import is_instruction
from .passages import Passage, Sentence

# A line near the top saying who delivered the document ("Statement by: Ms Kim, First Secretary, Australian Mission to
# the UN", "Delivered on behalf of the African Group") names who speaks in all of it, as a publisher does.
_DELIVERED_BY = re.compile(r"\b(?:statement|remarks|speech|intervention|address|delivered|presented|submitted)\b"
                           r"[^.\n]{0,30}?\bby\b|\bon behalf of\b", re.IGNORECASE)
HEAD_LINE_WORDS = 30

# A sentence opening with one of these continues the previous sentence's subject.
_ANAPHORA = re.compile(r"^(they|it|he|she|its|their|this delegation|the delegation|the representative|these states)\b",
                       re.IGNORECASE)


@dataclass
class DocumentNotes:
    sentences: list[dict] = field(default_factory=list)  # per sentence: actors, articles, instruction, byline
    passages: list[dict] = field(default_factory=list)  # per passage: actors, articles
    actors: set[str] = field(default_factory=set)  # named in the document outside planted instructions
    articles: set[str] = field(default_factory=set)
    source_actors: set[str] = field(default_factory=set)  # who speaks in the document: its publisher, author, title


_CAPITALS_WORD = re.compile(r"\b[A-Z]{2,5}\b")


def local_abbreviations(text: str, gazetteer) -> dict[str, str]:
    """The initials a document uses for an actor ("SA" in a report that names South Africa), by actor: where no
    other actor it names has those initials and the gazetteer gives them to no one. Initials of three letters or
    more stand for the one organisation or group of the gazetteer that has them (Gazetteer.organisation_initials),
    named in full or not: an organisation's own release calls it "ICC" and never spells out its name."""
    by_initials: dict[str, set[str]] = {}
    for actor in {a for a, _, _ in gazetteer.find_actors(text)}:
        if short := initials(gazetteer.name(actor)):
            by_initials.setdefault(short, set()).add(actor)
    used = set(_CAPITALS_WORD.findall(text))
    for short, actors in gazetteer.organisation_initials.items():
        if len(short) >= 3 and short in used and short not in by_initials:
            by_initials[short] = actors
    return {short: next(iter(actors)) for short, actors in by_initials.items()
            if len(actors) == 1 and short in used and not gazetteer.find_actors(short)}


def _abbreviated(text: str, abbreviations: dict[str, str]) -> set[str]:
    return {abbreviations[w] for w in _CAPITALS_WORD.findall(text) if w in abbreviations}


def annotate_document(doc, passages: list[Passage], sentences: list[Sentence], gazetteer) -> DocumentNotes:
    notes = DocumentNotes()
    abbreviations = local_abbreviations(doc.text, gazetteer)
    previous: Sentence | None = None
    previous_actors: set[str] = set()
    section_articles: set[str] = set()
    paragraph_articles: set[str] = set()
    for sentence in sentences:
        paragraph = doc.paragraphs[sentence.paragraph]
        new_paragraph = previous is None or previous.paragraph != sentence.paragraph
        if previous is None or doc.paragraphs[previous.paragraph].section != paragraph.section:
            section_articles = set()
        if new_paragraph:
            paragraph_articles = set()
        actors = set(gazetteer.actor_ids(sentence.text)) | _abbreviated(sentence.text, abbreviations)
        if paragraph.attribution:
            actors |= set(gazetteer.actor_ids(paragraph.attribution))
        if not actors and not new_paragraph and _ANAPHORA.match(sentence.text):
            actors = set(previous_actors)
        named = set(gazetteer.find_articles(sentence.text))
        if named:
            paragraph_articles = named
            section_articles = named
        # Names ("the 24/7 network", "extradition") add to the context, never replace
        # it: generic ones like "safeguards" also occur in passages about other articles.
        articles = (named or paragraph_articles or section_articles) | set(gazetteer.find_articles(sentence.text, by_name=True))
        instruction = is_instruction(sentence.text)
        notes.sentences.append({"actors": sorted(actors), "articles": sorted(articles), "instruction": instruction,
                                "byline": paragraph.kind == "attribution"})
        if not instruction:
            notes.actors |= actors
            notes.articles |= articles
        previous, previous_actors = sentence, actors
    meta = getattr(doc, "meta", {}) or {}
    notes.source_actors = set(gazetteer.actor_ids(" | ".join(
        [doc.title] + [str(meta.get(k, "")) for k in ("publisher", "author", "source_name")])))
    for paragraph in doc.paragraphs:
        line = doc.text[paragraph.start:paragraph.end]
        if paragraph.start < MASTHEAD_CHARS and len(line.split()) <= HEAD_LINE_WORDS and _DELIVERED_BY.search(line):
            notes.source_actors |= set(gazetteer.actor_ids(line))
    for passage in passages:
        notes.passages.append({"actors": sorted(set(gazetteer.actor_ids(passage.text)) | _abbreviated(passage.text, abbreviations)),
                               "articles": gazetteer.find_articles(passage.text)})
    return notes
