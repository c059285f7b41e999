"""Answers that trace a position over time ("How did the US position on Article 54 change?"):
dated steps in date order, each cited. The steps are the named actors' position records where
there are records from two dates or more, otherwise the best source sentences; either way each
step carries the date of the document that holds it, and undated documents come last."""

from __future__ import annotations

from dataclasses import replace

from ...answer import Answer, Citation
from ..compose import with_markers
from ..periods import dates_in, in_window, month_after, window
from ..query import Query
from ..settings import CHOICE_MARGIN, MAX_POSITIONS
from . import agreement, records, sentences


KINDS = ("timeline",)


def within_window(sel: sentences.Selection) -> None:
    """A course the question bounds in time ("Once the text was agreed in August 2024, how did …?", "between February
    2022 and January 2024") is told by what happened in that span: a sentence of a report dated outside it (or more
    than a month after its end) is left out, unless the sentence itself dates what it says inside it. Undated reports
    stay: they cannot be placed."""
    lower, upper = window(sel.query.text)
    if not lower and not upper:
        return
    dates = sel.ctx.corpus.dates({c[3].sentence.document_id for c in sel.candidates})

    def inside(s) -> bool:
        date = dates.get(s.sentence.document_id)
        return not date or in_window(date, lower, upper) or any(
            y and in_window(f"{y}-{m}" if m else y, lower, upper) for y, m, _ in dates_in(s.sentence.text))

    kept = [c for c in sel.candidates if inside(c[3])]
    if kept and len(kept) < len(sel.candidates):
        sel.candidates, sel.best_score = kept, kept[0][0]
        sel.chosen = [c[3] for c in kept if c[0] >= sel.best_score - CHOICE_MARGIN][:sel.limit]


STEPS = sentences.Steps(first=(within_window,), then=(agreement.each_report,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return from_timeline(ctx, query, vector, q_terms, [])


def from_timeline(ctx, query: Query, vector, q_terms: set[str], boost: list) -> Answer:
    if query.targets and not query.actors:  # "Ghana's position" is whose course is traced, not a proposal answered
        query.actors, query.targets = query.targets, []
    lower, upper = window(query.text)
    if lower or upper:
        # The reports of the span are searched as a group of their own (as a report named by its date is), so that
        # what happened in it ranks high among the whole archive's passages on the topic.
        spanned = ctx.corpus.catalog.documents_dated_between(lower, month_after(upper) if upper else None)
        if spanned:
            query = replace(query, dated=query.dated | (spanned & query.sources if query.sources else spanned))
    scored = records.score_positions(ctx, query, vector, q_terms) if ctx.use_positions and query.actors else []
    if scored:
        picked = [ctx.corpus.positions[i] for _, i in scored[:MAX_POSITIONS["timeline"]]]
        if lower or upper:
            picked = [r for r in picked if not r.get("date") or in_window(str(r["date"]), lower, upper)]
        steps = [(r["evidence"][0], r) for r in ctx.corpus.dated(picked)]
        if len({r["date"] for _, r in steps if r["date"]}) >= 2:
            return _dated(ctx, query, [(ev["document"], ev["start"], ev["end"]) for ev, _ in steps], picked)
    # A course over time is told by reports of different dates: the best sentence of each report joins.
    answer = sentences.from_sentences(ctx, query, vector, q_terms, boost, steps=STEPS)
    if answer.abstained or len(answer.citations) < 2:
        return answer
    return _dated(ctx, query, [(c.document_id, c.start, c.end) for c in answer.citations], [], answer.notes)


def _dated(ctx, query: Query, spans: list[tuple[str, int, int]], used: list[dict], notes=None) -> Answer:
    dates = ctx.corpus.dates({d for d, _, _ in spans})
    spans = sorted(dict.fromkeys(spans), key=lambda s: (s[0] not in dates, dates.get(s[0], ""), s[0], s[1]))
    citations: list[Citation] = []
    parts = []
    for doc_id, start, end in spans:
        number = ctx.cite(citations, doc_id, start, end)
        quote = ctx.corpus.documents[doc_id].text[start:end].strip()
        when = f"On {dates[doc_id]}" if doc_id in dates else "Undated"
        parts.append(with_markers(f"{when} ({citations[number - 1].title}): {quote}", [number]))
    return Answer(query.text, " ".join(parts), False, citations, used, notes=list(notes or []))
