"""Running a question set through one or more configurations, and the gate.

Kinds of question the Assistant cannot answer yet (UNSUPPORTED_KINDS) are asked
and reported per kind, but kept out of the headline figures and so out of the
gate; take a kind out of the set when it is supported. Items with a `scope` are
asked with it when the system's ask takes `scope=`, and otherwise skipped (and
listed as skipped): asked without it they would be a different question.
"""

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
from .dataset import SPLITS, EvalItem, document_texts, load_questions
from .metrics import by_kind, covered_quotes, score_answer, summarize
from .sets import QuestionSet, knowledge_folder
from .systems import BASELINE_CONFIG, CONFIGS, Config, System, open_system

# Kinds the evaluation corpus asks about that the Assistant does not answer yet. Remove a kind
# from here when it is supported: its questions then count in the headline figures and the gate.
UNSUPPORTED_KINDS: frozenset[str] = frozenset()

ANSWER_CHARS_KEPT = 1200  # answers longer than this are cut in the report (the baseline returns whole chunks)

ItemProgress = Callable[[str, int, int], None]  # (config name, done, total)


def _retrieval_record(system: System, item: EvalItem, spans, evaluator) -> dict:
    """Retrieval on its own: the system's top-k passages for the question, whether (and at which
    rank) one of them holds gold evidence, and which gold quotes the top k hold between them."""
    retrieved = system.retrieve(item)
    rank = next((i + 1 for i, uid in enumerate(retrieved) if system.hits(uid, item, spans)), None)
    units = [system.units[uid] for uid in retrieved if uid in system.units]
    in_top = covered_quotes(spans, [(u.document_id, u.start, u.end) for u in units])
    in_top = [ok or any(quote in u.text for u in units) for quote, ok in zip(item.evidence, in_top)]
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
            "quotes": len(in_top), "quotes_retrieved": sum(in_top), "li_hit": li_hit, "li_mrr": li_mrr}


def headline(records: list[dict]) -> list[dict]:
    """The records the headline figures count: every kind the Assistant is meant to answer."""
    return [r for r in records if r["kind"] not in UNSUPPORTED_KINDS]


def figures(records: list[dict]) -> dict:
    """Headline metrics, per-kind metrics (every kind, supported or not) and, for a set drawn
    from more than one split, the same per split."""
    out = {"metrics": summarize(headline(records)), "by_kind": by_kind(records)}
    unsupported = sorted({r["kind"] for r in records} & UNSUPPORTED_KINDS)
    out["unsupported_kinds"] = {k: out["by_kind"][k] for k in unsupported}
    splits = [s for s in SPLITS if any(r.get("split") == s for r in records)]
    if len(splits) > 1:
        out["by_split"] = {s: {"metrics": summarize(headline(rs)), "by_kind": by_kind(rs)}
                           for s in splits for rs in [[r for r in records if r.get("split") == s]]}
    return out


def evaluate(system: System, items: list[EvalItem], progress: ItemProgress | None = None) -> dict:
    """Ask every question of one system and score it: the run's metrics, per-kind metrics and records."""
    from llama_index.core.evaluation import RetrieverEvaluator

    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr"], retriever=system.llama_retriever)
    records, skipped = [], []
    if not system.supports_scope:
        skipped = [{"id": i.id, "kind": i.kind, "split": i.split, "scope": i.scope,
                    "reason": "scope not supported: the system's ask takes no scope="} for i in items if i.scope]
        items = [i for i in items if not i.scope]
    if items:
        system.answer(items[0])  # untimed: the model and the lazily built parts load on a first question
    for done, item in enumerate(items):
        if progress:
            progress(system.config.name, done, len(items))
        reply = system.answer(item)
        spans = system.gold_spans(item)
        record = {
            "id": item.id, "kind": item.kind, "split": item.split, "scope": item.scope,
            "question": item.question, "answerable": item.answerable,
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
        **figures(records),
        "skipped": skipped,
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
        generator=None, question_set: QuestionSet | None = None) -> dict:
    """Evaluate each configuration on the question set. The primary one (default: the first) is
    the one a gate judges and the report details. With `generator` (an LLMConfig), the primary
    configuration's answers are also rewritten by that model and reported side by side.

    With `question_set` (see sets.py) the questions, the documents and the knowledge folder are
    the set's, and `question_file` and `knowledge_dir` are not used."""
    if question_set is not None:
        from .sets import load_set

        question_file = question_set.question_file
        if items is None:
            items = load_set(question_set)
        with knowledge_folder(question_set) as folder:
            report = _run(question_file, configs, folder, persist_dir, progress, index_progress, items, primary,
                          generator)
        report["set"] = question_set.name
        report["set_description"] = question_set.describe()
        return report
    if items is None:
        items = load_questions(question_file, document_texts(knowledge_dir))
    return _run(question_file, configs, knowledge_dir, persist_dir, progress, index_progress, items, primary, generator)


def _run(question_file: Path, configs: list[Config], knowledge_dir: Path, persist_dir: Path | None,
         progress: ItemProgress | None, index_progress, items: list[EvalItem], primary: str | None,
         generator) -> dict:
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
            try:
                runs[config.name] = evaluate(system, items, progress)
                if generator is not None and config.name == primary:
                    generative = _generative(system, generator, items, progress)
            finally:
                system.close()
    report = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "question_file": str(question_file),
        "questions": len(items),
        "kinds": dict(Counter(i.kind for i in items)),
        "splits": dict(Counter(i.split for i in items if i.split)),
        "unsupported_kinds": sorted(UNSUPPORTED_KINDS),
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
# evals/thresholds.json holds one section per question set:
#     {"seed": {"config": ..., "min": {figure: floor}, "max": {figure: ceiling},
#               "above_baseline": {figure: baseline figure}, "draft": {... the same keys, not in force}},
#      "heldout": {...}}
# A file with "min"/"max" at its top is one section for whatever set is run.
_SECTION_KEYS = ("min", "max", "above_baseline")


def _check_section(section, where: str):
    if not isinstance(section, dict):
        raise InputError(f"{where}: expected {{\"min\": {{figure: value}}, \"max\": {{figure: value}}}}")
    for key in _SECTION_KEYS:
        if not isinstance(section.get(key, {}), dict):
            raise InputError(f"{where}: '{key}' must map figure names to values")
    for key, value in section.get("above_baseline", {}).items():
        if not isinstance(value, str):
            raise InputError(f"{where}: above_baseline.{key} must name a figure of the baseline run")
    if "draft" in section:
        _check_section(section["draft"], f"{where}, draft")


def threshold_sets(path: Path) -> dict | None:
    """The per-set sections of a thresholds file (None for a flat, single-section file)."""
    data = _read_thresholds(Path(path))
    if any(k in data for k in _SECTION_KEYS):
        return None
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _read_thresholds(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: thresholds file not found") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object, one section per question set")
    return data


def load_thresholds(path: Path, set_name: str = "seed") -> dict:
    """The thresholds a run on `set_name` is gated by."""
    path = Path(path)
    data = _read_thresholds(path)
    if any(k in data for k in _SECTION_KEYS):
        section = data
    else:
        section = data.get(set_name)
        if section is None:
            sets = [k for k, v in data.items() if isinstance(v, dict)]
            raise InputError(f"{path}: no thresholds for the '{set_name}' set (it has: {', '.join(sets) or 'none'})")
    _check_section(section, f"{path} ({set_name})")
    return section


def needs_baseline(thresholds: dict) -> bool:
    """Whether a section (or its draft) compares a figure with the baseline's."""
    return bool(thresholds.get("above_baseline") or (thresholds.get("draft") or {}).get("above_baseline"))


def in_force(thresholds: dict) -> bool:
    return any(thresholds.get(k) for k in _SECTION_KEYS)


def check_gate(metrics: dict, thresholds: dict, baseline: dict | None = None) -> list[str]:
    """Every headline figure that misses its threshold, as a sentence; empty when the run passes.
    `baseline` is the baseline configuration's metrics, for "above_baseline" thresholds."""
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
    for name, other in thresholds.get("above_baseline", {}).items():
        value, bar = metrics.get(name), (baseline or {}).get(other)
        if baseline is None:
            failures.append(f"{name} must be above the baseline's {other}, but the baseline was not run")
        elif value is None or bar is None:
            failures.append(f"{name} must be above the baseline's {other}, and one of them was not measured")
        elif value <= bar:
            failures.append(f"{name} = {value:.3f} is not above the baseline's {other} = {bar:.3f}")
    return failures


def gate(report: dict, thresholds_file: Path, set_name: str, config: str) -> dict:
    """Judge a run's primary configuration. A set drawn from several splits (corpus) is judged
    split by split, each by its own section where the thresholds file has one."""
    run = report["configs"][config]
    base = report["configs"].get(BASELINE_CONFIG)
    if set_name == "corpus":
        sets = threshold_sets(thresholds_file)
        parts = [(s, run.get("by_split", {}).get(s, {}).get("metrics"),
                  (base or {}).get("by_split", {}).get(s, {}).get("metrics"))
                 for s in SPLITS if sets is None or s in sets]
        if not parts:
            raise InputError(f"{thresholds_file}: no thresholds for the dev or heldout split")
    else:
        parts = [(set_name, run["metrics"], base["metrics"] if base else None)]
    failures, draft, sections, notes, enforced = [], [], {}, [], False
    for name, metrics, baseline in parts:
        section = load_thresholds(thresholds_file, name)
        sections[name] = section
        prefix = f"[{name}] " if len(parts) > 1 else ""
        if metrics is None:
            failures.append(f"{prefix}no questions of the {name} split were run")
            continue
        failures += [prefix + f for f in check_gate(metrics, section, baseline)]
        enforced = enforced or in_force(section)
        if not in_force(section):
            notes.append(f"no thresholds in force for {name} yet" + (" (a draft is measured below)" if "draft" in section else ""))
        if "draft" in section:
            draft += [prefix + f for f in check_gate(metrics, section["draft"], baseline)]
        if section.get("config") not in (None, config):
            notes.append(f"{thresholds_file} ({name}) was set for {section['config']}, not {config}")
    return {"config": config, "set": set_name, "thresholds_file": str(thresholds_file),
            "thresholds": sections if len(sections) > 1 else next(iter(sections.values())),
            "passed": not failures, "in_force": enforced, "failures": failures, "draft_misses": draft, "notes": notes}
