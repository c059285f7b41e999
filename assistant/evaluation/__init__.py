"""Evaluation runs: the question set through one or more configurations, scored and gated.

    from assistant.evaluation import run, CONFIGS, check_gate, load_thresholds
    report = run(Path("evals/qa.jsonl"), [CONFIGS["hybrid+positions"]])
    failures = check_gate(report["configs"]["hybrid+positions"]["metrics"], load_thresholds(Path("evals/thresholds.json")))
"""

from .dataset import EvalItem, QuestionSetError, document_texts, load_questions, parse_questions
from .metrics import mentions, summarize
from .report import summary_table, to_markdown, write
from .runner import check_gate, evaluate, load_thresholds, resolve_configs, run
from .systems import CONFIGS, DEFAULT_CONFIG, AssistantSystem, Config, QuickstartSystem, open_system

__all__ = [
    "CONFIGS", "DEFAULT_CONFIG", "AssistantSystem", "Config", "EvalItem", "QuestionSetError", "QuickstartSystem",
    "check_gate", "document_texts", "evaluate", "load_questions", "load_thresholds", "mentions", "open_system",
    "parse_questions", "resolve_configs", "run", "summarize", "summary_table", "to_markdown", "write",
]
