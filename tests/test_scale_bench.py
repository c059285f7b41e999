"""benchmarks/scale.py end to end at a tiny size: the generator, every stage, the report. Behaviour, not speed."""

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("scale_bench", REPO / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_writes_one_passage_per_paragraph_from_a_finite_pool(scale, tmp_path):
    states = scale.actor_names(REPO / "knowledge")
    assert len(states) > 150 and not set(scale.RESERVED) & set(states)
    pool = scale.sentence_pool(states, 300)
    assert len(pool) == len(set(pool)) == 300
    assert all(s.endswith(".") and ". " not in s for s in pool)  # joined runs split back into pooled sentences
    manifest = scale.generate(tmp_path / "documents", 45, pool, per_document=20)
    assert manifest["documents"] == 3 and manifest["passages"] == 45
    assert scale.generate(tmp_path / "again", 45, pool, per_document=20) == manifest  # deterministic
    check = scale.check_passages(tmp_path / "documents")
    assert check["passages"] == check["paragraphs"] == 45  # sized for assistant/passages.py's splitter
    assert 700 < check["mean_passage_chars"] < 1100
    for doc in (tmp_path / "documents").glob("*.md"):
        for paragraph in doc.read_text().split("\n\n"):
            if not paragraph.startswith("#"):
                assert all(s in pool for s in re.split(r"(?<=\.)\s+(?=[A-Z])", paragraph.strip()))
    assert not any(name in doc.read_text() for doc in (tmp_path / "documents").glob("*.md") for name in scale.RESERVED)
    qs = scale.questions(pool, 12)
    assert len(qs) == 12 and all(q.endswith("?") for q in qs)


def test_pooled_embedder_reuses_pool_vectors_and_embeds_the_rest(scale):
    import numpy as np

    class Counting:
        calls: list = []

        def embed(self, texts, batch_size=32):
            self.calls.append(list(texts))
            return [[0.0, 0.0, 1.0] for _ in texts]

        def embed_one(self, text):
            return [1.0, 0.0, 0.0]

        def warm(self):
            return self

    real = Counting()
    pooled = scale.PooledEmbedder(real, {"Chile opposed Article 5.": np.array([1.0, 0.0, 0.0], np.float32),
                                         "Peru supported Article 6.": np.array([0.0, 1.0, 0.0], np.float32)})
    got = pooled.embed(["Chile opposed Article 5.", "Chile opposed Article 5. Peru supported Article 6.",
                        "Something else entirely.", "Something else entirely."])
    assert got[0] == [1.0, 0.0, 0.0]
    assert np.allclose(got[1], [2 ** -0.5, 2 ** -0.5, 0.0])  # normalised mean of its sentences
    assert got[2] == got[3] == [0.0, 0.0, 1.0]
    assert real.calls == [["Something else entirely."]]  # embedded once, then memoised
    assert pooled.stats == {"pooled": 1, "composed": 1, "partial": 0, "embedded": 1}
    mixed = pooled.embed(["Chile opposes Article 5 for a reason. Peru supported Article 6."])[0]
    assert mixed == [0.0, 1.0, 0.0] and pooled.stats["partial"] == 1  # the pooled sentence it contains
    assert pooled.embed_one("a question") == [1.0, 0.0, 0.0]  # queries always go to the real encoder


def test_benchmark_end_to_end_at_a_tiny_size(scale, tmp_path, capsys):
    report = scale.main(["--sizes", "40", "--questions", "6", "--pool", "400", "--timeout", "900",
                         "--out", str(tmp_path / "reports"), "--work", str(tmp_path / "work")])
    saved = json.loads((tmp_path / "reports" / "scale.json").read_text())
    assert saved["sizes"][0]["figures"] == report["sizes"][0]["figures"]
    if importlib.util.find_spec("matplotlib"):  # the `bench` extra
        assert (tmp_path / "reports" / "scale.png").stat().st_size > 10_000
    (size,) = saved["sizes"]
    assert size["passages"] == 40 and size["vectors"] == "real"
    replica = "ok" if shutil.which("chroma") else "not run: no `chroma` command"
    assert size["stages"] == {"ingest": "ok", "open": "ok", "add": "ok", "replica": replica}, size["stages"]
    for figure in scale.FIGURES:
        if figure == "add_one_replica_s" and replica != "ok":
            continue
        assert isinstance(size["figures"][figure], (int, float)) and size["figures"][figure] > 0, figure
    assert size["ingest"]["raw_sentences"] > size["sentences"]  # the generated sentences and the seed's
    assert size["open"]["questions"] == 6
    assert size["add"]["cited_before"] is False  # answerable only once the new document is in
    assert replica != "ok" or size["replica"]["cited_before"] is False  # ... and on another replica only once the writer's is in
    assert set(saved["targets"]) <= set(scale.FIGURES)
    out = capsys.readouterr().out
    assert "| ask p95 |" in out and "[     40] ingest: ok" in out
