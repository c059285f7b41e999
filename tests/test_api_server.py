"""The API as deployed: a real `assistant serve` (uvicorn) subprocess on loopback.

An upload is indexed in a worker thread, so /healthz and asks are answered while
it runs; kill -9 mid-upload leaves nothing the next start indexes silently; keys
in the query string are refused and never reach the access log; an unknown value
of a security setting stops the start."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from .conftest import copy_knowledge
from .test_chroma_server import free_port, wait_for

pytestmark = pytest.mark.slow
KEY = "server-test-key"
WORKTREE = Path(__file__).resolve().parents[1]
ACTORS = ["Chile", "Ghana", "Mongolia", "Ecuador", "Peru", "Norway", "Japan", "Kenya", "Brazil", "Egypt"]
VERBS = ["proposed", "opposed", "supported", "questioned", "welcomed"]
TOPICS = ["the 24/7 network", "data retention", "human rights safeguards", "dual criminality", "technical assistance"]


def big_note(kilobytes: int = 300, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["Session notes on the draft convention\n"]
    while sum(len(p) for p in parts) < kilobytes * 1024:
        a, b = rng.sample(ACTORS, 2)
        parts.append(f"{a} {rng.choice(VERBS)} the text of Article {rng.randint(1, 60)} on {rng.choice(TOPICS)}, "
                     f"and {b} said paragraph {rng.randint(1, 9)} needed work number {rng.randint(1, 10**6)}.\n")
        if rng.random() < 0.2:
            parts.append("\n")
    return "".join(parts)


class Server:
    def __init__(self, root: Path, env: dict | None = None):
        self.root, self.knowledge, self.port = root, root / "knowledge", free_port()
        if not self.knowledge.exists():
            copy_knowledge(self.knowledge)
        self.log = root / f"server-{self.port}.log"
        self.env = {**os.environ, "ASSISTANT_API_KEYS": KEY, **(env or {})}
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, wait=True):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port), "--knowledge-dir",
             str(self.knowledge), "--persist-dir", str(self.root / "index")],
            cwd=WORKTREE, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        if wait:
            wait_for(f"{self.url}/readyz", 300)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(60)


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path).start()
    yield s
    s.stop()


def test_healthz_and_asks_answer_while_an_upload_is_indexed(server):
    note = big_note()
    upload = {}

    def send():
        t = time.monotonic()
        r = httpx.post(f"{server.url}/v1/documents", headers={"X-API-Key": KEY}, timeout=600,
                       files={"file": ("session-notes.txt", note.encode(), "text/plain")})
        upload.update(status=r.status_code, body=r.text[:300], seconds=time.monotonic() - t)

    sender = threading.Thread(target=send)
    sender.start()
    during, asks, asked = [], [], 0.0
    with httpx.Client(base_url=server.url, timeout=60) as http:
        while sender.is_alive():
            t = time.monotonic()
            assert http.get("/healthz").status_code == 200
            during.append(time.monotonic() - t)
            if not asks or time.monotonic() - asked > 3:  # past the 2 s refresh interval: not stuck behind the ingest
                asked = t = time.monotonic()
                r = http.post("/v1/ask", json={"question": "Why did Egypt object to Article 24?"})
                assert r.status_code == 200, r.text
                asks.append((time.monotonic() - t, sender.is_alive()))
            time.sleep(0.05)
    sender.join()
    assert upload["status"] == 201, upload
    in_flight = len(during) - 1  # the last one may have finished just after the upload
    assert in_flight >= 5, (upload, during)
    assert max(during[:in_flight]) < 5, during  # not blocked behind the ingest (which takes seconds)
    answered = [s for s, alive in asks if alive]
    assert len(answered) >= 3, asks  # asks keep being answered while the upload is still running
    assert max(answered) < 10, asks
    ms = sorted(d * 1000 for d in during)
    print(f"\nupload {upload['seconds']:.1f}s; healthz during it: n={len(ms)} p50={ms[len(ms) // 2]:.0f} "
          f"p95={ms[int(len(ms) * 0.95)]:.0f} p99={ms[int(len(ms) * 0.99)]:.0f} max={ms[-1]:.0f} ms; "
          f"{len(asks)} asks, slowest {max(s for s, _ in asks):.2f}s")


def test_kill_9_mid_upload_leaves_nothing_indexed_silently(tmp_path):
    server = Server(tmp_path).start()
    before = sorted(d["id"] for d in httpx.get(f"{server.url}/v1/documents").json())
    note = big_note(400, seed=11)
    thread = threading.Thread(target=lambda: _quiet_post(server.url, note))
    thread.start()
    staging = server.knowledge / ".staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(p.is_file() for p in staging.rglob("*")):
        time.sleep(0.02)
    assert any(p.is_file() for p in staging.rglob("*")), "the upload never reached the staging folder"
    time.sleep(0.5)  # indexing under way
    server.stop(signal.SIGKILL)
    thread.join(60)
    assert not (server.knowledge / "documents" / "kill-me.txt").exists()
    server.start()
    ready = httpx.get(f"{server.url}/readyz").json()
    assert any("interrupted" in p["reason"] for p in ready["problems"]), ready
    assert sorted(d["id"] for d in httpx.get(f"{server.url}/v1/documents").json()) == before
    assert not any(staging.iterdir())
    server.stop()


def _quiet_post(url, note):
    try:
        httpx.post(f"{url}/v1/documents", headers={"X-API-Key": KEY}, timeout=600,
                   files={"file": ("kill-me.txt", note.encode(), "text/plain")})
    except httpx.HTTPError:
        pass


def test_query_string_keys_refused_and_not_logged(server):
    r = httpx.get(f"{server.url}/v1/documents?api_key={KEY}")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    r = httpx.post(f"{server.url}/v1/documents?key={KEY}", json={"id": "q", "text": "Chile opposed Article 41."})
    assert r.status_code == 400
    time.sleep(0.5)
    log = server.log.read_text(errors="replace")
    assert "api_key=[redacted]" in log and KEY not in log


@pytest.mark.parametrize("env,reason", [({"ASSISTANT_API_READS": "Closed"}, "ASSISTANT_API_READS"),
                                        ({"ASSISTANT_API_KEYS": "k1:root"}, "root")])
def test_unknown_security_setting_stops_the_start(tmp_path, env, reason):
    server = Server(tmp_path, env).start(wait=False)
    assert server.proc.wait(120) != 0
    assert reason in server.log.read_text()
