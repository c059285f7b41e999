"""Who someone is ("Who is Tatiana Tropina?", "What is her affiliation?"): the byline under the quote
that names them. Position records never answer it: they hold stances, not who people are."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from . import records, sentences

KINDS = ()  # any kind of question that asks who someone is (query.asks_identity)


def a_byline(sel: sentences.Selection) -> None:
    """A byline answers only if it names what the question names, or sits under a quote chosen first."""
    previous, bylines = sel.found.previous, sel.found.bylines
    quoted = {(c.sentence.document_id, c.sentence.paragraph) for c in sel.chosen}
    fitting = [c[3] for c in sel.candidates if c[3].key in bylines and c[3].key in previous and (
        (sel.q_terms & c[3].terms) or (previous[c[3].key].sentence.document_id,
                                       previous[c[3].key].sentence.paragraph) in quoted)]
    if fitting:
        sel.chosen = fitting[:1]


STEPS = sentences.Steps(first=(a_byline,))


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return False


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
