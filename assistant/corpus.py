"""The index as readers use it, one view of the manifest at a time.

Nothing here loads the archive: documents are read by id when a citation needs
one, passages and sentences come from Chroma and the local catalog by query,
so the cost of an ask depends on the candidates, not on the archive's size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import takewhile
from threading import Lock

import numpy as np

from .lexical import Catalog
from .passages import Passage, Sentence
from .scope import Scope
from .sources import filed_under, publishers_named
from .store import CURATED, DIMENSION, REVIEWED, IndexStore, StoredDocument, View, _passage
from .terms import terms, with_parts

__all__ = ["Corpus", "AnnotatedSentence", "terms"]

CLOSEST_PASSAGES = 24  # nearest passages whose sentences the closest-sentence check compares (exact on the seed)


@dataclass
class AnnotatedSentence:
    sentence: Sentence
    n: int  # its place among its document's sentences
    actors: set[str]  # named in the sentence or carried over from the previous one by a pronoun
    articles: set[str]  # named in the sentence, else the ones its paragraph or section is about
    vector: np.ndarray
    terms: set[str] = field(default_factory=set)
    instruction: bool = False  # addressed to the assistant ("ignore previous instructions..."): never evidence
    byline: bool = False  # the attribution line under a quote

    @property
    def key(self) -> tuple[str, int]:
        return self.sentence.document_id, self.n


class Documents(Mapping):
    """Document id -> StoredDocument, read from Chroma on first use and kept in a small cache."""

    def __init__(self, store: IndexStore, view: View, size: int = 256):
        self._store, self._view, self._size = store, view, size
        self._ids = view.documents()
        self._cache: OrderedDict[str, StoredDocument] = OrderedDict()
        self._lock = Lock()

    def __getitem__(self, doc_id: str) -> StoredDocument:
        entry = self._ids.get(doc_id)
        if entry is None:
            raise KeyError(doc_id)
        with self._lock:
            if doc_id in self._cache:
                self._cache.move_to_end(doc_id)
                return self._cache[doc_id]
        doc = self._store.document(doc_id, entry.version)
        if doc is None:
            raise KeyError(doc_id)
        with self._lock:
            self._cache[doc_id] = doc
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return doc

    def __iter__(self):
        return iter(sorted(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._ids


class Corpus:
    def __init__(self, store: IndexStore, catalog: Catalog, view: View, gazetteer):
        self.store = store
        self.catalog = catalog
        self.view = view
        self.gazetteer = gazetteer
        self.documents = Documents(store, view)
        self._lock = Lock()
        self._sentence_range: OrderedDict[tuple[str, int, int], tuple[str, int, int]] = OrderedDict()
        self._source_actors: OrderedDict[str, frozenset[str]] = OrderedDict()
        # The records that answer questions: the curated ones (an editor's accepted extraction is curated).
        # Records extracted automatically and not yet reviewed stay in Chroma (all_positions lists them):
        # there is one group of them per document, so loading them would read the archive at every open.
        # Only once the extractor has a measured operating point (settings.EXTRACTED_MIN_CONFIDENCE) may
        # they answer, and only then are they loaded.
        from .answering import settings

        reviewed = [u[4:] for u, e in view.units.items() if u.startswith("pos:" + REVIEWED) and not e.deleted]
        groups = [CURATED, *reviewed] if settings.EXTRACTED_MIN_CONFIDENCE is None else None
        self.positions, self.position_vectors = store.positions(view, groups=groups)
        self.position_terms = [set(terms(f"{r['summary']} {r['evidence'][0]['quote']}")) for r in self.positions]
        # What an instruction planted in a document names is not something the sources report.
        # (An actor whose own reports are in the archive is known to it, though its statements say "we".)
        # (A community is known where an organisation within it is: Human Rights Watch's reports are civil society's.)
        self.mentioned_actors = self.gazetteer.with_communities(catalog.mentioned("actor") | catalog.mentioned("source") | {
            a for r in self.positions for a in r["actors"]})
        self.mentioned_articles = catalog.mentioned("article") | {a for r in self.positions for a in r["articles"]}

    def all_positions(self, actor: str | None = None, article: str | None = None,
                      stance: str | None = None) -> list[dict]:
        """Every current record, curated and extracted, narrowed in Chroma by actor id, article and stance."""
        clauses = ([{"actors": {"$contains": actor}}] if actor else []) + \
            ([{"articles": {"$contains": article}}] if article else []) + ([{"stance": stance}] if stance else [])
        where = (clauses[0] if len(clauses) == 1 else {"$and": clauses}) if clauses else None
        records, _ = self.store.positions(self.view, where=where, with_vectors=False)
        return records

    @property
    def generation(self) -> str:
        return self.view.stamp

    def current(self, meta: dict) -> bool:
        """Is a stored entry part of this view (not an older or newer version of its document)?"""
        return self.view.version_of(meta["document_id"]) == meta["version"]

    # -- words ------------------------------------------------------------------------
    def known_terms(self, stems) -> set[str]:
        return self.catalog.known(list(stems))

    def rarity(self, stems) -> dict[str, float]:
        return self.catalog.rarity(list(stems))

    def held_together(self, stems, documents: set[str] | None = None) -> bool:
        return self.catalog.held_together(list(stems), documents)

    # -- passages ----------------------------------------------------------------------
    def lexical_passages(self, stems: list[str], n: int, documents: set[str] | None = None) -> list[tuple[str, float]]:
        return self.catalog.search(stems, n, documents)

    def dense_passages(self, vector, n: int, documents: set[str] | None = None) -> list[tuple[str, str, dict, float]]:
        where = {"document_id": {"$in": sorted(documents)}} if documents else None
        hits = self.store.nearest("passages", vector, 2 * n, where=where)  # over-fetch: versions being replaced are dropped
        found = self.passages_by_id([i for i, _ in hits])
        return [(i, *found[i], s) for i, s in hits if i in found][:n]

    def passages_by_id(self, chroma_ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Texts and metadata of current passages, from the catalog (from Chroma for a version the
        catalog no longer holds: a newer view has replaced it there while this one is answering)."""
        if not chroma_ids:
            return {}
        found = self.catalog.passages(chroma_ids)
        rest = [i for i in chroma_ids if i not in found]
        if rest:
            got = self.store.collection("passages").get(ids=rest, include=["documents", "metadatas"])
            found.update({i: (t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])})
        found = {i: tm for i, tm in found.items() if self.current(tm[1])}
        self._remember(m for _, m in found.values())
        return found

    def _remember(self, metas):
        """The sentence numbers of passages just retrieved (their sentences are read next, by id)."""
        with self._lock:
            for m in metas:
                if "s_from" in m:
                    key = (m["document_id"], m["start"], m["end"])
                    self._sentence_range[key] = (m["version"], int(m["s_from"]), int(m["s_to"]))
                    self._sentence_range.move_to_end(key)
            while len(self._sentence_range) > 4096:
                self._sentence_range.popitem(last=False)

    def all_passages(self) -> list[Passage]:
        """Every passage (for evaluation and inspection: this reads the whole archive)."""
        out = []
        for doc_id, entry in sorted(self.view.documents().items()):
            out += [p for p, _ in self.store.passages_of(doc_id, entry.version)]
        return out

    @property
    def passages(self) -> list[Passage]:
        return self.all_passages()

    # -- sentences ---------------------------------------------------------------------
    # Sentences are read from the local catalog, by id (a passage knows the numbers of the sentences that
    # start in it) or, for spans and for passages stored without those numbers, all sentences of the few
    # documents concerned, narrowed here. Chroma is asked only for a document whose version the catalog
    # does not hold (a newer view has replaced it there while this one is still answering).
    def _from_catalog(self, doc_ids) -> set[str]:
        held = self.catalog.versions(doc_ids)
        return {d for d in doc_ids if held.get(d) == self.view.version_of(d)}

    def _rows_by_ids(self, ids: list[str]) -> list[tuple[str, str, dict, np.ndarray]]:
        if not ids:
            return []
        local = self._from_catalog({i.split("@", 1)[0] for i in ids})
        rows = self.catalog.sentences(ids=[i for i in ids if i.split("@", 1)[0] in local])
        return rows + self.store.sentences_by_id([i for i in ids if i.split("@", 1)[0] not in local])

    def _by_ids(self, ids: list[str]) -> list[AnnotatedSentence]:
        return [_annotated(t, m, v) for _, t, m, v in self._rows_by_ids(ids) if self.current(m)]

    def _of_documents(self, doc_ids: set[str]) -> list[tuple[str, dict, object]]:
        docs = sorted(d for d in doc_ids if self.view.version_of(d))
        if not docs:
            return []
        local = self._from_catalog(docs)
        rows = self.catalog.sentences(documents=[d for d in docs if d in local])
        rows += self.store.sentences_of({d: self.view.version_of(d) for d in docs if d not in local})
        return [(t, m, v) for _, t, m, v in rows if self.current(m)]

    @staticmethod
    def _ordered(found: list[AnnotatedSentence]) -> list[AnnotatedSentence]:
        return sorted({s.key: s for s in found}.values(), key=lambda s: (s.sentence.document_id, s.n))

    def sentences_in_spans(self, spans: list[tuple[str, int, int]]) -> list[AnnotatedSentence]:
        """Sentences that overlap any of the (document, start, end) spans."""
        spans = [s for s in dict.fromkeys(spans) if self.view.version_of(s[0])]
        if not spans:
            return []
        rows = self._of_documents({d for d, _, _ in spans})
        return self._ordered([_annotated(t, m, v) for t, m, v in rows
                              if any(d == m["document_id"] and m["end"] > a and m["start"] < b for d, a, b in spans)])

    def sentences_of_passages(self, passages: list[Passage]) -> list[AnnotatedSentence]:
        """Sentences that start inside the passages."""
        ids, rest = [], []
        with self._lock:
            ranges = [(p, self._sentence_range.get((p.document_id, p.start, p.end))) for p in passages]
        for p, known in ranges:
            version = self.view.version_of(p.document_id)
            if not version:
                continue
            if known and known[0] == version:
                ids += [f"{p.document_id}@{version}:s{n}" for n in range(known[1], known[2])]
            else:
                rest.append(p)
        found = self._by_ids(list(dict.fromkeys(ids)))
        if rest:
            rows = self._of_documents({p.document_id for p in rest})
            found += [_annotated(t, m, v) for t, m, v in rows
                      if any(p.document_id == m["document_id"] and p.start <= m["start"] < p.end for p in rest)]
        return self._ordered(found)

    def neighbours(self, sentences: list[AnnotatedSentence], step: int) -> dict[tuple[str, int], AnnotatedSentence]:
        """The sentence `step` places after each given one in its document (by key of the given one)."""
        ids = {}
        for s in sentences:
            version = self.view.version_of(s.sentence.document_id)
            if version and s.n + step >= 0:
                ids[f"{s.sentence.document_id}@{version}:s{s.n + step}"] = s.key
        return {ids[i]: _annotated(t, m, v) for i, t, m, v in self._rows_by_ids(list(ids))}

    def run_from(self, sentence: AnnotatedSentence, step: int, count: int) -> list[AnnotatedSentence]:
        """Up to `count` sentences going on from one, `step` (+1 or -1) at a time, in that order: read at once."""
        version = self.view.version_of(sentence.sentence.document_id)
        ns = [sentence.n + step * k for k in range(1, count + 1) if sentence.n + step * k >= 0]
        if not version or not ns:
            return []
        got = {s.n: s for s in (_annotated(t, m, v) for _, t, m, v in self._rows_by_ids(
            [f"{sentence.sentence.document_id}@{version}:s{n}" for n in ns]))}
        return [got[n] for n in takewhile(got.__contains__, ns)]  # (it ends where the document does)

    def documents_by_publishers_named(self, question: str, named: set[str] | None = None) -> set[str]:
        """The documents of every publisher the question names ("according to WAM"); `named`, when
        the caller has already found them."""
        named = self.publishers_named(question) if named is None else named
        return self.catalog.documents_mentioning("publisher", named) if named else set()

    def publishers_named(self, question: str) -> set[str]:
        return publishers_named(question, self._all_publishers())

    def documents_without_publisher(self) -> set[str]:
        """The documents whose metadata names no publisher (read once a view)."""
        stamp = self.view.stamp
        if getattr(self, "_unpublished_at", None) != stamp:
            self._unpublished, self._unpublished_at = self.catalog.documents_without_publisher(), stamp
        return self._unpublished

    def documents_filed_under(self, name: str) -> set[str]:
        return filed_under(name, self.documents_without_publisher())

    def _all_publishers(self) -> set[str]:
        stamp = self.view.stamp
        if getattr(self, "_publishers_at", None) != stamp:
            self._publishers, self._publishers_at = self.catalog.mentioned("publisher"), stamp
        return self._publishers

    def documents_in(self, scope: Scope) -> set[str]:
        """The documents a scope allows."""
        publishers = set()
        for wanted in scope.publishers:
            publishers |= {p for p in self._all_publishers() if wanted.casefold() in p.casefold()}
            publishers |= publishers_named(wanted, self._all_publishers())
        if scope.publishers and not publishers:
            return set()
        return self.catalog.documents_in_scope(scope.documents, publishers, scope.kinds,
                                               scope.since.isoformat() if scope.since else None,
                                               scope.until.isoformat() if scope.until else None)

    def dates(self, doc_ids) -> dict[str, str]:
        """Each document's date (from its metadata), where it has one."""
        return self.catalog.dates(list(doc_ids))

    def titles_and_dates(self) -> dict[str, tuple[str, str]]:
        """(title, date) of every document, read once per view: periods named in a question resolve against it."""
        stamp = self.view.stamp
        if getattr(self, "_titles_at", None) != stamp:
            self._titles, self._titles_at = self.catalog.titles_and_dates(), stamp
        return self._titles

    def dated(self, records: list[dict]) -> list[dict]:
        """Position records with the date of the document that holds their evidence."""
        dates = self.dates({r["evidence"][0]["document"] for r in records})
        return [{**r, "date": dates.get(r["evidence"][0]["document"])} for r in records]

    def source_actors(self, doc_id: str) -> set[str]:
        """Who speaks in a document as a whole: the actors its title, publisher or author name."""
        # Asked for every candidate sentence (about 40 catalog reads an ask); a view's documents do not change.
        with self._lock:
            if doc_id in self._source_actors:
                self._source_actors.move_to_end(doc_id)
                return set(self._source_actors[doc_id])
        found = self.catalog.mentions_of(doc_id, "source")
        with self._lock:
            self._source_actors[doc_id] = frozenset(found)
            while len(self._source_actors) > 4096:
                self._source_actors.popitem(last=False)
        return found

    def closest_sentence(self, vector, actors: set[str] | None = None) -> float:
        """The similarity of the sentence nearest the vector (among those by or about one of the actors)."""
        allowed, own = None, []
        if actors:
            own = sorted(self.catalog.documents_mentioning("source", actors))
            # The passages by or about the actors, from the catalog: a Chroma metadata filter on the
            # passages' actors took about 100 ms at 100k passages.
            allowed = self.catalog.passages_naming(actors, set(own))
        # Through the passages' index: the nearest passages (by or about the actors), then their sentences
        # compared exactly. A query on the sentences' own index would hold every sentence vector of the
        # archive in memory (about 1 GB at 100k passages) for this one check.
        hits = self.store.nearest("passages", vector, CLOSEST_PASSAGES, ids=allowed)
        got = self.passages_by_id([i for i, _ in hits])
        found = [got[i] for i, _ in hits if i in got]
        sentences = self.sentences_of_passages([passage_from(t, m) for t, m in found])
        own = set(own) if actors else set()
        qv = np.asarray(vector, dtype=np.float32)
        best = [float(s.vector @ qv) for s in sentences if not s.instruction and (
            not actors or s.actors & actors or s.sentence.document_id in own)]
        return max(best, default=0.0)


def _annotated(text: str, meta: dict, vector) -> AnnotatedSentence:
    sentence = Sentence(meta["document_id"], meta["start"], meta["end"], text, meta["paragraph"])
    return AnnotatedSentence(sentence, meta["n"], set(meta.get("actors", [])), set(meta.get("articles", [])),
                             np.asarray(vector if vector is not None else np.zeros(DIMENSION), dtype=np.float32),
                             with_parts(text), bool(meta.get("instruction")), bool(meta.get("byline")))


def passage_from(text: str, meta: dict) -> Passage:
    return _passage(text, meta)
