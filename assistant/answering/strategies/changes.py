"""What changed between two periods ("What changed between the concluding session and the reconvened
session on Article 24?"): the named actors' and articles' position records of each period compared,
listing the changed stances, the additions and the withdrawals, each side cited. Without records the
best sentences of each period are set side by side, Before and After. A question that names no
periods ("What changed on Article 24?") is split at its evidence's dates."""

from __future__ import annotations

from dataclasses import replace

from ...answer import Answer, Citation
from ..compose import with_markers
from ..conflicts import SIDE
from ..periods import Period, resolve
from ..query import Query
from ..settings import MAX_POSITIONS
from . import lists, records, sentences


KINDS = ("what-changed",)


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return from_changes(ctx, query, vector, q_terms)


def from_changes(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    periods = resolve(ctx.corpus, query.text, query.sources)
    for period in periods:
        if query.scope is not None:
            period.documents &= query.scope
    if periods and not any(p.documents for p in periods):
        if any(not date for _, date in ctx.corpus.titles_and_dates().values()):
            # Reports saved without a date may be of either period (the months named may be the events', "the December
            # 2019 vote"): they answer as a comparison does, from their sentences.
            return lists.answer(ctx, replace(query, kind="compare"), vector, q_terms)
        return ctx.abstain(query, f"The sources hold no document from {' or '.join(p.label for p in periods)}.")
    if ctx.use_positions and (query.actors or query.articles or query.targets):
        answer = _from_records(ctx, query, vector, q_terms, periods)
        if answer is not None:
            return answer
    return _from_passages(ctx, query, vector, q_terms, periods)


# -- position records -------------------------------------------------------------

def _from_records(ctx, query: Query, vector, q_terms: set[str], periods: list[Period]) -> Answer | None:
    scored = records.score_positions(ctx, query, vector, q_terms)
    dated = ctx.corpus.dated([ctx.corpus.positions[i] for _, i in scored[:MAX_POSITIONS["what-changed"]]])
    if len(periods) == 2:
        sides = [[r for r in dated if r["evidence"][0]["document"] in p.documents] for p in periods]
    else:
        sides = _split_at_dates(dated, lambda r: r["date"])
        periods = [Period(f"up to {sides[0][-1]['date']}", set()), Period(f"from {sides[1][0]['date']}", set())] \
            if sides[0] and sides[1] else []
    if len(periods) != 2 or not (sides[0] or sides[1]):
        return None
    before, after = (_by_key(side) for side in sides)
    citations: list[Citation] = []
    out: list[str] = []
    if not before or not after:
        return _one_period(ctx, query, periods, [r for side in sides for r in side], bool(before))
    changed, added, gone, same = [], [], [], []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a and b:
            (same if _side(a) == _side(b) else changed).append((key, a, b))  # "supports", "prefers": one side
        elif b:
            added.append((key, None, b))
        else:
            gone.append((key, a, None))
    for label, group in (("Changed", changed), ("Added", added), ("No longer reported", gone), ("Unchanged", same)):
        for key, a, b in group:
            says = "Withdrawn" if label == "Changed" and b["stance"] == "withdraws" else label
            numbers = [_cite(ctx, citations, r) for r in (a, b) if r]
            when = f" in {periods[1].label}" if label in ("Added", "No longer reported") else ""
            out.append(with_markers(f"{says}{when}: {_name(ctx, key)} ({', '.join(_stances(a, b))})", numbers))
            for word, record in (("Before", a), ("After", b)):
                if record and label != "Unchanged":
                    out.append(_step(ctx, citations, word, record["evidence"][0]["document"], _cite(ctx, citations, record)))
    used = [r for side in sides for r in side]
    return Answer(query.text, " ".join(out), False, citations, used)


def _by_key(side: list[dict]) -> dict[tuple[str, str], dict]:
    """Each (actor, article)'s latest record in the period: where it stood at the period's end."""
    out: dict[tuple[str, str], dict] = {}
    for r in sorted(side, key=lambda r: (r["date"] or "", r["evidence"][0]["start"] or 0)):
        for actor in r["actors"] or ["-"]:
            for article in r["articles"] or ["-"]:
                out[(actor, article)] = r
    return out


def _side(record: dict) -> str:
    return SIDE.get(record["stance"], record["stance"])


def _stances(a: dict | None, b: dict | None) -> list[str]:
    words = [r["stance"].replace("_", " ") for r in (a, b) if r]
    return list(dict.fromkeys(words)) if len(words) == 2 and words[0] == words[1] else [" then ".join(words)]


def _name(ctx, key: tuple[str, str]) -> str:
    actor, article = key
    who = ctx.corpus.gazetteer.name(actor) if actor != "-" else "The outcome"
    return f"{who} on Article {article}" if article != "-" else who


def _cite(ctx, citations: list[Citation], record: dict) -> int:
    ev = record["evidence"][0]
    return ctx.cite(citations, ev["document"], ev["start"], ev["end"])


def _one_period(ctx, query: Query, periods: list[Period], found: list[dict], earlier: bool) -> Answer:
    """Evidence from one period only: said, with that period's evidence, never read as a change."""
    citations: list[Citation] = []
    numbers = [_cite(ctx, citations, r) for r in found]
    has, lacks = (periods[0], periods[1]) if earlier else (periods[1], periods[0])
    out = [with_markers(f"Only {has.label} has evidence on this in the sources; they hold nothing on it from "
                        f"{lacks.label}, so they cannot say what changed", numbers)]
    word, shown = ("Before" if earlier else "After"), set()
    for r, n in zip(found, numbers):
        out.append(_step(ctx, citations, word, r["evidence"][0]["document"], n, shown))
    return Answer(query.text, " ".join(dict.fromkeys(out)), False, citations, found)


# -- passages ----------------------------------------------------------------------

def _from_passages(ctx, query: Query, vector, q_terms: set[str], periods: list[Period]) -> Answer:
    if len(periods) == 2:
        # A question on topic in the whole archive is answered in each period by that period's best
        # sentences, however weakly they match: the period, not the wording, is what selects them.
        on_topic = not sentences.from_sentences(ctx, query, vector, q_terms, [], by_period=True).abstained
        found = []
        for period in periods:
            if not period.documents:
                found.append([])
                continue
            within = replace(query, scope=period.documents, sources=query.sources & period.documents)
            answer = sentences.from_sentences(ctx, within, vector, q_terms, [], floor=not on_topic, by_period=True)
            found.append([] if answer.abstained else answer.citations)
    else:  # no periods named: the best sentences on the question, split at their dates
        answer = sentences.from_sentences(ctx, replace(query, kind="timeline"), vector, q_terms, [])
        if answer.abstained:
            return answer
        dates = ctx.corpus.dates({c.document_id for c in answer.citations})
        found = _split_at_dates([c for c in answer.citations if c.document_id in dates], lambda c: dates[c.document_id])
        if not (found[0] and found[1]):
            return ctx.abstain(query, "The sources don't say what changed: what they hold on this is not from two dates.")
        periods = [Period(f"up to {dates[found[0][-1].document_id]}", set()),
                   Period(f"from {dates[found[1][0].document_id]}", set())]
    if not (found[0] or found[1]):
        return ctx.abstain(query, f"The sources don't say: nothing from {periods[0].label} or {periods[1].label} "
                                  "matches this question.")
    citations: list[Citation] = []
    out: list[str] = []
    if not (found[0] and found[1]):
        has, lacks = (periods[0], periods[1]) if found[0] else (periods[1], periods[0])
        numbers = [ctx.cite(citations, c.document_id, c.start, c.end) for c in found[0] + found[1]]
        out.append(with_markers(f"Only {has.label} has evidence on this in the sources; they hold nothing on it "
                                f"from {lacks.label}, so they cannot say what changed", numbers))
    shown: set = set()
    for word, side in (("Before", found[0]), ("After", found[1])):
        for c in side:
            out.append(_step(ctx, citations, word, c.document_id, ctx.cite(citations, c.document_id, c.start, c.end),
                             shown))
    return Answer(query.text, " ".join(out), False, citations)


def _split_at_dates(items: list, date_of) -> list[list]:
    """Dated items in two halves at their middle date, earlier first; undated items are left out."""
    dated = sorted((i for i in items if date_of(i)), key=date_of)
    dates = sorted({date_of(i) for i in dated})
    if len(dates) < 2:
        return [[], []]
    cut = dates[len(dates) // 2]
    return [[i for i in dated if date_of(i) < cut], [i for i in dated if date_of(i) >= cut]]


def _step(ctx, citations: list[Citation], word: str, document_id: str, number: int,
          shown: set | None = None) -> str:
    """One cited quote, headed by its side, date and source unless the step before it had the same."""
    citation = citations[number - 1]
    if shown is not None and (word, document_id) in shown:
        return with_markers(citation.quote.strip(), [number])
    if shown is not None:
        shown.add((word, document_id))
    date = ctx.corpus.dates({document_id}).get(document_id)
    where = f"{date}, {citation.title}" if date else f"undated, {citation.title}"
    return with_markers(f"{word} ({where}): {citation.quote.strip()}", [number])
