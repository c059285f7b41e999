"""One strategy a kind of question: each module names the kinds it answers (KINDS) and answers
them (answer(ctx, query, vector, q_terms)). records.py and sentences.py are what they share: position
records, and the choice of source sentences with the steps (sentences.Steps) a kind adds to it.

Adding a kind of question: a value of query.Kind, its cue in query._kind, its limits in settings.py,
and a module here, listed in STRATEGIES."""

from __future__ import annotations

from . import agreement, changes, figures, general, identity, lists, outcome, timeline, why

STRATEGIES = {kind: module for module in (general, why, lists, figures, outcome, agreement, timeline, changes) for kind in module.KINDS}


def strategy_for(query):
    """The module that answers the question: who someone is, whatever the kind's wording, else by kind."""
    if query.asks_identity:
        return identity
    return STRATEGIES.get(query.kind, general)
