"""Lists, comparisons and everything one actor said ("Which states wanted Article 35(3) deleted?",
"How did Kenya's verdict compare with Russia's?", "What did Iran object to?"): every position record
that fits, each item with its evidence; without such records, the best source sentences."""

from __future__ import annotations

from ...answer import Answer
from ..answer_type import WHO, someone_test
from ..query import Query
from ..settings import NUMBER_MARGIN
from . import records, sentences

KINDS = ("list", "compare", "aggregate")


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return True


def someone_named(sel: sentences.Selection) -> Answer | None:
    """"Who …?" (but "Who is …?", answered by a byline) asks for someone other than those the question
    gives: a sentence near the topic that names no one ("The Chair opened the session") answers "Who
    will chair the next one?" no more than silence does."""
    query = sel.query
    if not WHO.match(query.clause or query.text) or query.asks_identity:
        return None
    names_someone = someone_test(query.text, sel.ctx.corpus.gazetteer)
    if any(names_someone(s.sentence.text) for s in sel.chosen):
        return None
    naming = [c for c in sel.candidates if names_someone(c[3].sentence.text) and c[0] >= sel.best_score - NUMBER_MARGIN]
    if not naming:
        return sel.ctx.abstain(query, "The sources don't name anyone: no passage on this names a person, "
                                      "a delegation or a body.")
    sel.chosen = [naming[0][3]] + sel.chosen[: sel.limit - 1]
    return None


STEPS = sentences.Steps(then=(someone_named,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
