"""The general question ("What did Costa Rica say about the final text?"): a named actor's position
record when the question asks about a stance it takes and the record fits closely, else the best
source sentences."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from ..settings import RECORD_YES_NO
from . import records, sentences

KINDS = ("general",)


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    """A record answers a question about whose proposal was answered, or "Did X support …?" when X's
    record fits closely."""
    return bool(query.targets) or bool(query.actors and query.stances and scored[0][0] >= RECORD_YES_NO)


STEPS = sentences.Steps(then=(sentences.someone_named, sentences.each_actor_heard, sentences.speech_heard,
                              sentences.lines_follow))  # "What is the name of …?" asks for someone


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
