"""Answers that trace a position over time ("How did the US position on Article 54 change?"):
dated steps in date order, each cited. The steps are the named actors' position records where
there are records from two dates or more, otherwise the best source sentences; either way each
step carries the date of the document that holds it, and undated documents come last."""

from __future__ import annotations

from ...answer import Answer, Citation
from ..compose import with_markers
from ..query import Query
from ..settings import MAX_POSITIONS
from . import agreement, records, sentences


KINDS = ("timeline",)
STEPS = sentences.Steps(then=(agreement.each_report,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return from_timeline(ctx, query, vector, q_terms, [])


def from_timeline(ctx, query: Query, vector, q_terms: set[str], boost: list) -> Answer:
    if query.targets and not query.actors:  # "Ghana's position" is whose course is traced, not a proposal answered
        query.actors, query.targets = query.targets, []
    scored = records.score_positions(ctx, query, vector, q_terms) if ctx.use_positions and query.actors else []
    if scored:
        picked = [ctx.corpus.positions[i] for _, i in scored[:MAX_POSITIONS["timeline"]]]
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
