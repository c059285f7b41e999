"""The catalog's BM25 search (SQLite FTS5): scoring only the passages that hold a question's rarer
words first must give exactly the top passages, in the order, of the plain OR query."""

from __future__ import annotations

import random

from assistant import lexical
from assistant.lexical import Catalog
from assistant.passages import Passage

COMMON = ["article", "opposed", "supported", "delegation", "proposal", "paragraph"]
NUMBERS = [str(n) for n in range(1, 11)]
STATES = ["vanuatu", "senegal", "greece", "peru", "tonga", "malawi", "bahamas", "fiji", "chile", "norway",
          "ghana", "jamaica", "morocco", "brazil", "panama", "belarus", "angola", "ireland", "italy", "tuvalu"]


def _catalog(tmp_path) -> Catalog:
    rng = random.Random(3)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.db.execute("BEGIN")
    for d in range(150):
        passages = []
        for p in range(20):
            words = [rng.choice(COMMON) for _ in range(rng.randint(4, 30))] + \
                [rng.choice(NUMBERS) for _ in range(rng.randint(0, 3))] + \
                [rng.choice(STATES) for _ in range(rng.randint(0, 2))]
            rng.shuffle(words)
            text = " ".join(words)
            passages.append((Passage(f"d{d}:{p}", f"d{d}", p * 1000, p * 1000 + len(text), text, ""), {"version": "v"}))
        catalog._add(f"d{d}", 0.0, {"version": "v", "title": f"report {d}"}, passages)
    catalog.db.execute("COMMIT")
    return catalog


def _plain(catalog: Catalog, words: list[str], n: int) -> list[tuple[str, float]]:
    sql = ("SELECT p.chroma_id, -bm25(passages_fts) FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
           "WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts), passages_fts.rowid LIMIT ?")
    return catalog.db.execute(sql, (lexical._match(words), n)).fetchall()


def test_rare_words_first_gives_the_plain_top_n(tmp_path, monkeypatch):
    catalog = _catalog(tmp_path)
    used = []
    original = Catalog._rare_first
    monkeypatch.setattr(Catalog, "_rare_first", lambda self, *a: used.append(original(self, *a)) or used[-1])
    queries = [[state, number] for state in STATES[:10] for number in NUMBERS[:5]] + \
        [[state, "opposed", number] for state in STATES[10:] for number in NUMBERS[5:]] + \
        [["7"], ["peru", "fiji"], ["article", "3"], ["nowhere", "chile", "2"]]
    for words in queries:
        for n in (5, 20):
            got = catalog.search(words, n)
            want = _plain(catalog, [w for w in words if w != "article"], n)  # "article" is in every passage: weightless
            assert [i for i, _ in got] == [i for i, _ in want], words
            assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(got, want))
    answered = [r for r in used if r is not None]
    assert len(answered) > len(queries) // 2  # the bound held for most questions naming a state


def test_idf_is_fts5s():
    assert lexical._idf(10, 1000) > lexical._idf(100, 1000) > lexical._idf(499, 1000) > 0
    assert lexical._idf(600, 1000) == 1e-6  # FTS5 floors the idf of a word in most rows


def test_the_writers_catalog_is_the_one_read_back_from_chroma(tmp_path):
    """The process that writes documents fills its catalog from what it wrote, not by reading every
    document back from Chroma; a replica (or a rebuilt catalog) reads them back: both must agree."""
    import sqlite3

    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path / "knowledge")
    writer = Assistant.load(knowledge, tmp_path / "index")
    assert writer.store.written == {}  # handed over to the catalog, not kept

    def rows(path):
        db = sqlite3.connect(path)
        try:
            return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall())
                    for t in ("docs", "passages", "passages_fts", "vocabulary", "mentions")}
        finally:
            db.close()

    written = rows(tmp_path / "index" / "catalog.sqlite")
    writer.catalog.close()
    (tmp_path / "index" / "catalog.sqlite").rename(tmp_path / "written.sqlite")
    Assistant.load(knowledge, tmp_path / "index", sync=False)  # a catalog rebuilt from Chroma alone
    assert rows(tmp_path / "index" / "catalog.sqlite") == written
    assert written["passages"] and written["mentions"]
