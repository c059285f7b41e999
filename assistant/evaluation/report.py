"""report.json, report.md and the summary table printed by `assistant eval`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

# (metric, label, format, direction): format "rate" prints 0.873, "ms" 12.3, "int" 7
ROWS = [
    ("retrieval_k", "Passages retrieved (k)", "int"),
    ("retrieval_hit_rate", "Retrieval hit rate@k (a gold quote in the top k)", "rate"),
    ("retrieval_mrr", "Retrieval MRR@k", "rate"),
    ("llamaindex_hit_rate", "LlamaIndex RetrieverEvaluator hit_rate", "rate"),
    ("llamaindex_mrr", "LlamaIndex RetrieverEvaluator mrr", "rate"),
    ("fact_recall", "Fact recall", "rate"),
    ("list_completeness", "List completeness (all members named)", "rate"),
    ("list_member_recall", "List member recall", "rate"),
    ("retrieval_evidence_recall", "(a) Retrieved evidence recall@k (gold quotes in the top k)", "rate"),
    ("evidence_recall", "(b) Evidence recall (gold quotes cited)", "rate"),
    ("retrieval_citation_gap", "Retrieval − citation gap (a − b)", "rate"),
    ("citation_validity", "Citation validity", "rate"),
    ("unsupported_sentence_rate", "Unsupported sentences (share)", "rate"),
    ("abstention_precision", "Abstention precision", "rate"),
    ("abstention_recall", "Abstention recall", "rate"),
    ("false_abstention_rate", "False-abstention rate", "rate"),
    ("mean_answer_chars", "Mean answer length (chars)", "int"),
    ("latency_p50_ms", "Latency p50 (ms)", "ms"),
    ("latency_p95_ms", "Latency p95 (ms)", "ms"),
    ("failed_questions", "Questions with a failure", "int"),
]
KIND_COLUMNS = [
    ("questions", "n", "int"), ("fact_recall", "fact recall", "rate"), ("list_completeness", "list complete", "rate"),
    ("evidence_recall", "evidence recall", "rate"), ("retrieval_evidence_recall", "evidence in top k", "rate"),
    ("retrieval_hit_rate", "hit@k", "rate"), ("false_abstention_rate", "false abst.", "rate"),
    ("abstention_precision", "abst. precision", "rate"), ("abstention_recall", "abst. recall", "rate"),
    ("unsupported_sentence_rate", "unsupported", "rate"), ("failed_questions", "failed", "int"),
]


def fmt(value, kind: str = "rate") -> str:
    if value is None:
        return "–"
    if kind == "int":
        return f"{value:.0f}"
    if kind == "ms":
        return f"{value:.1f}"
    return f"{value:.3f}"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
    return out


def compare_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    names = list(report["configs"])
    rows = [[label] + [fmt(report["configs"][n]["metrics"].get(key), kind) for n in names] for key, label, kind in ROWS]
    return ["figure"] + names, rows


def failure_category(reason: str) -> str:
    return reason.split(":")[0].split(" (")[0].lstrip("0123456789 ").replace("unsupported sentence(s)", "unsupported sentences")


def _retrieval_note(record: dict) -> str:
    r = record.get("retrieval")
    if not r:
        return ""
    return f"gold evidence retrieved at rank {r['rank']}" if r["rank"] else f"gold evidence not in the top {r['k']} passages"


def _kind_table(by_kind: dict, unsupported: set[str]) -> list[str]:
    return _md_table(["kind"] + [c[1] for c in KIND_COLUMNS],
                     [[k + (" (not yet supported)" if k in unsupported else "")]
                      + [fmt(m.get(key), f) for key, _, f in KIND_COLUMNS] for k, m in sorted(by_kind.items())])


def _gate_lines(gate: dict) -> list[str]:
    verdict = "**passed**" if gate["passed"] else "**failed**"
    lines = [f"## Gate: {verdict} (`{gate['config']}` on the {gate.get('set', 'seed')} set against "
             f"`{gate['thresholds_file']}`)", ""]
    lines += [f"- {f}" for f in gate["failures"]] or [
        "- every headline figure met its threshold" if gate.get("in_force", True) else "- no threshold in force"]
    lines += [f"- note: {n}" for n in gate.get("notes", [])]
    if gate.get("draft_misses"):
        lines += ["", "Draft targets (not in force) this run misses:", ""]
        lines += [f"- {f}" for f in gate["draft_misses"]]
    elif any("draft" in str(n) for n in gate.get("notes", [])):
        lines += ["", "The run meets every draft target."]
    lines.append("")
    return lines


def to_markdown(report: dict) -> str:
    primary = report["primary"]
    run = report["configs"][primary]
    unsupported = set(report.get("unsupported_kinds", ()))
    lines = [
        "# Evaluation report", "",
        *([f"- set: **{report['set']}**, {report['set_description']}"] if report.get("set") else []),
        f"- question set: `{report['question_file']}` ({report['questions']} questions: "
        + ", ".join(f"{k} {n}" for k, n in sorted(report["kinds"].items())) + ")",
        *([f"- splits: " + ", ".join(f"{k} {n}" for k, n in sorted(report["splits"].items()))]
          if report.get("splits") else []),
        *([f"- not yet supported, excluded from the headline figures and the gate: "
           + ", ".join(f"{k} {report['kinds'][k]}" for k in sorted(unsupported & set(report["kinds"])))]
          if unsupported & set(report["kinds"]) else []),
        f"- documents: {', '.join(report['documents'])}",
        f"- created: {report['created']}",
        *([f"- machine: {m['cpus']} CPUs, load average {m['load_average_before']} before and "
           f"{m['load_average_after']} after the run (latency depends on it)"] if (m := report.get("machine")) else []),
        f"- primary configuration: `{primary}` ({run['description']})", "",
    ]
    gate = report.get("gate")
    if gate:
        lines += _gate_lines(gate)
    lines += ["## Configurations", ""]
    lines += [f"- `{name}`: {r['description']}" for name, r in report["configs"].items()]
    lines += ["", *_md_table(*compare_rows(report)), ""]
    lines += [
        "Retrieval figures count answerable questions with gold evidence; a retrieved passage hits when it contains "
        "a gold quote or overlaps its span. Hit rate@k is per question (any gold quote in the top k); (a) is per "
        "gold quote, over the same quotes as (b), so that (a − b) is the evidence retrieval found and the answer "
        "did not cite (negative when answers cite evidence from position records beyond the top k passages). The "
        "Assistant's retrieval is measured apart from its answer, with the same question parsing and retriever. "
        "The LlamaIndex figures come from `RetrieverEvaluator` over the same "
        "retriever, expecting the ids of the passages that hold a gold quote whole. Facts and list members match "
        "case-insensitively on word boundaries. A citation covers a gold quote when their character spans overlap. "
        "The quick-start baseline cites its whole retrieved chunks of the raw file and never abstains; its gold "
        "quotes are looked for in the raw file, so a quote that cleaning changed counts as missed."
        + (f" Headline figures leave out the kinds not yet supported ({', '.join(sorted(unsupported))})."
           if unsupported & set(report["kinds"]) else ""), "",
    ]
    split_rows = [(name, split, r["by_split"][split]["metrics"]) for name, r in report["configs"].items()
                  for split in r.get("by_split", {})]
    if split_rows:
        lines += ["## Headline figures by split", ""]
        keys = [("questions", "n", "int"), ("fact_recall", "fact recall", "rate"),
                ("retrieval_evidence_recall", "(a) evidence in top k", "rate"),
                ("evidence_recall", "(b) evidence recall", "rate"), ("retrieval_citation_gap", "a − b", "rate"),
                ("abstention_precision", "abst. precision", "rate"), ("abstention_recall", "abst. recall", "rate"),
                ("false_abstention_rate", "false abst.", "rate")]
        lines += _md_table(["configuration", "split"] + [k[1] for k in keys],
                           [[name, split] + [fmt(m.get(k), f) for k, _, f in keys] for name, split, m in split_rows])
        lines.append("")
    if "generative" in report:
        from ..generation.compare import table

        lines += [f"## Generative against extractive (`{primary}`)", "", table(report["generative"]), "",
                  "Both sides answer the same questions; the generative answer starts from the extractive one and "
                  "keeps only sentences the verifier finds supported by the passages they cite. \"Fell back\" counts "
                  "answers where too little survived, or the model failed, and the extractive answer was shown with "
                  "a notice. Latency includes the model call.", ""]
    kinds = sorted({k for r in report["configs"].values() for k in r["by_kind"]})
    names = list(report["configs"])
    lines += ["## Failed questions by kind and configuration", ""]
    lines += _md_table(["kind"] + names, [
        [k] + [(f"{r['by_kind'][k]['failed_questions']}/{r['by_kind'][k]['questions']}" if k in r["by_kind"] else "–")
               for r in (report["configs"][n] for n in names)] for k in kinds])
    lines += ["", f"## `{primary}` by kind" + (f" ({report['set']} set)" if report.get("set") else ""), ""]
    lines += _kind_table(run["by_kind"], unsupported)
    for split, part in run.get("by_split", {}).items():
        lines += ["", f"## `{primary}` by kind, {split} split", ""]
        lines += _kind_table(part["by_kind"], unsupported)
    if run.get("skipped"):
        lines += ["", f"## `{primary}`: questions not asked ({len(run['skipped'])})", ""]
        lines += [f"- {x['id']} ({x['kind']}): {x['reason']}" for x in run["skipped"]]
    failed = [r for r in run["records"] if r["failures"]]
    categories = Counter((r["kind"], failure_category(f)) for r in failed for f in r["failures"])
    lines += ["", f"## `{primary}` failure categories", ""]
    lines += _md_table(["kind", "failure", "questions"], [[k, c, str(n)] for (k, c), n in sorted(categories.items())])
    lines += ["", f"## `{primary}` failures ({len(failed)} of {len(run['records'])} questions)", ""]
    for r in sorted(failed, key=lambda r: (r["kind"], r["id"])):
        lines.append(f"### {r['id']} ({r['kind']}): {r['question']}")
        lines.append("")
        if r["history"]:
            lines.append("- history: " + " / ".join(f"{t['role']}: {t['content']}" for t in r["history"]))
        lines.append(f"- failures: {'; '.join(r['failures'])}")
        expected = r["expected"]
        if expected.get("abstain"):
            lines.append("- expected: an abstention (the sources don't say)")
        else:
            for key in ("facts", "list"):
                if expected.get(key):
                    lines.append(f"- expected {key}: {', '.join(expected[key])}")
            for quote in expected.get("evidence", []):
                lines.append(f"- gold evidence: “{quote}”")
        note = _retrieval_note(r)
        if note:
            lines.append(f"- retrieval: {note}")
        lines.append(f"- answer{' (abstained)' if r['abstained'] else ''}: {r['answer']}")
        for s in r["unsupported_examples"]:
            lines.append(f"- unsupported: “{s}”")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


SLIM_FIELDS = ("id", "kind", "split", "abstained", "failures", "facts", "list", "evidence", "unsupported", "seconds")


def compact(report: dict) -> dict:
    """The report as saved: full records for the primary configuration, the verdicts only for the others."""
    out = dict(report)
    out["configs"] = {}
    for name, run in report["configs"].items():
        run = dict(run)
        if name != report["primary"]:
            run["records"] = [
                {**{k: r[k] for k in SLIM_FIELDS if k in r},
                 "retrieval_rank": (r.get("retrieval") or {}).get("rank"),
                 "retrieval_quotes": [(r.get("retrieval") or {}).get("quotes_retrieved"), (r.get("retrieval") or {}).get("quotes")],
                 "answer": r["answer"] if len(r["answer"]) <= 300 else r["answer"][:300] + " …"}
                for r in run["records"]
            ]
        out["configs"][name] = run
    if "generative" in report:  # its extractive records repeat the primary configuration's
        out["generative"] = {**report["generative"], "records": {"generative": report["generative"]["records"]["generative"]}}
    return out


def write(report: dict, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "report.json", out_dir / "report.md"
    json_path.write_text(json.dumps(compact(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(to_markdown(report), encoding="utf-8")
    return json_path, md_path


def summary_table(report: dict):
    """The comparison as a rich Table: one row per figure, one column per configuration."""
    from rich.table import Table

    header, rows = compare_rows(report)
    where = f" ({report['set']} set)" if report.get("set") else ""
    table = Table(title=f"Evaluation of {report['questions']} questions{where}", show_lines=False)
    table.add_column(header[0])
    for name in header[1:]:
        table.add_column(name, justify="right", style="bold" if name == report["primary"] else None)
    for row in rows:
        table.add_row(*row)
    return table
