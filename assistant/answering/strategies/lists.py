"""Lists, comparisons and everything one actor said ("Which states wanted Article 35(3) deleted?",
"How did Kenya's verdict compare with Russia's?", "What did Iran object to?"): every position record
that fits, each item with its evidence; without such records, the best source sentences."""

from __future__ import annotations

from ...answer import Answer
from ..query import Query
from . import records, sentences

KINDS = ("list", "compare", "aggregate")


def records_answer(ctx, query: Query, scored: list[tuple[float, int]]) -> bool:
    return True


def members_follow(sel: sentences.Selection) -> None:
    """A list goes on in the sentence after a chosen one ("Kenya welcomed the text." "This sentiment was echoed by
    other nations, including Kazakhstan and Saudi Arabia…"): one that carries it on and names members of its own
    joins the answer. So does, read the other way, the sentence before a chosen one that carries it on: the one that
    names the first member ("Kenya welcomed…" before "This sentiment was echoed…")."""
    following = sel.ctx.corpus.neighbours(sel.chosen, +1)
    before = sel.ctx.corpus.neighbours(sel.chosen, -1)
    keys = {s.key for s in sel.chosen}
    named = set().union(*(s.actors for s in sel.chosen)) if sel.chosen else set()
    out = []

    def take(s, other, carries_on: bool) -> None:
        if carries_on and sentences.adjacent(s, other, keys) and other.actors - named:
            out.append(other)
            keys.add(other.key)
            named.update(other.actors)

    for s in sel.chosen:
        take(s, before.get(s.key), bool(sentences.CONTINUES.match(s.sentence.text)))
        out.append(s)
        f = following.get(s.key)
        take(s, f, f is not None and bool(sentences.CONTINUES.match(f.sentence.text)))
    sel.chosen = out


STEPS = sentences.Steps(then=(sentences.someone_named, sentences.each_actor_heard, members_follow,
                              sentences.lines_follow, sentences.speech_heard))


def answer(ctx, query: Query, vector, q_terms: set[str]) -> Answer:
    return records.or_sentences(ctx, query, vector, q_terms, records_answer, STEPS)
