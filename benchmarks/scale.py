"""From one article to a newsroom archive: how the index grows. Prints figures; asserts nothing.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--timeout 1800] [--real-up-to 1000]
                               [--questions 100] [--pool 20000] [--out benchmarks/reports] [--work DIR]

For each size (in passages) it generates a corpus of session-report-like documents beside a copy
of the seed knowledge folder, then measures, against the public API only (Assistant.load, ingest,
ask), each in a fresh subprocess:

  ingest       Assistant.load over the folder with no index yet (clean, split, extract, embed, store,
               open), in passages/s, and, where the vectors are real, as a ratio to the time the
               same process takes to encode the same text's sentences with the packaged model
               (sentence-transformers, all-MiniLM-L6-v2) and nothing else: raw_seconds / ingest_seconds.
  index size   bytes under the persist directory after ingest.
  open         process start to first answer: a new interpreter, Assistant.load(sync=False) (what
               `assistant ask` does) and one question; then its peak RSS (VmHWM) after asking
               the whole question set, whose p50/p95 latencies are the ask figures.
  add one      in another fresh process with the index open and the model loaded: seconds from
               ingest(new document) until a question only it answers is answered citing it.

Vectors. At sizes up to --real-up-to every vector is computed by the real model. Above it an
embedding of the corpus by the real model would not fit a 2-core machine (100k passages are
~600k sentences), so the generator draws every sentence (and every title) from a finite pool
whose vectors the real model computes once per run (the "pool" stage, timed and reported), and a
PooledEmbedder answers: a pooled sentence or title gets its own vector; a passage (a run of pooled
sentences) gets the normalised mean of its sentences' vectors (an approximation of the model's
passage vector, of the same shape and cost to store and search); anything else (position records'
search text, the new document) is embedded by the real model and memoised. Questions are always
embedded by the real query encoder. The report says which sizes used which vectors.

Bounded: each stage may run --timeout seconds and each size --size-timeout (3 x --timeout); a stage
still running then is killed and recorded as "did not finish in N s". Writes
<out>/scale.json and <out>/scale.png (matplotlib, `pip install -e '.[bench]'`) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TARGETS = {  # at 100k passages
    "open_s": ("<=", 5.0, "open 100k <= 5 s"),
    "ask_p50_ms": ("<=", 50.0, "ask p50 at 100k <= 50 ms"),
    "ask_p95_ms": ("<=", 150.0, "ask p95 at 100k <= 150 ms"),
    "rss_mb": ("<=", 1536.0, "RSS at 100k <= 1.5 GB"),
    "ingest_ratio": (">=", 0.45, "ingest >= 0.45 of raw sentence encoding"),
    "add_one_s": ("<=", 5.0, "one new document into 100k visible <= 5 s"),
    "add_one_replica_s": ("<=", 5.0, "one new document into 100k visible to another replica <= 5 s"),
}
FIGURES = ("ingest_passages_per_s", "ingest_ratio", "index_mb", "open_s", "rss_mb", "ask_p50_ms", "ask_p95_ms",
           "add_one_s", "add_one_replica_s")

PASSAGE_TOKEN_BUDGET = 172  # assistant/passages.py splits at 180 tokens: a paragraph this long stays one passage
PARAGRAPHS_PER_DOCUMENT = 20
PARAGRAPHS_PER_SECTION = 5
RESERVED = ["Mongolia", "Fiji", "Bhutan"]  # never in generated text: the added document's fact is only there


# =============================================================================================
# The generator: session-report-like documents composed from templates, deterministic per seed.
# =============================================================================================
ARTICLES = ["3", "5", "6", "7", "12", "13", "15", "16", "18", "21", "23", "24", "25", "27", "28", "29", "30",
            "35", "36", "40", "41", "42", "45", "47", "53", "54"]
PARAGRAPH_REFS = ["(1)", "(2)", "(3)", "(4)", ""]
TOPICS = ["the scope of the convention", "human rights safeguards", "the definition of electronic data",
          "real-time collection of traffic data", "the 24/7 network", "extradition", "technical assistance",
          "the protection of personal data", "dual criminality", "the liability of legal persons",
          "child sexual abuse material", "the preservation of stored data", "mutual legal assistance",
          "the role of civil society", "capacity building", "the interception of content data"]
REASONS = ["the text duplicated obligations already found in domestic law",
           "the wording was too broad to give legal certainty",
           "the provision lacked adequate human rights safeguards",
           "developing countries needed more time to adapt their legislation",
           "the article would overburden central authorities",
           "the language risked criminalising legitimate security research",
           "the provision did not respect state sovereignty",
           "the definition of serious crime was left to national law",
           "journalists and whistle-blowers needed explicit protection",
           "the article conflicted with existing regional instruments",
           "judicial oversight of the measure was not guaranteed",
           "the threshold of four years of imprisonment was too low",
           "the clause would fragment international cooperation",
           "the secretariat had no budget to support the mechanism",
           "the text did not distinguish content data from subscriber data",
           "the proposal had wide support among regional groups",
           "the obligation could not be met by small administrations",
           "the wording followed the Budapest Convention too closely",
           "consent of the requested state should be required",
           "the clause gave law enforcement powers without limits"]
STANCES = [("opposed", "opposes"), ("supported", "supports"), ("called for deleting", "deletion"),
           ("proposed amending", "amendment"), ("expressed reservations about", "reservation"),
           ("welcomed", "supports"), ("objected to", "opposes")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SESSIONS = ["the fourth session", "the fifth session", "the sixth session", "the concluding session",
            "the reconvened concluding session", "the informal consultations", "the intersessional meeting"]
TEMPLATES = [
    "{state} {stance} Article {art}{par}, arguing that {reason}.",
    "At {session} on {day} {month} {year}, {state} {stance} Article {art}{par}.",
    "{state} said that {figure} per cent of its requests concerned {topic}, and {stance} Article {art}{par}.",
    "Speaking on behalf of {count} delegations, {state} {stance} Article {art}{par} because {reason}.",
    "{state} and {state2} {stance} Article {art}{par}, noting that {reason}.",
    "The delegation of {state} questioned why Article {art} singles out {topic}.",
    "{state} asked the chair for more time to consider Article {art}, as {reason}.",
    "On {topic}, {state} stated that {reason}.",
    "{state} recalled that {figure} states had ratified a regional instrument on {topic} by {year}.",
    "Supported by {state2}, {state} {stance} Article {art}{par} during {session}.",
]


def actor_names(knowledge_dir: Path) -> list[str]:
    import yaml

    actors = yaml.safe_load((knowledge_dir / "actors.yaml").read_text(encoding="utf-8"))
    return [a["name"] for a in actors if a.get("kind") == "state" and a["name"] not in RESERVED
            and re.fullmatch(r"[A-Za-z' -]+", a["name"]) and ". " not in a["name"]]


def sentence_pool(states: list[str], size: int, seed: int = 7) -> list[str]:
    """`size` unique sentences, each ending with '.', with no '. ' inside (so joined runs split back)."""
    rng = random.Random(seed)
    pool: dict[str, None] = {}
    attempts = 0
    while len(pool) < size and attempts < size * 20:
        attempts += 1
        state, state2 = rng.sample(states, 2)
        stance = rng.choice(STANCES)[0]
        s = rng.choice(TEMPLATES).format(
            state=state, state2=state2, stance=stance, art=rng.choice(ARTICLES), par=rng.choice(PARAGRAPH_REFS),
            reason=rng.choice(REASONS), topic=rng.choice(TOPICS), session=rng.choice(SESSIONS),
            day=rng.randint(1, 28), month=rng.choice(MONTHS), year=rng.randint(2022, 2024),
            figure=rng.randint(2, 97), count=rng.randint(3, 60))
        pool[s[0].upper() + s[1:]] = None
    return list(pool)


def title_pool() -> list[str]:
    return [f"Session report: {s[4:] if s.startswith('the ') else s}, {t}" for s in SESSIONS for t in TOPICS]


def section_names() -> list[str]:
    return [f"Article {a}" for a in ARTICLES] + [t[0].upper() + t[1:] for t in TOPICS]


def _token_counter():
    from llama_index.core.utils import get_tokenizer

    tokenizer = get_tokenizer()  # what SentenceSplitter counts with
    return lambda text: len(tokenizer(text))


def generate(target: Path, passages: int, pool: list[str], seed: int = 11,
             per_document: int = PARAGRAPHS_PER_DOCUMENT) -> dict:
    """Write generated documents (.md + .meta.yaml) into target/, `passages` paragraphs in all, each
    paragraph short enough to be exactly one passage. Returns a manifest (counts, the sentences)."""
    rng = random.Random(seed * 1_000_003 + passages)
    count = _token_counter()
    tokens = {s: count(" " + s) for s in pool}
    titles, sections = title_pool(), section_names()
    target.mkdir(parents=True, exist_ok=True)
    documents = characters = sentences = 0
    remaining = passages
    while remaining > 0:
        n = min(per_document, remaining)
        remaining -= n
        doc_id = f"gen-{documents:06d}"
        title = rng.choice(titles)
        parts = [f"# {title}\n"]
        for p in range(n):
            if p % PARAGRAPHS_PER_SECTION == 0:
                parts.append(f"## {rng.choice(sections)}\n")
            paragraph, budget = [], 0
            while True:
                s = rng.choice(pool)
                if budget + tokens[s] > PASSAGE_TOKEN_BUDGET and paragraph:
                    break
                paragraph.append(s)
                budget += tokens[s]
            text = " ".join(paragraph)
            sentences += len(paragraph)
            characters += len(text)
            parts.append(text + "\n")
        (target / f"{doc_id}.md").write_text("\n".join(parts), encoding="utf-8")
        month = rng.randint(1, 12)
        (target / f"{doc_id}.meta.yaml").write_text(
            f'title: "{title}"\npublisher: "Generated for benchmarks/scale.py"\ndate: "{rng.randint(2022, 2024)}-{month:02d}"\n'
            f"kind: session report\n", encoding="utf-8")
        documents += 1
    return {"documents": documents, "passages": passages, "sentences": sentences, "characters": characters}


def questions(pool: list[str], n: int, seed: int = 5) -> list[str]:
    """Questions of the kinds people ask, about delegations and articles the corpus names."""
    rng = random.Random(seed)
    facts = []
    for s in pool:
        m = re.search(r"^(?:The delegation of )?([A-Z][A-Za-z' -]+?) (?:and [A-Z][A-Za-z' -]+? )?"
                      r"(?:opposed|supported|called for deleting|proposed amending|expressed reservations about|"
                      r"welcomed|objected to|questioned why) Article (\d+)", s)
        if m:
            facts.append((m.group(1), m.group(2)))
    kinds = ["Why did {s} oppose Article {a}?", "What did {s} say about Article {a}?",
             "Which states supported Article {a}?", "Who called for deleting Article {a}?",
             "What was {s}'s position on Article {a}?", "Why did {s} object to Article {a}?",
             "Which delegations expressed reservations about Article {a}?", "What did {s} propose on {t}?"]
    out = [rng.choice(kinds).format(s=s, a=a, t=rng.choice(TOPICS)) for s, a in (rng.choice(facts) for _ in range(n))]
    # One in ten is one the sources cannot answer, of the kinds that make the assistant check how close the
    # nearest sentence is before it abstains (about a named delegation, or about nothing the archive covers).
    for i in range(9, n, 10):
        s, _ = facts[(i * 7919) % len(facts)]
        out[i] = OFF_TOPIC[(i // 10) % len(OFF_TOPIC)].format(s=s)
    return out


OFF_TOPIC = ["What is the capital of {s}?", "How do quantum computers break RSA encryption?",
             "What did {s} say about the football world cup?", "What is the best recipe for tomato soup?"]


NEW_DOCUMENT = ("# Late session note on the 24/7 network\n\n"
                "Mongolia proposed that Article 41 require each state party to publish a yearly transparency report "
                "on the use of its 24/7 network. The delegation said the change would build trust between national "
                "authorities.\n")
NEW_QUESTION = "What did Mongolia propose about Article 41?"
NEW_ID = "late-note-mongolia"


# =============================================================================================
# The embedder used above --real-up-to (Embedder's interface: embed, embed_one, warm).
# =============================================================================================
_SPLIT = re.compile(r"(?<=\.)\s+(?=[A-Z])")


class PooledEmbedder:
    """Real vectors for a finite pool of sentences and titles, computed once; a run of pooled
    sentences (a passage) gets the normalised mean of theirs; a text that contains some pooled
    sentences among other words (a position record's search text: summary, reason, quote) gets
    the mean of those; anything else (the new document) is embedded by the real model and
    memoised. Queries (embed_one) always go to the real model's query encoder."""

    def __init__(self, real, table: dict | None = None, partial: bool = True):
        import numpy as np

        self.np = np
        self.real = real
        self.table = dict(table or {})  # text -> np.ndarray (normalised)
        self.partial = partial
        self.stats = {"pooled": 0, "composed": 0, "partial": 0, "embedded": 0}

    @classmethod
    def from_files(cls, real, *paths: Path) -> "PooledEmbedder":
        import numpy as np

        table = {}
        for path in paths:
            if path.exists():
                data = np.load(path, allow_pickle=False)
                table.update(zip(data["texts"].tolist(), data["vectors"]))
        return cls(real, table)

    def save(self, path: Path, exclude: set[str] = frozenset()):
        np = self.np
        texts = [t for t in self.table if t not in exclude]
        np.savez(path, texts=np.array(texts, dtype=object).astype(str),
                 vectors=np.array([self.table[t] for t in texts], dtype=np.float32).reshape(len(texts), -1))

    def warm(self):
        self.real.warm()
        return self

    def embed(self, texts: list[str], batch_size: int = 32) -> list[list[float]]:
        np = self.np
        out: list = [None] * len(texts)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            vector = self.table.get(text)
            if vector is not None:
                self.stats["pooled"] += 1
                out[i] = vector
                continue
            parts = _SPLIT.split(text.strip())
            vectors = [v for v in (self.table.get(p) for p in parts) if v is not None]
            if len(parts) > 1 and len(vectors) == len(parts):
                self.stats["composed"] += 1
            elif self.partial and vectors:  # a position record's search text ends with its pooled quote
                self.stats["partial"] += 1
            else:
                missing.setdefault(text, []).append(i)
                continue
            mean = np.mean(vectors, axis=0)
            out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        if missing:
            fresh = self.real.embed(list(missing), batch_size=batch_size)
            self.stats["embedded"] += len(missing)
            for text, vector in zip(missing, fresh):
                vector = np.asarray(vector, dtype=np.float32)
                self.table[text] = vector
                for i in missing[text]:
                    out[i] = vector
        return [np.asarray(v, dtype=np.float32).tolist() for v in out]

    def embed_one(self, text: str) -> list[float]:
        return self.real.embed_one(text)


# =============================================================================================
# Stages, each run in a fresh interpreter: python benchmarks/scale.py _stage NAME ARGS.json
# =============================================================================================
def _say(size: int | str, message: str):
    print(f"[{size:>7}] {message}", flush=True)


def _hwm_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024


def _embedder(args: dict):
    from assistant.embedding import Embedder

    real = Embedder()
    if args["vectors"] == "real":
        return real
    work = Path(args["work"])
    return PooledEmbedder.from_files(real, work / "pool.npz", work / "memo.npz")


def stage_pool(args: dict) -> dict:
    """Embed the sentence and title pool with the real model (once per run)."""
    import numpy as np

    from assistant.embedding import Embedder

    pool = json.loads(Path(args["pool_file"]).read_text())
    texts = pool["sentences"] + pool["titles"]
    embedder = Embedder().warm()
    t = time.perf_counter()
    vectors = np.asarray(embedder.embed(texts, batch_size=64), dtype=np.float32)
    seconds = time.perf_counter() - t
    np.savez(Path(args["work"]) / "pool.npz", texts=np.array(texts), vectors=vectors)
    embedder.embed_one("warm the query encoder export")  # writes the ONNX export the stages below use
    return {"texts": len(texts), "seconds": round(seconds, 1), "per_s": round(len(texts) / seconds, 1)}


def stage_ingest(args: dict) -> dict:
    from assistant import Assistant

    size = args["size"]
    embedder = _embedder(args)
    t = time.perf_counter()
    embedder.warm()
    embedder.embed_one("warm the query encoder")
    warm_s = time.perf_counter() - t
    last = [0.0]

    def progress(done, total, message):
        now = time.monotonic()
        if now - last[0] > 15 or done == total:
            last[0] = now
            _say(size, f"  ingest: {done}/{total} {message}")

    _say(size, f"ingest: Assistant.load over {args['documents']} generated documents ({args['vectors']} vectors)")
    t = time.perf_counter()
    assistant = Assistant.load(args["knowledge"], args["persist"], progress=progress, embedder=embedder)
    ingest_s = time.perf_counter() - t
    result = {"seconds": round(ingest_s, 2), "warm_model_s": round(warm_s, 2), "rss_mb": round(_hwm_mb())}
    result["passages_indexed"] = assistant.catalog.counts()["passages"]  # the catalog counts them; no archive read
    if isinstance(embedder, PooledEmbedder):
        result["embedder"] = dict(embedder.stats)
        pool = json.loads(Path(args["pool_file"]).read_text())
        pooled = set(pool["sentences"]) | set(pool["titles"])
        embedder.save(Path(args["work"]) / "memo.npz", exclude=pooled)  # reused by later stages and sizes
    if args["vectors"] == "real":
        # The same text's sentences, encoded by the packaged model and nothing else, in this process.
        from assistant.passages import split_sentences
        from assistant.documents import load_folder

        docs = load_folder(Path(args["knowledge"]) / "documents")
        sentences = [s.text for d in docs for s in split_sentences(d)]
        _say(size, f"raw: encoding the same {len(sentences)} sentences with the packaged model alone")
        t = time.perf_counter()
        embedder.model.encode(sentences, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        raw_s = time.perf_counter() - t
        result.update(raw_sentences=len(sentences), raw_seconds=round(raw_s, 2), ratio=round(raw_s / ingest_s, 3))
    return result


def stage_open(args: dict) -> dict:
    """Process start to first answer (sync=False: open what is stored, as `assistant ask` does), then
    the whole question set, then this process's peak RSS."""
    from assistant import Assistant

    a = Assistant.load(args["knowledge"], args["persist"], sync=False)
    first = a.ask(args["questions"][0])
    first_at = time.time()
    latencies, abstained = [], 0
    for q in args["questions"][1:4]:  # warm-up, not counted
        a.ask(q)
    for q in args["questions"]:
        t = time.perf_counter()
        answer = a.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
        abstained += bool(answer.abstained)
    latencies.sort()
    return {"first_answer_at": first_at, "first_abstained": first.abstained, "latencies_ms": latencies,
            "abstained": abstained, "rss_mb": round(_hwm_mb())}


def stage_add(args: dict) -> dict:
    """With the index open and the model loaded, one new document until it is answerable."""
    from assistant import Assistant

    embedder = _embedder(args)
    embedder.warm()
    a = Assistant.load(args["knowledge"], args["persist"], sync=False, embedder=embedder)
    before = a.ask(NEW_QUESTION)
    source = Path(args["work"]) / "incoming" / f"{NEW_ID}.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(NEW_DOCUMENT, encoding="utf-8")
    _say(args["size"], "add one: ingest, then ask until the answer cites the new document")
    t = time.perf_counter()
    a.ingest(source)
    ingest_call = time.perf_counter() - t
    polls = 0
    while True:
        polls += 1
        answer = a.ask(NEW_QUESTION)
        if any(c.document_id == NEW_ID for c in answer.citations):
            break
        time.sleep(0.05)
    return {"seconds": round(time.perf_counter() - t, 3), "ingest_call_s": round(ingest_call, 3), "polls": polls,
            "cited_before": any(c.document_id == NEW_ID for c in before.citations)}


REPLICA_DOCUMENT = ("# Late session note on mutual legal assistance\n\n"
                    "Fiji proposed that Article 40 require a reply to every request for mutual legal assistance "
                    "within ninety days. The delegation said small administrations needed a clear deadline.\n")
REPLICA_QUESTION = "What did Fiji propose about Article 40?"
REPLICA_ID = "late-note-fiji"


def _wait_file(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def stage_replica_writer(args: dict) -> dict:
    """The writing replica: its own process and catalog on the shared Chroma server; ingests on a signal."""
    from assistant import Assistant

    embedder = _embedder(args)
    embedder.warm()
    a = Assistant.load(args["knowledge"], args["writer_persist"], sync=False, chroma_url=args["chroma_url"],
                       embedder=embedder)
    a.ask(REPLICA_QUESTION)
    source = Path(args["work"]) / "incoming" / f"{REPLICA_ID}.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(REPLICA_DOCUMENT, encoding="utf-8")
    signals = Path(args["signals"])
    (signals / "writer-ready").touch()
    if not _wait_file(signals / "go", 600):
        raise SystemExit("the reader never said go")
    started = time.time()
    (signals / "started").write_text(repr(started))
    a.ingest(source)
    return {"started": started, "ingest_call_s": round(time.time() - started, 3)}


def stage_replica(args: dict) -> dict:
    """The reading replica: a process that did not write, asks until it cites what the writer ingested."""
    from assistant import Assistant

    signals = Path(args["signals"])
    writer_args = {**args, "result": str(signals / "writer.result.json")}
    (signals / "writer.args.json").write_text(json.dumps(writer_args))
    writer = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "_stage", "replica_writer",
                               str(signals / "writer.args.json")], cwd=REPO)
    try:
        a = Assistant.load(args["knowledge"], args["persist"], sync=False, chroma_url=args["chroma_url"])
        before = a.ask(REPLICA_QUESTION)
        if not _wait_file(signals / "writer-ready", 900):
            raise SystemExit("the writing replica did not start")
        (signals / "go").touch()
        _wait_file(signals / "started", 60)
        polls = 0
        while True:
            polls += 1
            answer = a.ask(REPLICA_QUESTION)
            if any(c.document_id == REPLICA_ID for c in answer.citations):
                seen = time.time()
                break
            time.sleep(0.05)
        writer.wait(300)
        written = json.loads((signals / "writer.result.json").read_text())
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    return {"seconds": round(seen - written["started"], 3), "writer_ingest_call_s": written["ingest_call_s"],
            "polls": polls, "cited_before": any(c.document_id == REPLICA_ID for c in before.citations)}


STAGES = {"pool": stage_pool, "ingest": stage_ingest, "open": stage_open, "add": stage_add,
          "replica": stage_replica, "replica_writer": stage_replica_writer}


def _stage_main(name: str, args_file: str):
    args = json.loads(Path(args_file).read_text())
    result = STAGES[name](args)
    Path(args["result"]).write_text(json.dumps(result))


# =============================================================================================
# The driver
# =============================================================================================
class Budget:
    """Each stage of a size may run for `per_stage` seconds; the size as a whole for `total`."""

    def __init__(self, per_stage: float, total: float):
        self.per_stage = per_stage
        self.seconds = total
        self.deadline = time.monotonic() + total

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def stage(self) -> float:
        return min(self.per_stage, self.left())


def run_stage(name: str, args: dict, timeout: float, env: dict) -> tuple[str, dict | None, float]:
    """Run a stage in a fresh interpreter, in its own process group, killed when the time is up.
    Returns (status, result, wall seconds); status is "ok", "did not finish in N s" or "failed: ..."."""
    if timeout <= 1:
        return "not run: the size's time budget is spent", None, 0.0
    work = Path(args["work"])
    args = {**args, "result": str(work / f"{name}-{args.get('size', 'pool')}.result.json")}
    args_file = work / f"{name}-{args.get('size', 'pool')}.args.json"
    args_file.write_text(json.dumps(args))
    Path(args["result"]).unlink(missing_ok=True)
    started_at = time.time()
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "_stage", name, str(args_file)],
                            cwd=REPO, env=env, start_new_session=True)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return f"did not finish in {int(timeout)} s", None, time.perf_counter() - t
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not Path(args["result"]).exists():
        return f"failed: exit code {proc.returncode}", None, wall
    result = json.loads(Path(args["result"]).read_text())
    result["_started_at"] = started_at
    return "ok", result, wall


def _disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def check_passages(documents: Path, sample: int = 10) -> dict:
    """Split a sample of generated documents with the project's own splitter: one passage per paragraph?"""
    from assistant.documents import load_document
    from assistant.passages import split_passages

    files = sorted(documents.glob("gen-*.md"))[:sample]
    paragraphs = passages = chars = 0
    for f in files:
        doc = load_document(f)
        paragraphs += sum(1 for p in doc.paragraphs if p.kind == "text")
        found = split_passages(doc)
        passages += len(found)
        chars += sum(len(p.text) for p in found)
    return {"documents": len(files), "paragraphs": paragraphs, "passages": passages,
            "mean_passage_chars": round(chars / max(passages, 1))}


def run_size(size: int, base: Path, pool_data: dict, vectors: str, n_questions: int, budget: Budget,
             env: dict, replicas: bool = False, keep: bool = False, reuse: bool = False,
             checkpoint=lambda entry: None) -> dict:
    entry: dict = {"passages": size, "vectors": vectors, "extraction": env.get("ASSISTANT_EXTRACTION", "on"),
                   "budget_s": budget.seconds,
                   "stage_budget_s": budget.per_stage, "stages": {},
                   "figures": {k: None for k in FIGURES},
                   "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}  # other work on the machine
    figures = entry["figures"]
    home = base / f"size-{size}"
    knowledge = home / "knowledge"
    pristine = home / "pristine"  # the index as ingest left it, for --reuse (the stages below add documents)
    saved = pristine / "ingest.json"
    if reuse and saved.exists():
        _say(size, "reusing the index an earlier run ingested (--reuse): generation and ingest are not re-run")
        for name in ("index", "replica-reader", "replica-writer", "signals"):
            shutil.rmtree(home / name, ignore_errors=True)
        subprocess.run(["cp", "-a", "--reflink=auto", str(pristine / "index"), str(home / "index")], check=True)
        # the extraction cache as ingest left it (one file per document; a single file in runs before that)
        shutil.rmtree(knowledge / "extracted", ignore_errors=True)
        if (pristine / "extracted").is_dir():
            shutil.copytree(pristine / "extracted", knowledge / "extracted")
        elif (pristine / "extracted_positions.yaml").exists():
            shutil.copy2(pristine / "extracted_positions.yaml", knowledge / "extracted_positions.yaml")
        for name in (NEW_ID, REPLICA_ID):
            (knowledge / "documents" / f"{name}.md").unlink(missing_ok=True)
        old = json.loads(saved.read_text())
        manifest = old["manifest"]
        entry.update({k: old["entry"][k] for k in ("generate_s", "passage_check")})
        entry["reused_index_from"] = old["entry"].get("commit", "an earlier run")
    else:
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(REPO / "knowledge", knowledge,
                        ignore=shutil.ignore_patterns(".index", ".conversations", "extracted_positions.yaml", "extracted"))
        _say(size, "generating the corpus")
        t = time.perf_counter()
        manifest = generate(knowledge / "documents", size, pool_data["sentences"])
        entry["generate_s"] = round(time.perf_counter() - t, 1)
    entry.update({k: manifest[k] for k in ("documents", "sentences", "characters")})
    entry["passage_check"] = check_passages(knowledge / "documents")
    _say(size, f"  {manifest['documents']} documents, {size} paragraphs of ~{manifest['characters'] // size} "
               f"characters, {manifest['sentences']} sentences ({entry['generate_s']} s); sample split: "
               f"{entry['passage_check']}")
    qs = questions(pool_data["sentences"], n_questions)
    common = {"size": size, "work": str(base), "knowledge": str(knowledge), "persist": str(home / "index"),
              "vectors": vectors, "pool_file": str(base / "pool.json"), "documents": manifest["documents"]}

    if reuse and saved.exists():
        status, result, wall = "ok", old["ingest"], 0.0
        entry["stages"]["ingest"] = "ok (reused)"
    else:
        status, result, wall = run_stage("ingest", common, budget.stage(), env)
        entry["stages"]["ingest"] = status
        _say(size, f"ingest: {status} ({wall:.1f} s)")
        if result is not None and keep:
            shutil.rmtree(pristine, ignore_errors=True)
            pristine.mkdir(parents=True)
            subprocess.run(["cp", "-a", "--reflink=auto", str(home / "index"), str(pristine / "index")], check=True)
            if (knowledge / "extracted").is_dir():
                shutil.copytree(knowledge / "extracted", pristine / "extracted")
            saved.write_text(json.dumps({"manifest": manifest, "ingest": result, "entry": {
                "generate_s": entry["generate_s"], "passage_check": entry["passage_check"],
                "commit": env.get("SCALE_COMMIT", "")}}))
    if result is None:
        for stage in ("open", "add"):
            entry["stages"][stage] = "not run: no index"
        return entry
    entry["ingest"] = result
    # everything in the folder is ingested: the generated passages and the seed document's
    figures["ingest_passages_per_s"] = round((result.get("passages_indexed") or size) / result["seconds"], 1)
    figures["ingest_ratio"] = result.get("ratio")
    entry["index_bytes"] = _disk_bytes(home / "index")
    figures["index_mb"] = round(entry["index_bytes"] / 2**20, 1)
    _say(size, f"  {figures['ingest_passages_per_s']} passages/s, ratio to raw encoding "
               f"{figures['ingest_ratio']}, index {figures['index_mb']} MB")

    checkpoint(entry)  # the figures so far, in case a later stage is cut short
    status, result, wall = run_stage("open", {**common, "questions": qs}, budget.stage(), env)
    entry["stages"]["open"] = status
    _say(size, f"open + {len(qs)} questions: {status} ({wall:.1f} s)")
    if result:
        lat = result.pop("latencies_ms")
        figures["open_s"] = round(result["first_answer_at"] - result.pop("_started_at"), 2)
        figures["ask_p50_ms"] = round(statistics.median(lat), 1)
        figures["ask_p95_ms"] = round(_pct(lat, 0.95), 1)
        figures["rss_mb"] = result["rss_mb"]
        entry["open"] = {**result, "questions": len(lat), "ask_max_ms": round(lat[-1], 1)}
        _say(size, f"  open {figures['open_s']} s, ask p50 {figures['ask_p50_ms']} ms p95 {figures['ask_p95_ms']} "
                   f"ms, RSS {figures['rss_mb']} MB")

    checkpoint(entry)  # the figures so far, in case a later stage is cut short
    status, result, wall = run_stage("add", common, budget.stage(), env)
    entry["stages"]["add"] = status
    _say(size, f"add one document: {status} ({wall:.1f} s)")
    if result:
        result.pop("_started_at", None)
        figures["add_one_s"] = result["seconds"]
        entry["add"] = result
        _say(size, f"  answerable after {result['seconds']} s (ingest call {result['ingest_call_s']} s)")
    checkpoint(entry)  # the figures so far, in case a later stage is cut short
    if replicas:
        status, result, wall = run_replicas(common, home, budget, env)
        entry["stages"]["replica"] = status
        _say(size, f"one new document seen by another replica: {status} ({wall:.1f} s)")
        if result:
            figures["add_one_replica_s"] = result["seconds"]
            entry["replica"] = result
            _say(size, f"  another replica answers from it after {result['seconds']} s "
                       f"(writer's ingest call {result['writer_ingest_call_s']} s)")
    return entry


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_replicas(common: dict, home: Path, budget: Budget, env: dict) -> tuple[str, dict | None, float]:
    """Serve the index just measured with `chroma run`; a writing and a reading replica, each with its own
    catalog (a copy of the one built at ingest, as a replica that was already running has)."""
    import sqlite3

    if shutil.which("chroma") is None:
        return "not run: no `chroma` command", None, 0.0
    index = home / "index"
    with sqlite3.connect(index / "catalog.sqlite") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    replicas = {}
    for name in ("reader", "writer"):
        replicas[name] = home / f"replica-{name}"
        replicas[name].mkdir(parents=True, exist_ok=True)
        shutil.copy2(index / "catalog.sqlite", replicas[name] / "catalog.sqlite")
    signals = home / "signals"
    shutil.rmtree(signals, ignore_errors=True)
    signals.mkdir()
    port = _free_port()
    log = open(home / "chroma.log", "wb")
    server = subprocess.Popen(["chroma", "run", "--path", str(index), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        import urllib.request

        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    return "failed: chroma run did not start", None, 0.0
                time.sleep(0.3)
        return run_stage("replica", {**common, "persist": str(replicas["reader"]),
                                     "writer_persist": str(replicas["writer"]), "signals": str(signals),
                                     "chroma_url": f"http://127.0.0.1:{port}"}, budget.stage(), env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _fmt(value, unit="") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value}{unit}"


def table(report: dict) -> str:
    sizes = report["sizes"]
    rows = [("ingest, passages/s", "ingest_passages_per_s", "", None),
            ("ingest ÷ raw sentence encoding", "ingest_ratio", "", "ingest_ratio"),
            ("index on disk", "index_mb", " MB", None),
            ("open: process start to first answer", "open_s", " s", "open_s"),
            ("peak RSS after asking", "rss_mb", " MB", "rss_mb"),
            ("ask p50", "ask_p50_ms", " ms", "ask_p50_ms"),
            ("ask p95", "ask_p95_ms", " ms", "ask_p95_ms"),
            ("one new document answerable", "add_one_s", " s", "add_one_s"),
            ("… answerable by another replica", "add_one_replica_s", " s", "add_one_replica_s")]
    head = ["figure"] + [f"{s['passages']:,} passages ({s['vectors']})" for s in sizes] + ["target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, key, unit, target in rows:
        cells = []
        for s in sizes:
            value = s["figures"].get(key)
            if value is None:
                stage = {"ingest_passages_per_s": "ingest", "ingest_ratio": "ingest", "index_mb": "ingest",
                         "add_one_s": "add", "add_one_replica_s": "replica"}.get(key, "open")
                status = s["stages"].get(stage, "")
                if key == "ingest_ratio" and status.startswith("ok"):
                    cell = "n/a (pooled vectors)"
                else:
                    cell = status if status and not status.startswith("ok") else "—"
            else:
                cell = _fmt(value, unit)
            cells.append(cell)
        goal = "" if target is None else f"{TARGETS[target][0]} {TARGETS[target][1]:g}"
        if target == "rss_mb":
            goal = "<= 1.5 GB"
        lines.append("| " + " | ".join([label] + cells + [goal]) + " |")
    lines.append("| commit measured | " + " | ".join(str(s.get("commit", ""))[:7] for s in sizes) + " | |")
    lines.append("| stance extraction at ingest | " + " | ".join(s.get("extraction", "on") for s in sizes) + " | |")
    return "\n".join(lines)


def plot(report: dict, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("ingest_passages_per_s", "ingest (passages/s)", None), ("index_mb", "index on disk (MB)", None),
              ("open_s", "open: start to first answer (s)", 5.0), ("rss_mb", "peak RSS (MB)", 1536.0),
              (("ask_p50_ms", "ask_p95_ms"), "ask latency p50 / p95 (ms)", (50.0, 150.0)),
              (("add_one_s", "add_one_replica_s"), "one new document answerable (s): same / other replica",
               (5.0, 5.0))]
    fig, axes = plt.subplots(2, 3, figsize=(14, 8))
    sizes = report["sizes"]
    for ax, (keys, title, target) in zip(axes.flat, panels):
        keys = keys if isinstance(keys, tuple) else (keys,)
        targets = target if isinstance(target, tuple) else (target,)
        for key, goal, style in zip(keys, targets, ("o-", "s--")):
            for kind, look in (("pooled", style), ("real", style[0])):
                points = [(s["passages"], s["figures"][key]) for s in sizes
                          if s["vectors"] == kind and s["figures"].get(key) is not None]
                if points:
                    ax.plot(*zip(*points), look, label=f"{key} ({kind} vectors)",
                            fillstyle="full" if kind == "pooled" else "none")
            if goal is not None:
                ax.axhline(goal, color="tab:red", lw=0.8, ls=":")
                ax.text(sizes[0]["passages"], goal, f" target {goal:g}", color="tab:red", va="bottom", fontsize=8)
        missing = [s for s in sizes if all(s["figures"].get(k) is None for k in keys)]
        for s in missing:
            ax.annotate("did not\nfinish", (s["passages"], 0), xycoords=("data", "axes fraction"),
                        xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8, color="tab:gray")
        ax.set_xscale("log")
        ax.set_xlim(min(s["passages"] for s in sizes) / 2, max(s["passages"] for s in sizes) * 2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("passages")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Index growth, {report['machine']['cores']} cores, commit {report['commit'][:10]}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _pool_matches(base: Path, pool_data: dict) -> dict | None:
    """The pool vectors of an earlier run in the same --work folder, if they are for the same texts."""
    path = base / "pool.npz"
    if not path.exists():
        return None
    import numpy as np

    texts = np.load(path, allow_pickle=False)["texts"].tolist()
    if texts != pool_data["sentences"] + pool_data["titles"]:
        return None
    return {"texts": len(texts)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="passages per corpus, comma-separated")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds each stage (ingest, open + questions, add one) of a size may run")
    parser.add_argument("--size-timeout", type=float, default=None,
                        help="seconds a size may run, all its stages together (default: 3 x --timeout)")
    parser.add_argument("--real-up-to", type=int, default=1000,
                        help="sizes up to this use the real model for every vector; larger ones use pooled vectors")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--pool", type=int, default=20000, help="unique sentences the generator draws from")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "reports"))
    parser.add_argument("--work", default=None, help="working folder (default: a temporary one, removed after)")
    parser.add_argument("--replicas", action=argparse.BooleanOptionalAction, default=True,
                        help="at the largest size, also time one new document seen by another replica "
                             "(a `chroma run` server over the index, a writing and a reading process)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each size's corpus and a copy of its ingested index in --work (for --reuse)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure open, asks and adding documents again on an index kept by an earlier --keep "
                             "run in the same --work folder (ingest figures are the earlier run's)")
    parser.add_argument("--extraction", choices=("on", "off"), default="on",
                        help="stance extraction at ingest (ASSISTANT_EXTRACTION); its cache is one file per document "
                             "in knowledge/extracted/")
    parser.add_argument("--merge", action="store_true",
                        help="keep the sizes of an earlier <out>/scale.json that this run does not measure")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="scale-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASSISTANT_CACHE_DIR": str(base / "cache"),
           "TOKENIZERS_PARALLELISM": "false", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}
    for name in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_CHROMA_URL"):  # extractive answers, embedded store
        env.pop(name, None)
    try:  # SCALE_COMMIT: when this runs from an exported copy of a commit (no .git)
        commit = os.environ.get("SCALE_COMMIT") or subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip() or "unknown"
    except OSError:
        commit = "unknown"
    env["SCALE_COMMIT"] = commit
    env["ASSISTANT_EXTRACTION"] = args.extraction
    report = {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit,
              "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                          "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
              "settings": {"sizes": sizes, "timeout_per_stage_s": args.timeout,
                           "timeout_per_size_s": args.size_timeout or 3 * args.timeout, "real_up_to": args.real_up_to,
                           "questions": args.questions, "pool_sentences": args.pool,
                           "paragraphs_per_document": PARAGRAPHS_PER_DOCUMENT,
                           "passage_token_budget": PASSAGE_TOKEN_BUDGET},
              "targets": {k: f"{v[0]} {v[1]:g}" for k, v in TARGETS.items()},
              "method": {"ingest": "Assistant.load(knowledge, persist, embedder=...) over the folder, no index yet",
                         "ingest_ratio": "raw_seconds / ingest_seconds: the packaged model encoding the same "
                                         "documents' sentences alone, same process (real vectors only)",
                         "open": "fresh interpreter: Assistant.load(sync=False) + one ask, wall clock from the parent's spawn",
                         "rss": "VmHWM of that process after the question set",
                         "ask": "p50/p95 of the question set in that process, after 3 warm-up questions",
                         "add_one": "fresh process, index open and model loaded: ingest(new .md) until an ask cites it",
                         "pooled_vectors": PooledEmbedder.__doc__.strip()},
              "pool": None, "sizes": []}
    earlier = []
    if args.merge and (out / "scale.json").exists():
        this_run = {(size, "real" if size <= args.real_up_to else "pooled") for size in sizes}
        earlier = [s for s in json.loads((out / "scale.json").read_text()).get("sizes", [])
                   if (s["passages"], s["vectors"]) not in this_run]
        for s in earlier:
            s.setdefault("commit", "earlier run")
    started = time.monotonic()

    def merged() -> dict:
        return {**report, "sizes": sorted(earlier + report["sizes"], key=lambda s: (s["passages"], s["vectors"] != "real"))}

    try:
        states = actor_names(REPO / "knowledge")
        pool_data = {"sentences": sentence_pool(states, args.pool), "titles": title_pool()}
        (base / "pool.json").write_text(json.dumps(pool_data))
        reuse = _pool_matches(base, pool_data)
        if reuse:
            report["pool"] = {"status": "reused from an earlier run in this working folder", **reuse}
            _say("pool", report["pool"]["status"])
        elif any(s > args.real_up_to for s in sizes):
            _say("pool", f"embedding {len(pool_data['sentences'])} pooled sentences and "
                         f"{len(pool_data['titles'])} titles with the real model")
            status, result, wall = run_stage("pool", {"work": str(base), "pool_file": str(base / "pool.json")},
                                             args.timeout, env)
            report["pool"] = {"status": status, **(result or {})}
            report["pool"].pop("_started_at", None)
            _say("pool", f"{status} ({wall:.1f} s)")
            if result is None:
                raise SystemExit(f"embedding the sentence pool failed: {status}")
        for size in sizes:
            vectors = "real" if size <= args.real_up_to else "pooled"
            budget = Budget(args.timeout, args.size_timeout or 3 * args.timeout)
            _say(size, f"--- {size} passages, {vectors} vectors, {args.timeout:.0f} s per stage, "
                       f"{budget.seconds:.0f} s in all ---")
            def checkpoint(partial, size=size):
                report["sizes"].append({**partial, "partial": True})
                (out / "scale.json").write_text(json.dumps(merged(), indent=2) + "\n")
                report["sizes"].pop()

            entry = run_size(size, base, pool_data, vectors, args.questions, budget, env, checkpoint=checkpoint,
                             replicas=args.replicas and size == sizes[-1], keep=args.keep or args.reuse,
                             reuse=args.reuse)
            entry["wall_s"] = round(budget.seconds - budget.left(), 1)
            entry["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            entry["commit"] = commit
            report["sizes"].append(entry)
            report["total_s"] = round(time.monotonic() - started, 1)
            (out / "scale.json").write_text(json.dumps(merged(), indent=2) + "\n")  # after every size
            if not (args.keep or args.reuse):
                shutil.rmtree(base / f"size-{size}", ignore_errors=True)
    finally:
        if not args.work:
            shutil.rmtree(base, ignore_errors=True)
    report["total_s"] = round(time.monotonic() - started, 1)
    report = merged()
    (out / "scale.json").write_text(json.dumps(report, indent=2) + "\n")
    try:
        plot(report, out / "scale.png")
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot written")
    print()
    print(table(report))
    print(f"\nwritten: {out / 'scale.json'}, {out / 'scale.png'}  ({report['total_s']:.0f} s)")
    return report


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_stage":
        sys.path.insert(0, str(REPO))
        _stage_main(sys.argv[2], sys.argv[3])
    else:
        main()
