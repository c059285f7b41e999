"""Evidence checks shared by every strategy: is the question about something the
sources cover, and does the answer hold what the question asks for?"""

from __future__ import annotations

import re

from ..answer import Answer
from ..corpus import terms
from ..terms import apart
from ..gazetteer import find_provisions
from .answer_type import ASKS_DAY, DAY, YEAR, asks_articles, expected_type, of_another_year, stage_asked, stages_in
from .query import Query
from .settings import NAMED_MIN_SIMILARITY, OFF_TOPIC_SHARE, OFF_TOPIC_SIMILARITY, SPELLING_CUTOFF, UNKNOWN_SHARE

INSTRUCTIONS_LEFT_OUT = ("A passage that reads as an instruction to the assistant, not as a report of the "
                         "negotiations, was left out: the sources are quoted, never obeyed.")
# A figure or a date, in digits or in words: what a "how many" or "when" question needs in its answer.
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(thir|four|fif|six|seven|eigh|nine)teen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|twice|dozens?|half"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)\b", re.I)

# Words of a question that say how to answer, not what about: they should not
# count as evidence that a sentence is on topic.
FRAME = set(terms(
    "article articles state states delegation delegations country countries member members position positions "
    "stance view views think thought mention mentioned talk talked discuss discussed source sources convention "
    "treaty negotiation negotiations session un tell know happen happened object objected support supported "
    "oppose opposed propose proposed want wanted call called compare reason reasons argue argued explain "
    "side sides opinion opinions feel felt stand stood camp role part involved involvement contribute "
    "contributed contribution thing things react reacted reaction respond responded response "
    "summarise summarize summarised summarized nutshell briefly meant supposed intended "
    # how a comparison or a summary is asked for ("How did X's description contrast with Y's label?", "its main aims")
    "describe described description contrast contrasted label labelled labeled characterise characterize "
    "characterised characterized characterisation portray portrayed main key major principal chief "
    # when in a story ("what did Brussels ultimately do")
    "ultimately eventually"
))




def abstain(query: Query, reason: str) -> Answer:
    return Answer(query.text, reason, True, notes=[reason])


def unknown_words(corpus, text: str, without_names: bool = False) -> list[str]:
    """The question's own words (not stems) that never occur in the sources."""
    if without_names:
        for _, start, end in sorted(corpus.gazetteer.find_actors(text), key=lambda m: -m[1]):
            text = text[:start] + " " + text[end:]
    words = re.findall(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*", text)
    stems = {w: t[0] for w in words if (t := terms(w))}
    known = corpus.known_terms(stems.values())
    return list(dict.fromkeys(w for w in words if w in stems and stems[w] not in FRAME and stems[w] not in known))


def _did_you_mean(corpus, names: list[str]) -> str:
    """" Did you mean Egypt?" for "Egpyt": the delegations the sources do mention whose names are spelt nearly so."""
    from difflib import get_close_matches

    known = {corpus.gazetteer.name(a): None for a in sorted(corpus.mentioned_actors)}
    close = [m for n in names for m in get_close_matches(n, list(known), n=1, cutoff=SPELLING_CUTOFF)]
    return f" Did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""


def refuse(corpus, query: Query, vector, q_terms: set[str]) -> Answer | None:
    """An abstention when the question is not one the sources can answer, before any strategy runs."""
    if query.injection:
        return abstain(query, "This reads as an instruction to the assistant, not a question about the "
                              "negotiations; the sources are only quoted, never obeyed.")
    if query.unknown_names:
        names = ", ".join(query.unknown_names)
        return abstain(query, f"The sources don't mention {names}, so they cannot say anything about "
                              f"{'it' if len(query.unknown_names) == 1 else 'them'}.{_did_you_mean(corpus, query.unknown_names)}")
    # (A state's adjective or a word of a known actor's name, "the Ghanaian analysis", is about an actor the
    # gazetteer knows: whether the sources name it is the names check's to judge, not a word of the topic.)
    names = set(terms(" ".join(w for w in re.findall(r"[A-Z][a-z]+", query.text)
                               if corpus.gazetteer.is_demonym(w) or corpus.gazetteer.names_word(w))))
    unknown = q_terms - corpus.known_terms(q_terms) - names
    if q_terms and len(unknown) > OFF_TOPIC_SHARE * len(q_terms) and not (query.actors or query.articles or query.targets):
        if corpus.closest_sentence(vector) < OFF_TOPIC_SIMILARITY:
            return abstain(query, "The sources don't say: most of what the question asks about "
                                  f"({', '.join(unknown_words(corpus, query.text))}) never comes up in them.")
    if query.actors and not query.articles and not query.inherited and query.kind != "aggregate":
        # "What is the capital of Australia?": the sources name Australia, never its capital.
        # (An aggregate question asks for everything the delegation did: it has no topic to miss.)
        asked = unknown_words(corpus, query.text, without_names=True)
        closest = corpus.closest_sentence(vector, corpus.gazetteer.with_members(query.actors)) if asked else 0.0
        content = [w for w in re.findall(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*", query.text)
                   if (t := terms(w)) and t[0] not in FRAME]
        # Most of what it asks about must be unknown: one unusual word ("lined up") is not a topic.
        if asked and closest < NAMED_MIN_SIMILARITY and len(asked) >= UNKNOWN_SHARE * max(1, len(content) - len(query.actors)):
            names = " and ".join(corpus.gazetteer.name(a) for a in query.actors)
            return abstain(query, f"The sources mention {names}, but say nothing about {', '.join(asked)}.")
    return None


def name_stems(name: str) -> list[str]:
    """A name's stems, a compound's by its parts ("ICT-crime": ict, crime)."""
    return terms(apart(name))


def names_unheld(corpus, query: Query, answer: Answer) -> Answer:
    """The answer, or an abstention when no report it quotes mentions a place, body or event the question
    names: "What did the EU say at the Hanoi signing ceremony?" answered from a report of a 2019 vote (which
    names the EU) is about another occasion. (A compound is held by its parts: "ICT-crime".)"""
    if answer.abstained or not answer.citations:
        return answer
    quoted = {c.document_id for c in answer.citations}
    missing = [n for n in query.names if not corpus.held_together(name_stems(n), quoted)]
    if not missing:
        return answer
    # (named as the question names it: "New York", not "York")
    shown = [m.group(0) if (m := re.search(rf"(?:[A-Z][\w'’-]*\s+)*{re.escape(n)}\b", query.text)) else n for n in missing]
    return abstain(query, f"The reports that come closest never mention {' or '.join(dict.fromkeys(shown))}, so the "
                          "sources don't say.")


def lacks_asked_type(query: Query, answer: Answer) -> Answer:
    """The answer, or an abstention when its evidence holds nothing of the type asked for."""
    if answer.abstained:
        return answer
    wanted = expected_type(query.text)
    # (A question of several parts, "How many ratifications does it need, and how long after them does it
    # take effect?", keeps what the sources say on its other parts: each part's sentence is in the answer.)
    years = set(YEAR.findall(query.clause or query.text))
    if wanted and not wanted.named and not query.parts and not any(
            wanted.held_by(c.quote) and not of_another_year(c.quote, years) for c in answer.citations):
        # "How many countries…?" answered without a count of countries is not an answer; nor is "How
        # much will it cost in 2025?" answered with a sum its sentence gives for 2020.
        missing = {"tally": "how the vote went", "symbol": "the resolution's number"}.get(wanted.kind, "that figure")
        return abstain(query, f"The sources don't give {missing}.")
    if asks_articles(query.clause or query.text) and not query.parts and not any(
            find_provisions(c.quote) for c in answer.citations):
        # "Which article protects security researchers?" answered by a sentence that names no article is not an
        # answer, whatever article its section is about.
        return abstain(query, "The sources don't name the article.")
    if ASKS_DAY.search(query.clause or query.text) and not query.parts and not any(DAY.search(c.quote) for c in answer.citations):
        # "On what exact date…?" answered with "in 2025" is not an answer.
        return abstain(query, "The sources don't give the day.")
    if query.kind == "number" and (not wanted or wanted.named) and not any(NUMBER.search(c.quote) for c in answer.citations):
        # "When…?" answered without a single figure or date in the evidence is not an answer.
        return abstain(query, "The sources don't give that figure or date.")
    stage = stage_asked(query.clause or query.text)
    if query.kind == "number" and stage and not query.parts:
        # The figures and dates given must be of the act asked about, where they say which act they are of.
        holding = [stages_in(c.quote) for c in answer.citations if (wanted.held_by(c.quote) if wanted else NUMBER.search(c.quote))]
        if any(holding) and not any(stage in s for s in holding):
            others = sorted(set().union(*holding) - {stage})
            return abstain(query, f"The sources don't give that for its {stage}: the figures and dates they give "
                                  f"are for its {' or '.join(others)}.")
    return answer
