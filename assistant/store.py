"""The index in Chroma: per-document versions and an append-only manifest.

Every write of a document (or of a group of position records) is a new
*version*: its passages, sentences and records are added under ids that carry
the version, and only then is the version committed by updating its own
manifest entry from `pending` to `committed`. Nothing is ever overwritten in
place, so two processes that write at the same moment cannot lose each
other's work: each unit's current version is its committed entry with the
latest commit time, and older versions are garbage-collected only once a newer
one has been committed for a while (readers have switched by then).

A crash mid-write leaves a `pending` entry whose data no reader ever uses; the
next build removes it once it is older than PENDING_GRACE.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from . import offline  # noqa: F401
from .annotate import annotate_document
from .cleaning import Paragraph
from .documents import SourceDocument
from .errors import StoreUnavailable
from .passages import Passage, Sentence, split_passages, split_sentences

SCHEMA = "ta1"
# Sentences are read by id, never searched, so their vectors are kept in their metadata beside a one-number
# placeholder embedding: a collection of real sentence vectors makes Chroma load all of them (1.3 GB, about
# 4.5 s, at 100k passages) on the first read or write of any sentence. "sentences" is that collection as
# earlier versions wrote it; it is still read (see sentences_of), never written.
KINDS = ("documents", "passages", "sentence_rows", "positions")
LEGACY_SENTENCES = "sentences"
MANIFEST = f"{SCHEMA}-manifest"
BATCH = 256
MANIFEST_BATCH = 4096  # below Chroma's largest batch (5461 on SQLite)
DIMENSION = 384
SUPERSEDED_GRACE = 30.0  # seconds a replaced version stays readable for processes that have not refreshed
PENDING_GRACE = 3600.0  # a pending version older than this belongs to a writer that died
CURATED = "~curated"  # the unit of the curated position records
# Records an editor accepted or fixed answer questions like curated ones, but are kept in a unit of their
# document ("~reviewed:<id>"), so that writing one document never rewrites a unit that spans documents.
REVIEWED = "~reviewed:"

Progress = Callable[[int, int, str], None]


def open_client(persist_dir: str | None = None, chroma_url: str | None = None):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    try:
        if chroma_url:
            from urllib.parse import urlparse

            url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
            )
        return chromadb.PersistentClient(path=str(persist_dir), settings=settings)
    except Exception as exc:  # chromadb raises bare ValueError/ConnectionError here
        where = chroma_url or persist_dir
        raise StoreUnavailable(f"cannot open the Chroma store at {where}: {exc}") from exc


@dataclass
class StoredDocument:
    id: str
    title: str
    text: str
    paragraphs: list[Paragraph]
    meta: dict
    fingerprint: str
    source_name: str = ""
    version: str = ""

    def paragraph_at(self, offset: int) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return paragraph
        return self.paragraphs[-1]


@dataclass(frozen=True)
class Entry:
    """One committed version of a unit ("doc:ID" or "pos:ID") in the manifest."""

    unit: str
    version: str
    fingerprint: str
    at: float
    deleted: bool = False
    size: int = 0  # records in a position group (0 for documents, and in manifests written before it was kept)


@dataclass
class View:
    """What a reader sees: the current committed version of every unit."""

    units: dict[str, Entry] = field(default_factory=dict)
    seen: float = 0.0  # latest commit time read so far

    def documents(self) -> dict[str, Entry]:
        return {u[4:]: e for u, e in self.units.items() if u.startswith("doc:") and not e.deleted}

    def version_of(self, doc_id: str) -> str | None:
        entry = self.units.get(f"doc:{doc_id}")
        return entry.version if entry and not entry.deleted else None

    @property
    def stamp(self) -> str:
        """Changes whenever any unit does: a cheap 'has the index changed?' token."""
        if getattr(self, "_stamp", None) is None:  # kept: sorting every unit at every ask grows with the archive
            live = sorted((u, e.version) for u, e in self.units.items() if not e.deleted)
            self._stamp = hashlib.sha256(json.dumps(live).encode()).hexdigest()[:16] if live else ""
        return self._stamp

    def apply(self, entry: Entry):
        old = self.units.get(entry.unit)
        if old is None or (entry.at, entry.version) >= (old.at, old.version):
            self.units[entry.unit] = entry
            self._stamp = None
        self.seen = max(self.seen, entry.at)


def new_version() -> str:
    # Sortable by time of writing, unique across processes.
    return f"{time.time_ns():020d}{uuid.uuid4().hex[:8]}"


def _batched(items: list, size: int = BATCH) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _wrap(what: str):
    def decorate(method):
        def call(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except StoreUnavailable:
                raise
            except Exception as exc:  # chromadb raises transport and server errors of several kinds
                raise StoreUnavailable(f"the vector store cannot {what}: {exc}") from exc
        call.__name__ = method.__name__
        call.__doc__ = method.__doc__
        return call
    return decorate


class IndexStore:
    def __init__(self, client, embedder):
        self.client = client
        self.embedder = embedder
        self._collections: dict[str, object] = {}
        # doc id -> (document metadata, [(Passage, metadata)], [(sentence id, text, metadata, vector)]) as the
        # last write() stored them: the writer's catalog takes them from here instead of reading every written
        # document back from Chroma by a metadata filter (about 0.2 s a document at 10k passages, growing).
        self.written: dict[str, tuple[dict, list, list]] = {}

    def collection(self, kind: str):
        name = MANIFEST if kind == "manifest" else f"{SCHEMA}-{kind}"
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
        return self._collections[name]

    # -- the manifest --------------------------------------------------------
    @_wrap("be read")
    def read_view(self, since: View | None = None, margin: float = 5.0, full: bool = False) -> View:
        """The manifest's committed entries. With `since`, what changed after it: the entries committed
        after it (less a margin for clocks of other hosts), or with `full` every committed entry, which
        also drops the units whose entries garbage collection removed.

        Only the ids are read first (an entry's id is its unit and version) and the metadata of the
        entries `since` does not hold: a bulk write commits thousands of entries at one time, and
        reading their metadata again at every refresh cost 0.2 s at 100k passages."""
        manifest = self.collection("manifest")
        if since is None:
            view = View()
            for meta in manifest.get(where={"state": "committed"}, include=["metadatas"])["metadatas"]:
                view.apply(_entry(meta))
            return view
        where: dict = {"state": "committed"}
        if since.seen and not full:
            where = {"$and": [where, {"at": {"$gt": since.seen - margin}}]}
        ids = manifest.get(where=where, include=[])["ids"]
        fresh = [i for i in ids if not _holds(since, i)]
        listed = set(ids) if full else set()
        gone = [u for u, e in since.units.items() if f"{u}@{e.version}" not in listed] if full else []
        if not fresh and not gone:
            return since
        view = View({u: e for u, e in since.units.items() if u not in set(gone)}, since.seen)
        for start in range(0, len(fresh), MANIFEST_BATCH):
            for meta in manifest.get(ids=fresh[start:start + MANIFEST_BATCH], include=["metadatas"])["metadatas"]:
                if meta["state"] == "committed":
                    view.apply(_entry(meta))
        return view

    def current_generation(self) -> str | None:
        """A token that changes whenever the index does (None for an empty index)."""
        return self.read_view().stamp or None

    # -- reading -------------------------------------------------------------
    @_wrap("be read")
    def document(self, doc_id: str, version: str) -> StoredDocument | None:
        got = self.collection("documents").get(ids=[f"{doc_id}@{version}"], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0]
        return StoredDocument(doc_id, meta["title"], got["documents"][0],
                              [Paragraph(**p) for p in json.loads(meta["paragraphs"])], json.loads(meta["meta"]),
                              meta["fingerprint"], meta.get("source_name", ""), version)

    @_wrap("be read")
    def document_summary(self, doc_id: str, version: str) -> dict | None:
        """A document's metadata without its text: mentions and the like, for the local catalog."""
        got = self.collection("documents").get(ids=[f"{doc_id}@{version}"], include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    @_wrap("be read")
    def passages_of(self, doc_id: str, version: str) -> list[tuple[Passage, dict]]:
        got = self.collection("passages").get(where={"$and": [{"document_id": doc_id}, {"version": version}]},
                                              include=["documents", "metadatas"])
        return sorted(((_passage(t, m), m) for t, m in zip(got["documents"], got["metadatas"])),
                      key=lambda pm: pm[0].start)

    @_wrap("be read")
    def passage_rows(self, doc_ids: dict[str, str]) -> list[tuple[str, str, dict]]:
        """(id, text, metadata) of the passages of the given documents (id -> version)."""
        docs = sorted(doc_ids)
        where = {"document_id": docs[0]} if len(docs) == 1 else {"document_id": {"$in": docs}}
        got = self.collection("passages").get(where=where, include=["documents", "metadatas"])
        return [(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
                if doc_ids.get(m["document_id"]) == m["version"]]

    @_wrap("be read")
    def sentences_of(self, doc_ids: dict[str, str]) -> list[tuple[str, str, dict, np.ndarray]]:
        """(id, text, metadata, vector) of every sentence of the given documents (id -> version)."""
        if not doc_ids:
            return []
        docs = sorted(doc_ids)
        where = {"document_id": docs[0]} if len(docs) == 1 else {"document_id": {"$in": docs}}
        rows = [r for r in self._sentence_rows(self.collection("sentence_rows").get(
            where=where, include=["documents", "metadatas"])) if doc_ids.get(r[2]["document_id"]) == r[2]["version"]]
        missing = set(docs) - {r[2]["document_id"] for r in rows}
        if missing:  # written before sentence vectors moved to metadata
            where = {"document_id": {"$in": sorted(missing)}} if len(missing) > 1 else {"document_id": missing.pop()}
            got = self.collection(LEGACY_SENTENCES).get(where=where, include=["documents", "metadatas", "embeddings"])
            rows += [(i, t, m, np.asarray(v, np.float32)) for i, t, m, v in
                     zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])
                     if doc_ids.get(m["document_id"]) == m["version"]]
        return rows

    @_wrap("be read")
    def sentences_by_id(self, ids: list[str]) -> list[tuple[str, str, dict, np.ndarray]]:
        """(id, text, metadata, vector) of the sentences with these ids that exist."""
        if not ids:
            return []
        rows = self._sentence_rows(self.collection("sentence_rows").get(ids=list(ids), include=["documents", "metadatas"]))
        found = {r[0] for r in rows}
        rest = [i for i in ids if i not in found]
        if rest:  # written before sentence vectors moved to metadata (or past a document's last sentence)
            got = self.collection(LEGACY_SENTENCES).get(ids=rest, include=["documents", "metadatas", "embeddings"])
            rows += [(i, t, m, np.asarray(v, np.float32)) for i, t, m, v in
                     zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])]
        return rows

    @staticmethod
    def _sentence_rows(got: dict) -> list[tuple[str, str, dict, np.ndarray]]:
        out = []
        for i, t, m in zip(got["ids"], got["documents"], got["metadatas"]):
            m = dict(m)
            out.append((i, t, m, _vector_from(m.pop("vector"))))
        return out

    @_wrap("be read")
    def get(self, kind: str, where: dict, with_vectors: bool = False, limit: int | None = None):
        include = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        got = self.collection(kind).get(where=where, include=include, limit=limit)
        vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
        return list(zip(got["ids"], got["documents"], got["metadatas"], vectors))

    @_wrap("be queried")
    def nearest(self, kind: str, vector, n: int, where: dict | None = None,
                ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(id, similarity) of the n nearest entries (among `ids`, if given), nearest first."""
        if ids is not None and not ids:
            return []
        try:
            # Ids only: Chroma's query reads texts and metadata slower than get does (40 passages: 6 ms
            # against 2 at 100k passages, growing faster than n).
            result = self.collection(kind).query(query_embeddings=[list(vector)], n_results=n, where=where, ids=ids,
                                                 include=["distances"])
        except Exception as exc:
            if "no" in str(exc).lower() and "element" in str(exc).lower():
                return []  # an empty collection
            raise
        return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0])]

    @_wrap("be queried")
    def query(self, kind: str, vector, n: int, where: dict | None = None, with_vectors: bool = False,
              ids: list[str] | None = None):
        """(id, text, metadata, similarity[, vector]) of the n nearest entries (among `ids`, if given)."""
        col = self.collection(kind)
        hits = self.nearest(kind, vector, n, where, ids)
        if not hits:
            return []
        got = col.get(ids=[i for i, _ in hits], include=["documents", "metadatas"] + (["embeddings"] if with_vectors else []))
        vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
        found = {i: (t, m, v) for i, t, m, v in zip(got["ids"], got["documents"], got["metadatas"], vectors)}
        return [(i, *found[i][:2], similarity, found[i][2]) for i, similarity in hits if i in found]

    @_wrap("be read")
    def positions(self, view: View, groups: Iterable[str] | None = None, where: dict | None = None,
                  with_vectors: bool = True) -> tuple[list[dict], np.ndarray]:
        """The current position records (of the given groups only; matching `where`, a Chroma filter on
        stance, actors or articles) and their vectors, in the order of their ids."""
        units = {u[4:]: e.version for u, e in view.units.items() if u.startswith("pos:") and not e.deleted}
        if groups is not None:
            units = {g: v for g, v in units.items() if g in set(groups)}
        if not units:
            return [], np.zeros((0, DIMENSION), np.float32)
        clauses = ([{"group": {"$in": sorted(units)}}] if groups is not None else []) + ([where] if where else [])
        got = self.collection("positions").get(
            where=(clauses[0] if len(clauses) == 1 else {"$and": clauses}) if clauses else None,
            include=["metadatas"] + (["embeddings"] if with_vectors else []))
        vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
        rows = [(json.loads(m["record"]), v) for m, v in zip(got["metadatas"], vectors)
                if units.get(m["group"]) == m["version"]]
        rows.sort(key=lambda rv: rv[0]["id"])
        if not with_vectors or not rows:
            return [r for r, _ in rows], np.zeros((0, DIMENSION), np.float32)
        return [r for r, _ in rows], np.asarray([v for _, v in rows], dtype=np.float32)

    # -- writing -------------------------------------------------------------
    def write(self, documents: dict[str, SourceDocument], removed: set[str], position_groups: dict[str, list[dict]],
              gazetteer, progress: Progress | None = None) -> list[Entry]:
        """Write new versions of documents and position groups (an empty group list removes
        the group) and tombstones for removed documents, then commit them all at once."""
        progress = progress or (lambda done, total, message: None)
        self.written = {}
        version = new_version()
        units = [f"doc:{d}" for d in documents] + [f"doc:{d}" for d in removed] + [f"pos:{g}" for g in position_groups]
        if not units:
            return []
        manifest = self.collection("manifest")
        fingerprints = {**{f"doc:{i}": d.fingerprint for i, d in documents.items()},
                        **{f"doc:{i}": "" for i in removed},
                        **{f"pos:{g}": _records_fingerprint(r) for g, r in position_groups.items()}}
        deleted = {f"doc:{i}" for i in removed} | {f"pos:{g}" for g, r in position_groups.items() if not r}
        ids = [f"{u}@{version}" for u in units]
        now = time.time()
        sizes = {f"pos:{g}": len(r) for g, r in position_groups.items()}
        entries = [{"unit": u, "version": version, "state": "pending", "at": now, "fingerprint": fingerprints[u],
                    "deleted": u in deleted, "size": sizes.get(u, 0)} for u in units]
        try:
            # Chroma takes at most a few thousand records a call (a first build of an archive has more units).
            for start in range(0, len(ids), MANIFEST_BATCH):
                end = start + MANIFEST_BATCH
                manifest.add(ids=ids[start:end], embeddings=[[1.0]] * len(ids[start:end]), metadatas=entries[start:end])
        except Exception as exc:
            raise StoreUnavailable(f"the vector store cannot be written: {exc}") from exc
        try:
            self._write_data(version, documents, position_groups, gazetteer, progress)
            at = time.time()
            # One call commits a write of up to MANIFEST_BATCH units at once; a larger one (a first build)
            # commits in steps, each unit whole: a reader may see some of its documents a moment before the rest.
            for start in range(0, len(ids), MANIFEST_BATCH):
                chunk = ids[start:start + MANIFEST_BATCH]
                manifest.update(ids=chunk, metadatas=[{"state": "committed", "at": at} for _ in chunk])
        except BaseException:
            self.written = {}
            self._drop_version(version)
            try:
                for start in range(0, len(ids), MANIFEST_BATCH):
                    manifest.delete(ids=ids[start:start + MANIFEST_BATCH])
            except Exception:
                pass  # left pending: a later build removes it
            raise
        return [Entry(u, version, fingerprints[u], at, u in deleted, sizes.get(u, 0)) for u in units]

    def _write_data(self, version: str, documents: dict[str, SourceDocument], position_groups: dict[str, list[dict]],
                    gazetteer, progress: Progress):
        split = {i: (split_passages(d), split_sentences(d)) for i, d in documents.items()}
        total = sum(len(s) for _, s in split.values()) + sum(len(r) for r in position_groups.values()) or 1
        done = 0
        record_vectors: dict[str, np.ndarray] = {}  # group -> vectors of its records, where no model time is needed
        for doc_id, doc in documents.items():
            passages, sentences = split[doc_id]
            notes = annotate_document(doc, passages, sentences, gazetteer)
            vectors = np.zeros((0, DIMENSION), np.float32)
            for batch in _batched(sentences):
                got = np.asarray(self.embedder.embed([s.text for s in batch]), dtype=np.float32)
                vectors = np.vstack([vectors, got])
                done += len(batch)
                progress(done, total, f"embedding {doc_id}")
            # Each text is embedded once: a passage's vector is the mean of its sentences' vectors
            # (the model's own mean pooling, one level up), so passages cost no model time.
            passage_vectors = _passage_vectors(passages, sentences, vectors)
            # Records extracted from this document are placed by the sentences they quote (the mean of
            # those sentences' vectors), so they cost no model time either. Only curated records, which
            # answer questions, have their own search text embedded.
            own = _extracted_vectors(doc_id, position_groups.get(doc_id) or [], sentences, vectors)
            if own is not None:
                record_vectors[doc_id] = own
            sentence_ids = [f"{doc_id}@{version}:s{n}" for n in range(len(sentences))]
            sentence_metas = [_clean({"document_id": doc_id, "version": version, "n": n, "start": s.start, "end": s.end,
                                      "paragraph": s.paragraph, **notes.sentences[n]}) for n, s in enumerate(sentences)]
            self._add("sentence_rows", sentence_ids, np.ones((len(sentences), 1), np.float32), [s.text for s in sentences],
                      [{**m, "vector": _vector_text(v)} for m, v in zip(sentence_metas, vectors)])
            # The numbers of the sentences that start in each passage: a reader fetches them by id.
            starts = [s.start for s in sentences]
            passage_metas = [_clean({**p.metadata(), "version": version, "n": n, **notes.passages[n],
                                     "s_from": bisect.bisect_left(starts, p.start), "s_to": bisect.bisect_left(starts, p.end)})
                             for n, p in enumerate(passages)]
            self._add("passages", [f"{p.id}@{version}" for p in passages], passage_vectors, [p.text for p in passages],
                      passage_metas)
            doc_vector = passage_vectors.mean(0) if len(passage_vectors) else np.ones(DIMENSION, np.float32)
            doc_meta = _clean({
                "document_id": doc_id, "version": version, "title": doc.title, "fingerprint": doc.fingerprint,
                "source_name": doc.source_name, "meta": json.dumps(doc.meta, ensure_ascii=False), "characters": len(doc.text),
                "paragraphs": json.dumps([vars(p) for p in doc.paragraphs], ensure_ascii=False),
                "actors": sorted(notes.actors), "articles": sorted(notes.articles),
                "source_actors": sorted(notes.source_actors)})
            self._add("documents", [f"{doc_id}@{version}"], doc_vector[None, :], [doc.text], [doc_meta])
            self.written[doc_id] = ({k: v for k, v in doc_meta.items() if k != "paragraphs"},
                                    [(_passage(p.text, m), m) for p, m in zip(passages, passage_metas)],
                                    list(zip(sentence_ids, [s.text for s in sentences], sentence_metas, vectors)))
        for group, records in position_groups.items():
            if not records:
                continue
            vectors = record_vectors.get(group)
            if vectors is None:
                vectors = np.asarray(self.embedder.embed([r["search_text"] for r in records]), dtype=np.float32)
            self._add("positions", [f"{r['id']}@{version}" for r in records], vectors, [r["search_text"] for r in records],
                      [_clean({"group": group, "version": version, "record": json.dumps(r, ensure_ascii=False),
                               "stance": r["stance"], "actors": list(r["actors"]), "articles": list(r["articles"])})
                       for r in records])
            done += len(records)
            progress(done, total, "indexing positions")

    def _add(self, kind: str, ids: list[str], vectors, texts: list[str], metadatas: list[dict]):
        col = self.collection(kind)
        for start in range(0, len(ids), BATCH):
            end = start + BATCH
            col.add(ids=ids[start:end], embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                    documents=texts[start:end], metadatas=metadatas[start:end])

    def _drop_version(self, version: str):
        for kind in KINDS:
            try:
                self.collection(kind).delete(where={"version": version})
            except Exception:
                pass  # the collection is unreachable: the pending entry marks it for the next clean-up

    @_wrap("be cleaned up")
    def collect_garbage(self, now: float | None = None, units: Iterable[str] | None = None) -> int:
        """Remove versions that a newer one replaced more than SUPERSEDED_GRACE ago, and
        pending versions of writers that died. Returns how many versions went.

        With `units`, only those units' versions are looked at (and pending ones): reading the
        whole manifest costs time proportional to the archive, which a write of one document
        should not pay."""
        now = time.time() if now is None else now
        manifest = self.collection("manifest")
        if units is None:
            got = manifest.get(include=["metadatas"])
        else:
            units = sorted(set(units))
            got = {"ids": [], "metadatas": []}
            for start in range(0, len(units), MANIFEST_BATCH):
                part = manifest.get(where={"$or": [{"unit": {"$in": units[start:start + MANIFEST_BATCH]}},
                                                   {"state": "pending"}]}, include=["metadatas"])
                got["ids"] += part["ids"]
                got["metadatas"] += part["metadatas"]
        by_unit: dict[str, list[dict]] = {}
        doomed: list[tuple[str, dict]] = []
        for entry_id, meta in zip(got["ids"], got["metadatas"]):
            if meta["state"] == "pending":
                if now - float(meta["at"]) > PENDING_GRACE:
                    doomed.append((entry_id, meta))
            else:
                by_unit.setdefault(meta["unit"], []).append({**meta, "_id": entry_id})
        for entries in by_unit.values():
            entries.sort(key=lambda m: (float(m["at"]), m["version"]))
            current = entries[-1]
            settled = now - float(current["at"]) > SUPERSEDED_GRACE
            old = entries[:-1] if settled else []
            if settled and current.get("deleted"):
                old = entries  # a tombstone nobody needs any more
            doomed += [(m["_id"], m) for m in old]
        for entry_id, meta in doomed:
            unit, version = meta["unit"], meta["version"]
            key = {"document_id": unit[4:]} if unit.startswith("doc:") else {"group": unit[4:]}
            kinds = ("documents", "passages", "sentence_rows") if unit.startswith("doc:") else ("positions",)
            if unit.startswith("doc:") and not self.collection("sentence_rows").get(
                    where={"$and": [key, {"version": version}]}, include=[], limit=1)["ids"]:
                kinds += (LEGACY_SENTENCES,)  # a version written before sentence vectors moved to metadata
            for kind in kinds:
                self.collection(kind).delete(where={"$and": [key, {"version": version}]})
            manifest.delete(ids=[entry_id])
        return len(doomed)


def _entry(meta: dict) -> Entry:
    return Entry(meta["unit"], meta["version"], meta.get("fingerprint", ""), float(meta["at"]),
                 bool(meta.get("deleted", False)), int(meta.get("size", 0)))


def _holds(view: View, entry_id: str) -> bool:
    unit, _, version = entry_id.rpartition("@")
    entry = view.units.get(unit)
    return entry is not None and entry.version == version


def _passage(text: str, meta: dict) -> Passage:
    return Passage(f"{meta['document_id']}:{meta['start']}-{meta['end']}", meta["document_id"], meta["start"],
                   meta["end"], text, meta.get("section", ""), meta.get("attribution"))


def _passage_vectors(passages: list[Passage], sentences: list[Sentence], vectors: np.ndarray) -> np.ndarray:
    out = np.zeros((len(passages), DIMENSION), np.float32)
    for i, p in enumerate(passages):
        rows = [n for n, s in enumerate(sentences) if s.start < p.end and p.start < s.end]
        if rows:
            mean = vectors[rows].mean(0)
            out[i] = mean / (np.linalg.norm(mean) or 1.0)
        else:
            out[i, 0] = 1.0
    return out


def _extracted_vectors(doc_id: str, records: list[dict], sentences: list[Sentence], vectors: np.ndarray):
    """Vectors of records extracted from a document, from its sentences' vectors: the normalised mean of
    the sentences their evidence overlaps. None unless every record is an extracted one quoting only it."""
    if not records or not len(vectors):
        return None
    starts = np.asarray([s.start for s in sentences])
    ends = np.asarray([s.end for s in sentences])
    out = np.zeros((len(records), DIMENSION), np.float32)
    for i, record in enumerate(records):
        if record.get("origin") != "extracted":
            return None
        rows = np.zeros(len(sentences), bool)
        for ev in record.get("evidence", []):
            if ev.get("document") != doc_id or ev.get("start") is None:
                return None
            rows |= (starts < ev["end"]) & (ev["start"] < ends)
        if not rows.any():
            return None
        mean = vectors[rows].mean(0)
        out[i] = mean / (np.linalg.norm(mean) or 1.0)
    return out


def _vector_text(vector) -> str:
    return base64.b64encode(np.asarray(vector, "<f4").tobytes()).decode("ascii")


def _vector_from(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4").astype(np.float32)


def _clean(meta: dict) -> dict:
    # Chroma refuses None values and empty lists in metadata.
    return {k: v for k, v in meta.items() if v is not None and v != [] and v != ()}


def _records_fingerprint(records: list[dict]) -> str:
    return hashlib.sha256(json.dumps(sorted(records, key=lambda r: r["id"]), sort_keys=True,
                                     ensure_ascii=False).encode()).hexdigest()[:16]


__all__ = ["IndexStore", "StoredDocument", "View", "Entry", "Progress", "open_client", "CURATED", "REVIEWED"]
