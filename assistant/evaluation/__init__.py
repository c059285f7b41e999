"""Evaluation runs: a question set through one or more configurations, scored and gated.

    from assistant.evaluation import question_set, load_set, run, CONFIGS, gate
    qs = question_set("heldout")                      # or seed, dev, corpus
    report = run(qs.question_file, [CONFIGS["hybrid+positions"]], question_set=qs)
    verdict = gate(report, Path("evals/thresholds.json"), "heldout", "hybrid+positions")
"""

from .dataset import SPLITS, EvalItem, QuestionSetError, document_texts, load_questions, parse_questions
from .metrics import mentions, summarize
from .report import summary_table, to_markdown, write
from .runner import (
    UNSUPPORTED_KINDS, check_gate, evaluate, gate, in_force, load_thresholds, needs_baseline, resolve_configs, run,
    threshold_sets,
)
from .sets import SET_NAMES, QuestionSet, knowledge_folder, load_set, question_set
from .systems import (
    BASELINE_CONFIG, CONFIGS, DEFAULT_CONFIG, AssistantSystem, Config, QuickstartSystem, open_system,
)

__all__ = [
    "BASELINE_CONFIG", "CONFIGS", "DEFAULT_CONFIG", "SET_NAMES", "SPLITS", "UNSUPPORTED_KINDS", "AssistantSystem",
    "Config", "EvalItem", "QuestionSet", "QuestionSetError", "QuickstartSystem", "check_gate", "document_texts",
    "evaluate", "gate", "in_force", "knowledge_folder", "load_questions", "load_set", "load_thresholds", "mentions",
    "needs_baseline", "open_system", "parse_questions", "question_set", "resolve_configs", "run", "summarize",
    "summary_table", "threshold_sets", "to_markdown", "write",
]
