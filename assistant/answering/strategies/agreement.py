"""Whether the reports agree ("Does everyone agree?", "Some reports speak of broad consensus, others
say there was none", "I've seen 'five years' and I've seen 2022"): the best sentence of each report
that speaks to it, each cited, so the reader sees every side; the sentences of one report, however
close, cannot show whether others tell it differently."""

from __future__ import annotations

from dataclasses import replace

from ...answer import Answer
from ..query import Query
from ..settings import REPORTS_MARGIN
from . import sentences

KINDS = ("agreement",)


def each_report(sel: sentences.Selection) -> None:
    """The best sentence first, then the best of each other report near enough, up to the limit; what
    the checks before chose (each part's answer, the year asked) stays."""
    chosen = sel.chosen[:1]
    reports = {s.sentence.document_id for s in chosen}
    for score, _, _, s in sel.candidates:
        if len(chosen) >= sel.limit or score < sel.best_score - REPORTS_MARGIN:
            break
        if s.sentence.document_id not in reports:
            reports.add(s.sentence.document_id)
            chosen.append(s)
    keys = {s.key for s in chosen}
    sel.chosen = chosen + [s for s in sel.chosen[1:] if s.key not in keys][: max(0, sel.limit - len(chosen))]


STEPS = sentences.Steps(then=(each_report,))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    # Whoever the question quotes ("The chair says …. Does everyone agree?") made the claim tested: what
    # is asked is whether others say so too, so no speaker is preferred.
    others = replace(query, actors=[], targets=[])
    return sentences.from_sentences(ctx, others, vector, q_terms, [], steps=STEPS)
