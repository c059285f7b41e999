"""Write a question set again in other wordings, to see whether answers hold when the question is
asked another way (the issue's "paraphrases fail"). Changes nothing else; run the copy with eval:

    python evals/reword.py evals/qa.jsonl /tmp/qa-polite.jsonl --style polite
    assistant eval /tmp/qa-polite.jsonl --set seed --out /tmp/polite

Styles (each keeps what is asked and only changes how it is framed, so gold answers stay right):
  polite     "Can you tell me why…", "I'd like to know which…"
  attributed "…, according to the reports?"
  framed     "In the sources, why…?"
Follow-ups (items with a history) and questions that do not open with a question word are kept
as they are. The choice of frame per question is seeded, so a run can be repeated.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

POLITE = ["Can you tell me ", "Could you tell me ", "I'd like to know ", "Please tell me ", "Do you know "]
OPENS = re.compile(r"(Why|Who|Which|What|When|How|Where)\b")


def reword(question: str, style: str, rng: random.Random) -> str:
    if not OPENS.match(question):
        return question
    lowered = question[0].lower() + question[1:]
    if style == "polite":
        return rng.choice(POLITE) + lowered
    if style == "attributed":
        return question.rstrip(" ?") + ", according to the reports?"
    if style == "framed":
        return "In the sources, " + lowered
    raise ValueError(f"unknown style {style!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--style", choices=("polite", "attributed", "framed"), default="polite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = []
    for line in args.source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if not item.get("history"):
            item["question"] = reword(item["question"], args.style, rng)
        out.append(json.dumps(item, ensure_ascii=False))
    args.target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out)} questions -> {args.target} ({args.style})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
