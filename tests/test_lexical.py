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
        catalog._add(f"d{d}", 0.0, {"version": "v", "title": f"report d{d}"}, passages)
    catalog.db.execute("COMMIT")
    return catalog


def _plain(catalog: Catalog, words: list[str], n: int) -> list[tuple[str, float]]:
    """The plain OR query: each word in the passages' own text and in their context."""
    words = words + [lexical.CONTEXT_MARK + w for w in words]
    sql = (f"SELECT p.chroma_id, -{lexical._BM25} FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
           f"WHERE passages_fts MATCH ? ORDER BY {lexical._BM25}, passages_fts.rowid LIMIT ?")
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


def _small_catalog(tmp_path, documents) -> Catalog:
    """documents: (id, title, publisher, [(section, text)])."""
    import json

    catalog = Catalog(tmp_path / "small.sqlite")
    catalog.db.execute("BEGIN")
    for doc_id, title, publisher, parts in documents:
        passages, at = [], 0
        for section, text in parts:
            passages.append((Passage(f"{doc_id}:{at}-{at + len(text)}", doc_id, at, at + len(text), text, section),
                             {"version": "v"}))
            at += len(text) + 2
        catalog._add(doc_id, 0.0, {"version": "v", "title": title, "meta": json.dumps({"publisher": publisher})},
                     passages)
    catalog.db.execute("COMMIT")
    return catalog


def _ids(hits):
    return [cid.split("@")[0] for cid, _ in hits]


def test_a_dateline_is_found_by_its_heading_title_and_publisher(tmp_path):
    """A passage that is only a dateline says nothing of whose statement it is: its section heading,
    its document's title and publisher make it findable, below a passage that says it itself."""
    from assistant.terms import terms

    catalog = _small_catalog(tmp_path, [
        ("mission", "Statement on technical assistance", "Permanent Mission of Ruritania", [
            ("Remarks by Ambassador Quill on technical assistance", "Tuesday, April 18, 2023, Vienna, Austria"),
            ("Remarks by Ambassador Quill on technical assistance", "Good morning, Chair and colleagues.")]),
        ("wire", "Committee opens session", "Newswire", [
            ("", "Ambassador Quill gave a statement on technical assistance in Vienna."),
            ("", "Delegates met on Tuesday in Vienna, Austria.")]),
        *[(f"other{i}", f"Report {i}", "Observer", [("", f"The committee discussed item {i} at length.")])
          for i in range(6)],
    ])
    hits = _ids(catalog.search(terms("When did Ambassador Quill deliver the statement on technical assistance?"), 5))
    assert hits[0].startswith("wire:0-")  # its own words first
    assert "mission:0-40" in hits[:3]  # then the dateline, by its heading and title
    assert _ids(catalog.search(terms("What did the Permanent Mission of Ruritania say?"), 5))[0].startswith("mission:")


def test_title_words_leave_the_texts_idf_alone(tmp_path):
    """A word in every title ("committee") stays as telling in the passages' own text as it was: the
    context's words are terms of their own."""
    docs = [(f"d{i}", "Committee report", "Observer", [("", "The committee met." if i == 0 else f"Item {i} was read.")])
            for i in range(8)]
    catalog = _small_catalog(tmp_path, docs)
    found = dict(catalog.db.execute("SELECT term, doc FROM passages_vocab WHERE term IN ('committe', '-committe')"))
    assert found == {"committe": 1, "-committe": 8}
    assert _ids(catalog.search(["committe"], 3))[0] == "d0:0-18"
