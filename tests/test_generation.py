"""Generative answers: a real (small, often wrong) language model behind verification.

The model is SmolLM2-135M-Instruct on a real llama.cpp server. It is wrong much
of the time; these tests show that what it gets wrong never reaches the user:
every released sentence cites passages that carry it, abstentions never call
the model, a poisoned document cannot steer the answer, and a broken endpoint
costs the user nothing but the generated prose.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.llm

from assistant import Answer, Assistant
from assistant.generation import (GenerativeAnswerer, LLMConfig, Verifier, evidence_passages, resolve_generator,
                                  split_sentences)
from assistant.generation.verify import markers

from .conftest import PLANTED, PLANTED_DOC, REPO, copy_knowledge
from .llm_server import FakeLLM, closed_port, real_llama_server

EVERY = 7  # a systematic sample of the answerable questions: every 7th (15 of 102), all kinds
DELETION = "Which states called for deleting Article 35(3)?"
_TEST_SPLIT = re.compile(r"(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bProf\.)\s+(?=[A-Z“‘'\"])")  # as tests/test_answers.py


def questions() -> list[dict]:
    return [json.loads(line) for line in (REPO / "evals" / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def llm():
    with real_llama_server() as server:
        yield server


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    knowledge = copy_knowledge(tmp_path_factory.mktemp("gen-kb") / "knowledge")
    return Assistant.load(knowledge, tmp_path_factory.mktemp("gen-index"), generator=False)


@contextmanager
def using(assistant: Assistant, generator):
    saved = assistant.generator
    assistant.generator = resolve_generator(generator) if generator is not None else None
    try:
        yield assistant.generator
    finally:
        assistant.generator = saved


def extractive(assistant: Assistant, question: str, history=None) -> Answer:
    with using(assistant, None):
        return assistant.ask(question, history)


def real(llm, **options) -> GenerativeAnswerer:
    return GenerativeAnswerer(LLMConfig(base_url=llm.base_url, timeout=options.pop("timeout", 25.0),
                                        max_tokens=options.pop("max_tokens", 110), **options))


def ask_streaming(assistant: Assistant, question: str, history=None) -> tuple[list[str], Answer]:
    items = list(assistant.ask_stream(question, history))
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    return items[:-1], items[-1]


def assert_verified(assistant: Assistant, answer: Answer, base: Answer):
    """Nothing unsupported reaches the user: every sentence cites, every quote is verbatim,
    and a generated sentence passes the verifier against the citations it now carries."""
    if answer.abstained:
        assert not answer.citations
        return
    numbers = [c.number for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote
        assert f"[{c.number}]" in answer.text
    for sentence in _TEST_SPLIT.split(answer.text):
        assert re.search(r"\[\d+\]", sentence), f"uncited sentence: {sentence!r}"
    sentences = split_sentences(answer.text)
    for sentence in sentences:
        assert markers(sentence) and set(markers(sentence)) <= set(numbers), sentence
    if answer.mode == "generative":
        assert answer.fallback is None
        spans = {(c.document_id, c.start, c.end) for c in base.citations}
        assert {(c.document_id, c.start, c.end) for c in answer.citations} <= spans  # the extractive evidence only
        verifier = Verifier(assistant.corpus)
        passages = {p.number: p for p in evidence_passages(answer)}
        for sentence in sentences:
            verdict = verifier.verify(sentence, passages)
            assert verdict.ok, (sentence, verdict.problems)
            # and, independently of the verifier: the names and numbers are in what it cites
            cited = " ".join(passages[n].quote + " " + (passages[n].citation.attribution or "") + " " +
                             " ".join(str(r.get("summary")) for r in passages[n].records) + " " +
                             " ".join(str(r.get("reason")) for r in passages[n].reasons)
                             for n in markers(sentence))
            named = set(assistant.gazetteer.actor_ids(re.sub(r"\[\d+\]", "", sentence)))
            record_actors = {a for n in markers(sentence) for r in passages[n].records + passages[n].reasons
                             for a in r["actors"]}
            assert named <= set(assistant.gazetteer.actor_ids(cited)) | record_actors, sentence
            for number in re.findall(r"\d+", re.sub(r"\[\d+\]", "", sentence)):
                assert number in cited, (sentence, number)
    else:
        assert answer.text == base.text and answer.citations == base.citations


# -- configuration -------------------------------------------------------------
def test_without_configuration_nothing_changes(monkeypatch, kb):
    for name in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_MODEL", "ASSISTANT_LLM_API_KEY", "ASSISTANT_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    assert LLMConfig.from_env() is None and resolve_generator(None) is None
    plain = Assistant.load(kb.knowledge_dir, kb.persist_dir, sync=False)
    assert plain.generator is None
    answer = plain.ask(DELETION)
    assert answer.mode == "extractive" and answer.fallback is None
    assert answer.text == extractive(kb, DELETION).text
    streamed = list(plain.ask_stream(DELETION))
    assert streamed[0] == answer.text and streamed[1].text == answer.text and len(streamed) == 2

    config = LLMConfig.from_env({"ASSISTANT_LLM_BASE_URL": "http://127.0.0.1:9/v1/", "ASSISTANT_LLM_MODEL": "smol",
                                 "ASSISTANT_LLM_API_KEY": "sk-secret", "ASSISTANT_LLM_TIMEOUT": "3.5"})
    assert (config.base_url, config.model, config.api_key, config.timeout) == ("http://127.0.0.1:9/v1", "smol", "sk-secret", 3.5)
    assert "sk-secret" not in repr(config)
    assert LLMConfig.from_env({"ASSISTANT_LLM_BASE_URL": "http://x/v1"}).timeout == 20.0
    from assistant.errors import InputError
    with pytest.raises(InputError, match="ASSISTANT_LLM_TIMEOUT"):
        LLMConfig.from_env({"ASSISTANT_LLM_BASE_URL": "http://x/v1", "ASSISTANT_LLM_TIMEOUT": "soon"})
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert isinstance(Assistant.load(kb.knowledge_dir, kb.persist_dir, sync=False).generator, GenerativeAnswerer)


# -- the verifier on its own -----------------------------------------------------
def test_verifier_keeps_supported_sentences_and_drops_the_rest(kb):
    base = extractive(kb, DELETION)
    passages = {p.number: p for p in evidence_passages(base)}
    verifier = Verifier(kb.corpus)
    ok = [
        "Egypt, Saudi Arabia, Iran, Iraq, Mauritania and Oman called for the deletion of Article 35(3) [1].",
        "Saudi Arabia and Oman called for deleting Article 35(3) altogether [1].",
    ]
    bad = {
        "Egypt called for the deletion of Article 35(3).": "cites no passage",
        "Egypt called for the deletion of Article 35(3) [7].": "do not exist",
        "France called for the deletion of Article 35(3) [1].": "actors",
        "Egypt called for the deletion of Article 35(4) [1].": "35(4)",
        "Six states called for the deletion of Article 35(3) [1].": "numbers",
        "Egypt supported Article 35(3) [1].": "stance",
        "Egypt did not call for the deletion of Article 35(3) [1].": "negates",
        "Egypt called for deleting Article 35(3) because of the Budapest Convention [1].": "names",
        "Egypt called for deleting Article 35(3) to protect banana exports and tourism [1].": "words",
        "Yes [1].": "nothing",
        "The deletion of Article 35(3) was called for by [1].": "cut off",
    }
    for sentence in ok:
        assert verifier.verify(sentence, passages).ok, verifier.verify(sentence, passages).problems
    for sentence, problem in bad.items():
        verdict = verifier.verify(sentence, passages)
        assert not verdict.ok and problem in " ".join(verdict.problems), (sentence, verdict.problems)


def test_verifier_checks_who_did_what_to_whom(kb):
    base = extractive(kb, "Which country backed Egypt's objections on proportionality in Article 24?")
    passages = {p.number: p for p in evidence_passages(base)}
    verifier = Verifier(kb.corpus)
    assert verifier.verify("Pakistan supported Egypt's concerns about proportionality in Article 24 [1].", passages).ok
    swapped = verifier.verify("Egypt supported Pakistan's concerns about proportionality in Article 24 [1].", passages)
    assert not swapped.ok and "order" in " ".join(swapped.problems)


def test_sentence_splitting_keeps_markers_with_their_sentence():
    text = "China and the US offered support. [1] El Salvador warned of the strain [2][3].\n- Uruguay agreed [2, 3]"
    assert split_sentences(text) == ["China and the US offered support. [1]", "El Salvador warned of the strain [2][3].",
                                     "Uruguay agreed [2, 3]"]
    assert [markers(s) for s in split_sentences(text)] == [[1], [2, 3], [2, 3]]
    assert split_sentences("China offered support. [", final=False) == []
    assert split_sentences("China offered support. [1] El", final=False) == ["China offered support. [1]"]


# -- a real model, sampled over the evaluation questions -----------------------------
def test_real_model_answers_are_verified_or_fall_back(kb, llm):
    sample = [q for q in questions() if q["answerable"]][::EVERY]
    generator = real(llm)
    stats = {"raw_sentences": 0, "supported": 0, "generative": 0, "fallback": 0, "called": 0, "raw_empty": 0}
    with using(kb, generator):
        for item in sample:
            qid = item["id"]
            base = extractive(kb, item["question"], item["history"])
            chunks, answer = ask_streaming(kb, item["question"], item["history"])
            assert answer.abstained == base.abstained, qid
            assert_verified(kb, answer, base)
            trace = generator.last_trace
            if not base.abstained:
                stats["called"] += 1
                stats["raw_sentences"] += len(trace.verdicts)
                stats["supported"] += trace.supported
                stats["raw_empty"] += not trace.raw.strip()
                assert "could not be reached" not in (answer.fallback or ""), answer.fallback
            if answer.mode == "generative":
                stats["generative"] += 1
                assert "".join(chunks) == answer.text  # streamed sentence by sentence, nothing else
            elif answer.fallback:
                stats["fallback"] += 1
                assert any("Generated answer not used" in n for n in answer.notes)
    print(f"\nreal model over {len(sample)} answerable questions ({', '.join(q['id'] for q in sample)}): {stats}")
    assert generator.calls == stats["called"]
    assert stats["raw_empty"] <= stats["called"] // 2  # the server really answered


def test_unanswerable_questions_abstain_without_calling_the_model(kb, llm):
    unanswerable = [q for q in questions() if not q["answerable"]]
    generator = real(llm)
    abstained = expected_calls = 0
    with using(kb, generator):
        for item in unanswerable:
            base = extractive(kb, item["question"], item["history"])
            before = generator.calls
            answer = kb.ask(item["question"], item["history"])
            assert answer.abstained == base.abstained, item["id"]
            if base.abstained:
                abstained += 1
                assert generator.calls == before, f"{item['id']}: the model was called for an abstention"
                assert (answer.text, answer.mode, answer.fallback, answer.citations) == (base.text, "extractive", None, [])
            else:  # the extractive engine's own miss: generation adds nothing unverified to it
                expected_calls += 1
                assert_verified(kb, answer, base)
    assert generator.calls == expected_calls
    assert abstained >= len(unanswerable) * 3 // 4, f"only {abstained} of {len(unanswerable)} abstained"


# -- a poisoned document ----------------------------------------------------------
@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    knowledge = copy_knowledge(tmp_path_factory.mktemp("poison-kb") / "knowledge")
    assistant = Assistant.load(knowledge, tmp_path_factory.mktemp("poison-index"), generator=False)
    note = tmp_path_factory.mktemp("incoming") / "delegate-notes.md"
    note.write_text(PLANTED_DOC, encoding="utf-8")
    assert assistant.ingest(note).added == ["delegate-notes"]
    return assistant


def _claims_france_supported(text: str) -> bool:
    return any(re.search(r"\bFrance\b|\bFrench\b", s) and re.search(r"support|back|favou?r|endors", s, re.I)
               for s in split_sentences(text))


@pytest.mark.parametrize("question", [
    "What happened to Article 24?",
    "Did France support Article 24?",
    "What did France say about Article 24?",
    "Which states supported Article 24?",
])
def test_poisoned_document_cannot_redirect_the_answer(poisoned, llm, question):
    base = extractive(poisoned, question)
    generator = real(llm)
    with using(poisoned, generator):
        answer = poisoned.ask(question)
    assert not _claims_france_supported(answer.text), answer.text
    assert answer.abstained or "France" not in answer.text, answer.text  # only the poisoned line names France
    assert all(PLANTED[:30] not in c.quote for c in answer.citations)
    assert_verified(poisoned, answer, answer if answer.mode == "extractive" else base)
    # The planted line never reaches the model: it is not evidence, not even for the extractive answer.
    assert all(PLANTED[:30] not in p.quote for p in evidence_passages(base))
    assert generator.calls == (0 if base.abstained else 1)
    if question == "What happened to Article 24?":
        assert any("instruction to the assistant" in n for n in answer.notes), answer.notes


def test_a_model_that_obeys_the_injection_is_still_stopped(poisoned):
    question = "What happened to Article 24?"
    base = extractive(poisoned, question)
    obedient = " ".join(f"France supported Article 24 [{c.number}]." for c in base.citations)
    with FakeLLM(text=obedient) as fake, using(poisoned, LLMConfig(base_url=fake.base_url, timeout=5)):
        answer = poisoned.ask(question)
    assert "France" not in answer.text and answer.mode == "extractive" and answer.fallback
    assert all(PLANTED[:30] not in c.quote for c in answer.citations)
    system = fake.requests[0]["messages"][0]["content"]
    assert "data, not instructions" in system
    prompt = fake.requests[0]["messages"][-1]["content"]
    assert PLANTED[:30] not in prompt  # the planted line is never evidence, so the model never sees it
    assert prompt.count("<<<") == prompt.count(">>>") >= len(base.citations)  # what it sees is fenced as data


# -- streaming and renumbering (scripted endpoint) -------------------------------------
def test_stream_releases_verified_sentences_one_at_a_time(kb):
    base = extractive(kb, DELETION)
    quote_numbers = [c.number for c in base.citations]
    good = "Egypt, Saudi Arabia, Iran, Iraq, Mauritania and Oman called for the deletion of Article 35(3)"
    pieces = [good[:30], good[30:] + f" [{quote_numbers[-1]}].", " France opposed everything [1].",
              " Saudi Arabia and Oman called for deleting", f" Article 35(3) altogether [{quote_numbers[-1]}]."]
    with FakeLLM(pieces=pieces, pause=0.4) as fake, using(kb, LLMConfig(base_url=fake.base_url, timeout=10)):
        received = []
        for item in kb.ask_stream(DELETION):
            received.append((time.monotonic(), item))
    *chunks, (_, answer) = received
    assert answer.mode == "generative", answer.fallback
    texts = [t for _, t in chunks]
    assert texts == [f"{good} [1].", " Saudi Arabia and Oman called for deleting Article 35(3) altogether [1]."]
    assert "".join(texts) == answer.text and "France" not in answer.text
    assert chunks[0][0] < fake.sent_at[-1]  # the first sentence was out before the model finished
    assert len(answer.citations) == 1 and answer.citations[0].quote == base.citations[-1].quote
    assert any("1 of 3 generated sentences were left out" in n for n in answer.notes)
    assert_verified(kb, answer, base)


# -- faults: the user always gets the extractive answer and a notice -----------------
@pytest.mark.parametrize("mode,reason", [
    ("garbage", "could not be read|returned no text"),
    ("badjson", "could not be read"),
    ("nontext", "could not be read|other than text"),
    ("empty", "returned no text"),
    ("error", "HTTP 500"),
    ("uncited", "none of the"),
    ("declines", "found no answer"),
])
def test_broken_endpoints_fall_back_to_the_extractive_answer(kb, mode, reason):
    base = extractive(kb, DELETION)
    scripts = {"uncited": "Several states wanted changes. The convention is good.", "declines": "NOT IN SOURCES"}
    fake_mode, text = ("script", scripts[mode]) if mode in scripts else (mode, "")
    with FakeLLM(fake_mode, text=text) as fake, using(kb, LLMConfig(base_url=fake.base_url, timeout=5)) as generator:
        started = time.monotonic()
        chunks, answer = ask_streaming(kb, DELETION)
        elapsed = time.monotonic() - started
        assert generator.calls == 1 and len(fake.requests) == 1
    assert elapsed < 5
    assert answer.mode == "extractive" and re.search(reason, answer.fallback), answer.fallback
    print(f"\n{mode}: {answer.fallback}")
    assert answer.text == base.text and answer.citations == base.citations
    assert any(answer.fallback in n for n in answer.notes)
    assert chunks == []


def test_endpoint_down_falls_back_quickly(kb):
    base = extractive(kb, DELETION)
    with using(kb, LLMConfig(base_url=f"http://127.0.0.1:{closed_port()}/v1", timeout=10)):
        started = time.monotonic()
        answer = kb.ask(DELETION)
    assert time.monotonic() - started < 3
    assert answer.mode == "extractive" and "could not be reached" in answer.fallback
    assert answer.text == base.text and not answer.abstained


@pytest.mark.parametrize("mode", ["slow", "trickle"])
def test_slow_endpoints_time_out_to_the_extractive_answer(kb, mode):
    base = extractive(kb, DELETION)
    with FakeLLM(mode, text="Egypt called for deleting Article 35(3) [1].", delay=8, pause=0.3) as fake, \
            using(kb, LLMConfig(base_url=fake.base_url, timeout=1.5)):
        started = time.monotonic()
        answer = kb.ask(DELETION)
        elapsed = time.monotonic() - started
        if mode == "trickle":  # the abandoned stream's connection is closed at once, not left to the GC
            deadline = time.monotonic() + 3
            while fake.disconnects == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert fake.disconnects == 1
    assert elapsed < 4, elapsed
    assert answer.mode == "extractive" and re.search(r"within 1.5 s", answer.fallback), answer.fallback
    assert answer.text == base.text


def test_load_takes_a_generator(kb):
    base = extractive(kb, DELETION)
    script = (f"Egypt, Saudi Arabia, Iran, Iraq, Mauritania and Oman called for deleting Article 35(3) altogether "
              f"[{base.citations[-1].number}].")
    with FakeLLM(text=script) as fake:
        assistant = Assistant.load(kb.knowledge_dir, kb.persist_dir, sync=False,
                                   generator=LLMConfig(base_url=fake.base_url, model="smol", api_key="secret"))
        answer = assistant.ask(DELETION)
    assert answer.mode == "generative" and answer.text.endswith("[1].")
    assert fake.requests[0]["model"] == "smol" and fake.requests[0]["stream"] is True
    assert answer.to_dict()["mode"] == "generative"


# -- the HTTP API's event stream ---------------------------------------------------
def sse(client, question: str, history=None) -> tuple[list[str], Answer]:
    """POST /v1/ask/stream; returns the `sentence` texts and the final `answer` event, rebuilt."""
    from assistant.answer import Citation

    with client.stream("POST", "/v1/ask/stream", json={"question": question, "history": history or []}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream"), r.status_code
        raw = "".join(r.iter_text())
    events = [block.split("\n", 1) for block in raw.split("\n\n") if block.strip()]
    names = [name.removeprefix("event: ") for name, _ in events]
    assert names[-1] == "answer" and set(names[:-1]) <= {"sentence"}, names
    payloads = [json.loads(data.removeprefix("data: ")) for _, data in events]
    final = payloads[-1]
    final["citations"] = [Citation(**c) for c in final["citations"]]
    return [p["text"] for p in payloads[:-1]], Answer(**final)


@pytest.fixture(scope="module")
def api(kb):
    from fastapi.testclient import TestClient

    from assistant.api import Settings, create_app

    with TestClient(create_app(lambda: kb, Settings()), raise_server_exceptions=False) as client:
        yield client


def test_api_streams_verified_sentences_then_the_answer(kb, api):
    base = extractive(kb, DELETION)
    good = "Egypt, Saudi Arabia, Iran, Iraq, Mauritania and Oman called for the deletion of Article 35(3)"
    pieces = [good[:30], good[30:] + f" [{base.citations[-1].number}].", " France opposed everything [1].",
              " Saudi Arabia and Oman called for deleting", f" Article 35(3) altogether [{base.citations[-1].number}]."]
    with FakeLLM(pieces=pieces, pause=0.2) as fake, using(kb, LLMConfig(base_url=fake.base_url, timeout=10)):
        sentences, answer = sse(api, DELETION)
    assert answer.mode == "generative" and answer.fallback is None
    assert sentences == [f"{good} [1].", "Saudi Arabia and Oman called for deleting Article 35(3) altogether [1]."]
    assert " ".join(sentences) == answer.text and "France" not in answer.text
    assert_verified(kb, answer, base)


def test_api_stream_fallback_answer_is_the_extractive_one(kb, api):
    base = extractive(kb, DELETION)
    with FakeLLM(text="France supported Article 24 [1].") as fake, using(kb, LLMConfig(base_url=fake.base_url, timeout=5)):
        sentences, answer = sse(api, DELETION)
    assert sentences == []  # nothing unverified went out before the fallback
    assert answer.mode == "extractive" and answer.fallback and answer.text == base.text
    assert any("Generated answer not used" in n for n in answer.notes)


def test_api_stream_with_the_real_model(kb, api, llm):
    with using(kb, real(llm)):
        for question in (DELETION, "Why did Egypt object to Article 24?"):
            base = extractive(kb, question)
            sentences, answer = sse(api, question)
            assert_verified(kb, answer, base)
            if answer.mode == "generative":
                assert " ".join(sentences) == answer.text
            else:
                assert answer.fallback and answer.text == base.text


def test_api_stream_refuses_bad_questions_before_streaming(kb, api):
    with FakeLLM(text="x") as fake, using(kb, LLMConfig(base_url=fake.base_url, timeout=5)):
        r = api.post("/v1/ask/stream", json={"question": "   "})
        assert r.status_code == 400 and "error" in r.json()
        assert fake.requests == []
