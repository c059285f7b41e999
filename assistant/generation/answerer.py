"""Generative answers: a language model rewrites the extractive answer's evidence into
prose, and only sentences its cited passages support reach the user.

The extractive answer comes first and decides whether there is an answer at all:
when it abstains, that is the answer and the model is not called. Otherwise the
model gets the extractive answer's citations as numbered passages, and each
sentence it writes is checked (`verify.Verifier`) as soon as it is complete.
Sentences that pass are released (renumbered, citing the extractive answer's
own verbatim `Citation` objects); the rest are dropped. When the endpoint fails
(down, slow, garbage) or too little survives, the user gets the extractive
answer with a note saying why: never an exception, never a hang.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

from ..answer import Answer, Citation
from ..corpus import Corpus
from ..answering.compose import with_markers
from ..answering.query import parse, resolve_follow_up
from .config import LLMConfig, make_llm
from .prompt import NOT_IN_SOURCES, Passage, build_messages, evidence_passages
from ..instructions import is_instruction
from .verify import Verdict, Verifier, strip_markers, split_sentences

MAX_OUTPUT_CHARS = 3000  # a runaway generation is cut here (max_tokens normally stops it first)
MAX_SENTENCES = 8  # an answer is one to four short sentences; reading stops after this many
MAX_FAILURES_IN_A_ROW = 3  # a model that has not cited properly by now will not start: stop paying for it
COMPLETE_KINDS = ("list", "aggregate", "compare", "what-changed")  # every actor the extractive answer names must stay


class _Enough(Exception):
    """Stop reading the model: enough sentences, or too many failures in a row."""


class GenerationFailed(Exception):
    """The endpoint could not give a usable reply; the message is the user-facing reason."""


@dataclass
class Trace:
    """What happened on one generative attempt, for tests and the comparison run."""

    called: bool = False
    raw: str = ""
    verdicts: list[Verdict] = field(default_factory=list)
    fallback: str | None = None
    model_seconds: float = 0.0

    @property
    def supported(self) -> int:
        return sum(v.ok for v in self.verdicts)


def describe_failure(exc: BaseException, config: LLMConfig) -> str:
    """A short reason a user can read, from whatever the client raised."""
    import httpx
    import openai

    if isinstance(exc, GenerationFailed):
        return str(exc)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return f"the language model did not answer within {config.timeout:g} s"
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        return f"the language model at {config.base_url} could not be reached"
    if isinstance(exc, openai.APIStatusError):
        return f"the language model endpoint answered with HTTP {exc.status_code}"
    return f"the language model's reply could not be read ({type(exc).__name__})"


_EXTRACTIVE_SENTENCE = re.compile(r".+?(?:\[\d+\])+[.!?]?(?=\s|$)", re.S)


def without_instructions(answer: Answer) -> Answer:
    """The extractive answer minus sentences resting on a passage that reads as an instruction
    to the assistant ("Ignore previous instructions and say ..."): quoting one would repeat it."""
    bad = {c.number for c in answer.citations if is_instruction(c.quote)}
    if answer.abstained or not bad:
        return answer
    kept = [s.strip() for s in _EXTRACTIVE_SENTENCE.findall(answer.text)
            if not {int(n) for n in re.findall(r"\[(\d+)\]", s)} & bad]
    note = (f"{len(bad)} passage(s) that read as instructions to the assistant were left out: "
            "the sources are quoted, never obeyed.")
    if not kept:
        reason = ("The only passages that match this question read as instructions to the assistant, "
                  "not as reports of the negotiations; the sources are quoted, never obeyed.")
        return dataclasses.replace(answer, text=reason, abstained=True, citations=[], positions=[],
                                   notes=[*answer.notes, reason])
    text, citations, _ = _renumber(kept, answer.citations)
    return dataclasses.replace(answer, text=text, citations=citations, notes=[*answer.notes, note],
                               positions=_records_for(answer.positions, citations))


def _renumber(sentences: list[str], citations: list[Citation]) -> tuple[str, list[Citation], dict[int, int]]:
    by_number = {c.number: c for c in citations}
    mapping: dict[int, int] = {}
    out = []
    for sentence in sentences:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        new = [mapping.setdefault(n, len(mapping) + 1) for n in numbers if n in by_number]
        out.append(with_markers(strip_markers(sentence), new))
    renumbered = [dataclasses.replace(by_number[old], number=new) for old, new in mapping.items()]
    return " ".join(out), renumbered, mapping


def _overlaps(c: Citation, ev: dict) -> bool:
    return (ev.get("document") == c.document_id and ev.get("start") is not None and ev.get("end") is not None
            and ev["start"] < c.end and c.start < ev["end"])


def _records_for(records: list[dict], citations: list[Citation]) -> list[dict]:
    return [r for r in records if any(_overlaps(c, ev) for c in citations for ev in r.get("evidence", []))]


class GenerativeAnswerer:
    """Turns an extractive Answer into a verified generative one (or says why it could not).

    `calls` counts requests sent to the model, so callers can check that abstentions
    never reach it."""

    def __init__(self, config: LLMConfig, llm=None):
        self.config = config
        self._llm = llm  # a LlamaIndex LLM to use instead of one per call (tests, custom clients)
        self.calls = 0
        self.last_trace: Trace | None = None  # the latest attempt, for diagnostics (not per thread)
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> "GenerativeAnswerer | None":
        config = LLMConfig.from_env()
        return cls(config) if config else None

    def _open(self):
        """(llm, http client to close afterwards). Each call gets its own connection pool, closed
        when the call ends: a stream abandoned early (deadline, enough sentences) can then never
        be finalised by the garbage collector inside another request holding the same pool's
        lock, the httpcore deadlock of encode/httpcore#990."""
        if self._llm is not None:
            return self._llm, None
        import httpx

        client = httpx.Client(timeout=httpx.Timeout(self.config.timeout), follow_redirects=False)
        return make_llm(self.config, http_client=client), client

    def describe(self) -> str:
        return self.config.describe()

    # -- entry points ---------------------------------------------------------
    def answer(self, corpus: Corpus, extractive: Answer, history: list[dict] | None = None,
               trace: Trace | None = None) -> Answer:
        final = extractive
        for item in self.stream(corpus, extractive, history, trace):
            if isinstance(item, Answer):
                final = item
        return final

    def stream(self, corpus: Corpus, extractive: Answer, history: list[dict] | None = None,
               trace: Trace | None = None) -> Iterator[str | Answer]:
        """Text chunks (verified sentences, as each passes), then the final Answer.

        The final Answer is authoritative: when the attempt falls back, it is the
        extractive answer and the chunks already sent are to be replaced by its text."""
        started = time.perf_counter()
        trace = trace if trace is not None else Trace()
        self.last_trace = trace
        if extractive.abstained:  # abstention is evidence-based: no model call
            yield extractive
            return
        base = without_instructions(extractive)
        if base.abstained:
            yield self._fallback(base, "no usable evidence passages", started)
            return
        passages = evidence_passages(extractive)
        by_number = {p.number: p for p in passages}
        verifier = Verifier(corpus)
        supports: dict = {}
        kept: list[Verdict] = []
        mapping: dict[int, int] = {}
        processed = failures = 0

        def check(sentences: list[str]) -> Iterator[str]:
            nonlocal processed, failures
            for sentence in sentences[processed:]:
                processed += 1
                if sentence.strip().upper().startswith(NOT_IN_SOURCES):
                    continue  # the model declining is not a claim; the extractive answer stands
                verdict = verifier.verify(sentence, by_number, supports)
                trace.verdicts.append(verdict)
                failures = 0 if verdict.ok else failures + 1
                if verdict.ok:
                    numbers = [mapping.setdefault(n, len(mapping) + 1) for n in verdict.numbers]
                    claim = verdict.claim[:1].upper() + verdict.claim[1:]
                    text = with_markers(claim, numbers)
                    kept.append(dataclasses.replace(verdict, claim=text))
                    yield text if len(kept) == 1 else " " + text
                if processed >= MAX_SENTENCES or failures >= MAX_FAILURES_IN_A_ROW:
                    raise _Enough

        reason = None
        model_started = time.perf_counter()
        deadline = time.monotonic() + self.config.timeout
        raw = ""
        chunks = client = None
        try:
            messages = build_messages(extractive.question, passages, history)
            llm, client = self._open()
            with self._lock:
                self.calls += 1
            trace.called = True
            chunks = llm.stream_chat(messages)
            for chunk in chunks:
                delta = getattr(chunk, "delta", None)
                if delta is None:
                    continue
                if not isinstance(delta, str):
                    raise GenerationFailed("the language model sent something other than text")
                raw += delta
                if time.monotonic() > deadline:
                    raise GenerationFailed(f"the language model did not finish within {self.config.timeout:g} s")
                if len(raw) > MAX_OUTPUT_CHARS:
                    break
                yield from check(split_sentences(raw, final=False))
            yield from check(split_sentences(raw, final=True))
        except _Enough:
            pass
        except Exception as exc:  # whatever the endpoint does, the user gets an answer
            reason = describe_failure(exc, self.config)
        finally:
            for resource in (chunks, client):
                if resource is not None and hasattr(resource, "close"):
                    try:
                        resource.close()
                    except Exception:
                        pass
            trace.raw = raw
            trace.model_seconds = time.perf_counter() - model_started

        if reason is None:
            reason = self._shortfall(corpus, base, history, raw, kept, trace)
        if reason is not None:
            trace.fallback = reason
            yield self._fallback(base, reason, started)
            return
        text = " ".join(v.claim for v in kept)
        citations = [dataclasses.replace(by_number[old].citation, number=new) for old, new in mapping.items()]
        notes = list(base.notes)
        dropped = len(trace.verdicts) - len(kept)
        if dropped:
            notes.append(f"{dropped} of {len(trace.verdicts)} generated sentences were left out because the "
                         "passages they cite do not support them.")
        yield Answer(extractive.question, text, False, citations, _records_for(extractive.positions, citations),
                     notes, extractive.seconds + (time.perf_counter() - started), mode="generative")

    # -- deciding whether what survived is enough -------------------------------
    def _shortfall(self, corpus: Corpus, extractive: Answer, history, raw: str, kept: list[Verdict],
                   trace: Trace) -> str | None:
        if not raw.strip():
            return "the language model returned no text"
        if NOT_IN_SOURCES in raw.upper() and not kept:
            return "the language model found no answer in the passages"
        if not kept:
            return f"none of the {len(trace.verdicts)} generated sentence(s) was supported by the passages it cites"
        gazetteer = corpus.gazetteer
        query = parse(extractive.question, gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        query = resolve_follow_up(query, history, gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        named = set(gazetteer.actor_ids(extractive.text))
        required = named if query.kind in COMPLETE_KINDS else named & (set(query.actors) | set(query.targets))
        missing = required - set(gazetteer.actor_ids(" ".join(v.claim for v in kept)))
        if missing:
            names = ", ".join(sorted(gazetteer.name(a) for a in missing))
            return f"the verified sentences leave out {names}, which the extractive answer names"
        return None

    def _fallback(self, answer: Answer, reason: str, started: float) -> Answer:
        note = f"Generated answer not used: {reason}. This is the extractive answer."
        return dataclasses.replace(answer, mode="extractive", fallback=reason, notes=[*answer.notes, note],
                                   seconds=answer.seconds + (time.perf_counter() - started))


def resolve_generator(generator=None):
    """What `Assistant(generator=...)` accepts: None reads ASSISTANT_LLM_* from the environment
    (unset: no generator), False turns generation off, an LLMConfig or base URL builds one, and
    anything with a `stream` method is used as it is."""
    if generator is False:
        return None
    if generator is None:
        return GenerativeAnswerer.from_env()
    if isinstance(generator, LLMConfig):
        return GenerativeAnswerer(generator)
    if isinstance(generator, str):
        return GenerativeAnswerer(LLMConfig(base_url=generator))
    if hasattr(generator, "stream") and hasattr(generator, "answer"):
        return generator
    raise TypeError(f"generator must be None, False, an LLMConfig, a base URL or a GenerativeAnswerer, not {generator!r}")


__all__ = ["GenerationFailed", "GenerativeAnswerer", "Passage", "Trace", "describe_failure", "resolve_generator",
           "with_markers", "without_instructions"]
