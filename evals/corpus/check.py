"""Check the development corpus, its question set and its stance labels.

    python evals/corpus/check.py          (run from the repository root)

Loads every document with the project's own loader, checks that every gold quote (question
evidence and stance quotes) is verbatim in the cleaned text, checks the shape of every record,
prints counts per kind, split, document and publisher, and exits non-zero on any problem.
Warnings (a fact none of whose variants appears in the evidence) are printed but do not fail.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assistant.documents import META_SUFFIX, load_folder  # noqa: E402
from assistant.evaluation.dataset import QuestionSetError, parse_questions  # noqa: E402

DOC_KINDS = {"un-record", "press-release", "government-statement", "ngo-analysis", "think-tank", "news",
             "session-report", "treaty-text"}
META_KEYS = ("title", "publisher", "date", "kind", "source", "licence")
Q_KINDS = {"why", "who", "list", "number", "compare", "outcome", "cross-document", "follow-up", "what",
           "unanswerable", "scoped", "timeline", "disagreement", "what-changed"}
MULTI_DOC_KINDS = {"cross-document", "timeline", "disagreement"}
STANCES = {"supports", "opposes", "proposes", "expresses_concern", "calls_for_deletion", "withdraws", "offers",
           "questions", "prefers"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

problems: list[str] = []
warnings: list[str] = []


def problem(message: str) -> None:
    problems.append(message)


def check_documents() -> dict:
    docs = {d.id: d for d in load_folder(HERE / "documents")}
    for doc_id, doc in docs.items():
        meta_path = HERE / "documents" / f"{doc_id}{META_SUFFIX}"
        if not meta_path.exists():
            problem(f"{doc_id}: no {meta_path.name}")
            continue
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        for key in META_KEYS:
            if key not in meta or meta[key] is None:
                problem(f"{doc_id}: metadata lacks '{key}'")
        if meta.get("kind") not in DOC_KINDS:
            problem(f"{doc_id}: kind '{meta.get('kind')}' is not one of {sorted(DOC_KINDS)}")
        if meta.get("date") and not DATE.match(str(meta["date"])):
            problem(f"{doc_id}: date '{meta['date']}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        if len(doc.text) < 600:
            warnings.append(f"{doc_id}: only {len(doc.text)} characters of cleaned text")
    return docs


def where(quote: str, docs: dict) -> list[str]:
    return [doc_id for doc_id, doc in docs.items() if quote in doc.text]


def check_questions(docs: dict) -> list[dict]:
    path = HERE / "questions.jsonl"
    try:
        parse_questions(path)  # the project's own shape checks
    except QuestionSetError as exc:
        problem(str(exc))
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    publishers = {doc_id: str(doc.meta.get("publisher", "")) for doc_id, doc in docs.items()}
    dates = {doc_id: str(doc.meta.get("date", "")) for doc_id, doc in docs.items()}
    for rec in records:
        qid = rec.get("id")
        if rec.get("split") not in ("dev", "heldout"):
            problem(f"{qid}: split must be 'dev' or 'heldout'")
        kind = rec.get("kind")
        if kind not in Q_KINDS:
            problem(f"{qid}: kind '{kind}' is not one of {sorted(Q_KINDS)}")
        answerable = rec.get("answerable")
        if (kind == "unanswerable") != (answerable is False):
            problem(f"{qid}: kind 'unanswerable' if and only if answerable is false")
        if answerable and not rec.get("evidence"):
            problem(f"{qid}: an answerable question needs at least one evidence quote")
        if kind == "list" and not rec.get("list"):
            problem(f"{qid}: a list question needs its 'list' members")
        if kind == "follow-up" and not rec.get("history"):
            problem(f"{qid}: a follow-up question needs a 'history'")
        rec["_docs"] = []
        for quote in rec.get("evidence", []):
            found = where(quote, docs)
            if not found:
                short = quote if len(quote) <= 90 else quote[:87] + "..."
                problem(f"{qid}: evidence quote not verbatim in any cleaned document: \"{short}\"")
            rec["_docs"].append(found)
        evidence_docs = {d for found in rec["_docs"] for d in found}
        if kind in MULTI_DOC_KINDS and len(evidence_docs) < 2:
            problem(f"{qid}: a {kind} question needs evidence from at least two documents")
        if kind == "scoped":
            scope = rec.get("scope")
            if not isinstance(scope, dict) or not scope:
                problem(f"{qid}: a scoped question needs a 'scope'")
            else:
                if "doc" in scope and scope["doc"] not in docs:
                    problem(f"{qid}: scope doc '{scope['doc']}' is not a document")
                if "doc" in scope and evidence_docs - {scope["doc"]}:
                    problem(f"{qid}: evidence outside the scoped document")
                if "publisher" in scope:
                    allowed = {d for d, p in publishers.items() if p == scope["publisher"]}
                    if not allowed:
                        problem(f"{qid}: no document has publisher '{scope['publisher']}'")
                    elif not all(set(found) & allowed for found in rec["_docs"]):
                        problem(f"{qid}: evidence outside the scoped publisher")
                since, until = scope.get("since"), scope.get("until")
                if since or until:
                    for found in rec["_docs"]:
                        if not any((not since or dates[d] >= since) and (not until or dates[d][:len(until)] <= until)
                                   for d in found):
                            problem(f"{qid}: evidence outside the scoped dates {since}..{until}")
        evidence_text = " ".join(rec.get("evidence", [])).lower()
        for group in rec.get("facts", []) + rec.get("list", []):
            if not any(v.lower() in evidence_text for v in group):
                warnings.append(f"{qid}: no variant of {group} appears in its evidence")
    return records


def check_stances(docs: dict) -> list[dict]:
    path = HERE / "stances.yaml"
    if not path.exists():
        problem("stances.yaml is missing")
        return []
    records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(records, list):
        problem("stances.yaml must be a list of records")
        return []
    for i, rec in enumerate(records, 1):
        label = f"stance #{i}"
        for key in ("document", "actor", "stance", "target", "quote"):
            if not rec.get(key):
                problem(f"{label}: missing '{key}'")
        if rec.get("stance") not in STANCES:
            problem(f"{label}: stance '{rec.get('stance')}' is not one of {sorted(STANCES)}")
        doc = docs.get(rec.get("document"))
        if doc is None:
            problem(f"{label}: document '{rec.get('document')}' not found")
            continue
        if str(rec.get("quote")) not in doc.text:
            problem(f"{label}: quote not verbatim in {doc.id}: \"{str(rec.get('quote'))[:80]}\"")
        if str(rec.get("actor")) not in doc.text:
            problem(f"{label}: actor '{rec.get('actor')}' is not written that way in {doc.id}")
    if len({r.get("document") for r in records}) < 6:
        problem("stances.yaml labels fewer than 6 documents")
    return records


def table(title: str, counter: Counter) -> None:
    print(f"\n{title}")
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print(f"  {n:4d}  {key}")


def main() -> int:
    docs = check_documents()
    records = check_questions(docs)
    stances = check_stances(docs)

    by_kind_split: dict[str, Counter] = defaultdict(Counter)
    per_doc: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        by_kind_split[rec["kind"]][rec["split"]] += 1
        for d in {d for found in rec["_docs"] for d in found}:
            per_doc[d][rec["split"]] += 1
    print(f"{len(docs)} documents, {len(records)} questions, {len(stances)} stance labels")
    print("\nquestions per kind (dev / heldout)")
    for kind in sorted(by_kind_split):
        c = by_kind_split[kind]
        print(f"  {kind:15s} {c['dev']:3d} / {c['heldout']:3d}")
    splits = Counter(rec["split"] for rec in records)
    print(f"  {'total':15s} {splits['dev']:3d} / {splits['heldout']:3d}")
    print("\nquestions per document (dev / heldout)")
    for doc_id in sorted(docs):
        c = per_doc[doc_id]
        print(f"  {doc_id:45s} {c['dev']:3d} / {c['heldout']:3d}")
        if c["dev"] + c["heldout"] < 4:
            problem(f"{doc_id}: only {c['dev'] + c['heldout']} questions (at least 4 wanted)")
        if not c["dev"] or not c["heldout"]:
            problem(f"{doc_id}: its questions are not split between dev and heldout")
    table("documents per publisher", Counter(str(d.meta.get("publisher")) for d in docs.values()))
    table("documents per kind", Counter(str(d.meta.get("kind")) for d in docs.values()))
    table("documents per format", Counter(d.source_name.rsplit(".", 1)[-1] for d in docs.values()))
    table("stance labels per document", Counter(r.get("document") for r in stances))
    unanswerable = sum(1 for r in records if not r["answerable"])
    if unanswerable < 18:
        problem(f"only {unanswerable} unanswerable questions (at least 18 wanted)")
    if len(records) < 160:
        problem(f"only {len(records)} questions (at least 160 wanted)")

    for w in warnings:
        print(f"warning: {w}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"\n{len(problems)} problem(s), {len(warnings)} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
