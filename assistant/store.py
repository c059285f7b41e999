"""The index in Chroma, written as generations so no reader sees half of one.

A build writes a complete new generation (documents, passages, positions
collections) and only then moves the `current` pointer to it. A crash before
that leaves the previous generation in use; its leftovers are removed by the
next build. Unchanged documents keep their stored embeddings, so a rebuild
embeds only what changed.
"""

from __future__ import annotations

import json
import time

import numpy as np
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import offline  # noqa: F401
from .cleaning import Paragraph
from .documents import SourceDocument
from .embedding import Embedder
from .errors import StoreUnavailable
from .passages import Passage, Sentence, split_passages, split_sentences

STATE = "assistant-state"
POINTER = "current"
PREFIX = "gen-"
KINDS = ("documents", "passages", "sentences", "positions")
BATCH = 64

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

    def paragraph_at(self, offset: int) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return paragraph
        return self.paragraphs[-1]


@dataclass
class Snapshot:
    """Everything a reader needs from one generation, loaded once."""

    generation: str
    documents: dict[str, StoredDocument] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_vectors: object = None  # numpy array, one row per sentence
    positions_fingerprint: str = ""
    position_records: list[dict] = field(default_factory=list)
    position_vectors: object = None


def _collection(client, generation: str, kind: str, create: bool = False):
    name = f"{PREFIX}{generation}-{kind}"
    if create:
        return client.create_collection(name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    return client.get_collection(name, embedding_function=None)


def _batched(items: list, size: int = BATCH) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class IndexStore:
    def __init__(self, client, embedder: Embedder):
        self.client = client
        self.embedder = embedder

    # -- reading -----------------------------------------------------------
    def current_generation(self) -> str | None:
        try:
            state = self.client.get_or_create_collection(STATE, embedding_function=None)
            got = state.get(ids=[POINTER], include=["metadatas"])
        except Exception as exc:
            raise StoreUnavailable(f"the Chroma store cannot be read: {exc}") from exc
        return got["metadatas"][0]["generation"] if got["ids"] else None

    def load(self) -> Snapshot | None:
        try:
            return self._load()
        except StoreUnavailable:
            raise
        except Exception as exc:
            raise StoreUnavailable(f"the index cannot be read from the vector store: {exc}") from exc

    def _load(self) -> Snapshot | None:
        generation = self.current_generation()
        if generation is None:
            return None
        snap = Snapshot(generation)
        docs = _collection(self.client, generation, "documents").get(include=["documents", "metadatas"])
        for doc_id, text, meta in zip(docs["ids"], docs["documents"], docs["metadatas"]):
            paragraphs = [Paragraph(**p) for p in json.loads(meta["paragraphs"])]
            snap.documents[doc_id] = StoredDocument(
                doc_id, meta["title"], text, paragraphs, json.loads(meta["meta"]), meta["fingerprint"],
                meta.get("source_name", ""),
            )
        got = _collection(self.client, generation, "passages").get(include=["documents", "metadatas"])
        for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            snap.passages.append(
                Passage(pid, meta["document_id"], meta["start"], meta["end"], text, meta["section"], meta.get("attribution"))
            )
        snap.passages.sort(key=lambda p: (p.document_id, p.start))
        got = _collection(self.client, generation, "sentences").get(include=["documents", "metadatas", "embeddings"])

        rows = sorted(zip(got["metadatas"], got["documents"], range(len(got["ids"]))),
                      key=lambda r: (r[0]["document_id"], r[0]["start"]))
        snap.sentences = [Sentence(m["document_id"], m["start"], m["end"], text, m["paragraph"]) for m, text, _ in rows]
        vectors = np.asarray(got["embeddings"], dtype=np.float32) if len(got["ids"]) else np.zeros((0, 384), np.float32)
        snap.sentence_vectors = vectors[[i for _, _, i in rows]] if len(rows) else vectors
        pos = _collection(self.client, generation, "positions").get(include=["metadatas", "embeddings"])
        order = sorted(range(len(pos["ids"])), key=lambda i: pos["ids"][i])
        snap.position_records = [json.loads(pos["metadatas"][i]["record"]) for i in order]
        snap.position_vectors = (np.asarray(pos["embeddings"], dtype=np.float32)[order] if order
                                 else np.zeros((0, 384), np.float32))
        state = self.client.get_collection(STATE, embedding_function=None).get(ids=[POINTER], include=["metadatas"])
        snap.positions_fingerprint = state["metadatas"][0].get("positions_fingerprint", "")
        return snap

    def dense_query(self, generation: str, vector: list[float], kind: str, n: int, where: dict | None = None):
        try:
            collection = _collection(self.client, generation, kind)
            count = collection.count()
            if count == 0:
                return []
            result = collection.query(
                query_embeddings=[vector], n_results=min(n, count), where=where, include=["distances"]
            )
        except Exception as exc:  # chromadb raises transport errors of several kinds
            raise StoreUnavailable(f"the vector store cannot be queried: {exc}") from exc
        return list(zip(result["ids"][0], (1.0 - d for d in result["distances"][0])))

    # -- writing -----------------------------------------------------------
    def build(
        self,
        documents: dict[str, SourceDocument | None],
        positions: list[dict] | None,
        positions_fingerprint: str,
        previous: Snapshot | None,
        progress: Progress | None = None,
    ) -> str:
        """Write a new generation holding `documents` and make it current.

        A value of None in `documents` means: keep that document as stored in
        `previous` (its passages and embeddings are copied, not recomputed).
        """
        progress = progress or (lambda done, total, message: None)
        generation = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        doc_col = _collection(self.client, generation, "documents", create=True)
        pas_col = _collection(self.client, generation, "passages", create=True)
        sen_col = _collection(self.client, generation, "sentences", create=True)
        pos_col = _collection(self.client, generation, "positions", create=True)
        try:
            fresh = {i: d for i, d in documents.items() if d is not None}
            kept = [i for i, d in documents.items() if d is None]
            new_passages = [p for d in fresh.values() for p in split_passages(d)]
            new_sentences = [s for d in fresh.values() for s in split_sentences(d)]
            total = len(new_passages) + len(new_sentences) + len(fresh) + len(kept) + len(positions or [])
            done = 0
            for doc_id in kept:
                self._copy_document(previous.generation, generation, doc_id, doc_col, pas_col, sen_col)
                done += 1
                progress(done, total, f"kept {doc_id}")
            if fresh:
                titles = self.embedder.embed([d.title for d in fresh.values()])
                doc_col.add(
                    ids=list(fresh),
                    embeddings=titles,
                    documents=[d.text for d in fresh.values()],
                    metadatas=[_document_metadata(d) for d in fresh.values()],
                )
                done += len(fresh)
                progress(done, total, "documents stored")
            for batch in _batched(new_passages):
                pas_col.add(
                    ids=[p.id for p in batch],
                    embeddings=self.embedder.embed([p.text for p in batch]),
                    documents=[p.text for p in batch],
                    metadatas=[{**p.metadata(), "fingerprint": fresh[p.document_id].fingerprint} for p in batch],
                )
                done += len(batch)
                progress(done, total, "embedding passages")
            for batch in _batched(new_sentences):
                sen_col.add(
                    ids=[f"{s.document_id}:{s.start}-{s.end}" for s in batch],
                    embeddings=self.embedder.embed([s.text for s in batch]),
                    documents=[s.text for s in batch],
                    metadatas=[{"document_id": s.document_id, "start": s.start, "end": s.end, "paragraph": s.paragraph}
                               for s in batch],
                )
                done += len(batch)
                progress(done, total, "embedding sentences")
            for batch in _batched(positions or []):
                pos_col.add(
                    ids=[r["id"] for r in batch],
                    embeddings=self.embedder.embed([r["search_text"] for r in batch]),
                    metadatas=[_position_metadata(r) for r in batch],
                )
                done += len(batch)
                progress(done, total, "indexing positions")
            state = self.client.get_or_create_collection(STATE, embedding_function=None)
            state.upsert(
                ids=[POINTER],
                embeddings=[[1.0]],
                metadatas=[{
                    "generation": generation,
                    "documents": len(documents),
                    "positions_fingerprint": positions_fingerprint,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
                }],
            )
        except BaseException:
            self._drop(generation)
            raise
        self.collect_garbage(keep={generation, previous.generation if previous else generation})
        return generation

    def _copy_document(self, source: str, target: str, doc_id: str, doc_col, pas_col, sen_col):
        where = {"document_id": doc_id}
        for kind, col, where in (("documents", doc_col, None), ("passages", pas_col, where), ("sentences", sen_col, where)):
            got = _collection(self.client, source, kind).get(
                ids=[doc_id] if where is None else None, where=where,
                include=["embeddings", "documents", "metadatas"],
            )
            if got["ids"]:
                col.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=got["metadatas"])

    def _drop(self, generation: str):
        for kind in KINDS:
            try:
                self.client.delete_collection(f"{PREFIX}{generation}-{kind}")
            except Exception:
                pass  # never created, or already gone

    def collect_garbage(self, keep: set[str]):
        """Remove generations that are neither current nor the one just replaced."""
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(PREFIX):
                generation = name[len(PREFIX):].rsplit("-", 1)[0]
                if generation not in keep:
                    try:
                        self.client.delete_collection(name)
                    except Exception:
                        pass  # another process removed it first


def _document_metadata(doc: SourceDocument) -> dict:
    return {
        "title": doc.title,
        "fingerprint": doc.fingerprint,
        "source_name": doc.source_name,
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "paragraphs": json.dumps([vars(p) for p in doc.paragraphs], ensure_ascii=False),
    }


def _position_metadata(record: dict) -> dict:
    meta = {
        "stance": record["stance"],
        "record": json.dumps(record, ensure_ascii=False),
        "document_id": record["evidence"][0]["document"],
    }
    # Lists are filterable with $contains in Chroma 1.x; empty lists are not allowed.
    if record["actors"]:
        meta["actors"] = list(record["actors"])
    if record["articles"]:
        meta["articles"] = list(record["articles"])
    return meta
