"""Why-questions ("Why did Egypt object to Article 24?"): the named actor's record and its reason when
it fits closely, else the best source sentences, each with the sentence after it when that carries the
reason on ("They stressed…")."""

from __future__ import annotations

import re

from ...answer import Answer
from ..query import Query
from ..settings import MIN_SIMILARITY, RECORD_WHY, RECORD_YES_NO
from . import general, records, sentences

KINDS = ("why",)


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    if general.records_answer(ctx, query, scored):
        return True
    best, top = scored[0]
    if query.actors and best >= RECORD_WHY:
        return True
    # "Why did opponents reject X?": no names, but a stance on a numbered provision a record matches closely.
    return bool(query.provisions and best >= RECORD_YES_NO and ctx.corpus.positions[top]["stance"] in query.stances)


def reasons_follow(selection: sentences.Selection) -> None:
    selection.wants_more = True


def grounds_before(selection: sentences.Selection) -> None:
    """The sentence that restates what the question asks the reason for (the one sharing most of its words: "Unless
    the convention is reformed, delegates must reject it") often follows its grounds ("The current draft has serious
    flaws that could…"): the sentence before it in its paragraph joins the answer, if it is near the question."""
    chosen, claim = selection.chosen, chosen_claim(selection)
    if claim is None:
        return
    keys = {s.key for s in chosen}
    before = selection.ctx.corpus.neighbours([claim], -1).get(claim.key)
    near = next((c for c in selection.candidates if before is not None and c[3].key == before.key), None)
    if near is not None and near[1] >= MIN_SIMILARITY and sentences.adjacent(claim, before, keys):
        at = next(i for i, s in enumerate(chosen) if s.key == claim.key)
        selection.chosen = chosen[:at] + [before] + chosen[at:]


def chosen_claim(selection: sentences.Selection):
    """The candidate sharing most of the question's words (the one restating what it asks the reason for), if the
    answer has chosen it; else None."""
    if not selection.chosen or not selection.candidates:
        return None
    claim = max(selection.candidates, key=lambda c: c[2])[3]
    return claim if claim.key in {s.key for s in selection.chosen} else None


# A sentence that opens by pointing back to its reason: "Because of this, New Zealand warned…", "That is why…",
# "This prompted CPJ to join…", "These concerns led the group to…".
POINTS_BACK = re.compile(r"^(?:because of (?:this|that)|for (?:this|that|these|those) reasons?|(?:this|that) is why|as a result"
                         r"|therefore|hence|thus|consequently|in response"
                         r"|(?:this|that|these|those)(?: \w+)? (?:prompted|led|caused|drove|spurred|triggered|forced|pushed))\b",
                         re.I)


def reason_before(selection: sentences.Selection) -> None:
    """A chosen sentence that opens by pointing back to its reason ("Because of this, …") brings the sentence before it
    (in its paragraph or closing the one before), which gives the reason."""
    keys = {s.key for s in selection.chosen}
    before = selection.ctx.corpus.neighbours(selection.chosen, -1)
    out = []
    for s in selection.chosen:
        b = before.get(s.key)
        if POINTS_BACK.match(s.sentence.text) and sentences.adjacent(s, b, keys, across=True):
            out.append(b)
            keys.add(b.key)
        out.append(s)
    selection.chosen = out


# A sentence that says what something comes from: "The uncertainty over the treaty stems from fears that…".
GIVES_REASON = re.compile(r"\b(?:because|due to|owing to|stem(?:s|med|ming)? from|driven by|aris(?:es|ing|en) from|rooted in"
                          r"|on the grounds? that|fears? that|concerns? that|out of (?:concern|fear))\b", re.I)


def reason_after(selection: sentences.Selection) -> None:
    """The sentence that restates what the question asks the reason for ("…the Biden administration is fretting over
    whether to sign on") is often followed by one giving it, in its paragraph or opening the next ("The uncertainty
    over the treaty stems from fears that…"), which names neither: that sentence joins the answer."""
    chosen, claim = selection.chosen, chosen_claim(selection)
    if claim is None:
        return
    keys = {s.key for s in chosen}
    after = selection.ctx.corpus.neighbours([claim], +1).get(claim.key)
    if sentences.adjacent(claim, after, keys, across=True) and GIVES_REASON.search(after.sentence.text):
        at = next(i for i, s in enumerate(chosen) if s.key == claim.key)
        selection.chosen = chosen[:at + 1] + [after] + chosen[at + 1:]


STEPS = sentences.Steps(then=(grounds_before, reason_before, reason_after, reasons_follow))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
