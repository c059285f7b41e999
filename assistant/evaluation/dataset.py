"""The question set: loaded, checked, and every gold quote located in the cleaned text.

A question file is JSON lines, one item a line:

    id, kind, question, answerable, facts, list, evidence, history[, split, scope]

`facts` and `list` are lists of lists of accepted variants; `evidence` holds
verbatim quotes of the cleaned document text. The evaluation corpus's items
also carry `split` ("dev" or "heldout") and some a `scope` (a mapping that
restricts the question, e.g. to documents or dates). Loading refuses a file whose
quotes cannot be found, naming the question, because every evidence metric
rests on those spans.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import InputError

Span = tuple[str, int, int]  # (document id, start, end) in the cleaned text
SPLITS = ("dev", "heldout")


class QuestionSetError(InputError):
    """The question file cannot be used; the message names the file, line and question id."""


@dataclass
class EvalItem:
    id: str
    kind: str
    question: str
    answerable: bool
    facts: list[list[str]] = field(default_factory=list)
    members: list[list[str]] = field(default_factory=list)  # the `list` field: every member must be named
    evidence: list[str] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    line: int = 0
    spans: list[list[Span]] = field(default_factory=list)  # per evidence quote, every place it occurs
    split: str | None = None  # "dev" | "heldout" in the evaluation corpus; None in the seed set
    scope: dict | None = None  # what the question is restricted to, passed to ask(scope=) where it exists

    def expected(self) -> dict:
        """What a correct answer holds, for failure listings."""
        if not self.answerable:
            return {"abstain": True}
        out: dict = {}
        if self.facts:
            out["facts"] = [v[0] for v in self.facts]
        if self.members:
            out["list"] = [v[0] for v in self.members]
        if self.evidence:
            out["evidence"] = self.evidence
        return out


def _variants(value, what: str, where: str) -> list[list[str]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, list) and v and all(isinstance(s, str) and s.strip() for s in v) for v in value
    ):
        raise QuestionSetError(f"{where}: '{what}' must be a list of lists of non-empty strings (accepted variants)")
    return value


def locate(quote: str, documents: Mapping[str, str]) -> list[Span]:
    """Every place a quote occurs verbatim, across all documents."""
    spans: list[Span] = []
    for doc_id, text in documents.items():
        start = text.find(quote)
        while start >= 0:
            spans.append((doc_id, start, start + len(quote)))
            start = text.find(quote, start + 1)
    return spans


def parse_questions(path: Path) -> list[EvalItem]:
    """Read and check the shape of a question file, without looking at documents."""
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(f"{path}: question file not found")
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise QuestionSetError(f"{path}: is not UTF-8 text") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(raw, dict):
            raise QuestionSetError(f"{where}: each line must be a JSON object")
        qid = raw.get("id")
        if not isinstance(qid, str) or not qid.strip():
            raise QuestionSetError(f"{where}: missing 'id'")
        where = f"{where} (question {qid})"
        if qid in seen:
            raise QuestionSetError(f"{where}: id already used on line {seen[qid]}")
        seen[qid] = number
        question, kind, answerable = raw.get("question"), raw.get("kind"), raw.get("answerable")
        if not isinstance(question, str) or not question.strip():
            raise QuestionSetError(f"{where}: missing 'question' text")
        if not isinstance(kind, str) or not kind.strip():
            raise QuestionSetError(f"{where}: missing 'kind'")
        if not isinstance(answerable, bool):
            raise QuestionSetError(f"{where}: 'answerable' must be true or false")
        evidence = raw.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(q, str) and q for q in evidence):
            raise QuestionSetError(f"{where}: 'evidence' must be a list of verbatim quotes")
        history = raw.get("history") or []
        if not isinstance(history, list) or not all(
            isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
            for t in history
        ):
            raise QuestionSetError(f"{where}: 'history' must be a list of {{role: user|assistant, content}} turns")
        facts = _variants(raw.get("facts"), "facts", where)
        members = _variants(raw.get("list"), "list", where)
        if answerable and not (facts or members or evidence):
            raise QuestionSetError(f"{where}: an answerable question needs facts, a list or evidence to check")
        if not answerable and (facts or members or evidence):
            raise QuestionSetError(f"{where}: an unanswerable question cannot have facts, a list or evidence")
        split = raw.get("split")
        if split is not None and split not in SPLITS:
            raise QuestionSetError(f"{where}: 'split' must be one of {', '.join(SPLITS)}, not {split!r}")
        scope = raw.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise QuestionSetError(f"{where}: 'scope' must be a mapping")
        items.append(EvalItem(qid, kind, question, answerable, facts, members, evidence, history, number,
                              split=split, scope=scope or None))
    if not items:
        raise QuestionSetError(f"{path}: no questions")
    return items


def load_questions(path: Path, documents: Mapping[str, str]) -> list[EvalItem]:
    """Read a question file and locate every gold quote in the cleaned documents (id -> text).

    Raises QuestionSetError naming the question when a quote is not found verbatim.
    """
    items = parse_questions(path)
    for item in items:
        item.spans = []
        for quote in item.evidence:
            spans = locate(quote, documents)
            if not spans:
                short = quote if len(quote) <= 90 else quote[:87] + "..."
                raise QuestionSetError(
                    f"{path}, line {item.line}: question {item.id}: evidence quote not found verbatim in the "
                    f"cleaned text of any document: \"{short}\""
                )
            item.spans.append(spans)
    return items


def document_texts(knowledge_dir: Path) -> dict[str, str]:
    """The cleaned text of each document in a knowledge folder, without touching the index."""
    from ..documents import load_folder

    return {d.id: d.text for d in load_folder(Path(knowledge_dir) / "documents")}
