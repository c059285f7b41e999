"""Sources that disagree: two reports giving different figures for the asked count or different dates
for the asked event, or one saying a delegation supported what another says it opposed. The answer then says the sources differ and
cites each side; it never silently picks one."""

from __future__ import annotations

import re

import numpy as np

from ..gazetteer import Gazetteer
from .answer_type import stage_asked, stages_in
from .periods import date_claims
from .settings import SAME_EVENT_SIMILARITY

# Stances that say the same thing in the sources' loose wording (as in benchmarks/extraction.py).
SIDE = {"supports": "for", "prefers": "for", "opposes": "against", "expresses_concern": "against",
         "calls_for_deletion": "against", "questions": "against"}
DIFFER = "The sources differ."


def figure_sides(wanted, candidates: list, question: str = "") -> list:
    """One sentence per distinct figure of the asked type, when documents give different figures.
    `candidates` are annotated sentences, best first; each side is the best sentence giving it."""
    if wanted is None or wanted.kind != "count":
        return []
    sides: dict[str, object] = {}
    documents: dict[str, set[str]] = {}
    # (As with dates: of a question that names the treaty's act, "How many states had ratified it?", a count is a
    # side only where its sentence names that act too. "47 states co-sponsored the resolution" counts no ratifications.)
    stage = stage_asked(question)
    for s in candidates:
        if stage and stage not in stages_in(s.sentence.text):
            continue
        for figure in wanted.figures(s.sentence.text):
            documents.setdefault(figure, set()).add(s.sentence.document_id)
            sides.setdefault(figure, s)
    if len(sides) < 2:
        return []
    # Different figures within one report are usually different things (a total and a part): a
    # disagreement needs a figure that only another report gives.
    all_docs = set().union(*documents.values())
    if len(all_docs) < 2 or any(docs == all_docs for docs in documents.values()):
        return []
    return list(sides.values())


_WHEN = re.compile(r"^((and|but|so) )?(when|on what date|what date|on which date|in what month|by when)\b", re.I)


def date_sides(question: str, candidates: list) -> list:
    """One sentence per date, when documents date the asked event differently ("When did the Chair
    circulate the text?": 12 August in one report, 14 August in another). The best sentence giving a
    date (to the month or the day) is one side; the other sides are sentences of other documents that
    say nearly the same thing (the same event) with a date that cannot be the same. A vaguer date that
    fits a precise one ("August 2024" and "9 August 2024") is no disagreement."""
    if not _WHEN.search(question.strip()):
        return []
    # (Each date a sentence gives is the set of days it may mean: a span of days, "October 25 and 26", is
    # met by "October 26".)
    # (Of a question that names the treaty's act, "When did the Assembly approve it?", a date is a side only where
    # its sentence names that act too: "Since May 2021 states have been negotiating" dates no approval.)
    stage = stage_asked(question)
    dated = [(s, [c for c in date_claims(s.sentence.text) if any(d[1] is not None for d in c)]) for s in candidates
             if not stage or stage in stages_in(s.sentence.text)]
    dated = [(s, claims) for s, claims in dated if claims]
    if not dated:
        return []
    anchor, anchor_claims = dated[0]
    sides, seen = [anchor], [d for c in anchor_claims for d in c]
    for s, claims in dated[1:]:
        if s.sentence.document_id == anchor.sentence.document_id or _similarity(anchor, s) < SAME_EVENT_SIMILARITY:
            continue
        if all(any(_fits(d, e) for d in claim for e in seen) for claim in claims):
            continue  # only dates that fit a side already given: agreement, not another side
        sides.append(s)
        seen += [d for c in claims for d in c]
    return sides if len(sides) >= 2 else []


def _similarity(a, b) -> float:
    va, vb = np.asarray(a.vector, dtype=np.float32), np.asarray(b.vector, dtype=np.float32)
    return float(va @ vb / ((np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0))


def _fits(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def stance_sides(records: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """(actor, article, records) where reports put one actor on both sides of one article."""
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        if r["stance"] not in SIDE:
            continue
        for actor in r["actors"]:
            for article in r["articles"] or ["-"]:
                by_key.setdefault((actor, article), []).append(r)
    out = []
    for (actor, article), group in sorted(by_key.items()):
        sides = {SIDE[r["stance"]] for r in group}
        documents = {r["evidence"][0]["document"] for r in group}
        if len(sides) == 2 and len(documents) >= 2:
            out.append((actor, article, group))
    return out


def stance_note(gazetteer: Gazetteer, disputes: list[tuple[str, str, list[dict]]]) -> str:
    parts = []
    for actor, article, _ in disputes:
        where = f" on Article {article}" if article != "-" else ""
        parts.append(f"{gazetteer.name(actor)}{where}")
    return f"{DIFFER[:-1]} on where {', '.join(parts)} stood: one report has support, another opposition."
