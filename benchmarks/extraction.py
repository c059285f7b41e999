"""How well the stance extractor reproduces the curated position data of the seed document.

    python benchmarks/extraction.py [--knowledge-dir knowledge] [--json] [--show]

The extractor (assistant/extraction) runs on the seed document, which the
default index build never extracts (it is fully curated), and its records are
scored against knowledge/positions.yaml.

What is counted: (actor, article, stance) triples. Each record contributes
every actor x every article x its stance:

* article level   -- provisions reduced to the article number ('35(3)' -> '35');
* paragraph level -- provisions as written ('35(3)', '53(3)(h)', '1' and '1(3)' both kept);
* a record with no provisions contributes the article '-'.

`outcome` records are left out on both sides: they report what the session or
the draft ended up with (mostly with no actor), not a stance taken by an
actor, and the extractor does not produce them. Curated records with no
actors contribute no triples either.

Strict: the stance must be the same. Lenient: stances that say the same
thing in the sources' loose wording count as one --
  against  = opposes, expresses_concern, questions, calls_for_deletion
  in favour = supports, prefers
  proposes, offers and withdraws stay as they are.
The script prints precision, recall and F1 for each level and mode, whole-record
matches (same actor set, stance and article set), the agreement on
`responds_to` for matched reactions, and (with --show) the false positives and
misses.

Caveat: the rules were written while reading this document, so this is a
training-set figure. tests/test_extraction.py checks a document the rules
never saw; expect lower figures on real unseen reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = "000_82a4455ff46a7c13"
LENIENT = {
    "opposes": "against", "expresses_concern": "against", "questions": "against", "calls_for_deletion": "against",
    "supports": "in favour", "prefers": "in favour",
}


def triples(records, level: str, lenient: bool) -> set[tuple]:
    out = set()
    for r in records:
        if r["stance"] == "outcome":
            continue
        stance = LENIENT.get(r["stance"], r["stance"]) if lenient else r["stance"]
        if level == "article":
            places = list(dict.fromkeys(p.split("(", 1)[0] for p in r["provisions"])) or ["-"]
        else:
            places = list(r["provisions"]) or ["-"]
        document = r["evidence"][0]["document"]
        for actor in r["actors"]:
            for place in places:
                out.add((document, actor, place, stance))
    return out


def score(gold: set, found: set) -> dict:
    tp = len(gold & found)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold": len(gold), "extracted": len(found), "matched": tp,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def responds_to_agreement(curated, extracted) -> dict:
    """For extracted reactions whose (actors, stance) match a curated reaction: does responds_to point at the
    record that carries the curated referent's actors and stance?"""
    by_id = {r["id"]: r for r in curated}
    ex_by_id = {r["id"]: r for r in extracted}
    checked = agreed = 0
    for c in curated:
        if not c.get("responds_to") or c["stance"] == "outcome" or not c["actors"]:
            continue
        match = next((e for e in extracted if set(e["actors"]) == set(c["actors"]) and e["stance"] == c["stance"]), None)
        if match is None:
            continue
        checked += 1
        target, got = by_id.get(c["responds_to"]), ex_by_id.get(match.get("responds_to") or "")
        if target and got and set(target["actors"]) == set(got["actors"]) and target["stance"] == got["stance"]:
            agreed += 1
    return {"checked": checked, "agreed": agreed}


def record_matches(curated, extracted) -> dict:
    """Whole records: same actor set, same stance, same article set (a stricter view than triples)."""
    key = lambda r: (frozenset(r["actors"]), r["stance"], frozenset(p.split("(", 1)[0] for p in r["provisions"]))
    gold = [r for r in curated if r["stance"] != "outcome" and r["actors"]]
    found = {key(r) for r in extracted}
    return {"curated": len(gold), "exact": sum(1 for r in gold if key(r) in found), "extracted": len(extracted),
            "extracted_exact": sum(1 for r in extracted if key(r) in {key(g) for g in gold})}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge-dir", default=str(REPO / "knowledge"))
    parser.add_argument("--document", default=SEED)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", action="store_true", help="list false positives and misses (strict, paragraph level)")
    args = parser.parse_args()

    from assistant.documents import load_folder
    from assistant.extraction import extract_document
    from assistant.gazetteer import Gazetteer
    from assistant.positions import load_positions

    knowledge = Path(args.knowledge_dir)
    gazetteer = Gazetteer.load(knowledge)
    documents = {d.id: d for d in load_folder(knowledge / "documents")}
    curated = [p.record() for p in load_positions(knowledge / "positions.yaml", gazetteer, documents)
               if any(e.document == args.document for e in p.evidence)]
    from assistant.passages import split_sentences

    split_sentences(documents[args.document])  # load the sentence splitter first: time the extraction alone
    started = time.perf_counter()
    extraction = extract_document(documents[args.document], gazetteer)
    seconds = time.perf_counter() - started
    extracted = [r.position.record() for r in extraction.records]

    results = {}
    for level in ("article", "paragraph"):
        for mode in ("strict", "lenient"):
            results[f"{level}/{mode}"] = score(triples(curated, level, mode == "lenient"),
                                               triples(extracted, level, mode == "lenient"))
    summary = {
        "document": args.document,
        "curated_records": len(curated),
        "curated_stance_records": sum(1 for r in curated if r["stance"] != "outcome" and r["actors"]),
        "outcome_records_excluded": sum(1 for r in curated if r["stance"] == "outcome"),
        "extracted_records": len(extracted),
        "candidates": [c.name for c in extraction.candidates],
        "seconds": round(seconds, 3),
        "scores": results,
        "responds_to": responds_to_agreement(curated, extracted),
        "records": record_matches(curated, extracted),
        "evidence_verbatim": all(documents[args.document].text[e["start"]:e["end"]] == e["quote"]
                                 for r in extracted for e in r["evidence"]),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"seed {args.document}: {summary['curated_records']} curated records "
              f"({summary['curated_stance_records']} stance records scored, {summary['outcome_records_excluded']} outcome "
              f"records excluded); {len(extracted)} extracted in {seconds:.2f}s")
        print(f"{'level/mode':<20}{'gold':>6}{'found':>7}{'match':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
        for key, s in results.items():
            print(f"{key:<20}{s['gold']:>6}{s['extracted']:>7}{s['matched']:>7}{s['precision']:>11.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}")
        rm = summary["records"]
        print(f"whole records (same actors, stance, articles): {rm['exact']}/{rm['curated']} curated stance records found; "
              f"{rm['extracted_exact']}/{rm['extracted']} extracted records exactly right")
        rt = summary["responds_to"]
        print(f"responds_to: {rt['agreed']}/{rt['checked']} matched reactions point at the right proposal")
        print(f"every evidence quote verbatim at its offsets: {summary['evidence_verbatim']}")
        print(f"gazetteer candidates: {summary['candidates'] or 'none'}")
    if args.show:
        for level in ("article", "paragraph"):
            gold, found = triples(curated, level, False), triples(extracted, level, False)
            print(f"\n{level} level, strict -- false positives:")
            for t in sorted(found - gold):
                print("  +", t[1:])
            print(f"{level} level, strict -- misses:")
            for t in sorted(gold - found):
                print("  -", t[1:])


if __name__ == "__main__":
    main()
