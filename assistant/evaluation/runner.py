"""Running a question set through one or more configurations, and the gate."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .dataset import EvalItem, document_texts, load_questions
from .metrics import by_kind, score_answer, summarize
from .systems import CONFIGS, Config, System, open_system

ANSWER_CHARS_KEPT = 1200  # answers longer than this are cut in the report (the baseline returns whole chunks)

ItemProgress = Callable[[str, int, int], None]  # (config name, done, total)


def _retrieval_record(system: System, item: EvalItem, spans, evaluator) -> dict:
    retrieved = system.retrieve(item)
    rank = next((i + 1 for i, uid in enumerate(retrieved) if system.hits(uid, item, spans)), None)
    expected = system.expected_ids(item, spans)
    li_hit = li_mrr = None
    if expected:
        system.prepare(item)
        try:
            result = evaluator.evaluate(query=item.question, expected_ids=expected)
            li_hit, li_mrr = result.metric_vals_dict["hit_rate"], result.metric_vals_dict["mrr"]
        except ValueError:  # LlamaIndex refuses an empty retrieval: nothing found is a miss
            li_hit, li_mrr = 0.0, 0.0
    return {"k": system.config.top_k, "retrieved": retrieved, "rank": rank, "expected": expected,
            "li_hit": li_hit, "li_mrr": li_mrr}


def evaluate(system: System, items: list[EvalItem], progress: ItemProgress | None = None) -> dict:
    """Ask every question of one system and score it: the run's metrics, per-kind metrics and records."""
    from llama_index.core.evaluation import RetrieverEvaluator

    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr"], retriever=system.llama_retriever)
    records = []
    if items:
        system.answer(items[0])  # untimed: the model and the lazily built parts load on a first question
    for done, item in enumerate(items):
        if progress:
            progress(system.config.name, done, len(items))
        reply = system.answer(item)
        spans = system.gold_spans(item)
        record = {
            "id": item.id, "kind": item.kind, "question": item.question, "answerable": item.answerable,
            "history": item.history, "expected": item.expected(), "abstained": reply.abstained,
            "answer": reply.text if len(reply.text) <= ANSWER_CHARS_KEPT else reply.text[:ANSWER_CHARS_KEPT] + " …",
            "answer_chars": len(reply.text), "seconds": reply.seconds, "notes": reply.notes,
            "citations": reply.citations,
        }
        record.update(score_answer(item, reply.text, reply.abstained, reply.citations, reply.notes, spans,
                                   system.document_text))
        if item.answerable and item.evidence:
            record["retrieval"] = _retrieval_record(system, item, spans, evaluator)
        for c in record["citations"]:
            if len(c["quote"]) > 300:
                c["quote"] = c["quote"][:300] + " …"
        records.append(record)
    if progress:
        progress(system.config.name, len(items), len(items))
    return {
        "config": asdict(system.config),
        "description": system.config.describe(),
        "metrics": summarize(records),
        "by_kind": by_kind(records),
        "records": records,
    }


def resolve_configs(names: list[str]) -> list[Config]:
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise InputError(f"unknown configuration {', '.join(unknown)}; use one of {', '.join(CONFIGS)}")
    return [CONFIGS[n] for n in names]


def run(question_file: Path, configs: list[Config], knowledge_dir: Path = Path("knowledge"),
        persist_dir: Path | None = None, progress: ItemProgress | None = None,
        index_progress=None, items: list[EvalItem] | None = None, primary: str | None = None,
        generator=None) -> dict:
    """Evaluate each configuration on the question set. The primary one (default: the first) is
    the one a gate judges and the report details. With `generator` (an LLMConfig), the primary
    configuration's answers are also rewritten by that model and reported side by side."""
    if items is None:
        items = load_questions(question_file, document_texts(knowledge_dir))
    primary = primary or configs[0].name
    if generator is not None and CONFIGS[primary].baseline:
        raise InputError(f"generative answers start from the Assistant's own answers; '{primary}' is the baseline")
    runs: dict[str, dict] = {}
    generative = None
    load_before = _load_average()
    with tempfile.TemporaryDirectory(prefix="assistant-eval-", ignore_cleanup_errors=True) as tmp:
        where = Path(persist_dir) if persist_dir else Path(tmp)  # Assistant configs share one index: same content
        for config in configs:
            system = open_system(config, knowledge_dir, where, index_progress)
            runs[config.name] = evaluate(system, items, progress)
            if generator is not None and config.name == primary:
                generative = _generative(system, generator, items, progress)
    report = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "question_file": str(question_file),
        "questions": len(items),
        "kinds": dict(Counter(i.kind for i in items)),
        "documents": sorted(document_texts(knowledge_dir)),
        "primary": primary,
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before, "load_average_after": _load_average()},
        "configs": runs,
    }
    if generative is not None:
        report["generative"] = generative
    return report


def _generative(system, config, items: list[EvalItem], progress: ItemProgress | None) -> dict:
    from ..generation import GenerativeAnswerer
    from ..generation.compare import compare

    name = "generative"
    result = compare(system.assistant, GenerativeAnswerer(config), items,
                     (lambda done, total: progress(name, done, total)) if progress else None)
    if progress:
        progress(name, len(items), len(items))
    return result


def _load_average() -> float | None:
    """Latency figures mean little on a busy machine: the report says how busy it was."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


# -- the gate -------------------------------------------------------------------
def load_thresholds(path: Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: thresholds file not found") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("min", {}), dict) or not isinstance(data.get("max", {}), dict):
        raise InputError(f"{path}: expected {{\"min\": {{figure: value}}, \"max\": {{figure: value}}}}")
    return data


def check_gate(metrics: dict, thresholds: dict) -> list[str]:
    """Every headline figure that misses its threshold, as a sentence; empty when the run passes."""
    failures = []
    for name, floor in thresholds.get("min", {}).items():
        value = metrics.get(name)
        if value is None:
            failures.append(f"{name} was not measured (threshold: at least {floor})")
        elif value < floor:
            failures.append(f"{name} = {value:.3f} fell below the threshold {floor}")
    for name, ceiling in thresholds.get("max", {}).items():
        value = metrics.get(name)
        if value is None:
            failures.append(f"{name} was not measured (threshold: at most {ceiling})")
        elif value > ceiling:
            failures.append(f"{name} = {value:.3f} rose above the threshold {ceiling}")
    return failures
