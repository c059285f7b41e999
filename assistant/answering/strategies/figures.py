"""Figures and dates ("How many states…?", "When did the session open?"): the answer must hold a
figure or date, a date for a when-question, and where reports give different figures for one thing,
each report's is shown."""

from __future__ import annotations

from ...answer import Answer
from ..abstain import NUMBER
from ..answer_type import expected_type, gives_time, stage_asked, stages_in
from ..conflicts import date_sides, figure_sides
from ..query import Query
from ..settings import MIN_SIMILARITY, NUMBER_MARGIN
from . import records, sentences

KINDS = ("number",)


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return bool(query.targets)  # a record holds a stance, not a figure: only "who answered X's proposal"


def a_date_for_when(sel: sentences.Selection) -> None:
    """"When…?" is answered by a date, not by "the first session": the best sentence that gives one, if it
    is near enough or in a paragraph the answer quotes ("The talks began on 28 February" after the
    sentences on the opening); else any figure will do (the next step)."""
    if not sel.query.asks_date or any(gives_time(s.sentence.text) for s in sel.chosen):
        return
    paragraphs = {(s.sentence.document_id, s.sentence.paragraph) for s in sel.chosen}
    dated = [c for c in sel.candidates if gives_time(c[3].sentence.text) and (
        c[0] >= sel.best_score - NUMBER_MARGIN
        or (c[3].sentence.document_id, c[3].sentence.paragraph) in paragraphs and c[1] >= MIN_SIMILARITY)]
    if dated:
        sel.chosen = [dated[0][3]] + sel.chosen[: sel.limit - 1]


def a_figure(sel: sentences.Selection) -> Answer | None:
    """The best sentence that holds a figure of the asked type (or any figure or date), if it is near
    enough; else the sources don't give it."""
    wanted = expected_type(sel.query.text)

    def holds(s) -> bool:
        # (In a question of several parts, the other part's figure may be all the sources give: see abstain.py.)
        if wanted and not wanted.named and not sel.query.parts:
            return wanted.held_by(s.sentence.text)
        return bool(NUMBER.search(s.sentence.text))

    if any(holds(s) for s in sel.chosen):
        # "How many states put their signature on it…?" asks a count of the act: a near sentence giving a count of
        # states that names the act ("72 countries signed the Convention") joins an answer none of whose sentences
        # does ("delegates from 110 countries" count those who came).
        stage = stage_asked(sel.query.clause or sel.query.text) if wanted and wanted.kind == "count" else None
        if stage is not None and not any(_counts_act(wanted, stage, s) for s in sel.chosen):
            acting = next((c for c in sel.candidates if _counts_act(wanted, stage, c[3])
                           and c[0] >= sel.best_score - NUMBER_MARGIN), None)
            if acting is not None:
                sel.chosen = [acting[3]] + sel.chosen[: sel.limit - 1]
        return None
    holding = [c for c in sel.candidates if holds(c[3]) and c[0] >= sel.best_score - NUMBER_MARGIN]
    if not holding:
        return sel.ctx.abstain(sel.query, "The sources don't give that figure or date.")
    sel.chosen = [holding[0][3]] + sel.chosen[: sel.limit - 1]
    return None


def _counts_act(wanted, stage: str, s) -> bool:
    return wanted.held_by(s.sentence.text) and stage in stages_in(s.sentence.text)


def reports_that_differ(sel: sentences.Selection) -> Answer | None:
    # (A question that names its sources, "according to KPR", asks for their account: others' figures are no side.)
    near = [c[3] for c in sel.candidates if c[0] >= sel.best_score - NUMBER_MARGIN
            and (not sel.query.sources or c[3].sentence.document_id in sel.query.sources)]
    question = sel.query.clause or sel.query.text
    sides = figure_sides(expected_type(sel.query.text), near, question) or date_sides(sel.query.text, near)
    return sentences.differing(sel.ctx, sel.query, sides, sel.notes) if sides else None


STEPS = sentences.Steps(then=(a_date_for_when, a_figure, reports_that_differ))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
