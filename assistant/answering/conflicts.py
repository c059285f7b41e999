"""Sources that disagree: two reports giving different figures for the asked count or different dates
for the asked event, or one saying a delegation supported what another says it opposed. The answer then says the sources differ and
cites each side; it never silently picks one."""

from __future__ import annotations

import re

from ..gazetteer import Gazetteer
from .periods import dates_in

# Stances that say the same thing in the sources' loose wording (as in benchmarks/extraction.py).
SIDE = {"supports": "for", "prefers": "for", "opposes": "against", "expresses_concern": "against",
         "calls_for_deletion": "against", "questions": "against"}
DIFFER = "The sources differ."


def figure_sides(wanted, candidates: list) -> list:
    """One sentence per distinct figure of the asked type, when documents give different figures.
    `candidates` are annotated sentences, best first; each side is the best sentence giving it."""
    if wanted is None or wanted.kind != "count":
        return []
    sides: dict[str, object] = {}
    documents: dict[str, set[str]] = {}
    for s in candidates:
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
    circulate the text?": 12 August in one report, 14 August in another). Only dates to the month or
    the day count, and a vaguer date that fits a precise one ("August 2024" and "9 August 2024") is
    no disagreement."""
    if not _WHEN.search(question.strip()):
        return []
    sides: dict[tuple, object] = {}
    documents: dict[tuple, set[str]] = {}
    for s in candidates:
        for date in dates_in(s.sentence.text):
            if date[1] is None:
                continue
            documents.setdefault(date, set()).add(s.sentence.document_id)
            sides.setdefault(date, s)
    precise = [d for d in sides if not any(e != d and _fits(d, e) and _precision(e) > _precision(d) for e in sides)]
    if len(precise) < 2 or all(_fits(a, b) for a in precise for b in precise):
        return []
    all_docs = set().union(*(documents[d] for d in precise))
    if len(all_docs) < 2 or any(documents[d] == all_docs for d in precise):
        return []  # one report giving several dates is a sequence of events, not a disagreement
    return list({sides[d].key: sides[d] for d in precise}.values())


def _fits(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _precision(date: tuple) -> int:
    return sum(part is not None for part in date)


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
