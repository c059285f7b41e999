"""The catalog's BM25 search (SQLite FTS5): scoring only the passages that hold a question's rarer
words first must give exactly the top passages, in the order, of the plain OR query."""

from __future__ import annotations

import pytest

import random

from assistant import lexical
from assistant.lexical import Catalog
from assistant.passages import Passage
from assistant.terms import terms

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
        [["7"], ["peru", "fiji"], ["article", "3"], ["nowhere", "chile", "2"]] + \
        [[a, b] for a, b in zip(NUMBERS[:5], NUMBERS[5:])] + [["opposed", "3", "8", "proposal"]]  # common words only
    for words in queries:
        for n in (5, 20):
            got = catalog.search(words, n)
            want = _plain(catalog, [w for w in words if w != "article"], n)  # "article" is in every passage: weightless
            assert [i for i, _ in got] == [i for i, _ in want], words
            assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(got, want))
    answered = [r for r in used if r is not None]
    assert len(answered) > len(queries) // 2  # the bound held for most questions naming a state


def test_a_words_rarity_is_its_idf_over_the_passages(tmp_path):
    catalog = _catalog(tmp_path)
    rarity = catalog.rarity(["article", STATES[0], "nowhere"])
    assert rarity["nowhere"] == 0.0  # in no passage
    assert rarity[STATES[0]] > rarity["article"] >= 0.0  # a state is in few passages, "article" in most
    total = catalog._passage_count()
    assert rarity[STATES[0]] == pytest.approx(lexical._idf(catalog._counts([STATES[0]])[STATES[0]], total))


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
                    for t in ("docs", "passages", "passages_fts", "vocabulary", "mentions", "sentences", "passage_actors", "passage_texts")}
        finally:
            db.close()

    written = rows(tmp_path / "index" / "catalog.sqlite")
    writer.catalog.close()
    (tmp_path / "index" / "catalog.sqlite").rename(tmp_path / "written.sqlite")
    Assistant.load(knowledge, tmp_path / "index", sync=False)  # a catalog rebuilt from Chroma alone
    assert rows(tmp_path / "index" / "catalog.sqlite") == written
    assert written["passages"] and written["mentions"] and written["sentences"] and written["passage_actors"] \
        and written["passage_texts"]


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


def test_sentences_come_from_the_catalog_and_older_indexes_are_copied_in_once(tmp_path):
    """Asks read sentences from the catalog, never from Chroma's sentence collections; a catalog written
    before it kept sentences, passage actors and passage texts copies them in once, sentences also from the collection of
    real sentence vectors that earlier versions wrote (kept readable: an index of 100k passages cannot be
    re-ingested cheaply)."""
    import json
    import sqlite3

    import numpy as np

    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path / "knowledge")
    writer = Assistant.load(knowledge, tmp_path / "index")
    question = "Why did Egypt object to Article 24?"
    expected = writer.ask(question)
    writer.catalog.close()
    path = tmp_path / "index" / "catalog.sqlite"
    db = sqlite3.connect(path)
    kept = sorted(db.execute("SELECT id, text, meta, vector FROM sentences").fetchall())
    actors = sorted(db.execute("SELECT * FROM passage_actors").fetchall())
    texts = sorted(db.execute("SELECT * FROM passage_texts").fetchall())
    db.close()

    # The index as an earlier version wrote it: sentences with their real vectors in the legacy collection.
    rows = writer.store.collection("sentence_rows").get(include=["documents", "metadatas"])
    legacy = writer.store.collection("sentences")
    for start in range(0, len(rows["ids"]), 256):
        metas = [dict(m) for m in rows["metadatas"][start:start + 256]]
        vectors = [np.frombuffer(__import__("base64").b64decode(m.pop("vector")), "<f4") for m in metas]
        legacy.add(ids=rows["ids"][start:start + 256], embeddings=np.asarray(vectors), metadatas=metas,
                   documents=rows["documents"][start:start + 256])
    writer.store.collection("sentence_rows").delete(ids=rows["ids"])
    db = sqlite3.connect(path)
    db.execute("DELETE FROM sentences")
    db.execute("DELETE FROM passage_actors")
    db.execute("DELETE FROM passage_texts")
    db.execute("DELETE FROM info WHERE key IN ('sentences', 'passage-actors', 'passage-texts')")
    db.commit()
    db.close()

    reader = Assistant.load(knowledge, tmp_path / "index", sync=False)
    copied = sorted(reader.catalog.db.execute("SELECT id, text, meta, vector FROM sentences").fetchall())
    assert [r[:3] for r in copied] == [r[:3] for r in kept]
    for (_, _, _, got), (_, _, _, want) in zip(copied, kept):  # Chroma keeps cosine vectors normalised
        assert np.allclose(np.frombuffer(got, "<f4"), np.frombuffer(want, "<f4"), atol=1e-6)
    assert reader.catalog.info("sentences") == reader.catalog.info("passage-actors") == "complete"
    assert sorted(reader.catalog.db.execute("SELECT * FROM passage_actors").fetchall()) == actors and actors
    assert sorted(reader.catalog.db.execute("SELECT * FROM passage_texts").fetchall()) == texts and texts
    assert json.loads(copied[0][2])["document_id"]

    # Asking never touches a sentence collection: with both gone, answers are the same.
    assert reader.catalog.info("passage-texts") == "complete"
    for name in ("ta1-sentences", "ta1-sentence_rows"):
        reader.store.client.delete_collection(name)
    reader.store._collections.clear()
    answer = reader.ask(question)
    assert answer.text == expected.text
    assert [c.document_id for c in answer.citations] == [c.document_id for c in expected.citations]


def test_mentioned_lists_each_value_once(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.db.execute("BEGIN")
    for d, actors in enumerate([["fiji", "chile"], ["chile"], [], ["peru", "fiji", "tonga"]]):
        catalog._add(f"d{d}", 0.0, {"version": "v", "actors": actors, "articles": [str(d)]}, [])
    catalog.db.execute("COMMIT")
    assert catalog.mentioned("actor") == {"fiji", "chile", "peru", "tonga"}
    assert catalog.mentioned("article") == {"0", "1", "2", "3"}
    assert catalog.mentioned("publisher") == set()


def test_a_schema_3_catalog_gains_its_context_column_in_place(tmp_path):
    """Upgrading keeps the catalog (a rebuild from Chroma takes over 20 minutes at 100k passages): the
    search table is remade from what the catalog holds, and searches give what a new catalog gives."""
    import shutil
    import sqlite3

    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path / "knowledge")
    writer = Assistant.load(knowledge, tmp_path / "index")
    path = tmp_path / "index" / "catalog.sqlite"
    questions = [terms("Why did Egypt object to Article 24?"), terms("What did Digital Watch report on the session?")]
    fresh = [writer.catalog.search(q, 10) for q in questions]
    writer.catalog.close()
    shutil.copy(path, tmp_path / "fresh.sqlite")

    db = sqlite3.connect(path)  # the catalog as schema 3 wrote it: a search table of the passages' own words
    db.execute("DROP TABLE passages_vocab")
    db.execute("CREATE VIRTUAL TABLE old USING fts5(terms, tokenize=\"unicode61 tokenchars '-/'\")")
    db.execute("INSERT INTO old(rowid, terms) SELECT rowid, terms FROM passages_fts")
    db.execute("DROP TABLE passages_fts")
    db.execute("ALTER TABLE old RENAME TO passages_fts")
    db.execute("UPDATE info SET value='3' WHERE key='schema'")
    db.commit()
    db.close()

    shutil.copy(path, tmp_path / "schema3.sqlite")

    upgraded = Catalog(path)
    assert upgraded.info("schema") == lexical.SCHEMA_VERSION
    assert upgraded.db.execute("SELECT count(*) FROM docs").fetchone()[0] > 0  # kept, not rebuilt
    assert [upgraded.search(q, 10) for q in questions] == fresh
    upgraded.close()

    # A schema 3 catalog from before it held passage texts: titles now, headings once the texts are in.
    shutil.copy(tmp_path / "schema3.sqlite", path)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE passage_texts")
    db.execute("DELETE FROM info WHERE key='passage-texts'")
    db.commit()
    db.close()
    assert Catalog(path).info("context") == "partial"
    reader = Assistant.load(knowledge, tmp_path / "index", sync=False)
    assert reader.catalog.info("context") == "complete"
    assert [reader.catalog.search(q, 10) for q in questions] == fresh


def test_a_compounds_parts_join_its_stems_for_word_overlap():
    from assistant.terms import with_parts

    assert with_parts("a five-year process") == {"five-year", "five", "year", "process"}
    assert with_parts("human-rights safeguards") >= set(terms("human rights safeguards"))
    assert with_parts("the ICT/cyber debate") >= {"ict", "cyber"}
    # (no stopword is made a term by splitting: "state-of-the-art" gives "state" and "art")
    assert with_parts("state-of-the-art") == {"state-of-the-art", "state", "art"}
