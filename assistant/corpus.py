"""The loaded index as readers use it: documents, passages, sentences that know
whom and which article they are about, and a BM25 index over the passages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .gazetteer import Gazetteer
from .instructions import is_instruction
from .passages import Sentence
from .store import Snapshot

# A sentence opening with one of these continues the previous sentence's subject.
_ANAPHORA = re.compile(r"^(they|it|he|she|its|their|this delegation|the delegation|the representative|these states)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def stemmer():
    # PyStemmer is the Snowball stemmer in C; NLTK's copy costs seconds of import at start-up.
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """bm25s's 33 words plus NLTK's English list ("were", "about", "could" are no evidence of a match).
    NLTK's list is read from the copy llama-index-core ships, as a file: importing NLTK costs seconds."""
    from pathlib import Path

    import llama_index.core
    from bm25s.stopwords import STOPWORDS_EN

    nltk_file = Path(llama_index.core.__file__).parent / "_static/nltk_cache/corpora/stopwords/english"
    nltk_words = set(nltk_file.read_text(encoding="utf-8").split()) if nltk_file.exists() else set()
    extra = {"s", "t", "did", "does", "say", "said", "what", "which", "who", "why", "how", "could", "would", "also"}
    return frozenset(STOPWORDS_EN) | nltk_words | extra


def terms(text: str) -> list[str]:
    """Lower-cased stems of the content words of a text."""
    words = re.findall(r"[a-z0-9]+(?:[-/][a-z0-9]+)*", text.casefold().replace("’", "'"))
    return stemmer().stemWords([w for w in words if w not in stopwords()])


@dataclass
class AnnotatedSentence:
    sentence: Sentence
    index: int
    actors: set[str]  # named in the sentence or carried over from the previous one by a pronoun
    articles: set[str]  # named in the sentence, else the ones its paragraph or section is about
    terms: set[str] = field(default_factory=set)
    instruction: bool = False  # addressed to the assistant ("ignore previous instructions..."): never evidence


class Corpus:
    def __init__(self, snapshot: Snapshot, gazetteer: Gazetteer):
        import bm25s

        self.snapshot = snapshot
        self.gazetteer = gazetteer
        self.documents = snapshot.documents
        self.passages = snapshot.passages
        self.sentence_vectors = snapshot.sentence_vectors
        self.sentences = self._annotate(snapshot.sentences)
        self.positions = snapshot.position_records
        # What an instruction planted in a document names is not something the sources report.
        self.mentioned_actors = {a for s in self.sentences if not s.instruction for a in s.actors}
        self.mentioned_actors |= {a for r in self.positions for a in r["actors"]}
        self.mentioned_articles = {a for s in self.sentences if not s.instruction for a in s.articles}
        self.mentioned_articles |= {a for r in self.positions for a in r["articles"]}
        self.vocabulary = {t for d in self.documents.values() for t in terms(d.text)}
        self.bm25 = None
        if self.passages:
            self.bm25 = bm25s.BM25()
            self.bm25.index([terms(p.text) for p in self.passages], show_progress=False)
        self.passage_actors = [set(gazetteer.actor_ids(p.text)) for p in self.passages]
        self.sentence_passages = [self.passage_index_of(s.sentence) for s in self.sentences]
        self.position_terms = [set(terms(f"{r['summary']} {r['evidence'][0]['quote']}")) for r in self.positions]
        self.passage_articles = [set(gazetteer.find_articles(p.text)) for p in self.passages]

    def _annotate(self, sentences: list[Sentence]) -> list[AnnotatedSentence]:
        out: list[AnnotatedSentence] = []
        previous: AnnotatedSentence | None = None
        section_articles: set[str] = set()
        paragraph_articles: set[str] = set()
        for index, sentence in enumerate(sentences):
            doc = self.documents[sentence.document_id]
            paragraph = doc.paragraphs[sentence.paragraph]
            same_doc = previous is not None and previous.sentence.document_id == sentence.document_id
            new_paragraph = not same_doc or previous.sentence.paragraph != sentence.paragraph
            if not same_doc or doc.paragraphs[previous.sentence.paragraph].section != paragraph.section:
                section_articles = set()
            if new_paragraph:
                paragraph_articles = set()
            actors = set(self.gazetteer.actor_ids(sentence.text))
            if paragraph.attribution:
                actors |= set(self.gazetteer.actor_ids(paragraph.attribution))
            if not actors and same_doc and not new_paragraph and _ANAPHORA.match(sentence.text):
                actors = set(previous.actors)
            named = set(self.gazetteer.find_articles(sentence.text))
            if named:
                paragraph_articles = named
                section_articles = named
            # Names ("the 24/7 network", "extradition") add to the context, never replace
            # it: generic ones like "safeguards" also occur in passages about other articles.
            articles = (named or paragraph_articles or section_articles) | set(
                self.gazetteer.find_articles(sentence.text, by_name=True))
            annotated = AnnotatedSentence(sentence, index, actors, set(articles), set(terms(sentence.text)),
                                          is_instruction(sentence.text))
            out.append(annotated)
            previous = annotated
        return out

    def bm25_scores(self, query_terms: list[str]) -> np.ndarray:
        if self.bm25 is None or not query_terms:
            return np.zeros(len(self.passages))
        return np.asarray(self.bm25.get_scores(query_terms))

    def passage_index_of(self, sentence: Sentence) -> list[int]:
        return [
            i for i, p in enumerate(self.passages)
            if p.document_id == sentence.document_id and p.start <= sentence.start < p.end
        ]
