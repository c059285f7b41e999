"""Chroma server mode: two API processes share one real `chroma run` server on loopback."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import copy_knowledge

KEY = "server-mode-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 180, status: int = 200):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = httpx.get(url, timeout=5)
            if last.status_code == status:
                return last
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.5)
    raise TimeoutError(f"{url} not {status} after {seconds}s: {last}")


def start_chroma(path, port):
    proc = subprocess.Popen(["chroma", "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60)
    return proc


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    base = tmp_path_factory.mktemp("server-mode")
    chroma_port = free_port()
    chroma = start_chroma(base / "chroma", chroma_port)
    apis = []
    env = {**os.environ, "ASSISTANT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}", "ASSISTANT_API_KEYS": KEY}
    for name in ("a", "b"):
        port = free_port()
        knowledge = copy_knowledge(base / f"knowledge-{name}")
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--knowledge-dir", str(knowledge)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        apis.append((proc, f"http://127.0.0.1:{port}"))
    state = {"chroma": chroma, "chroma_port": chroma_port, "chroma_path": base / "chroma"}
    try:
        for _, url in apis:
            wait_for(f"{url}/healthz", 120)
            wait_for(f"{url}/readyz", 300)
        yield [url for _, url in apis], state
    finally:
        for proc, _ in apis:
            proc.terminate()
            proc.wait(30)
        state["chroma"].terminate()
        state["chroma"].wait(30)


def test_two_api_processes_see_each_others_documents(cluster):
    (a, b), _ = cluster
    text = ("Session notes\n\nMongolia proposed that Article 41 require each 24/7 network to publish a yearly "
            "transparency report. Chile supported Mongolia's proposal.\n")
    r = httpx.post(f"{a}/v1/documents", json={"id": "mongolia-note", "text": text}, headers={"X-API-Key": KEY}, timeout=120)
    assert r.status_code == 201, r.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ids = [d["id"] for d in httpx.get(f"{b}/v1/documents", timeout=30).json()]
        if "mongolia-note" in ids:
            break
        time.sleep(1)
    assert "mongolia-note" in ids
    answer = httpx.post(f"{b}/v1/ask", json={"question": "What did Mongolia propose about the 24/7 network?"}, timeout=60).json()
    assert any(c["document_id"] == "mongolia-note" for c in answer["citations"]), answer


def test_chroma_outage_gives_503_and_recovers(cluster):
    (a, b), state = cluster
    state["chroma"].terminate()
    state["chroma"].wait(30)
    time.sleep(2.5)  # past the assistant's refresh interval
    assert httpx.get(f"{a}/readyz", timeout=30).status_code == 503
    r = httpx.post(f"{a}/v1/ask", json={"question": "Why did Egypt object to Article 24?"}, timeout=60)
    assert r.status_code == 503 and "error" in r.json()
    assert httpx.get(f"{a}/healthz", timeout=10).status_code == 200

    state["chroma"] = start_chroma(state["chroma_path"], state["chroma_port"])
    wait_for(f"{a}/readyz", 60)
    r = httpx.post(f"{a}/v1/ask", json={"question": "Why did Egypt object to Article 24?"}, timeout=60)
    assert r.status_code == 200 and not r.json()["abstained"]
    ids = [d["id"] for d in httpx.get(f"{b}/v1/documents", timeout=30).json()]
    assert "000_82a4455ff46a7c13" in ids  # nothing ingested was lost
