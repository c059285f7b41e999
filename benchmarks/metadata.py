"""How well a document's date and publisher are read from the file itself.

    python benchmarks/metadata.py [--corpus evals/corpus] [--json]

Each file of evals/corpus/documents is loaded without its .meta.yaml (the hand-checked
metadata is the gold standard) and its date and publisher are sorted into: found and right,
reported missing, or found and wrong. A publisher is right when one of its names
(assistant/sources.py) names the gold publisher or the other way round; a date is right when
it is the gold date (a gold date given only as a month or year matches any day in it).
"Wrong" is the figure that must stay at 0: a value that is not there is reported, never guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def publisher_matches(found: str, gold: str) -> bool:
    from assistant.sources import publishers_named

    return bool(publishers_named(found, {gold}) or publishers_named(gold, {found})
                or found.casefold() in gold.casefold() or gold.casefold() in found.casefold())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REPO / "evals" / "corpus"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from assistant.documents import document_files, document_id, load_document, read_meta

    folder = Path(args.corpus) / "documents"
    rows = []
    for path in document_files(folder):
        gold = read_meta(path)
        doc = load_document(path, meta={})  # the file alone
        row = {"document": document_id(path), "format": path.suffix.lstrip("."), "found": doc.meta.get("found", "")}
        for field in ("date", "publisher"):
            value, want = doc.meta.get(field), str(gold.get(field) or "")
            if not value:
                verdict = "missing"
            elif field == "date":
                verdict = "right" if want and value.startswith(want) else "wrong"
            else:
                verdict = "right" if want and publisher_matches(value, want) else "wrong"
            row[field] = {"value": value, "gold": want, "verdict": verdict}
        rows.append(row)
    summary = {}
    for field in ("date", "publisher"):
        verdicts = [r[field]["verdict"] for r in rows]
        summary[field] = {v: round(verdicts.count(v) / len(rows), 3) for v in ("right", "missing", "wrong")}
        summary[field]["documents"] = len(rows)
    if args.json:
        print(json.dumps({"summary": summary, "documents": rows}, indent=2, ensure_ascii=False))
        return
    for field, s in summary.items():
        print(f"{field:9}  right {s['right']:.3f}  reported missing {s['missing']:.3f}  wrong {s['wrong']:.3f}"
              f"  ({s['documents']} documents)")
    for r in rows:
        marks = "  ".join(f"{f}={r[f]['verdict']}({r[f]['value'] or '-'} / gold {r[f]['gold'] or '-'})"
                          for f in ("date", "publisher"))
        print(f"  {r['document']:48} {r['format']:4} {marks}")


if __name__ == "__main__":
    main()
