"""Outcomes ("How did the concluding session end?", "Was the text adopted by a vote?", "What happened
to Ghana's proposal?"): the record of what was decided when one fits, else the source sentences that
report a decision or an ending (answer_type.asked_test ranks them first)."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from ..settings import RECORD_YES_NO
from . import records

KINDS = ("outcome",)


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    """The outcome of a proposal the question names, or a named actor's record that fits closely."""
    return bool(query.targets) or bool(query.actors and scored[0][0] >= RECORD_YES_NO)


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer)
