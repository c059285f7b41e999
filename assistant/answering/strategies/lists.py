"""Lists, comparisons and everything one actor said ("Which states wanted Article 35(3) deleted?",
"How did Kenya's verdict compare with Russia's?", "What did Iran object to?"): every position record
that fits, each item with its evidence; without such records, the best source sentences."""

from __future__ import annotations

import re

from ...answer import Answer
from ..query import Query
from ..settings import NUMBER_MARGIN
from . import records, sentences

# "Who …?" (but "Who is …?", answered by a byline) asks for someone: a delegation or body the gazetteer
# knows, or a name of two capitalised words ("Deborah McCarthy", "Human Rights Watch"), other than those
# the question gives. A sentence near the topic that names no one ("The Chair opened the session")
# answers "Who will chair the next one?" no more than silence does.
_WHO = re.compile(r"^((and|so|then|but) )?who\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?!(?:The|A|An|This|That|These|Those|Its|Their|Our|In|On|At|For|By|Under|After|Before|During"
                   r"|As|If|When|While|Article|Articles|Chapter|Section)\b)[A-Z][a-z]+(?:[-'’][A-Za-z]+)?"
                   r"(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:[-'’][A-Za-z]+)?)+")

KINDS = ("list", "compare", "aggregate")


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return True


def someone_named(sel: sentences.Selection) -> Answer | None:
    query = sel.query
    if not _WHO.match(query.clause or query.text) or query.asks_identity:
        return None
    asked = {a for a, _, _ in sel.ctx.corpus.gazetteer.find_actors(query.text)}
    words = set(query.text.casefold().split())

    def names_someone(s) -> bool:
        if {a for a, _, _ in sel.ctx.corpus.gazetteer.find_actors(s.sentence.text)} - asked:
            return True
        return any(not set(m.group(0).casefold().split()) <= words for m in _NAME.finditer(s.sentence.text))

    if any(names_someone(s) for s in sel.chosen):
        return None
    naming = [c for c in sel.candidates if names_someone(c[3]) and c[0] >= sel.best_score - NUMBER_MARGIN]
    if not naming:
        return sel.ctx.abstain(query, "The sources don't name anyone: no passage on this names a person, "
                                      "a delegation or a body.")
    sel.chosen = [naming[0][3]] + sel.chosen[: sel.limit - 1]
    return None


STEPS = sentences.Steps(then=(someone_named,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
