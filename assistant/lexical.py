"""Each process's local catalog of the index: BM25 over passages, the vocabulary,
who and what the documents mention, the document list, and every sentence with
its annotations and vector (asks read sentences here, so no process holds an
index of every sentence vector in memory: 1.3 GB at 100k passages).

It is a SQLite file beside the index, kept in step with Chroma's manifest one
document at a time: when the manifest moves (this process or another replica
wrote), only the documents whose version changed are removed and re-read.
SQLite's FTS5 is the BM25 index: it is on disk, updates incrementally with
exact collection statistics, and needs no server, where bm25s would be
rebuilt (or segmented and merged) on every change. Every replica keeps its own
copy, rebuilt from Chroma when missing: a copy in shared storage would need
locking across hosts, and a replica can always rebuild it from Chroma alone.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from pathlib import Path

import numpy as np

from .store import IndexStore, View
from .terms import terms

SCHEMA_VERSION = "4"
BM25_K1 = 1.2  # FTS5's bm25() constant: a word's term can reach at most idf x (k1 + 1)
RARE_GAIN = 3  # the rarer words' passages are scored first when they are at most a third of the plain query's
CONTEXT_WEIGHT = 0.5  # a word of a passage's heading, title or publisher counts this much of one of its own
CONTEXT_MARK = "-"  # context words are their own terms ("-eff"), so a title's words keep the text's idf as it was
_BM25 = f"bm25(passages_fts, 1.0, {CONTEXT_WEIGHT})"
_BYLINE = re.compile(r"\s*by\b", re.I)
_FTS = """fts5(terms, context, tokenize="unicode61 tokenchars '-/'")"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS info(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs(id TEXT PRIMARY KEY, version TEXT, title TEXT, meta TEXT, source_name TEXT,
                                characters INTEGER, at REAL);
CREATE TABLE IF NOT EXISTS passages(rowid INTEGER PRIMARY KEY, document_id TEXT, version TEXT, chroma_id TEXT);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING {fts};
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row');
CREATE TABLE IF NOT EXISTS vocabulary(term TEXT PRIMARY KEY, documents INTEGER);
CREATE TABLE IF NOT EXISTS mentions(document_id TEXT, kind TEXT, value TEXT);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(document_id);
CREATE INDEX IF NOT EXISTS mentions_kind ON mentions(kind, value);
CREATE TABLE IF NOT EXISTS sentences(id TEXT PRIMARY KEY, document_id TEXT, text TEXT, meta TEXT, vector BLOB);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(document_id);
CREATE TABLE IF NOT EXISTS passage_actors(passage INTEGER, actor TEXT);
CREATE INDEX IF NOT EXISTS passage_actors_actor ON passage_actors(actor);
CREATE INDEX IF NOT EXISTS passage_actors_passage ON passage_actors(passage);
CREATE TABLE IF NOT EXISTS passage_texts(passage INTEGER PRIMARY KEY, text TEXT, meta TEXT);
CREATE INDEX IF NOT EXISTS passages_chroma ON passages(chroma_id);
""".replace("{fts}", _FTS)
# info keys: "complete" once every document's sentences, its passages' actors and texts are in the catalog
SENTENCES_KEY = "sentences"
PASSAGE_ACTORS_KEY = "passage-actors"
PASSAGE_TEXTS_KEY = "passage-texts"
CONTEXT_KEY = "context"  # "partial": a catalog upgraded before it held its passages' headings
MIGRATE_BATCH = 50  # documents whose sentences a catalog written before it kept them reads from Chroma at once


class Catalog:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        version = None
        try:
            row = self.db.execute("SELECT value FROM info WHERE key='schema'").fetchone()
            version = row[0] if row else None
        except sqlite3.OperationalError:
            pass
        if version == "3":
            self._rebuild_search_table()
            version = SCHEMA_VERSION
        if version not in (None, SCHEMA_VERSION):
            for table in ("passages_vocab", "docs", "passages", "passages_fts", "vocabulary", "mentions", "info",
                          "sentences", "passage_actors", "passage_texts"):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self._count: tuple[int, int] | None = None  # (PRAGMA data_version, passages)
        self._passages_with: dict[str, int] = {}  # word -> passages holding it, while _count stands
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO info VALUES('schema', ?)", (SCHEMA_VERSION,))
        if not self.db.execute("SELECT 1 FROM docs LIMIT 1").fetchone():
            for key in (SENTENCES_KEY, PASSAGE_ACTORS_KEY, PASSAGE_TEXTS_KEY):  # a new catalog: each document brings them
                if self.info(key) is None:
                    self.set_info(key, "complete")

    def _rebuild_search_table(self):
        """Schema 3 -> 4 in place: the passages' search table gains its context column (heading, title,
        publisher) from what the catalog already holds. Rebuilding the catalog from Chroma instead ran
        for more than 20 minutes at 100k passages, which a replica would spend not answering. A catalog
        that does not hold its passages' texts yet (so not their headings) gets titles and publishers
        now and is rebuilt again once _complete has copied the texts in."""
        db = self.db
        db.executescript(_SCHEMA)  # the tables a catalog of schema 3 may not have yet (passage_texts …)
        documents = {doc_id: _document_words(title, json.loads(meta or "{}"))
                     for doc_id, title, meta in db.execute("SELECT id, title, meta FROM docs")}
        texts = db.execute("SELECT value FROM info WHERE key=?", (PASSAGE_TEXTS_KEY,)).fetchone()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DROP TABLE IF EXISTS passages_vocab")
            db.execute("ALTER TABLE passages_fts RENAME TO passages_fts_old")
            db.execute(f"CREATE VIRTUAL TABLE passages_fts USING {_FTS}")
            rows = db.execute("SELECT p.rowid, p.document_id, f.terms, t.meta FROM passages p JOIN passages_fts_old f "
                              "ON f.rowid = p.rowid LEFT JOIN passage_texts t ON t.passage = p.rowid")
            while batch := rows.fetchmany(5000):
                db.executemany("INSERT INTO passages_fts(rowid, terms, context) VALUES(?, ?, ?)", [
                    (rowid, stems, _context(json.loads(meta or "{}").get("section"), documents.get(doc_id, [])))
                    for rowid, doc_id, stems, meta in batch])
            db.execute("DROP TABLE passages_fts_old")
            db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row')")
            db.execute("INSERT OR REPLACE INTO info VALUES('schema', ?)", (SCHEMA_VERSION,))
            db.execute("INSERT OR REPLACE INTO info VALUES(?, ?)",
                       (CONTEXT_KEY, "complete" if texts and texts[0] == "complete" else "partial"))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def info(self, key: str) -> str | None:
        with self._lock:
            row = self.db.execute("SELECT value FROM info WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str):
        with self._lock:
            self.db.execute("INSERT OR REPLACE INTO info VALUES(?, ?)", (key, value))

    # -- keeping in step with the manifest -----------------------------------------
    def synced(self) -> dict[str, str]:
        with self._lock:
            return dict(self.db.execute("SELECT id, version FROM docs"))

    def sync(self, view: View, store: IndexStore, progress=None) -> list[str]:
        """Bring the catalog in step with the view; returns the document ids that changed."""
        wanted = {doc_id: e.version for doc_id, e in view.documents().items()}
        with self._lock:
            have = self.synced()
            stale = [d for d in have if wanted.get(d) != have[d]]
            fresh = [d for d in wanted if have.get(d) != wanted[d]]
            if not stale and not fresh:
                self._complete(store, progress)
                return []
            # Read from Chroma before the transaction, so a store error leaves the catalog as it was.
            loaded = []
            written = getattr(store, "written", {})
            for n, doc_id in enumerate(fresh):
                mine = written.get(doc_id)
                if mine and mine[0]["version"] == wanted[doc_id]:  # this process has just written it
                    loaded.append((doc_id, *mine))
                    continue
                summary = store.document_summary(doc_id, wanted[doc_id])
                if summary is None:  # committed but already collected: the next view will not list it
                    continue
                loaded.append((doc_id, summary, store.passages_of(doc_id, wanted[doc_id]),
                               store.sentences_of({doc_id: wanted[doc_id]})))
                if progress:
                    progress(n + 1, len(fresh), "reading the index")
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for doc_id in stale:
                    self._remove(doc_id)
                for doc_id, summary, passages, sentences in loaded:
                    self._remove(doc_id)
                    self._add(doc_id, view.documents()[doc_id].at, summary, passages)
                    self._add_sentences(sentences)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self._count = None  # this connection's own writes do not move PRAGMA data_version
            self._complete(store, progress)
            return sorted(set(stale) | {d for d, *_ in loaded})

    def _complete(self, store: IndexStore, progress=None):
        """Once, for a catalog written before it kept sentences and passage actors: read them from
        Chroma, a few documents at a time (a document's entries are committed with it, or not at all)."""
        for key, read, write in ((SENTENCES_KEY, store.sentences_of, self._add_sentences),
                                 (PASSAGE_ACTORS_KEY, store.passage_rows, self._add_passage_actors),
                                 (PASSAGE_TEXTS_KEY, store.passage_rows, self._add_passage_texts)):
            if self.info(key) == "complete":
                continue
            if key == SENTENCES_KEY:  # documents synced since have theirs
                missing = self.db.execute("SELECT id, version FROM docs WHERE id NOT IN "
                                          "(SELECT DISTINCT document_id FROM sentences) ORDER BY id").fetchall()
            else:
                missing = self.db.execute("SELECT id, version FROM docs ORDER BY id").fetchall()
            for start in range(0, len(missing), MIGRATE_BATCH):
                found = read(dict(missing[start:start + MIGRATE_BATCH]))
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    write(found)
                    self.db.execute("COMMIT")
                except BaseException:
                    self.db.execute("ROLLBACK")
                    raise
                if progress:
                    progress(min(start + MIGRATE_BATCH, len(missing)), len(missing), f"copying {key} into the catalog")
            self.set_info(key, "complete")
        if self.info(CONTEXT_KEY) == "partial":  # the headings have come in with the texts
            self._rebuild_search_table()

    def _rowids(self, passages: list[tuple[str, str, dict]]) -> dict[str, int]:
        docs = sorted({m["document_id"] for _, _, m in passages})
        return dict(self.db.execute(f"SELECT chroma_id, rowid FROM passages WHERE document_id IN "
                                    f"({','.join('?' * len(docs))})", docs)) if docs else {}

    def _add_passage_actors(self, passages: list[tuple[str, str, dict]]):
        rows = self._rowids(passages)
        self.db.executemany("DELETE FROM passage_actors WHERE passage=?", [(r,) for r in rows.values()])
        self.db.executemany("INSERT INTO passage_actors VALUES(?, ?)",
                            [(rows[i], a) for i, _, m in passages if i in rows for a in m.get("actors", [])])

    def _add_passage_texts(self, passages: list[tuple[str, str, dict]]):
        rows = self._rowids(passages)
        self.db.executemany("INSERT OR REPLACE INTO passage_texts VALUES(?, ?, ?)",
                            [(rows[i], t, json.dumps(m, ensure_ascii=False, sort_keys=True))
                             for i, t, m in passages if i in rows])

    def _add_sentences(self, rows: list):
        self.db.executemany("INSERT OR REPLACE INTO sentences VALUES(?,?,?,?,?)", [
            (i, m["document_id"], t, json.dumps(m, ensure_ascii=False, sort_keys=True), np.asarray(v, "<f4").tobytes())
            for i, t, m, v in rows])

    def _remove(self, doc_id: str):
        db = self.db
        rows = [r for (r,) in db.execute("SELECT rowid FROM passages WHERE document_id=?", (doc_id,))]
        if rows:
            db.executemany("DELETE FROM passages_fts WHERE rowid=?", [(r,) for r in rows])
            db.executemany("DELETE FROM passage_actors WHERE passage=?", [(r,) for r in rows])
            db.executemany("DELETE FROM passage_texts WHERE passage=?", [(r,) for r in rows])
            db.execute("DELETE FROM passages WHERE document_id=?", (doc_id,))
        row = db.execute("SELECT meta FROM docs WHERE id=?", (doc_id,)).fetchone()
        if row:
            words = json.loads(row[0]).get("_terms", [])
            db.executemany("UPDATE vocabulary SET documents = documents - 1 WHERE term=?", [(t,) for t in words])
            db.execute("DELETE FROM vocabulary WHERE documents <= 0")
        db.execute("DELETE FROM mentions WHERE document_id=?", (doc_id,))
        db.execute("DELETE FROM sentences WHERE document_id=?", (doc_id,))
        db.execute("DELETE FROM docs WHERE id=?", (doc_id,))

    def _add(self, doc_id: str, at: float, summary: dict, passages: list):
        db = self.db
        words = set()
        doc_meta = json.loads(summary.get("meta", "{}"))
        publisher = str(doc_meta.get("publisher") or "")
        document = _document_words(summary.get("title", ""), doc_meta)
        for passage, meta in passages:
            stems = terms(passage.text)
            words.update(stems)
            cur = db.execute("INSERT INTO passages(document_id, version, chroma_id) VALUES(?,?,?)",
                             (doc_id, meta["version"], f"{passage.id}@{meta['version']}"))
            db.execute("INSERT INTO passages_fts(rowid, terms, context) VALUES(?, ?, ?)",
                       (cur.lastrowid, " ".join(stems), _context(passage.section, document)))
            db.executemany("INSERT INTO passage_actors VALUES(?, ?)", [(cur.lastrowid, a) for a in meta.get("actors", [])])
            db.execute("INSERT INTO passage_texts VALUES(?, ?, ?)",
                       (cur.lastrowid, passage.text, json.dumps(meta, ensure_ascii=False, sort_keys=True)))
        words.update(document)  # naming the publisher is on topic
        db.executemany("INSERT INTO vocabulary VALUES(?, 1) ON CONFLICT(term) DO UPDATE SET documents = documents + 1",
                       [(t,) for t in words])
        db.executemany("INSERT INTO mentions VALUES(?,?,?)",
                       [(doc_id, "actor", a) for a in summary.get("actors", [])]
                       + [(doc_id, "article", a) for a in summary.get("articles", [])]
                       + [(doc_id, "source", a) for a in summary.get("source_actors", [])]
                       + ([(doc_id, "publisher", publisher)] if publisher else []))
        characters = int(summary.get("characters", 0) or 0)
        db.execute("INSERT INTO docs VALUES(?,?,?,?,?,?,?)", (
            doc_id, summary["version"], summary.get("title", doc_id), json.dumps({**doc_meta, "_terms": sorted(words)}),
            summary.get("source_name", ""), characters, at))

    # -- reading ----------------------------------------------------------------------
    def _passage_count(self) -> int:
        version = self.db.execute("PRAGMA data_version").fetchone()[0]  # moves when another connection writes
        if self._count is None or self._count[0] != version:
            self._count = (version, self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
            self._passages_with = {}
        return self._count[1]

    def _counts(self, words: list[str]) -> dict[str, int]:
        """How many passages hold each word (call _passage_count first: it clears what changed). Kept:
        reading fts5vocab takes about 6 ms a question at 100k passages, and questions share their words."""
        wanted = [w for w in words if w not in self._passages_with]
        if wanted:
            self._passages_with.update(dict.fromkeys(wanted, 0))
            self._passages_with.update(self.db.execute(
                f"SELECT term, doc FROM passages_vocab WHERE term IN ({','.join('?' * len(wanted))})", wanted))
            if len(self._passages_with) > 50_000:
                self._passages_with = {w: self._passages_with[w] for w in words}
        return {w: self._passages_with[w] for w in words if self._passages_with[w]}

    def search(self, query_terms: list[str], n: int, documents: set[str] | None = None) -> list[tuple[str, float]]:
        """(Chroma passage id, BM25 score) of the best n passages, best first.

        FTS5 scores every passage that holds any query term, so a term found in most passages
        ("article") made every ask read the whole archive. FTS5 gives a term in half the passages
        or more no weight (its BM25 floors such an idf at 1e-6), so the query is first run without
        those terms; only if that finds fewer than n passages is the full query run, whose tail is
        the passages that hold nothing but weightless terms. Scores differ from the full query's by
        at most 1e-6 per occurrence of a weightless term (the order of exact ties may change)."""
        words = list(dict.fromkeys(t for t in query_terms if t))
        if not words:
            return []
        words += [CONTEXT_MARK + w for w in words]  # each word is looked for in the passages' context too
        within, args = "", []
        if documents is not None:
            within = f" AND p.document_id IN ({','.join('?' * len(documents))})"
            args = sorted(documents)
        sql = ("SELECT p.chroma_id, -" + _BM25 + " AS score FROM passages_fts "
               "JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ?" + within +
               " ORDER BY " + _BM25 + " LIMIT ?")
        with self._lock:
            total = self._passage_count()
            found = self._counts(words)
            informative = [w for w in words if 2 * found.get(w, 0) < total]
            rows = self._rare_first(informative, found, total, n, within, args) if informative else None
            if rows is None and informative and len(informative) < len(words):
                rows = self.db.execute(sql, (_match(informative), *args, n)).fetchall()
            if rows is None or len(rows) < n:
                rows = self.db.execute(sql, (_match(words), *args, n)).fetchall()
        return [(cid, score) for cid, score in rows]

    def _rare_first(self, words: list[str], found: dict[str, int], total: int, n: int, within: str,
                    args: list) -> list[tuple[str, float]] | None:
        """The best n passages for an OR of the words, exactly, while scoring only the passages that
        hold one of the rarer words (MaxScore): a passage holding none of them can score at most
        the sum of the common words' largest possible BM25 terms, idf x (k1 + 1); once n passages
        that hold a rare word score more than that, no other passage can enter the top n. A common
        word (an article number in a fifth of the archive) makes FTS5 score every passage that has
        it, which grew ask latency with the archive.

        The rarest word alone is tried first, then the two rarest, and so on while the passages to
        score stay under a third of the plain query's: a question of common words only ("Who called
        for deleting Article 7?") is still decided by its rarest one. None when no split holds (the
        caller runs the plain query)."""
        ordered = sorted((w for w in words if found.get(w, 0)), key=lambda w: found[w])  # a word in no passage adds nothing
        if within:
            sql = ("SELECT passages_fts.rowid, -" + _BM25 + " FROM passages_fts JOIN passages p "
                   "ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ?" + within)
        else:
            sql = "SELECT rowid, -" + _BM25 + " FROM passages_fts WHERE passages_fts MATCH ?"
        sql += " ORDER BY " + _BM25 + ", rowid LIMIT ?"  # FTS5's order: by score, ties by rowid
        for k in range(1, len(ordered)):
            rare, common = ordered[:k], ordered[k:]
            if RARE_GAIN * sum(found[w] for w in rare) > sum(found[w] for w in ordered):
                return None  # scoring the rare words' passages would save little
            bound = (BM25_K1 + 1) * sum(_idf(found[w], total) for w in common)
            # The best n passages that hold a rare word: with a common word too (all its words scored),
            # and without one (its rare words are all it has).
            rows = []
            for match in (f"({_match(rare)}) AND ({_match(common)})", f"({_match(rare)}) NOT ({_match(common)})"):
                rows += self.db.execute(sql, (match, *args, n)).fetchall()
            rows.sort(key=lambda r: (-r[1], r[0]))
            if len(rows) >= n and rows[n - 1][1] > bound:
                top = rows[:n]
                ids = dict(self.db.execute(
                    f"SELECT rowid, chroma_id FROM passages WHERE rowid IN ({','.join('?' * n)})", [r for r, _ in top]))
                return [(ids[r], score) for r, score in top]
        return None

    def sentences(self, ids: list[str] | None = None, documents: list[str] | None = None) -> list[tuple]:
        """(id, text, metadata, vector) of the sentences with these ids, or of these documents."""
        column, keys = ("id", list(ids)) if ids is not None else ("document_id", list(documents or []))
        out = []
        with self._lock:
            for start in range(0, len(keys), 500):  # below SQLite's limit of bound parameters
                part = keys[start:start + 500]
                out += self.db.execute(f"SELECT id, text, meta, vector FROM sentences WHERE {column} IN "
                                       f"({','.join('?' * len(part))})", part).fetchall()
        return [(i, t, json.loads(m), np.frombuffer(v, "<f4")) for i, t, m, v in out]

    def passages(self, chroma_ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Chroma id -> (text, metadata) of the passages with these ids the catalog holds."""
        ids = list(dict.fromkeys(chroma_ids))
        with self._lock:
            rows = self.db.execute(f"SELECT p.chroma_id, t.text, t.meta FROM passages p JOIN passage_texts t ON "
                                   f"t.passage = p.rowid WHERE p.chroma_id IN ({','.join('?' * len(ids))})",
                                   ids).fetchall() if ids else []
        return {i: (t, json.loads(m)) for i, t, m in rows}

    def passages_naming(self, actors: set[str], documents: set[str]) -> list[str]:
        """Chroma ids of the passages annotated with one of the actors, or in one of the documents."""
        actors, documents = sorted(actors), sorted(documents)
        with self._lock:
            return [i for (i,) in self.db.execute(
                f"SELECT chroma_id FROM passages WHERE rowid IN (SELECT passage FROM passage_actors WHERE actor IN "
                f"({','.join('?' * len(actors))})) OR document_id IN ({','.join('?' * len(documents))})",
                [*actors, *documents])]

    def versions(self, doc_ids) -> dict[str, str]:
        """The version of each of these documents the catalog holds."""
        doc_ids = list(dict.fromkeys(doc_ids))
        with self._lock:
            return dict(self.db.execute(f"SELECT id, version FROM docs WHERE id IN ({','.join('?' * len(doc_ids))})",
                                        doc_ids)) if doc_ids else {}

    def held_together(self, stems: list[str], documents: set[str] | None = None) -> bool:
        """Whether one passage (of these documents, if given) holds all these stems, in its text or its context
        (heading, title, publisher): "UN Information Service" is held by a UN release whose publisher is "United
        Nations Information Service"."""
        stems = list(dict.fromkeys(stems))
        if not stems:
            return True
        if documents is not None and not documents:
            return False
        match = " AND ".join(f"({_match([w, CONTEXT_MARK + w])})" for w in stems)
        sql, args = "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ?", [match]
        if documents is not None:
            sql = ("SELECT 1 FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ? "
                   f"AND p.document_id IN ({','.join('?' * len(documents))})")
            args += sorted(documents)
        with self._lock:
            return self.db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def documents_headed(self, name: str, head_chars: int, line_words: int) -> set[str]:
        """The documents whose title holds the name, or a line of their own of at most line_words words before
        offset head_chars: the masthead that names who published a document whose metadata does not ("Dark
        Reading — October 30, 2025", "Vietnam Investment Review (VIR)"). A dateline opening a paragraph ("(New
        York) – The draft…") is no masthead, nor is a byline ("By Katitza Rodriguez"), which names an author."""
        stems = terms(name)
        if not stems:
            return set()
        phrase = '"' + " ".join(w.replace('"', '""') for w in stems) + '"'
        # (SQLite keeps only the opening lines of the passages that hold the phrase: a name that many passages hold,
        # "United Nations", sends few rows back. Titles are looked for through the index too, among the documents
        # whose context words, a title's among them, hold every word of the name: not by reading every title.)
        in_context = "context : (" + " AND ".join('"' + CONTEXT_MARK + w.replace('"', '""') + '"' for w in stems) + ")"
        with self._lock:
            in_text = self.db.execute(
                "SELECT p.document_id, t.text FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
                "JOIN passage_texts t ON t.passage = p.rowid WHERE passages_fts MATCH ? "
                "AND json_extract(t.meta, '$.start') < ? AND length(t.text) <= ?",
                (f"terms : {phrase}", head_chars, 20 * line_words)).fetchall()
            titled = {d for (d,) in self.db.execute(
                "SELECT id FROM docs WHERE id IN (SELECT p.document_id FROM passages_fts JOIN passages p "
                "ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ?) AND instr(lower(title), ?) > 0",
                (in_context, name.casefold()))}
        return titled | {d for d, text in in_text if len(text.split()) <= line_words and not _BYLINE.match(text)}

    def documents_without_publisher(self) -> set[str]:
        """The documents whose metadata names no publisher."""
        with self._lock:
            return {d for (d,) in self.db.execute("SELECT id FROM docs WHERE id NOT IN "
                                                  "(SELECT document_id FROM mentions WHERE kind = 'publisher')")}

    def rarity(self, stems: list[str]) -> dict[str, float]:
        """Each word's BM25 idf over the passages (the weight lexical search gives it): next to nothing for a
        word in half the passages or more, 0 for one in none."""
        words = list(dict.fromkeys(stems))
        with self._lock:
            total = self._passage_count()
            found = self._counts(words)
        return {w: _idf(found[w], total) if found.get(w) else 0.0 for w in words}

    def known(self, stems: list[str]) -> set[str]:
        stems = list(dict.fromkeys(stems))
        if not stems:
            return set()
        with self._lock:
            marks = ",".join("?" * len(stems))
            return {t for (t,) in self.db.execute(f"SELECT term FROM vocabulary WHERE term IN ({marks})", stems)}

    def documents_in_scope(self, documents: list[str], publishers: set[str], kinds: list[str],
                           since: str | None, until: str | None) -> set[str]:
        """Ids of the documents that meet every given condition (one SQL query, no corpus loop)."""
        where, args = [], []
        if documents:
            where.append(f"id IN ({','.join('?' * len(documents))})")
            args += documents
        if publishers:
            where.append(f"id IN (SELECT document_id FROM mentions WHERE kind='publisher' AND value IN "
                         f"({','.join('?' * len(publishers))}))")
            args += sorted(publishers)
        if kinds:
            where.append(f"lower(json_extract(meta, '$.kind')) IN ({','.join('?' * len(kinds))})")
            args += [k.casefold() for k in kinds]
        # A date given as a month or a year ("2024-07") is a period: in range when it overlaps it.
        date = "substr(json_extract(meta, '$.date'), 1, 10)"
        if since:
            where.append(f"(CASE length({date}) WHEN 4 THEN {date} || '-12-31' WHEN 7 THEN {date} || '-31' "
                         f"ELSE {date} END) >= ?")
            args.append(since)
        if until:
            where.append(f"(CASE length({date}) WHEN 4 THEN {date} || '-01-01' WHEN 7 THEN {date} || '-01' "
                         f"ELSE {date} END) <= ?")
            args.append(until)
        sql = "SELECT id FROM docs" + (" WHERE " + " AND ".join(where) if where else "")
        with self._lock:
            return {d for (d,) in self.db.execute(sql, args)}

    def documents_dated(self, year: str | None, month: str, day: str | None) -> set[str]:
        """Ids of the documents dated in that month (on that day, when given; in any year, when none is):
        "the 9 August report". A document dated less precisely than asked ("2024-08" for a day) is not."""
        pattern = f"{year or '____'}-{month}" + (f"-{day}" if day else "") + "%"
        with self._lock:
            return {d for (d,) in self.db.execute(
                "SELECT id FROM docs WHERE json_extract(meta, '$.date') LIKE ?", (pattern,))}

    def documents_dated_between(self, lower: str | None, upper: str | None) -> set[str]:
        """Ids of the documents dated from the month `lower` to the end of the month `upper` ("YYYY-MM"; None: open).
        A document dated by its year alone is in the span if any month of that year is."""
        where, args = ["json_extract(meta, '$.date') IS NOT NULL"], []
        if lower:
            where.append("substr(json_extract(meta, '$.date') || '-12', 1, 7) >= ?")
            args.append(lower)
        if upper:
            where.append("substr(json_extract(meta, '$.date') || '-01', 1, 7) <= ?")
            args.append(upper)
        with self._lock:
            return {d for (d,) in self.db.execute(f"SELECT id FROM docs WHERE {' AND '.join(where)}", args)}

    def dates(self, doc_ids: list[str]) -> dict[str, str]:
        """The date in each document's metadata (documents without one are left out)."""
        doc_ids = list(dict.fromkeys(doc_ids))
        if not doc_ids:
            return {}
        with self._lock:
            rows = self.db.execute(f"SELECT id, json_extract(meta, '$.date') FROM docs WHERE id IN "
                                   f"({','.join('?' * len(doc_ids))})", doc_ids).fetchall()
        return {d: str(v) for d, v in rows if v}

    def titles_with(self, words: list[str]) -> dict[str, tuple[str, str]]:
        """(title, date) of the documents whose titles hold every one of the words (case apart): found in
        SQL, so a question that names a session reads only those titles, not the archive's."""
        where = " AND ".join("instr(lower(title), ?) > 0" for _ in words) or "1"
        with self._lock:
            rows = self.db.execute(f"SELECT id, title, json_extract(meta, '$.date') FROM docs WHERE {where}",
                                   [w.casefold() for w in words]).fetchall()
        return {d: (t or d, str(v or "")) for d, t, v in rows}

    def titles_and_dates(self) -> dict[str, tuple[str, str]]:
        """Every document's (title, date); the date is "" where its metadata has none."""
        with self._lock:
            rows = self.db.execute("SELECT id, title, json_extract(meta, '$.date') FROM docs").fetchall()
        return {d: (t or d, str(v or "")) for d, t, v in rows}

    def mentioned(self, kind: str) -> set[str]:
        # One index seek per distinct value (a loose index scan): DISTINCT reads every mention of the
        # kind, 570k actor mentions and 0.13 s at 100k passages, at every open.
        with self._lock:
            return {v for (v,) in self.db.execute(
                "WITH RECURSIVE v(x) AS (SELECT MIN(value) FROM mentions WHERE kind=?1 UNION ALL "
                "SELECT (SELECT MIN(value) FROM mentions WHERE kind=?1 AND value > x) FROM v WHERE x IS NOT NULL) "
                "SELECT x FROM v WHERE x IS NOT NULL", (kind,))}

    def documents_mentioning(self, kind: str, values: set[str]) -> set[str]:
        values = sorted(values)
        if not values:
            return set()
        with self._lock:
            marks = ",".join("?" * len(values))
            return {d for (d,) in self.db.execute(
                f"SELECT document_id FROM mentions WHERE kind=? AND value IN ({marks})", (kind, *values))}

    def mentions_of(self, doc_id: str, kind: str) -> set[str]:
        with self._lock:
            return {v for (v,) in self.db.execute("SELECT value FROM mentions WHERE document_id=? AND kind=?", (doc_id, kind))}

    def documents(self) -> list[dict]:
        with self._lock:
            rows = self.db.execute("SELECT id, version, title, meta, source_name, characters FROM docs ORDER BY id").fetchall()
        out = []
        for doc_id, version, title, meta, source_name, characters in rows:
            meta = json.loads(meta)
            meta.pop("_terms", None)
            out.append({"id": doc_id, "version": version, "title": title, "meta": meta, "source_name": source_name,
                        "characters": characters})
        return out

    def counts(self) -> dict:
        with self._lock:
            return {"documents": self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0],
                    "passages": self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]}

    def close(self):
        with self._lock:
            self.db.close()


def _document_words(title: str | None, meta: dict) -> list[str]:
    """The stems of a document's title and publisher."""
    return terms((title or "") + " " + str(meta.get("publisher") or ""))


def _context(section: str | None, document: list[str]) -> str:
    """The words a passage is found by besides its own, at CONTEXT_WEIGHT, as the context column holds
    them: its section's heading and its document's title and publisher, each word once and marked. A
    dateline or a heading-less line ("Tuesday, April 18, 2023, Vienna") says nothing of whose statement
    it is or what it is about."""
    return " ".join(CONTEXT_MARK + t for t in dict.fromkeys(terms(section or "") + document))


def _idf(documents: int, total: int) -> float:
    """FTS5's bm25() idf: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6."""
    value = math.log((total - documents + 0.5) / (documents + 0.5)) if total else 0.0
    return value if value > 0 else 1e-6


def _match(words: list[str]) -> str:
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
