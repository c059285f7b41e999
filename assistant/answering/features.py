"""What makes a source sentence a good answer to a question, as named features.

A candidate sentence's score is the weighted sum of these features, with the weights of
settings.SENTENCE_WEIGHTS. Each feature is general: it reads the question, the sentence,
its passage's retrieval rank and its document, never the wording of one question.
"""

from __future__ import annotations

import numpy as np

from .settings import CONTEXT_SHARE, SENTENCE_WEIGHTS

NAMES = tuple(SENTENCE_WEIGHTS)


class Features:
    """Feature vectors for the candidate sentences of one question."""

    def __init__(self, q_terms: set[str], vector, own_vector=None, asked=None, named_reports: set[str] = frozenset(),
                 rarity: dict[str, float] | None = None):
        self.q_terms = q_terms
        # A question word counts in the overlap by its rarity in the archive (lexical.Catalog.rarity): sharing
        # "victims" and "support" says more than sharing "convention" and "cybercrime", which every sentence
        # about the treaty has. (A plain share of the words until 2026-12-02: dev evidence 0.681 -> 0.693, a
        # blind probe of 8 documents from new publishers 0.500 -> 0.553.)
        self.rarity = rarity or {}
        self._total = sum(self.rarity.get(t, 0.0) for t in q_terms)
        self.named_reports = named_reports  # the reports the question names by date or session (query.dated)
        self.asked = asked  # sentence -> whether it holds what the question asks for (answer_type.asked_test)
        self.qv = np.asarray(vector, dtype=np.float32)
        # A follow-up's vector is that of the earlier turn and the follow-up together; its own words'
        # vector says what it asks now, so the question is read nearer that one (the earlier turn has
        # been answered already: settings.CONTEXT_SHARE), normalised so that similarities keep the
        # scale the relevance floors of settings.py are set on.
        if own_vector is not None:
            both = CONTEXT_SHARE * self.qv + np.asarray(own_vector, dtype=np.float32)
            self.qv = both / (np.linalg.norm(both) or 1.0)

    def of(self, s, speakers: set[str], wanted_actors: set[str], articles: set[str], ranks: list[int],
           evidence: bool, previous_speakers: set[str] = frozenset()) -> dict[str, float]:
        return {
            "similarity": float(s.vector @ self.qv),
            "overlap": sum(self.rarity.get(t, 0.0) for t in self.q_terms & s.terms) / self._total if self._total
            else len(self.q_terms & s.terms) / (len(self.q_terms) or 1),
            # (half for one that names no one, whose paragraph names them before it)
            "actor": 1.0 if speakers & wanted_actors else 0.5 if previous_speakers & wanted_actors else 0.0,
            "article": float(bool(s.articles & articles)),
            "record_evidence": float(evidence),
            "rank": 1.0 / (1 + min(ranks)) if ranks else 0.0,
            "asks_itself": float(s.sentence.text.rstrip().endswith("?")),
            "holds_asked": float(bool(self.asked and self.asked(s))),
            "named_report": float(s.sentence.document_id in self.named_reports),
        }


def score(features: dict[str, float]) -> float:
    return sum(SENTENCE_WEIGHTS[name] * value for name, value in features.items())
