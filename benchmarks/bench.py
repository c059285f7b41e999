"""Speed and memory of the seed pipeline. Prints figures; asserts nothing.

    python benchmarks/bench.py [--knowledge-dir knowledge]

Targets on a 2-core machine: cold start < 5 s, warm ask p50 < 50 ms, p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COLD = """
import time, resource, sys
t0 = time.perf_counter()
from assistant import Assistant
a = Assistant.load(sys.argv[1], sys.argv[2])
a.ask("Why did Egypt object to Article 24?")
# VmHWM, unlike ru_maxrss, is not inherited from the parent across fork and exec
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(time.perf_counter() - t0, hwm)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--knowledge-dir", default=str(REPO / "knowledge"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    knowledge = work / "knowledge"
    shutil.copytree(args.knowledge_dir, knowledge, ignore=shutil.ignore_patterns(".index"))
    persist = work / "index"

    from assistant import Assistant
    from assistant.embedding import shared_embedder

    t = time.perf_counter()
    shared_embedder().warm()
    model_load = time.perf_counter() - t
    t = time.perf_counter()
    assistant = Assistant.load(knowledge, persist)
    build = time.perf_counter() - t
    t = time.perf_counter()
    assistant.index()
    noop = time.perf_counter() - t

    questions = [json.loads(line)["question"] for line in (REPO / "evals" / "qa.jsonl").read_text().splitlines() if line.strip()]
    for q in questions[:5]:
        assistant.ask(q)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    colds = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD, str(knowledge), str(persist)], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        inner, rss = out.stdout.split()[-2:]
        colds.append((wall, float(inner), int(rss)))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'model load (in process)':<38}{model_load:8.2f} s")
    print(f"{'index build, seed (model loaded)':<38}{build:8.2f} s")
    print(f"{'index run with nothing changed':<38}{noop:8.2f} s")
    print(f"{'cold start, process to first answer':<38}{min(c[0] for c in colds):8.2f} s   (best of 3; median {statistics.median(c[0] for c in colds):.2f} s)")
    print(f"{'warm ask p50':<38}{p50:8.1f} ms  ({len(latencies)} questions)")
    print(f"{'warm ask p95':<38}{p95:8.1f} ms")
    print(f"{'warm ask max':<38}{latencies[-1]:8.1f} ms")
    print(f"{'peak memory, benchmark process':<38}{peak_mb:8.0f} MB")
    print(f"{'peak memory, cold-start process':<38}{max(c[2] for c in colds) / 1024:8.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
