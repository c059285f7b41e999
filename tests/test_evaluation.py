"""Evaluation runs on the real index and model: the default configuration passes the gate,
a deliberately broken one visibly fails it, and a question set with a quote that is not in
the document is refused before anything slow starts."""

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation import (
    CONFIGS, Config, QuestionSetError, check_gate, document_texts, evaluate, load_questions, load_thresholds,
    mentions, open_system,
)
from assistant.evaluation.metrics import answer_sentences

from .conftest import REPO, copy_knowledge

QA = REPO / "evals" / "qa.jsonl"
THRESHOLDS = REPO / "evals" / "thresholds.json"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A private knowledge folder and index for this module, and the question set checked against it."""
    knowledge = copy_knowledge(tmp_path_factory.mktemp("eval-kb") / "knowledge")
    persist = tmp_path_factory.mktemp("eval-index")
    return knowledge, persist, load_questions(QA, document_texts(knowledge))


@pytest.fixture(scope="module")
def gated_run(setup, tmp_path_factory):
    """`assistant eval --gate` with the default configuration, as CI would run it."""
    knowledge, persist, _ = setup
    out = tmp_path_factory.mktemp("eval-out")
    result = CliRunner().invoke(app, ["eval", str(QA), "--gate", "--thresholds", str(THRESHOLDS),
                                      "--knowledge-dir", str(knowledge), "--persist-dir", str(persist), "--out", str(out)])
    return result, out


def test_default_configuration_passes_the_gate(gated_run):
    result, out = gated_run
    assert result.exit_code == 0, result.output
    assert "gate passed for hybrid+positions" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] and report["gate"]["failures"] == []
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Evaluation report")
    metrics = report["configs"]["hybrid+positions"]["metrics"]
    assert metrics["questions"] == 124 and metrics["unanswerable"] == 22
    assert metrics["citation_validity"] == 1.0
    # LlamaIndex's RetrieverEvaluator over the same retriever agrees with our own count.
    assert metrics["llamaindex_hit_rate"] == pytest.approx(metrics["retrieval_hit_rate"], abs=0.05)
    assert metrics["llamaindex_mrr"] == pytest.approx(metrics["retrieval_mrr"], abs=0.05)
    assert set(report["configs"]["hybrid+positions"]["by_kind"]) >= {"list", "follow-up", "injection", "unanswerable"}


def test_broken_configuration_fails_the_gate(setup):
    knowledge, persist, items = setup
    broken = Config("one-passage", retrieval="hybrid", use_positions=False, top_k=1)
    run = evaluate(open_system(broken, knowledge, persist), items)
    failures = check_gate(run["metrics"], load_thresholds(THRESHOLDS))
    assert failures, run["metrics"]
    failed = {f.split(" ")[0] for f in failures}
    assert {"list_completeness", "evidence_recall"} <= failed, failures
    assert run["metrics"]["retrieval_k"] == 1
    assert run["metrics"]["citation_validity"] == 1.0  # broken recall, never a broken citation


def test_gate_failure_exits_1_and_names_the_figure(setup, tmp_path):
    knowledge, persist, _ = setup
    few = [line for line in QA.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] in ("q002", "q103")]
    (tmp_path / "few.jsonl").write_text("\n".join(few) + "\n", encoding="utf-8")
    (tmp_path / "strict.json").write_text(json.dumps({"min": {"fact_recall": 1.0, "abstention_recall": 1.0},
                                                      "max": {"latency_p95_ms": 0.0}}), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "few.jsonl"), "--gate", "--thresholds",
                                      str(tmp_path / "strict.json"), "--knowledge-dir", str(knowledge),
                                      "--persist-dir", str(persist), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "gate failed for hybrid+positions" in result.output
    assert "latency_p95_ms" in result.output and "rose above the threshold 0.0" in result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] is False


def _with_bad_quote(tmp_path):
    lines = QA.read_text(encoding="utf-8").splitlines()
    item = json.loads(lines[4])
    item["evidence"] = ["The delegations agreed on everything within an hour."]
    lines[4] = json.dumps(item, ensure_ascii=False)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, item["id"]


def test_loader_refuses_a_quote_not_in_the_document(tmp_path):
    path, qid = _with_bad_quote(tmp_path)
    with pytest.raises(QuestionSetError) as error:
        load_questions(path, document_texts(REPO / "knowledge"))
    assert f"question {qid}" in str(error.value)
    assert "line 5" in str(error.value) and "not found verbatim" in str(error.value)


def test_cli_refuses_the_set_before_loading_the_index(tmp_path):
    path, qid = _with_bad_quote(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(path), "--knowledge-dir", str(REPO / "knowledge"),
                                      "--persist-dir", str(tmp_path / "never-built"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert qid in result.output
    assert not (tmp_path / "never-built").exists() and not (tmp_path / "out").exists()


def test_every_named_configuration_is_known():
    assert list(CONFIGS) == ["dense", "bm25", "hybrid", "hybrid+positions", "llamaindex-quickstart"]


def test_facts_match_on_word_boundaries():
    assert not mentions("They will discuss it again.", "US")
    assert mentions("China and the US offered", "us")
    assert mentions("changing ‘shall’ to ‘may’", "'may'")
    assert not mentions("Article 35 (3)", "35(3)")  # spacing variants are listed in the set, not guessed
    assert mentions("The US didn’t support this proposal", "didn't support")


def test_a_marker_after_a_closing_quote_still_supports_its_sentence():
    text = "She said the treaty “waters down human rights.” [1]. Russia objected [2]."
    assert answer_sentences(text) == ["She said the treaty “waters down human rights.” [1].", "Russia objected [2]."]
    attributed = "“A failure of diplomacy.” (Dr. Tatiana Tropina, Leiden University) [1]. Egypt disagreed."
    assert answer_sentences(attributed) == ["“A failure of diplomacy.” (Dr. Tatiana Tropina, Leiden University) [1].",
                                            "Egypt disagreed."]


# -- generative against extractive ---------------------------------------------------
def _subset(tmp_path, ids) -> "Path":
    lines = [line for line in QA.read_text(encoding="utf-8").splitlines() if line.strip() and json.loads(line)["id"] in ids]
    path = tmp_path / "subset.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.llm
def test_generative_eval_reports_both_side_by_side(setup, tmp_path, monkeypatch):
    from assistant.generation.llamacpp import LocalModelUnavailable, model_path, server_binary

    from .llm_server import unavailable

    try:
        server_binary(), model_path()
    except LocalModelUnavailable as exc:
        unavailable(exc)
    for name in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    knowledge, persist, items = setup
    answerable = [i.id for i in items if i.answerable][::15]
    unanswerable = [i.id for i in items if not i.answerable][:2]
    path = _subset(tmp_path, set(answerable + unanswerable))
    result = CliRunner().invoke(app, ["eval", str(path), "--generative", "--local", "--knowledge-dir", str(knowledge),
                                      "--persist-dir", str(persist), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "| metric | extractive | generative |" in result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    gen = report["generative"]
    assert gen["extractive"]["questions"] == gen["generative"]["questions"] == len(answerable) + len(unanswerable)
    assert gen["extractive"]["fact_recall"] == report["configs"]["hybrid+positions"]["metrics"]["fact_recall"]
    g = gen["generation"]
    records = gen["records"]["generative"]
    assert g["model_calls"] == sum(r["model_called"] for r in records) <= len(answerable)
    assert not any(r["model_called"] for r in records if not r["answerable"] and r["abstained"])
    assert g["generative_answers"] + g["fallbacks"] == g["model_calls"]
    assert g["released_supported_rate"] in (None, 1.0)  # nothing unsupported reached the user
    assert gen["generative"]["citation_validity"] == 1.0
    assert gen["generative"]["latency_p50_ms"] > 0
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Generative against extractive" in md and "fallback rate" in md


def test_generative_eval_needs_a_model(setup, tmp_path, monkeypatch):
    knowledge, persist, _ = setup
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    path = _subset(tmp_path, {"q002"})
    common = ["--knowledge-dir", str(knowledge), "--persist-dir", str(persist), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, ["eval", str(path), "--generative", *common])
    assert result.exit_code == 2 and "ASSISTANT_LLM_BASE_URL" in result.output, result.output
    result = CliRunner().invoke(app, ["eval", str(path), "--local", *common])
    assert result.exit_code == 2 and "--generative" in result.output, result.output
    assert not (tmp_path / "out").exists()
