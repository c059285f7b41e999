"""Evaluation runs on the real index and model: the default configuration passes the gate,
a deliberately broken one visibly fails it, and a question set with a quote that is not in
the document is refused before anything slow starts."""

import json
from pathlib import Path

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
    assert mentions("the draft published on May 23rd", "May 23")  # a day with its ordinal suffix
    assert not mentions("the draft published on May 230", "May 23")
    assert mentions("Sixth session, New York, 21 August-1 September 2023", "September 1")  # either order
    assert mentions("It ends on September 1st.", "1 September") and not mentions("It ends on September 11.", "1 September")
    # numbered things named together under one plural, each stated
    assert all(mentions("amendments to Articles 6, 23, 24, and 40, as well as", f"Article {n}") for n in (6, 23, 24, 40))
    assert mentions("paragraphs 2 and 3 of Article 24", "paragraph 3") and not mentions("Articles 6, 23 and 24", "Article 2")
    assert mentions("Articles 6.2 and 35(3)", "Article 35(3)") and not mentions("Articles 6 and 23", "Article 40")


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


# -- question sets, the quick-start baseline, the retrieval/citation gap, the per-set gate ----------
# A tiny evaluation corpus written for these tests, laid out as evals/corpus will be: documents/
# with .meta.yaml beside each, questions.jsonl with a split per item, stances.yaml.
TINY_DOCUMENTS = {
    "sixth-session-notes.md": """# Notes from the sixth session

Delegates met in New York to discuss the revised draft convention.

## Article 24

Brazil proposed adding a reference to the principle of legality in Article 24. Egypt objected to Article 24 because it singles out proportionality over other principles.

## Article 35

Canada called for deleting Article 35(3), saying the paragraph would widen the scope of the convention beyond cybercrime.
""",
    "observer-brief.txt": """Observer brief: the 24/7 network

Ghana supported the 24/7 network in Article 41, arguing that small states need a single point of contact that is available at all hours.

The chair circulated a revised text on the final Friday of the session.
""",
    "data-protection-note.md": """# Data protection in the draft convention

Norway said that transfers of personal data under Article 36 must respect national data protection law.
""",
    # long enough for several 256-token chunks
    "session-diary.md": "# Session diary\n\n" + "\n\n".join(
        f"On day {n} of the session the delegates spent the morning on procedural matter number {n}, "
        f"heard statements from observers about capacity building in region {n}, and adjourned "
        f"in the afternoon after informal consultations on paragraph {n} of the preamble."
        for n in range(1, 31)) + "\n",
}
TINY_QUESTIONS = [
    {"id": "d1", "split": "dev", "kind": "who", "question": "Which delegation called for deleting Article 35(3)?",
     "answerable": True, "facts": [["Canada"]], "evidence": ["Canada called for deleting Article 35(3)"]},
    {"id": "d2", "split": "dev", "kind": "why", "question": "Why did Egypt object to Article 24?", "answerable": True,
     "facts": [["proportionality"]],
     "evidence": ["Egypt objected to Article 24 because it singles out proportionality over other principles."]},
    {"id": "d3", "split": "dev", "kind": "unanswerable", "question": "What did Tuvalu say about Article 24?",
     "answerable": False},
    {"id": "h1", "split": "heldout", "kind": "why", "question": "Why did Ghana support the 24/7 network?",
     "answerable": True, "facts": [["point of contact"]],
     "evidence": ["small states need a single point of contact that is available at all hours"]},
    {"id": "h2", "split": "heldout", "kind": "why", "question": "What did Norway say about transfers of personal data?",
     "answerable": True, "facts": [["data protection"]],
     "evidence": ["Norway said that transfers of personal data under Article 36 must respect national data protection law."]},
    {"id": "h3", "split": "heldout", "kind": "unanswerable", "question": "What did Tuvalu say about Article 36?",
     "answerable": False},
    {"id": "h4", "split": "heldout", "kind": "not-yet-a-kind", "question": "When did the chair circulate a revised text?",
     "answerable": True, "facts": [["final Friday"]],
     "evidence": ["The chair circulated a revised text on the final Friday of the session."]},
    {"id": "h5", "split": "heldout", "kind": "scoped", "scope": {"documents": ["observer-brief"]},
     "question": "Which states supported the 24/7 network?", "answerable": True, "facts": [["Ghana"]],
     "evidence": ["Ghana supported the 24/7 network in Article 41"]},
]


def write_tiny_corpus(root) -> "Path":
    docs = root / "documents"
    docs.mkdir(parents=True)
    for name, text in TINY_DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
        stem = name.rsplit(".", 1)[0]
        (docs / f"{stem}.meta.yaml").write_text(
            f"title: \"{text.splitlines()[0].lstrip('# ')}\"\npublisher: test fixture\ndate: \"2024-02\"\n"
            "kind: note\nsource: written for tests/test_evaluation.py\nlicence: CC0\n", encoding="utf-8")
    (root / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in TINY_QUESTIONS) + "\n", encoding="utf-8")
    (root / "stances.yaml").write_text(
        "- {document: sixth-session-notes, actor: Canada, stance: opposes, target: \"35(3)\", "
        "quote: \"Canada called for deleting Article 35(3)\"}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny corpus, and an index shared by the runs over it."""
    return write_tiny_corpus(tmp_path_factory.mktemp("tiny") / "corpus"), tmp_path_factory.mktemp("tiny-index")


def test_sets_select_questions_by_split(tiny):
    from assistant.evaluation import load_set, question_set

    corpus, _ = tiny
    ids = {name: [i.id for i in load_set(question_set(name, REPO / "knowledge", corpus))]
           for name in ("dev", "heldout", "corpus")}
    assert ids == {"dev": ["d1", "d2", "d3"], "heldout": ["h1", "h2", "h3", "h4", "h5"],
                   "corpus": ["d1", "d2", "d3", "h1", "h2", "h3", "h4", "h5"]}
    heldout = load_set(question_set("heldout", REPO / "knowledge", corpus))
    assert heldout[-1].scope == {"documents": ["observer-brief"]} and heldout[-1].split == "heldout"
    assert heldout[1].spans[0][0][0] == "data-protection-note"  # quotes located in the corpus's documents
    seed = question_set("seed", REPO / "knowledge", corpus)
    assert seed.question_file == Path("evals/qa.jsonl") and seed.curated and seed.splits == ()


def test_split_filter_refuses_items_without_a_split_and_unknown_sets(tiny, tmp_path):
    from assistant.errors import InputError
    from assistant.evaluation import load_set, question_set

    corpus, _ = tiny
    lines = (corpus / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    no_split = json.loads(lines[1])
    del no_split["split"]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(no_split)]) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"line 2 \(question d2\): missing 'split'"):
        load_set(question_set("dev", REPO / "knowledge", corpus, question_file=path))
    bad = dict(json.loads(lines[0]), split="test")
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="'split' must be one of dev, heldout"):
        load_set(question_set("dev", REPO / "knowledge", corpus, question_file=path))
    with pytest.raises(InputError, match="unknown question set 'train'"):
        question_set("train")


def test_corpus_sets_get_a_temporary_knowledge_folder_without_curated_positions(tiny):
    from assistant.evaluation import knowledge_folder, question_set

    corpus, _ = tiny
    with knowledge_folder(question_set("heldout", REPO / "knowledge", corpus)) as folder:
        assert sorted(p.name for p in folder.iterdir()) == ["actors.yaml", "articles.yaml", "documents"]
        assert not (folder / "documents").is_symlink()
        assert sorted(p.name for p in (folder / "documents").iterdir()) == sorted(
            p.name for p in (corpus / "documents").iterdir())
        assert (folder / "actors.yaml").read_bytes() == (REPO / "knowledge" / "actors.yaml").read_bytes()
    assert not folder.exists()
    with knowledge_folder(question_set("seed", REPO / "knowledge", corpus)) as folder:
        assert folder == REPO / "knowledge"


def test_quickstart_baseline_retrieves_from_chroma_on_the_tiny_corpus(tiny):
    """The real thing: the packaged all-MiniLM-L6-v2, LlamaIndex's SentenceSplitter(256) and a
    Chroma collection through llama-index-vector-stores-chroma, top 5."""
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant.evaluation import EvalItem, QuickstartSystem, knowledge_folder, question_set

    corpus, _ = tiny
    config = CONFIGS["llamaindex-quickstart"]
    assert (config.top_k, config.chunk_size, config.baseline) == (5, 256, True)
    with knowledge_folder(question_set("corpus", REPO / "knowledge", corpus)) as folder:
        system = QuickstartSystem(folder, config)
    try:
        assert isinstance(system.llama_retriever._vector_store, ChromaVectorStore)
        assert system.collection.count() == len(system.units)  # every chunk is in Chroma
        diary = [u for u in system.units.values() if u.document_id == "session-diary"]
        assert len(diary) > 1  # split at 256 tokens
        tokenizer = SentenceSplitter(chunk_size=256)._tokenizer
        for unit in system.units.values():
            assert len(tokenizer(unit.text)) <= 256
            assert system.documents[unit.document_id][unit.start:unit.end] == unit.text  # offsets in the raw file
        item = EvalItem("t", "why", "Why did Ghana support the 24/7 network?", True,
                        evidence=["small states need a single point of contact that is available at all hours"])
        retrieved = system.retrieve(item)
        assert len(retrieved) == 5
        assert system.units[retrieved[0]].document_id == "observer-brief"
        reply = system.answer(item)
        assert [c["document_id"] for c in reply.citations][0] == "observer-brief" and not reply.abstained
    finally:
        system.close()
    assert system.collection.name not in [c.name for c in system._client.list_collections()]


def test_gap_is_evidence_retrieved_minus_evidence_cited():
    from assistant.evaluation import summarize

    def record(cited, quotes, in_top_k, answerable=True):
        return {"kind": "why", "answerable": answerable, "abstained": False, "citations": [], "sentences": 1,
                "unsupported": 0, "seconds": 0.01, "answer_chars": 10, "failures": [],
                "facts": {"found": [], "missed": []}, "list": {"found": [], "missed": []},
                "evidence": {"covered": cited, "total": quotes, "missed": []},
                "retrieval": {"k": 5, "rank": 1 if in_top_k else None, "expected": ["p"], "quotes": quotes,
                              "quotes_retrieved": in_top_k, "li_hit": None, "li_mrr": None}}

    # 4 gold quotes: 3 in the top k, 2 cited; one question has its quote retrieved but not cited.
    m = summarize([record(1, 1, 1), record(1, 2, 1), record(0, 1, 1)])
    assert m["retrieval_evidence_recall"] == pytest.approx(3 / 4)
    assert m["evidence_recall"] == pytest.approx(2 / 4)
    assert m["retrieval_citation_gap"] == pytest.approx(0.25)
    assert m["retrieval_hit_rate"] == 1.0  # per question, any quote: blind to what the gap shows
    # answers citing evidence beyond the top k (position records) make the gap negative
    assert summarize([record(1, 1, 0)])["retrieval_citation_gap"] == pytest.approx(-1.0)
    assert summarize([record(0, 0, 0, answerable=False) | {"retrieval": None}])["retrieval_citation_gap"] is None


@pytest.fixture(scope="module", autouse=True)
def _a_kind_not_supported():
    """Every kind of the evaluation corpus is supported now; the mechanism that keeps an unsupported
    kind out of the headline and the gate is tested on a made-up one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("assistant.evaluation.runner.UNSUPPORTED_KINDS", frozenset({"not-yet-a-kind"}))
        yield


@pytest.fixture(scope="module")
def corpus_run(tiny, tmp_path_factory):
    """`assistant eval --set corpus --compare` over the tiny corpus."""
    corpus, persist = tiny
    out = tmp_path_factory.mktemp("corpus-out")
    result = CliRunner().invoke(app, ["eval", "--set", "corpus", "--compare", "--corpus-dir", str(corpus),
                                      "--knowledge-dir", str(REPO / "knowledge"), "--persist-dir", str(persist),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8")), (out / "report.md").read_text(encoding="utf-8")


def test_corpus_run_reports_splits_kinds_and_the_gap(corpus_run):
    report, md = corpus_run
    assert report["set"] == "corpus" and report["splits"] == {"dev": 3, "heldout": 5}
    assert sorted(report["documents"]) == sorted(n.rsplit(".", 1)[0] for n in TINY_DOCUMENTS)
    primary = report["configs"]["hybrid+positions"]
    # h5 is asked with its scope; h4 (a kind not supported) is asked and kept out of the headline
    assert primary["skipped"] == []
    assert {r["id"] for r in primary["records"]} == {"d1", "d2", "d3", "h1", "h2", "h3", "h4", "h5"}
    h5 = next(r for r in primary["records"] if r["id"] == "h5")
    assert h5["scope"] == {"documents": ["observer-brief"]}
    assert {c["document_id"] for c in h5["citations"]} <= {"observer-brief"}
    assert primary["metrics"]["questions"] == 7 and primary["metrics"]["unanswerable"] == 2
    assert set(primary["unsupported_kinds"]) == {"not-yet-a-kind"} and primary["by_kind"]["not-yet-a-kind"]["questions"] == 1
    assert {s: p["metrics"]["questions"] for s, p in primary["by_split"].items()} == {"dev": 3, "heldout": 4}
    for name, run in report["configs"].items():
        m = run["metrics"]
        assert m["retrieval_citation_gap"] == pytest.approx(m["retrieval_evidence_recall"] - m["evidence_recall"]), name
        for part in run["by_split"].values():
            p = part["metrics"]
            assert p["retrieval_citation_gap"] == pytest.approx(p["retrieval_evidence_recall"] - p["evidence_recall"])
    base = report["configs"]["llamaindex-quickstart"]["metrics"]
    assert base["retrieval_k"] == 5
    assert base["retrieval_citation_gap"] == 0.0  # the baseline cites exactly what it retrieved
    assert primary["metrics"]["citation_validity"] == 1.0
    assert "## `hybrid+positions` by kind, heldout split" in md and "not-yet-a-kind (not yet supported)" in md
    assert "Retrieval − citation gap (a − b)" in md and "## Headline figures by split" in md
    # a system whose ask takes no scope (the quick-start baseline) skips scoped questions and says why
    assert [(s["id"], s["reason"].split(":")[0]) for s in report["configs"]["llamaindex-quickstart"]["skipped"]] == [
        ("h5", "scope not supported")]


def test_thresholds_are_per_set():
    from assistant.errors import InputError
    from assistant.evaluation import in_force

    seed = load_thresholds(THRESHOLDS, "seed")
    assert seed["max"]["retrieval_citation_gap"] == 0.05 and seed["min"]["fact_recall"] == 0.88
    assert load_thresholds(THRESHOLDS) == seed  # the default set is seed
    heldout = load_thresholds(THRESHOLDS, "heldout")
    assert in_force(heldout)  # floors a little below the measured figures, so losing ground fails
    # Floors are only ever raised (0.58 and 0.12 were the first ones).
    assert heldout["min"]["fact_recall"] >= 0.58 and heldout["max"]["false_abstention_rate"] <= 0.12
    assert heldout["draft"]["min"] == {"fact_recall": 0.85, "evidence_recall": 0.85, "abstention_precision": 0.9,
                                       "abstention_recall": 0.9}
    assert heldout["draft"]["max"] == {"false_abstention_rate": 0.05, "retrieval_citation_gap": 0.05}
    assert heldout["draft"]["above_baseline"] == {"evidence_recall": "retrieval_evidence_recall"}
    with pytest.raises(InputError, match="no thresholds for the 'dev' set"):
        load_thresholds(THRESHOLDS, "dev")
    metrics = {"evidence_recall": 0.80}
    assert check_gate(metrics, {"above_baseline": {"evidence_recall": "retrieval_evidence_recall"}},
                      {"retrieval_evidence_recall": 0.81}) == [
        "evidence_recall = 0.800 is not above the baseline's retrieval_evidence_recall = 0.810"]
    assert check_gate(metrics, {"above_baseline": {"evidence_recall": "retrieval_evidence_recall"}},
                      {"retrieval_evidence_recall": 0.79}) == []


def _thresholds(tmp_path, heldout: dict):
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"seed": json.loads(THRESHOLDS.read_text())["seed"], "heldout": heldout}))
    return path


def test_heldout_gate_checks_the_heldout_section(tiny, tmp_path):
    corpus, persist = tiny
    common = ["eval", "--set", "heldout", "--gate", "--corpus-dir", str(corpus), "--knowledge-dir",
              str(REPO / "knowledge"), "--persist-dir", str(persist)]
    strict = _thresholds(tmp_path, {"min": {"fact_recall": 1.01}, "above_baseline": {"evidence_recall": "evidence_recall"}})
    result = CliRunner().invoke(app, [*common, "--thresholds", str(strict), "--out", str(tmp_path / "strict")])
    assert result.exit_code == 1, result.output
    assert "gate failed for hybrid+positions on the heldout set" in result.output
    assert "fact_recall" in result.output and "fell below the threshold 1.01" in result.output
    assert "is not above the baseline's evidence_recall" in result.output  # an Assistant ties the baseline at best here
    report = json.loads((tmp_path / "strict" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["set"] == "heldout" and not report["gate"]["passed"]
    assert "llamaindex-quickstart" in report["configs"]  # run because a threshold compares with it
    assert report["configs"]["hybrid+positions"]["metrics"]["questions"] == 4  # h1-h3 and h5; h4 unsupported

    # a section with only draft targets: measured and reported, not failed on
    draft_only = _thresholds(tmp_path, {"min": {}, "max": {},
                                        "draft": json.loads(THRESHOLDS.read_text())["heldout"]["draft"]})
    result = CliRunner().invoke(app, [*common, "--thresholds", str(draft_only), "--out", str(tmp_path / "draft")])
    assert result.exit_code == 0, result.output
    assert "no thresholds in force for heldout yet" in result.output
    report = json.loads((tmp_path / "draft" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] and not report["gate"]["in_force"] and report["gate"]["thresholds"]["draft"]
    assert "gate passed for hybrid+positions on the heldout set: no threshold in force" in result.output
    assert ("Draft targets (not in force)" in (tmp_path / "draft" / "report.md").read_text()) == bool(report["gate"]["draft_misses"])

    # a set without a section is refused before anything runs
    result = CliRunner().invoke(app, ["eval", "--set", "dev", "--gate", "--corpus-dir", str(corpus), "--thresholds",
                                      str(THRESHOLDS), "--out", str(tmp_path / "never")])
    assert result.exit_code == 2 and "no thresholds for the 'dev' set" in result.output
    assert not (tmp_path / "never").exists()


def minimal_pdf(lines):
    """A one-page PDF with the given lines in Helvetica, uncompressed, written by hand."""
    body = "BT /F1 11 Tf 72 760 Td 14 TL " + " ".join(
        "(" + l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for l in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out.encode("latin-1")))
        out += f"{number} 0 obj\n{obj}\nendobj\n"
    xref = len(out.encode("latin-1"))
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_baseline_finds_gold_quotes_in_raw_html_and_reads_pdf_text(tmp_path):
    """The baseline reads raw files; a quote written from the cleaned text is still found in HTML,
    and a PDF is read as its text (not its bytes)."""
    from assistant.evaluation import EvalItem, QuickstartSystem

    docs = tmp_path / "knowledge" / "documents"
    docs.mkdir(parents=True)
    (docs / "statement.html").write_text(
        "<html><body><h1>Statement</h1><p>Egypt&rsquo;s delegation   said the text\n<em>“singles out proportionality”</em>"
        " in Article 24.</p></body></html>", encoding="utf-8")
    (docs / "chile.pdf").write_bytes(minimal_pdf(["Chile said the convention must protect",
                                                  "security researchers acting in good faith."]))
    system = QuickstartSystem(tmp_path / "knowledge", CONFIGS["llamaindex-quickstart"])
    try:
        assert system.documents["chile"].startswith("Chile said the convention")
        quote = "Egypt’s delegation said the text “singles out proportionality” in Article 24."
        item = EvalItem("q", "why", "Why did Egypt object to Article 24?", True, evidence=[quote])
        [[(doc, start, end)]] = system.gold_spans(item)
        raw = system.documents["statement"]
        assert doc == "statement" and raw[start:end].startswith("Egypt&rsquo;s") and raw[start:end].endswith("24.")
        reply = system.answer(item)
        assert any(c["start"] <= start and end <= c["end"] for c in reply.citations)
        item = EvalItem("p", "who", "Who must the convention protect, according to Chile?", True,
                        evidence=["security researchers acting in good faith."])
        [[(doc, start, end)]] = system.gold_spans(item)
        assert doc == "chile" and system.documents["chile"][start:end] == "security researchers acting in good faith."
        assert system.units[system.retrieve(item)[0]].document_id == "chile"
    finally:
        system.close()
