"""Answers from position records: lists, comparisons, "everything X said", outcomes,
and why-questions a record answers. Each item quotes its evidence."""

from __future__ import annotations

import re

import numpy as np

from ...answer import Answer, Citation
from ..compose import with_markers
from ..conflicts import stance_sides, stance_note
from ...corpus import terms
from ..abstain import FRAME
from ..query import Query
from .. import settings
from . import sentences
from ..settings import MAX_POSITIONS, RECORD_EVIDENCE, RECORD_UNNAMED

# A summary reads as a sentence: a capital first, a full stop last, and a verb-sized middle.
_SENTENCE = re.compile(r"^[A-Z\u00C0-\u024F\"“].{12,}[.!?][\"”)]?$", re.S)


def readable(text: str) -> bool:
    return bool(_SENTENCE.match(text.strip())) and len(text.split()) >= 4


def trusted(record: dict) -> bool:
    """A record answers only when its summary reads as a sentence (lists show the summary itself), curated
    or not: an editor's accepted extraction counts as curated but keeps the extractor's words. Extracted
    ones answer only at the measured operating point, and only when their quote reads as a sentence too
    (curated quotes may be clauses an editor chose). Otherwise the answer falls back to the sources."""
    if not readable(record["summary"]):
        return False
    if record.get("origin") != "extracted":
        return True
    threshold = settings.EXTRACTED_MIN_CONFIDENCE
    if threshold is None or (record.get("confidence") or 0) < threshold:
        return False
    return readable(record["evidence"][0]["quote"])


def when_they_answer(ctx, query: Query, vector, q_terms: set[str], answers) -> tuple[Answer | None, list]:
    """An answer from the records that fit the question, if `answers(ctx, query, scored)` says records answer
    this question (each kind says when they do), and the scored records either way."""
    scored = score_positions(ctx, query, vector, q_terms) if ctx.use_positions else []
    # (A question whose parts ask about different articles, "Why did Egypt object to Article 24, and which states
    # wanted Article 35(3) deleted?", is answered part by part from the sources' sentences: the records chosen answer
    # one of them.)
    by_part = [frozenset(ctx.corpus.gazetteer.find_articles(part)) for part in query.parts]
    if scored and len(set(filter(None, by_part))) < 2 and answers(ctx, query, scored):
        picked = choose_positions(ctx, query, scored)
        if picked:
            return from_positions(ctx, query, picked, [i for _, i in scored]), scored
    return None, scored


def or_sentences(ctx, query: Query, vector, q_terms: set[str], answers, steps=sentences.NO_STEPS) -> Answer:
    """The records' answer when `answers` says records answer this kind of question, else the best source
    sentences (the evidence of close records lends them a bonus) with what the kind adds (`steps`)."""
    found, scored = when_they_answer(ctx, query, vector, q_terms, answers)
    if found is not None:
        return found
    return sentences.from_sentences(ctx, query, vector, q_terms, close_evidence(ctx, scored), steps=steps)


def close_evidence(ctx, scored: list[tuple[float, int]]) -> list:
    """The evidence of the records close to the question, with their scores: a bonus for those sentences."""
    return [(ctx.corpus.positions[i]["evidence"], score) for score, i in scored[:3] if score >= RECORD_EVIDENCE]


def score_positions(ctx, query: Query, vector, q_terms: set[str]) -> list[tuple[float, int]]:
    """(score, record index) for records that fit the question's actors and articles, best first."""
    records = ctx.corpus.positions
    if not records:
        return []
    if query.setting_only:
        # (Records are matched on what the question itself asks: the earlier turn's, which its words would bring
        # back, were that turn's answer.)
        vector, q_terms = ctx.embedder.embed_one(query.text), set(terms(query.text)) - FRAME
    named_actors = set(query.actors) if not query.inherited else set()
    proposer_ids = {r["id"] for r in records if set(r["actors"]) & set(query.targets)}
    aggregate = query.kind == "aggregate"
    actor_issues = {r.get("issue") for r in records if set(r["actors"]) & named_actors} - {None}
    # "Was X's proposal accepted?": besides the answers to X's proposal, the outcome of X's debate and
    # (but for a list of who answered X) X's own records speak to it.
    asks_outcome = "outcome" in query.stances
    target_issues = {r.get("issue") for r in records if set(r["actors"]) & set(query.targets)} - {None}
    candidates = []
    for i, r in enumerate(records):
        if not trusted(r):
            continue
        if query.scope is not None and not any(ev["document"] in query.scope for ev in r["evidence"]):
            continue
        # A question that names whose account it asks for ("according to Dark Reading") is not answered from
        # records other reports hold the evidence of.
        if query.sources and not any(ev["document"] in query.sources for ev in r["evidence"]):
            continue
        if query.targets and r.get("responds_to") not in proposer_ids and not (asks_outcome and (
                (r["id"] in proposer_ids and query.kind != "list")
                or (r["stance"] == "outcome" and r.get("issue") in target_issues))):
            continue
        if named_actors and not set(r["actors"]) & named_actors and not (
                r["stance"] == "outcome" and "outcome" in query.stances and r.get("issue") in actor_issues):
            continue  # (an outcome of a debate the actor took part in answers "Was X's proposal accepted?")
        if query.articles and not aggregate and not set(r["articles"]) & set(query.articles) and not (
                query.articles_by_name_only and (named_actors or query.kind == "list")):
            continue
        if r["stance"] == "outcome" and (query.actors or query.targets) and "outcome" not in query.stances:
            continue
        candidates.append(i)
    if not candidates:
        return []
    similarity = ctx.position_vectors[candidates] @ np.asarray(vector, dtype=np.float32)
    scored = []
    for i, sim in zip(candidates, similarity):
        r = records[i]
        words = ctx.corpus.position_terms[i]
        overlap = len(q_terms & words) / (len(q_terms) or 1)
        score = float(sim) + 0.4 * overlap
        if r["stance"] in query.stances:  # "was it agreed?" asks for the outcome, not the proposal again
            score += 0.6 if r["stance"] == "outcome" else 0.25
        score += 0.15 * bool(set(r["provisions"]) & set(query.provisions))
        if query.articles_by_name_only:  # a topic-named article is a hint: off it, a record must fit far better
            score += 0.15 if set(r["articles"]) & set(query.articles) else -0.35
        score += 0.2 * bool(set(r["actors"]) & set(query.actors))
        scored.append((score, i))
    scored.sort(reverse=True)
    if not (query.actors or query.targets or query.articles) and scored[0][0] < RECORD_UNNAMED:
        return []  # nothing names who or what: only a close match is trusted
    return scored

def choose_positions(ctx, query: Query, scored: list[tuple[float, int]]) -> list[int]:
    records = ctx.corpus.positions
    if query.kind == "aggregate":
        chosen = [i for _, i in scored if records[i]["stance"] != "outcome"]
    else:
        outcomes = [i for _, i in scored if records[i]["stance"] == "outcome"]
        wants_outcome = "outcome" in query.stances and bool(outcomes)
        # The outcome's bonus must not crowd out the stances asked about alongside it.
        pool = [(score, i) for score, i in scored if not (wants_outcome and i in outcomes)] or scored
        margin = 0.3 if query.kind in ("list", "compare") else 0.1
        chosen = [i for score, i in pool if score >= pool[0][0] - margin]
        asked = query.stances - {"outcome"}
        if query.kind == "list" and asked:
            # A list is complete: a record of the asked stance in the debate the best records are about
            # (their issue, on the asked article) belongs in it however unlike the question it is worded.
            debates = {records[i].get("issue") for i in chosen} - {None}
            chosen += [i for _, i in pool if i not in chosen and records[i]["stance"] in asked
                       and records[i].get("issue") in debates
                       and (not query.articles or set(records[i]["articles"]) & set(query.articles))]
        if wants_outcome and query.kind != "list":
            # "Was it agreed?": the outcome answers it; the best other record gives the context,
            # and when the question is about someone's proposal, what they did next (a withdrawal).
            others = [i for _, i in scored if records[i]["stance"] != "outcome"]
            own = [i for i in others if set(records[i]["actors"]) & set(query.actors + query.targets)]
            context = [i for i in own if records[i]["stance"] == "withdraws"][:1] or (own or others)[:1]
            chosen = list(dict.fromkeys([outcomes[0], *context]))
        else:
            if query.stances & {"supports", "opposes", "calls_for_deletion", "proposes"}:
                matching = [i for i in chosen if records[i]["stance"] in query.stances - {"outcome"}]
                chosen = matching or chosen
            if wants_outcome and outcomes[0] not in chosen:  # "Who pushed back, and where does it stand?"
                chosen.append(outcomes[0])
    chosen = chosen[: MAX_POSITIONS[query.kind]]
    return sorted(chosen, key=lambda i: (records[i]["evidence"][0]["document"], records[i]["evidence"][0]["start"] or 0))

def from_positions(ctx, query: Query, picked: list[int], related: list[int] = ()) -> Answer:
    """An answer from the picked records. `related` are the other records that fit the question:
    if one of them puts a picked record's actor on the other side of its article, that is said too."""
    records = ctx.corpus.positions
    citations: list[Citation] = []
    sentences: list[str] = []
    used = []
    if query.kind == "compare" and len(query.actors) > 1:
        picked = sorted(picked, key=lambda i: min(
            (query.actors.index(a) for a in records[i]["actors"] if a in query.actors), default=99))
    # Lists and comparisons read best as one summary line per stance; for everything
    # else the source's own words are the answer, so journalists can quote them.
    verbatim = query.kind != "list"
    quoted: set[tuple] = set()
    for i in picked:
        record = records[i]
        used.append(record)
        evidence = record["evidence"] if verbatim and len(picked) <= 4 else record["evidence"][:1]
        for n, ev in enumerate(evidence):
            span = (ev["document"], ev["start"], ev["end"])
            if verbatim and span in quoted:
                continue
            quoted.add(span)
            number = ctx.cite(citations, *span)
            sentence = (ev["quote"] if verbatim else record["summary"]).strip()
            if verbatim and n == 0 and record["provisions"] and not (
                    set(ctx.corpus.gazetteer.find_articles(sentence)) & set(record["articles"])):
                # A quote like "opposed such a proposal" needs its article to make sense alone.
                sentence = f"On Article {', '.join(record['provisions'])}: {sentence}"
            if record.get("origin") == "extracted" and n == 0:
                sentence = sentence.rstrip(".") + " (extracted automatically, not yet reviewed)."
            sentences.append(with_markers(sentence, [number]))
        if not verbatim and len(picked) <= 3 and record.get("reason"):
            reasons = [ctx.cite(citations, ev["document"], ev["start"], ev["end"]) for ev in record["evidence"][1:3]]
            sentences.append(with_markers(f"The reason given: {record['reason']}", reasons or [number]))
    keys = {(a, art) for r in used for a in r["actors"] for art in (r["articles"] or ["-"])}
    disputes = [d for d in stance_sides(used + [records[i] for i in related if i not in picked])
                if (d[0], d[1]) in keys]
    if disputes:  # reports put one delegation on both sides: say so, citing each side
        sides = [ctx.cite(citations, r["evidence"][0]["document"], r["evidence"][0]["start"], r["evidence"][0]["end"])
                 for _, _, group in disputes for r in group]
        sentences.insert(0, with_markers(stance_note(ctx.corpus.gazetteer, disputes), sides))
    return Answer(query.text, " ".join(sentences), False, citations, used)

# -- sentences -----------------------------------------------------------
