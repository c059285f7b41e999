"""Generative against extractive answers on the same questions, for `assistant eval --generative`.

    assistant eval --generative                 # the endpoint in ASSISTANT_LLM_*
    assistant eval --generative --local         # SmolLM2-135M on a llama.cpp server started for the run

Each question is answered once extractively; the generative answer starts from
that same extractive answer, so the two differ only in what the model adds.
Both are scored with the evaluation's own metrics (fact recall, list
completeness, evidence recall, citation validity, uncited sentences,
abstention, latency). For the generative side the run also reports what the
model wrote before verification (how many of its sentences the cited passages
support), what reached the user after it (re-verified from the final answer),
and how often, and why, the extractive answer was used instead.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from ..answer import Answer
from .answerer import GenerativeAnswerer, Trace
from .config import LLMConfig
from .prompt import evidence_passages
from .verify import Verifier, split_sentences


def _record(item, answer: Answer, seconds: float, document_text) -> dict:
    from ..evaluation.metrics import score_answer

    citations = [dataclasses.asdict(c) for c in answer.citations]
    record = {"id": item.id, "kind": item.kind, "question": item.question, "answerable": item.answerable,
              "abstained": answer.abstained, "answer": answer.text, "answer_chars": len(answer.text),
              "seconds": seconds, "notes": answer.notes, "citations": citations, "mode": answer.mode,
              "fallback": answer.fallback}
    record.update(score_answer(item, answer.text, answer.abstained, citations, answer.notes, item.spans, document_text))
    return record


def compare(assistant, generator: GenerativeAnswerer, items, progress=None) -> dict:
    """Both answers for every item (EvalItems with located spans). Returns summaries and records."""
    from ..evaluation.metrics import summarize

    corpus = assistant.corpus
    verifier = Verifier(corpus)

    def document_text(doc_id):
        doc = corpus.documents.get(doc_id)
        return doc.text if doc else None

    saved, assistant.generator = assistant.generator, None
    try:
        assistant.ask(items[0].question)  # untimed warm-up, as the evaluation runner does
        ext_records, gen_records = [], []
        raw_sentences = raw_supported = raw_cited = final_sentences = final_supported = 0
        fallbacks: Counter = Counter()
        problems: Counter = Counter()  # why the model's sentences were dropped
        model_seconds = []
        for done, item in enumerate(items):
            if progress:
                progress(done, len(items))
            started = time.perf_counter()
            extractive = assistant.ask(item.question, item.history)
            ext_seconds = time.perf_counter() - started
            trace = Trace()
            calls = generator.calls
            started = time.perf_counter()
            answer = generator.answer(corpus, extractive, item.history, trace)
            gen_seconds = ext_seconds + time.perf_counter() - started
            ext_records.append(_record(item, extractive, ext_seconds, document_text))
            record = _record(item, answer, gen_seconds, document_text)
            record["model_called"] = generator.calls > calls
            record["raw"] = trace.raw
            record["verdicts"] = [{"sentence": v.sentence, "problems": v.problems} for v in trace.verdicts]
            gen_records.append(record)
            if trace.called:
                model_seconds.append(trace.model_seconds)
                raw_sentences += len(trace.verdicts)
                raw_supported += trace.supported
                raw_cited += sum(1 for v in trace.verdicts if v.numbers)
            if answer.fallback:
                fallbacks[re.sub(r"\b\d+\b", "N", answer.fallback)] += 1
            for verdict in trace.verdicts:
                for problem in verdict.problems:
                    problems[problem.split(":")[0].split(" (")[0]] += 1
            if answer.mode == "generative":
                passages = {p.number: p for p in evidence_passages(answer)}
                for sentence in split_sentences(answer.text):
                    final_sentences += 1
                    final_supported += verifier.verify(sentence, passages).ok
    finally:
        assistant.generator = saved
    calls = sum(r["model_called"] for r in gen_records)
    generative = {
        "model": generator.describe(),
        "model_calls": calls,
        "generative_answers": sum(r["mode"] == "generative" for r in gen_records),
        "fallbacks": sum(1 for r in gen_records if r["fallback"]),
        "fallback_rate": (sum(1 for r in gen_records if r["fallback"]) / calls) if calls else None,
        "fallback_reasons": dict(fallbacks.most_common()),
        "dropped_sentence_reasons": dict(problems.most_common()),
        "raw_sentences": raw_sentences,
        "raw_cited_rate": raw_cited / raw_sentences if raw_sentences else None,
        "raw_supported_rate": raw_supported / raw_sentences if raw_sentences else None,
        "released_sentences": final_sentences,
        "released_supported_rate": final_supported / final_sentences if final_sentences else None,
        "model_seconds_mean": sum(model_seconds) / len(model_seconds) if model_seconds else None,
    }
    return {"extractive": summarize(ext_records), "generative": summarize(gen_records), "generation": generative,
            "records": {"extractive": ext_records, "generative": gen_records}}


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.0f}"
    return str(value)


ROWS = [
    ("fact_recall", "fact recall"), ("list_completeness", "list completeness"),
    ("evidence_recall", "evidence recall"), ("citation_validity", "citation validity"),
    ("unsupported_sentence_rate", "uncited sentence rate"), ("answer_sentences", "answer sentences"),
    ("abstention_precision", "abstention precision"), ("abstention_recall", "abstention recall"),
    ("false_abstention_rate", "false abstention rate"), ("mean_answer_chars", "mean answer chars"),
    ("latency_p50_ms", "latency p50 ms"), ("latency_p95_ms", "latency p95 ms"),
]


def table(result: dict) -> str:
    ext, gen, g = result["extractive"], result["generative"], result["generation"]
    lines = [f"Generative ({g['model']}) against extractive, {ext['questions']} questions", "",
             f"| metric | extractive | generative |", "|---|---|---|"]
    lines += [f"| {label} | {_fmt(ext.get(key))} | {_fmt(gen.get(key))} |" for key, label in ROWS]
    lines += ["", "| generation | value |", "|---|---|"]
    for key, label in [("model_calls", "model calls (abstentions never call it)"),
                       ("generative_answers", "answers written by the model"),
                       ("fallbacks", "fell back to extractive"), ("fallback_rate", "fallback rate (per call)"),
                       ("raw_sentences", "sentences the model wrote"),
                       ("raw_cited_rate", "  ... carrying a citation marker"),
                       ("raw_supported_rate", "  ... supported by their citations (before verification)"),
                       ("released_sentences", "sentences released to the user"),
                       ("released_supported_rate", "  ... supported (after verification, re-checked)"),
                       ("model_seconds_mean", "model seconds per call (mean)")]:
        lines.append(f"| {label} | {_fmt(g.get(key))} |")
    if g["fallback_reasons"]:
        lines += ["", "fallback reasons:"] + [f"  {n:3d}  {reason}" for reason, n in g["fallback_reasons"].items()]
    if g["dropped_sentence_reasons"]:
        lines += ["", "why generated sentences were dropped (a sentence can fail several checks):"]
        lines += [f"  {n:3d}  {reason}" for reason, n in g["dropped_sentence_reasons"].items()]
    return "\n".join(lines)


@contextmanager
def model_config(local: bool = False, timeout: float | None = None) -> Iterator[LLMConfig]:
    """The model to compare: SmolLM2-135M on a local llama.cpp server started for the run
    (`local`), else the endpoint in ASSISTANT_LLM_*. Raises InputError when there is neither."""
    from ..errors import InputError
    from .llamacpp import LocalModelUnavailable, LocalServer

    if not local:
        config = LLMConfig.from_env()
        if config is None:
            raise InputError("no language model to compare: set ASSISTANT_LLM_BASE_URL (and ASSISTANT_LLM_MODEL), "
                             "or pass --local to start SmolLM2-135M on llama.cpp")
        yield dataclasses.replace(config, timeout=timeout) if timeout else config
        return
    try:
        server = LocalServer().start()
    except LocalModelUnavailable as exc:
        raise InputError(f"the local model could not start: {exc}") from exc
    try:
        yield LLMConfig(base_url=server.base_url, timeout=timeout or 30.0)
    finally:
        server.stop()
