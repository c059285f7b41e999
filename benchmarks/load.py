"""Load on the HTTP API from a second process, on loopback only. Prints figures; asserts nothing.

    python benchmarks/load.py [--clients 20] [--seconds 60] [--mode embedded|server|both] [--soak]

Starts `assistant serve` (and, in server mode, a real `chroma run`) on free
loopback ports over a temporary copy of the knowledge folder, drives it with
concurrent clients for a bounded time, ingests one document midway, and prints
throughput, latency percentiles and the error count.

With --soak, documents are uploaded and deleted the whole time (one writer, a
new small document every round, every other one deleted again), /healthz is
polled every 50 ms, and at the end every document that got a 201 and was not
deleted must be listed and on disk ("lost" counts those that are not), every
deleted one gone ("zombies").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
KEY = "load-test-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


def soak_note(n: int) -> str:
    delegations = ["Ghana", "Chile", "Peru", "Norway", "Kenya", "Japan", "Brazil", "Mongolia"]
    a, b = delegations[n % 8], delegations[(n * 3 + 1) % 8]
    return (f"Soak note {n}\n\n{a} proposed that Article {n % 60 + 1} require a report every {n + 2} months. "
            f"{b} supported the proposal by {a} and asked for a review clause.\n")


def run(mode: str, clients: int, seconds: float, soak: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"load-{mode}-"))
    knowledge = work / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge, ignore=shutil.ignore_patterns(".index", ".conversations"))
    env = {**os.environ, "ASSISTANT_API_KEYS": KEY}
    procs = []
    try:
        if mode == "server":
            chroma_port = free_port()
            procs.append(subprocess.Popen(["chroma", "run", "--path", str(work / "chroma"), "--host", "127.0.0.1",
                                           "--port", str(chroma_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", 60)
            env["ASSISTANT_CHROMA_URL"] = f"http://127.0.0.1:{chroma_port}"
        port = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--knowledge-dir", str(knowledge),
             "--persist-dir", str(work / "index")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/readyz", 300)

        questions = [json.loads(l)["question"] for l in (REPO / "evals" / "qa.jsonl").read_text().splitlines() if l.strip()]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(n: int):
            with httpx.Client(base_url=base, timeout=30) as http:
                i = n
                while time.monotonic() < stop:
                    q = questions[i % len(questions)]
                    i += clients
                    t = time.perf_counter()
                    try:
                        r = http.post("/v1/ask", json={"question": q})
                        ok = r.status_code == 200
                        detail = f"{r.status_code} {r.text[:100]}"
                    except httpx.HTTPError as exc:
                        ok, detail = False, repr(exc)
                    elapsed = time.perf_counter() - t
                    with lock:
                        (latencies.append(elapsed) if ok else errors.append(detail))

        ingest_result = {}

        def ingest():
            time.sleep(seconds / 3)
            text = ("Session notes\n\nMongolia proposed that Article 41 require each 24/7 network to publish a yearly "
                    "transparency report. Chile supported Mongolia's proposal.\n")
            t = time.perf_counter()
            r = httpx.post(f"{base}/v1/documents", json={"id": "load-note", "text": text},
                           headers={"X-API-Key": KEY}, timeout=300)
            ingest_result.update(status=r.status_code, seconds=time.perf_counter() - t)
            if r.status_code != 201:
                with lock:
                    errors.append(f"ingest {r.status_code} {r.text[:100]}")

        kept: set[str] = set()
        deleted: set[str] = set()
        writes = {"uploads": 0, "deletes": 0}
        health: list[float] = []

        def writer():
            n = 0
            with httpx.Client(base_url=base, timeout=300, headers={"X-API-Key": KEY}) as http:
                while time.monotonic() < stop:
                    doc_id = f"soak-{n}"
                    try:
                        r = http.post("/v1/documents", json={"id": doc_id, "text": soak_note(n)})
                        if r.status_code == 201:
                            kept.add(doc_id)
                            writes["uploads"] += 1
                        else:
                            with lock:
                                errors.append(f"upload {r.status_code} {r.text[:100]}")
                        if n % 2 == 1 and time.monotonic() < stop:
                            old = f"soak-{n - 1}"
                            r = http.delete(f"/v1/documents/{old}")
                            if r.status_code == 200:
                                kept.discard(old)
                                deleted.add(old)
                                writes["deletes"] += 1
                            else:
                                with lock:
                                    errors.append(f"delete {r.status_code} {r.text[:100]}")
                    except httpx.HTTPError as exc:
                        with lock:
                            errors.append(f"write {exc!r}")
                    n += 1

        def prober():
            with httpx.Client(base_url=base, timeout=30) as http:
                while time.monotonic() < stop:
                    t = time.perf_counter()
                    try:
                        ok = http.get("/healthz").status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    elapsed = time.perf_counter() - t
                    with lock:
                        (health.append(elapsed) if ok else errors.append("healthz failed"))
                    time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        threads += [threading.Thread(target=writer), threading.Thread(target=prober)] if soak else \
            [threading.Thread(target=ingest)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 330)
        wall = time.perf_counter() - started
        latencies.sort()

        def pct(p):
            return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

        soak_result = {}
        if soak:
            listed = {d["id"] for d in httpx.get(f"{base}/v1/documents", timeout=60).json()}
            on_disk = {p.name.rsplit(".", 1)[0] for p in (knowledge / "documents").iterdir()}
            health.sort()
            hp = (lambda p: round(health[min(len(health) - 1, int(p * len(health)))] * 1000, 1) if health else None)
            soak_result = {**writes, "lost": sorted(kept - listed) + sorted(kept - on_disk),
                           "zombies": sorted(deleted & (listed | on_disk)),
                           "healthz": {"n": len(health), "p50_ms": hp(0.50), "p95_ms": hp(0.95), "p99_ms": hp(0.99),
                                       "max_ms": round(health[-1] * 1000, 1) if health else None}}
        return {"mode": mode, "clients": clients, "seconds": round(wall, 1), "requests": len(latencies),
                "throughput_rps": round(len(latencies) / wall, 1), "p50_ms": round(pct(0.50), 1),
                "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
                "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
                "errors": len(errors), "first_errors": errors[:3], "ingest": ingest_result, "soak": soak_result}
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--mode", choices=["embedded", "server", "both"], default="both")
    parser.add_argument("--soak", action="store_true", help="upload and delete documents throughout; poll /healthz")
    args = parser.parse_args()
    modes = ["embedded", "server"] if args.mode == "both" else [args.mode]
    results = [run(mode, args.clients, args.seconds, args.soak) for mode in modes]
    print(f"{'mode':<10}{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}  ingest")
    for r in results:
        print(f"{r['mode']:<10}{r['clients']:>8}{r['requests']:>10}{r['throughput_rps']:>8}{r['p50_ms']:>9}"
              f"{r['p95_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}  {r['ingest']}")
        for e in r["first_errors"]:
            print("   error:", e)
        if r["soak"]:
            print("   soak:", json.dumps(r["soak"]))


if __name__ == "__main__":
    main()
