"""Scoring one answer against its gold item, and summing scores over a run.

Pure functions over plain data: the runner turns an answer into a record with
`score_answer`, and `summarize` turns a list of records into the headline
figures (and, per kind, the same figures for each kind of question).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np

from ..passages import sentence_spans  # the splitter the answers' own sentences come from
from .dataset import EvalItem, Span

_MARKER = re.compile(r"\[(\d+)\]")
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Case, typographic quotes and runs of whitespace do not change what a text states."""
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).casefold()


@lru_cache(maxsize=4096)
def _pattern(variant: str) -> re.Pattern:
    # Word boundaries that also work for variants starting or ending in punctuation ('may', 35(3)). A day written
    # with its ordinal suffix states the day: "May 23" is in "published on May 23rd".
    variant = normalise(variant).strip()
    ordinal = r"(?:st|nd|rd|th)?" if variant[-1:].isdigit() else ""
    return re.compile(r"(?<!\w)" + re.escape(variant) + ordinal + r"(?!\w)")


_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH_DAY = re.compile(rf"^({_MONTHS}) (\d{{1,2}})$|^(\d{{1,2}}) ({_MONTHS})$", re.I)


# Numbered things named together under one plural: "Articles 6, 23, 24, and 40", "paragraphs 2 and 3".
_NUMBER = r"\d+[a-z]?(?:\.\d+)*(?:\(\d+\))?"
_NUMBERED_TOGETHER = re.compile(rf"\b([a-z]+)s ({_NUMBER}(?:(?:,| and| or|, and|, or| to) {_NUMBER})+)(?!\w)")


def _one_by_one(text: str) -> str:
    """The text with each of the numbered things it names together also named alone ("articles 23, 24" gains
    "article 23 article 24"), so that a gold variant "Article 23" is found where the answer lists it among others."""
    alone = [f"{m.group(1)} {n}" for m in _NUMBERED_TOGETHER.finditer(text) for n in re.findall(_NUMBER, m.group(2))]
    return f"{text} | {' | '.join(alone)}" if alone else text


def mentions(text: str, variant: str) -> bool:
    """Whether a text states a variant as a whole word or phrase: 'US' is not in 'discuss'. A day and month
    are stated in either order: "1 September" states "September 1"; and "Articles 6 and 23" states "Article 23"."""
    text = _one_by_one(normalise(text))
    if m := _MONTH_DAY.match(normalise(variant).strip()):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return any(_pattern(v).search(text) for v in (f"{month} {day}", f"{day} {month}"))
    return _pattern(variant).search(text) is not None


def stated(text: str, groups: list[list[str]]) -> tuple[list[str], list[str]]:
    """(found, missed) groups of variants, each named by its first variant."""
    found, missed = [], []
    for variants in groups:
        (found if any(mentions(text, v) for v in variants) else missed).append(variants[0])
    return found, missed


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def covered_quotes(spans: list[list[Span]], cited: Iterable[Span]) -> list[bool]:
    """Per gold quote: does a citation's span overlap one of the places the quote occurs?"""
    cited = list(cited)
    return [
        any(doc == c_doc and overlaps((s, e), (cs, ce)) for doc, s, e in places for c_doc, cs, ce in cited)
        for places in spans
    ]


_MARKERS_ONLY = re.compile(r"^[\s\[\]\d.!?,;:”’\"')]*$")


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer. What the splitter cuts off after a sentence's closing quote
    mark belongs to that sentence: markers alone ('[1].'), or a parenthesis naming the speaker
    ('(Dr. Tatiana Tropina, …) [1].', which the splitter may cut again at 'Dr.')."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        for a, b in sentence_spans(block) if block else []:
            piece = block[a:b].strip()
            if out and (_MARKERS_ONLY.match(piece) or piece.startswith("(") or out[-1].count("(") > out[-1].count(")")):
                out[-1] = f"{out[-1]} {piece}"
            elif piece:
                out.append(piece)
    return [s for s in out if re.search(r"[^\W\d_]", s)]


def unsupported_sentences(text: str, abstained: bool, notes: list[str], numbers: set[int]) -> tuple[int, list[str]]:
    """(sentences counted, sentences with no marker of an existing citation).

    An abstention's notice is not a claim, so neither it nor a note sentence counts."""
    if abstained:
        return 0, []
    notes_text = " ".join(notes)
    counted, unsupported = 0, []
    for sentence in answer_sentences(text):
        if notes_text and sentence in notes_text:
            continue
        counted += 1
        if not any(int(n) in numbers for n in _MARKER.findall(sentence)):
            unsupported.append(sentence)
    return counted, unsupported


def score_answer(item: EvalItem, text: str, abstained: bool, citations: list[dict], notes: list[str],
                 gold_spans: list[list[Span]], document_text: Callable[[str], str | None]) -> dict:
    """One answer's record: what it stated, cited and left out, and why it fails (if it does)."""
    for c in citations:
        doc = document_text(c["document_id"])
        c["valid"] = doc is not None and 0 <= c["start"] <= c["end"] <= len(doc) and doc[c["start"]:c["end"]] == c["quote"]
    found, missed = stated(text, item.facts) if not abstained else ([], [v[0] for v in item.facts])
    members_found, members_missed = stated(text, item.members) if not abstained else ([], [v[0] for v in item.members])
    cover = covered_quotes(gold_spans, [(c["document_id"], c["start"], c["end"]) for c in citations])
    counted, unsupported = unsupported_sentences(text, abstained, notes, {c["number"] for c in citations})
    record = {
        "facts": {"found": found, "missed": missed},
        "list": {"found": members_found, "missed": members_missed},
        "evidence": {"covered": sum(cover), "total": len(cover),
                     "missed": [q for q, ok in zip(item.evidence, cover) if not ok]},
        "sentences": counted,
        "unsupported": len(unsupported),
        "unsupported_examples": [u if len(u) <= 200 else u[:200] + " …" for u in unsupported[:3]],
    }
    failures = []
    if item.answerable and abstained:
        failures.append("false abstention")
    if not item.answerable and not abstained:
        failures.append("answered an unanswerable question")
    if missed and not abstained:
        failures.append(f"missed facts: {', '.join(missed)}")
    if members_missed and not abstained:
        failures.append(f"list incomplete, missing: {', '.join(members_missed)}")
    if item.answerable and not abstained and cover and not all(cover):
        failures.append(f"evidence not cited ({sum(cover)} of {len(cover)} quotes)")
    if any(not c["valid"] for c in citations):
        failures.append("invalid citation (quote differs from the document text)")
    if unsupported:
        failures.append(f"{len(unsupported)} unsupported sentence(s)")
    record["failures"] = failures
    return record


def _ratio(num: float, den: float):
    return None if den == 0 else num / den


def _mean(values: list[float]):
    return None if not values else float(np.mean(values))


def summarize(records: list[dict]) -> dict:
    """The figures of a run (or of one kind of question)."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    abstained = [r for r in records if r["abstained"]]
    with_facts = [r for r in answerable if r["facts"]["found"] or r["facts"]["missed"]]
    lists = [r for r in answerable if r["list"]["found"] or r["list"]["missed"]]
    retrieval = [r["retrieval"] for r in answerable if r.get("retrieval") and r["retrieval"].get("expected")]
    # Gold quotes the top k held, over the same quotes evidence recall counts (answerable questions).
    quotes_in_top_k = [r["retrieval"] for r in answerable if r.get("retrieval") and "quotes" in r["retrieval"]]
    citations = [c for r in records for c in r["citations"]]
    sentences = sum(r["sentences"] for r in records)
    unsupported = sum(r["unsupported"] for r in records)
    seconds = [r["seconds"] for r in records]
    facts_found = sum(len(r["facts"]["found"]) for r in with_facts)
    facts_total = facts_found + sum(len(r["facts"]["missed"]) for r in with_facts)
    evidence_total = sum(r["evidence"]["total"] for r in answerable)
    answered = [r for r in records if not r["abstained"]]
    li = [x for x in retrieval if x.get("li_hit") is not None]
    evidence_recall = _ratio(sum(r["evidence"]["covered"] for r in answerable), evidence_total)
    retrieved = _ratio(sum(x["quotes_retrieved"] for x in quotes_in_top_k), sum(x["quotes"] for x in quotes_in_top_k))
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "retrieval_k": max((x["k"] for x in retrieval), default=None),
        "retrieval_hit_rate": _mean([1.0 if x["rank"] else 0.0 for x in retrieval]),
        "retrieval_mrr": _mean([1.0 / x["rank"] if x["rank"] else 0.0 for x in retrieval]),
        "llamaindex_hit_rate": _mean([x["li_hit"] for x in li]),
        "llamaindex_mrr": _mean([x["li_mrr"] for x in li]),
        "fact_recall": _ratio(facts_found, facts_total),
        "facts": facts_total,
        "list_completeness": _mean([0.0 if r["list"]["missed"] else 1.0 for r in lists]),
        "list_member_recall": _mean([len(r["list"]["found"]) / (len(r["list"]["found"]) + len(r["list"]["missed"]))
                                     for r in lists]),
        "list_questions": len(lists),
        "retrieval_evidence_recall": retrieved,
        "evidence_recall": evidence_recall,
        "retrieval_citation_gap": None if retrieved is None or evidence_recall is None else retrieved - evidence_recall,
        "evidence_quotes": evidence_total,
        "citation_validity": _ratio(sum(1 for c in citations if c["valid"]), len(citations)),
        "citations": len(citations),
        "unsupported_sentence_rate": _ratio(unsupported, sentences),
        "unsupported_sentences": unsupported,
        "answer_sentences": sentences,
        "abstention_precision": _ratio(sum(1 for r in abstained if not r["answerable"]), len(abstained)),
        "abstention_recall": _ratio(sum(1 for r in unanswerable if r["abstained"]), len(unanswerable)),
        "false_abstention_rate": _ratio(sum(1 for r in answerable if r["abstained"]), len(answerable)),
        "mean_answer_chars": _mean([r["answer_chars"] for r in answered]),
        "latency_p50_ms": None if not seconds else float(np.percentile(seconds, 50) * 1000),
        "latency_p95_ms": None if not seconds else float(np.percentile(seconds, 95) * 1000),
        "failed_questions": sum(1 for r in records if r["failures"]),
    }


def by_kind(records: list[dict]) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups[r["kind"]].append(r)
    return {kind: summarize(rs) for kind, rs in groups.items()}
