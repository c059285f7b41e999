"""Why-questions ("Why did Egypt object to Article 24?"): the named actor's record and its reason when
it fits closely, else the best source sentences, each with the sentence after it when that carries the
reason on ("They stressed…")."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from ..settings import RECORD_WHY, RECORD_YES_NO
from . import general, records, sentences

KINDS = ("why",)


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    if general.records_answer(ctx, query, scored):
        return True
    best, top = scored[0]
    if query.actors and best >= RECORD_WHY:
        return True
    # "Why did opponents reject X?": no names, but a stance on a numbered provision a record matches closely.
    return bool(query.provisions and best >= RECORD_YES_NO and ctx.corpus.positions[top]["stance"] in query.stances)


def reasons_follow(selection: sentences.Selection) -> None:
    selection.wants_more = True


STEPS = sentences.Steps(then=(reasons_follow,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
