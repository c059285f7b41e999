"""Lists, comparisons and everything one actor said ("Which states wanted Article 35(3) deleted?",
"How did Kenya's verdict compare with Russia's?", "What did Iran object to?"): every position record
that fits, each item with its evidence; without such records, the best source sentences."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from . import records, sentences

KINDS = ("list", "compare", "aggregate")


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return True


STEPS = sentences.Steps(then=(sentences.someone_named, sentences.each_actor_heard))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
