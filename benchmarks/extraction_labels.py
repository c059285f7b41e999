"""Precision of the stance extractor on documents it was never written for, by confidence.

    python benchmarks/extraction_labels.py [--json]

Runs the extractor on every document labelled in evals/corpus/stances.yaml (hand-labelled
stances of reports by other publishers) and counts an extracted record as right when a label
of the same document agrees on all three of:

* evidence -- the record's quote and the label's quote overlap in the cleaned text;
* who      -- one of the record's actors is the label's actor (resolved with the gazetteer;
              an actor the gazetteer does not know, such as "many delegations", matches when
              the record names no actor);
* stance   -- the same stance, in the lenient classes of benchmarks/extraction.py
              (against = opposes, expresses_concern, questions, calls_for_deletion; in favour =
              supports, prefers).

A label with an article as its target must also share that article with the record.
For each confidence threshold it prints how many records pass and their precision, and the
lowest threshold at which precision reaches 0.9: the operating point that
assistant/answering/settings.py EXTRACTED_MIN_CONFIDENCE is set from. The labels are the
gold standard; the rules never saw these documents.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CLASSES = {"opposes": "against", "expresses_concern": "against", "questions": "against",
           "calls_for_deletion": "against", "supports": "in favour", "prefers": "in favour"}
THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 20)]
TARGET_PRECISION = 0.9


def stance_class(stance: str) -> str:
    return CLASSES.get(stance, stance)


def is_right(record: dict, labels: list[dict], text: str, gazetteer) -> bool:
    from assistant.gazetteer import article_of

    evidence = [(e["start"], e["end"]) for e in record["evidence"]]
    articles = {article_of(p) for p in record["provisions"]}
    for label in labels:
        start = text.find(label["quote"])
        end = start + len(label["quote"])
        if not any(a < end and start < b for a, b in evidence):
            continue
        if stance_class(label["stance"]) != stance_class(record["stance"]):
            continue
        actor = gazetteer.resolve_actor(label["actor"])
        if actor is not None and actor not in record["actors"] or actor is None and record["actors"]:
            continue
        target = str(label["target"])
        if target[:1].isdigit() and article_of(target) not in articles:
            continue
        return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REPO / "evals" / "corpus"))
    parser.add_argument("--knowledge-dir", default=str(REPO / "knowledge"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from assistant.documents import load_folder
    from assistant.extraction import extract_document
    from assistant.gazetteer import Gazetteer

    corpus = Path(args.corpus)
    labels = yaml.safe_load((corpus / "stances.yaml").read_text(encoding="utf-8"))
    by_doc: dict[str, list[dict]] = {}
    for label in labels:
        by_doc.setdefault(label["document"], []).append(label)
    gazetteer = Gazetteer.load(Path(args.knowledge_dir))
    documents = {d.id: d for d in load_folder(corpus / "documents") if d.id in by_doc}
    scored = []  # (confidence, right, document, summary)
    for doc_id, doc in documents.items():
        for rec in extract_document(doc, gazetteer).records:
            record = rec.position.record()
            scored.append((rec.confidence, is_right(record, by_doc[doc_id], doc.text, gazetteer), doc_id,
                           record.get("summary", "")))
    rows = []
    for threshold in THRESHOLDS:
        kept = [right for confidence, right, _, _ in scored if confidence >= threshold]
        rows.append({"threshold": threshold, "records": len(kept),
                     "precision": round(sum(kept) / len(kept), 3) if kept else None})
    operating = next((r["threshold"] for r in rows if r["records"] and r["precision"] >= TARGET_PRECISION), None)
    summary = {"documents": len(documents), "labels": len(labels), "records": len(scored),
               "right": sum(right for _, right, _, _ in scored), "by_threshold": rows,
               "operating_point": operating, "target_precision": TARGET_PRECISION}
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{len(scored)} records extracted from {len(documents)} labelled documents ({len(labels)} labels)")
    for r in rows:
        if r["records"]:
            print(f"  confidence >= {r['threshold']:.2f}: {r['records']:3d} records, precision {r['precision']:.3f}")
    print(f"operating point (precision >= {TARGET_PRECISION}): "
          + (f"confidence >= {operating}" if operating is not None else "none: extracted records do not answer"))
    for confidence, right, doc_id, text in sorted(scored, reverse=True):
        print(f"  {'+' if right else '-'} {confidence:.2f} {doc_id}: {text[:110]}")


if __name__ == "__main__":
    main()
