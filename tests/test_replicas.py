"""Several `assistant serve` replicas share one real `chroma run` server and write at the same moment.

Three API processes, each with its own copy of the seed knowledge folder, its own persist and
cache directories and the same ASSISTANT_CHROMA_URL, receive different new documents at the
same instant (threads released by a barrier), ten rounds in a row. Nothing may be lost:

* every upload answers 2xx;
* within a few seconds every replica lists every document uploaded so far (GET /v1/documents)
  and answers a question whose answer is only in each new document, citing that document;
* /readyz stays 200 on every replica;
* concurrent deletes of different documents on different replicas all take effect;
* two replicas updating the same document at once both complete, and the stored document is
  then exactly one of the two versions on every replica (never a mix, never missing).

Everything is bounded: every HTTP call has a timeout, every wait a deadline, and the chroma
server and the replicas are killed in a finalizer whatever happens. Replica logs are kept in
the test's temporary directory and their tails are shown when the test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from .conftest import REPO, copy_knowledge

pytestmark = pytest.mark.slow

KEY = "replica-test-key"
REPLICAS = 3
ROUNDS = 10
VISIBLE_WITHIN = 10.0  # seconds for a write on one replica to be listed and answered by all
UPLOAD_TIMEOUT = 180.0
START_TIMEOUT = 300.0
ASK_TIMEOUT = 60.0

# Delegations named in no seed document, one per new document, so the question about a document's
# fact can only be answered from it. 3 replicas x 10 rounds + the update round.
STATES = ["Mongolia", "Fiji", "Bhutan", "Paraguay", "Nepal", "Tonga", "Samoa", "Malawi", "Zambia", "Botswana",
          "Lesotho", "Benin", "Togo", "Gabon", "Chad", "Niger", "Qatar", "Bahrain", "Jordan", "Lebanon",
          "Armenia", "Georgia", "Estonia", "Latvia", "Lithuania", "Slovenia", "Croatia", "Malta", "Cyprus",
          "Panama", "Guyana", "Suriname", "Belize", "Jamaica", "Kenya", "Uganda"]
ARTICLES = ["41", "42", "28", "47", "40", "36", "29", "30", "31", "32", "33", "34", "37", "38", "39"]
DUTIES = ["publish a yearly transparency report", "keep a register of expedited preservation orders",
          "notify the requested state within 48 hours", "hold a public consultation every two years",
          "appoint an independent data-protection auditor", "translate requests into both working languages",
          "report refusals of assistance to the secretariat", "record the legal basis of every request",
          "train judges on electronic evidence each year", "publish statistics on disclosure orders"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float, procs=()) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"process {proc.args[:4]} exited with {proc.returncode} while waiting for {url}")
        try:
            last = httpx.get(url, timeout=5)
            if last.status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.5)
    raise TimeoutError(f"{url} not 200 after {seconds}s: {last}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(20)


class Cluster:
    def __init__(self, base: Path):
        self.base = base
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.logs: list[Path] = []

    def start(self):
        chroma_port = free_port()
        chroma_log = self.base / "chroma.log"
        self.logs.append(chroma_log)
        self.procs.append(subprocess.Popen(
            ["chroma", "run", "--path", str(self.base / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)],
            stdout=chroma_log.open("w"), stderr=subprocess.STDOUT))
        wait_for(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", 60, self.procs)
        for n in range(REPLICAS):
            home = self.base / f"replica-{n}"
            knowledge = copy_knowledge(home / "knowledge")
            env = {**os.environ, "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}", "ASSISTANT_API_KEYS": KEY,
                   "ASSISTANT_CACHE_DIR": str(home / "cache"), "PYTHONPATH": str(REPO)}
            env.pop("ASSISTANT_LLM_BASE_URL", None)  # extractive answers: this test is about the index
            port = free_port()
            log = home / "serve.log"
            self.logs.append(log)
            proc = subprocess.Popen(
                [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--knowledge-dir", str(knowledge),
                 "--persist-dir", str(home / "index")],
                cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
            self.procs.append(proc)
            url = f"http://127.0.0.1:{port}"
            self.urls.append(url)
            # One at a time: the first builds the shared index from the seed, the others find it in
            # place. Starting them together would test concurrent first builds, not uploads.
            wait_for(f"{url}/readyz", START_TIMEOUT, [proc, self.procs[0]])

    def stop(self):
        for proc in reversed(self.procs):
            _stop(proc)

    def logs_text(self) -> str:
        """Where the logs are, and the distinct exceptions each replica logged (the cause of a 500)."""
        out = [f"logs in {self.base}"]
        for path in self.logs[1:]:
            try:
                lines = path.read_text(errors="replace").splitlines()
            except OSError:
                continue
            errors = list(dict.fromkeys(l for l in lines if re.match(r"^[\w.]+(Error|Exception|Unavailable)\b", l)))
            out.append(f"--- {path.relative_to(self.base)}: {len(errors)} distinct exception(s)")
            out.extend("    " + e[:300] for e in errors[:5])
        return "\n".join(out)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if shutil.which("chroma") is None:
        pytest.skip("the `chroma` command (chromadb) is not installed")
    cluster = Cluster(tmp_path_factory.mktemp("replicas"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


# -- the documents ----------------------------------------------------------------------------
def fact(n: int) -> tuple[str, str, str]:
    """The n-th unique fact: a delegation, an article and what it proposed."""
    return STATES[n % len(STATES)], ARTICLES[n % len(ARTICLES)], DUTIES[n % len(DUTIES)]


def document_text(title: str, n: int) -> str:
    state, article, duty = fact(n)
    return (f"# {title}\n\n{state} proposed that Article {article} require each state party to {duty}. "
            f"The delegation said the change would build trust between national authorities.\n")


def question(n: int) -> str:
    state, article, _ = fact(n)
    return f"What did {state} propose about Article {article}?"


def upload(url: str, doc_id: str, text: str, multipart: bool) -> tuple[int, str]:
    headers = {"X-API-Key": KEY}
    try:
        if multipart:
            r = httpx.post(f"{url}/v1/documents", files={"file": (f"{doc_id}.md", text.encode(), "text/markdown")},
                           headers=headers, timeout=UPLOAD_TIMEOUT)
        else:
            r = httpx.post(f"{url}/v1/documents", json={"id": doc_id, "text": text, "format": "md"},
                           headers=headers, timeout=UPLOAD_TIMEOUT)
        return r.status_code, r.text[:300]
    except httpx.HTTPError as exc:
        return -1, repr(exc)


def delete(url: str, doc_id: str) -> tuple[int, str]:
    try:
        r = httpx.delete(f"{url}/v1/documents/{doc_id}", headers={"X-API-Key": KEY}, timeout=UPLOAD_TIMEOUT)
        return r.status_code, r.text[:300]
    except httpx.HTTPError as exc:
        return -1, repr(exc)


def at_once(calls: list) -> list:
    """Run the calls in threads released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(30)
            results[i] = call()
        except Exception as exc:  # a broken barrier or a bug in the call: recorded, never hangs the test
            results[i] = (-1, repr(exc))

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(UPLOAD_TIMEOUT + 60)
    return [r if r is not None else (-1, "thread did not finish") for r in results]


def listed(url: str) -> set[str] | str:
    try:
        r = httpx.get(f"{url}/v1/documents", timeout=ASK_TIMEOUT)
        return {d["id"] for d in r.json()} if r.status_code == 200 else f"{r.status_code} {r.text[:200]}"
    except (httpx.HTTPError, ValueError) as exc:
        return repr(exc)


def cited(url: str, q: str) -> set[str] | str:
    try:
        r = httpx.post(f"{url}/v1/ask", json={"question": q}, timeout=ASK_TIMEOUT)
        if r.status_code != 200:
            return f"{r.status_code} {r.text[:200]}"
        return {c["document_id"] for c in r.json()["citations"]}
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return repr(exc)


def ready(url: str) -> int | str:
    try:
        return httpx.get(f"{url}/readyz", timeout=30).status_code
    except httpx.HTTPError as exc:
        return repr(exc)


def converge(check, seconds: float = VISIBLE_WITHIN):
    """Poll check() -> (ok, detail) until ok or the deadline; return the last (ok, detail)."""
    deadline = time.monotonic() + seconds
    while True:
        ok, detail = check()
        if ok or time.monotonic() > deadline:
            return ok, detail
        time.sleep(0.5)


# -- the test ---------------------------------------------------------------------------------
def test_concurrent_writes_on_three_replicas_lose_nothing(cluster):
    urls = cluster.urls
    problems: list[str] = []
    expected: dict[str, int] = {}  # document id -> the fact it carries
    acknowledged: set[str] = set()  # uploads that answered 2xx: these must never go missing
    n = 0

    def all_listed(wanted: set[str], gone: set[str] = frozenset()):
        seen = {url: listed(url) for url in urls}
        bad = {url: (v if isinstance(v, str) else f"missing {sorted(wanted - v)}, still listed {sorted(gone & v)}")
               for url, v in seen.items() if isinstance(v, str) or not wanted <= v or gone & v}
        return not bad, bad

    def all_answer(docs: dict[str, int]):
        bad = {}
        for url in urls:
            for doc_id, k in docs.items():
                got = cited(url, question(k))
                if isinstance(got, str) or doc_id not in got:
                    bad[f"{url} {question(k)!r} -> {doc_id}"] = got if isinstance(got, str) else sorted(got)
        return not bad, bad

    def check_ready(label: str) -> dict:
        states = {url: ready(url) for url in urls}
        if any(s != 200 for s in states.values()):
            problems.append(f"{label}: /readyz {states}")
        return states

    for round_ in range(ROUNDS):
        docs = {f"r{round_:02d}-replica{i}": n + i for i in range(REPLICAS)}
        n += REPLICAS
        calls = [(lambda url=url, d=d, k=k, i=i: upload(url, d, document_text(f"Session note {d}", k), multipart=i == 0))
                 for i, (url, (d, k)) in enumerate(zip(urls, docs.items()))]
        results = at_once(calls)
        for (doc_id, _), (status, body) in zip(docs.items(), results):
            if not 200 <= status < 300:
                problems.append(f"round {round_}: upload {doc_id} -> {status} {body}")
            else:
                acknowledged.add(doc_id)
        expected.update(docs)
        ok, detail = converge(lambda: all_listed(set(expected)))
        if not ok:
            problems.append(f"round {round_}: not listed within {VISIBLE_WITHIN}s: {detail}")
        ok, detail = converge(lambda: all_answer(docs))
        if not ok:
            problems.append(f"round {round_}: not answered with a citation within {VISIBLE_WITHIN}s: {detail}")
        if not any(s == 200 for s in check_ready(f"round {round_}").values()):
            problems.append(f"round {round_}: no replica is ready; later rounds skipped")
            break

    # Concurrent deletes: three different documents, one per replica.
    victims = [d for d in list(expected) if d.startswith("r00-")][:REPLICAS]
    results = at_once([(lambda url=url, d=d: delete(url, d)) for url, d in zip(urls, victims)])
    for doc_id, (status, body) in zip(victims, results):
        if not 200 <= status < 300:
            problems.append(f"delete {doc_id} -> {status} {body}")
    for d in victims:
        expected.pop(d, None)
    ok, detail = converge(lambda: all_listed(set(expected), set(victims)))
    if not ok:
        problems.append(f"after concurrent deletes, within {VISIBLE_WITHIN}s: {detail}")
    check_ready("after deletes")

    # Concurrent update of one document from two replicas.
    contested = "contested-note"
    status, body = upload(urls[0], contested, document_text("Contested note", n), multipart=False)
    if not 200 <= status < 300:
        problems.append(f"first version of {contested} -> {status} {body}")
    version_a = document_text("Contested note, version A", n + 1)
    version_b = document_text("Contested note, version B", n + 2)
    results = at_once([lambda: upload(urls[1], contested, version_a, multipart=False),
                       lambda: upload(urls[2], contested, version_b, multipart=True)])
    for label, (status, body) in zip("AB", results):
        if not 200 <= status < 300:
            problems.append(f"concurrent update {label} of {contested} -> {status} {body}")
    marker_a, marker_b = fact(n + 1)[2], fact(n + 2)[2]

    def one_version():
        seen = {}
        for url in urls:
            try:
                r = httpx.get(f"{url}/v1/documents/{contested}", timeout=ASK_TIMEOUT)
                if r.status_code != 200:
                    seen[url] = f"{r.status_code} {r.text[:200]}"
                    continue
                text = r.json()["text"]
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                seen[url] = repr(exc)
                continue
            has_a, has_b = marker_a in text, marker_b in text
            seen[url] = "A" if has_a and not has_b else "B" if has_b and not has_a else f"neither/mixed: {text[:200]!r}"
        versions = set(seen.values())
        return len(versions) == 1 and versions <= {"A", "B"}, seen

    ok, seen = converge(one_version)
    if not ok:
        problems.append(f"after concurrent updates of {contested}, within {VISIBLE_WITHIN}s: {seen}")
    else:
        winner = next(iter(seen.values()))
        k = n + 1 if winner == "A" else n + 2
        ok, detail = converge(lambda: all_answer({contested: k}))
        if not ok:
            problems.append(f"version {winner} of {contested} is stored but not answered: {detail}")
    expected[contested] = n + 1
    ok, detail = converge(lambda: all_listed(set(expected)))
    if not ok:
        problems.append(f"final listing: {detail}")
    check_ready("at the end")

    final = listed(urls[0])
    if isinstance(final, set):
        lost = sorted((acknowledged - set(victims)) - final)
        refused = sorted(set(expected) - acknowledged - {contested})
        summary = (f"{len(acknowledged)} uploads acknowledged, {len(lost)} of them lost {lost}; "
                   f"{len(refused)} refused")
    else:
        summary = f"replica 0 cannot list its documents at the end: {final}"
    assert not problems, (f"{len(problems)} problem(s); {summary}\n"
                          + "\n".join(p if len(p) < 700 else p[:700] + " ..." for p in problems)
                          + "\n" + cluster.logs_text())
