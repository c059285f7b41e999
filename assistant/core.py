"""The Assistant: one object that keeps the index in step with the knowledge
folder and answers questions from it. The CLI, the web app and the newsroom
tool all go through this class."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import offline  # noqa: F401
from .answer import Answer
from .corpus import Corpus
from .documents import META_SUFFIX, SourceDocument, document_files, load_document, load_folder
from .embedding import shared_embedder
from .engine import Answerer
from .errors import InputError
from .formats import SUPPORTED_SUFFIXES
from .gazetteer import Gazetteer, article_of, normalise_provision
from .positions import fingerprint as positions_fingerprint
from .positions import load_positions
from .retrieval import HybridRetriever
from .store import IndexStore, Progress, Snapshot, open_client

REFRESH_SECONDS = 2.0


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    positions: int = 0
    generation: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed) or self.generation_changed

    generation_changed: bool = False

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in (("added", self.added), ("updated", self.updated),
                                                ("removed", self.removed), ("unchanged", self.unchanged))]
        state = "index rebuilt" if self.changed else "index already up to date"
        return f"{state}: {', '.join(parts)} documents; {self.positions} positions"


class Assistant:
    def __init__(self, knowledge_dir="knowledge", persist_dir=None, chroma_url=None,
                 retrieval: str = "hybrid", use_positions: bool = True, top_k: int = 5, generator=None,
                 embedder=None):
        self.knowledge_dir = Path(knowledge_dir)
        self.persist_dir = Path(persist_dir) if persist_dir else self.knowledge_dir / ".index"
        self.chroma_url = chroma_url if chroma_url is not None else os.environ.get("ASSISTANT_CHROMA_URL") or None
        self.retrieval = retrieval
        self.use_positions = use_positions
        self.top_k = top_k
        self.embedder = embedder or shared_embedder()
        self.store = IndexStore(open_client(self.persist_dir, self.chroma_url), self.embedder)
        self._lock = threading.RLock()
        self._answerer: Answerer | None = None
        self._checked = 0.0
        self.gazetteer = Gazetteer()
        # -- generative answers (assistant/generation): None reads ASSISTANT_LLM_* from the
        # environment (unset: extractive answers only), False turns them off.
        from .generation import resolve_generator

        self.generator = resolve_generator(generator)

    # -- loading and indexing ------------------------------------------------
    @classmethod
    def load(cls, knowledge_dir="knowledge", persist_dir=None, progress: Progress | None = None,
             sync: bool = True, **options) -> "Assistant":
        """Open the index, first bringing it in step with the knowledge folder (unless sync=False)."""
        assistant = cls(knowledge_dir, persist_dir, **options)
        if sync:
            assistant.index(progress)
        else:
            assistant.gazetteer = Gazetteer.load(assistant.knowledge_dir)
            assistant._refresh(force=True)
        return assistant

    def index(self, progress: Progress | None = None, prune: bool | None = None) -> IndexReport:
        """Bring the index in step with the knowledge folder. Nothing changes if nothing changed;
        any error leaves the index in use as it was.

        With prune (the default for the embedded store) documents that are no longer in
        the folder are removed. On a shared Chroma server other processes add documents
        this folder does not have, so there the default is to keep them.
        """
        with self._lock:
            if not self.knowledge_dir.is_dir():
                raise InputError(f"{self.knowledge_dir}: knowledge folder not found")
            documents = {d.id: d for d in load_folder(self.knowledge_dir / "documents")}
            prune = (self.chroma_url is None) if prune is None else prune
            return self._build(documents, prune=prune, progress=progress)

    def ingest(self, path, progress: Progress | None = None) -> IndexReport:
        """Add or update a document file (or every document in a folder) and index it at once.

        The files are checked before anything is copied, then kept in the knowledge
        folder so a later `index` keeps them too.
        """
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: file or folder not found")
        files = document_files(path) if path.is_dir() else [path]
        if not files:
            raise InputError(f"{path}: no documents to add (use .txt, .md, .html or .pdf files)")
        documents = [load_document(f) for f in files]  # refuses bad files before anything is written
        target = self.knowledge_dir / "documents"
        target.mkdir(parents=True, exist_ok=True)
        with self._lock, tempfile.TemporaryDirectory() as backup:
            written: list[tuple[Path, Path | None]] = []
            try:
                for source in files:
                    for src in (source, source.with_name(source.name[: -len(source.suffix)] + META_SUFFIX)):
                        if not src.exists():
                            continue
                        dst = target / src.name
                        if dst.resolve() == src.resolve():
                            continue
                        saved = None
                        if dst.exists():
                            saved = Path(backup) / dst.name
                            shutil.copy2(dst, saved)
                        shutil.copyfile(src, dst)
                        written.append((dst, saved))
                return self._build({d.id: d for d in documents}, prune=False, progress=progress)
            except BaseException:
                for dst, saved in reversed(written):  # put the folder back as it was
                    if saved:
                        shutil.copyfile(saved, dst)
                    else:
                        dst.unlink(missing_ok=True)
                raise

    def delete(self, doc_id: str) -> IndexReport:
        """Remove a document from the index and from the knowledge folder."""
        with self._lock:
            self._refresh(force=True)
            if doc_id not in self._answerer.corpus.documents:
                raise InputError(f"no document with id '{doc_id}'")
            report = self._build({}, prune=False, progress=None, remove={doc_id})
            folder = self.knowledge_dir / "documents"
            if folder.is_dir():
                for path in folder.iterdir():
                    if path.name.startswith(doc_id + ".") and (
                        path.name == doc_id + META_SUFFIX or path.name[len(doc_id):] == path.suffix):
                        path.unlink()
            return report

    def _build(self, documents: dict[str, SourceDocument], prune: bool, progress: Progress | None,
               remove: set[str] = frozenset()) -> IndexReport:
        previous = self.store.load()
        old = previous.documents if previous else {}
        remove = set(remove) | (set(old) - set(documents) if prune else set())
        texts = {**{i: d for i, d in old.items() if i not in remove}, **documents}
        gazetteer = Gazetteer.load(self.knowledge_dir)
        positions = load_positions(self.knowledge_dir / "positions.yaml", gazetteer, texts)
        # -- extracted positions (assistant/extraction): stances found automatically in documents that have
        # no curated records, with the editor's review decisions applied; curated records win.
        from .extraction.review import extracted_positions

        positions = positions + extracted_positions(self.knowledge_dir, gazetteer, texts, positions)
        # -- end extracted positions
        pos_fp = positions_fingerprint(positions)
        report = IndexReport(positions=len(positions))
        plan: dict[str, SourceDocument | None] = {}
        for doc_id in old:
            if doc_id not in remove and doc_id not in documents:
                plan[doc_id] = None
        for doc_id, doc in documents.items():
            if doc_id in old and old[doc_id].fingerprint == doc.fingerprint:
                plan[doc_id] = None
                report.unchanged.append(doc_id)
            else:
                plan[doc_id] = doc
                (report.updated if doc_id in old else report.added).append(doc_id)
        report.removed = sorted(remove & set(old))
        if not plan:
            raise InputError("that would leave the index with no documents")
        if report.added or report.updated or report.removed or previous is None \
                or previous.positions_fingerprint != pos_fp:
            report.generation = self.store.build(plan, [p.record() for p in positions], pos_fp, previous, progress)
            report.generation_changed = True
        else:
            report.generation = previous.generation
        self.gazetteer = gazetteer
        self._refresh(force=True)
        return report

    def _refresh(self, force: bool = False):
        """Pick up a generation written by this or another process (a shared Chroma server)."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        self._checked = now
        current = self.store.current_generation()
        if current is None:
            raise InputError(f"the index at {self.chroma_url or self.persist_dir} is empty: run `assistant index` first")
        if self._answerer is not None and self._answerer.corpus.snapshot.generation == current:
            return
        snapshot: Snapshot = self.store.load()
        corpus = Corpus(snapshot, self.gazetteer)
        retriever = HybridRetriever(corpus, self.store, self.retrieval)
        self._answerer = Answerer(corpus, retriever, self.embedder, self.use_positions, self.top_k)

    # -- asking --------------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        self._refresh()
        answerer = self._answerer
        answer = answerer.ask(question, history)
        if self.generator is not None:  # generation: verified rewrite, or the extractive answer and why
            answer = self.generator.answer(answerer.corpus, answer, history)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None):
        """Yield the answer's text in chunks (verified sentences as each completes), then the
        final Answer, which is authoritative: if it fell back to the extractive answer
        (answer.fallback is set), show its text instead of the chunks."""
        self._refresh()
        answerer = self._answerer
        answer = answerer.ask(question, history)
        if self.generator is None:
            yield answer.text
            yield answer
            return
        yield from self.generator.stream(answerer.corpus, answer, history)

    # -- reading what is stored ----------------------------------------------
    @property
    def corpus(self) -> Corpus:
        self._refresh()
        return self._answerer.corpus

    @property
    def retriever(self):
        """The hybrid passage retriever the answers use (for evaluation and inspection)."""
        self._refresh()
        return self._answerer.retriever

    def documents(self) -> list[dict]:
        return [
            {"id": d.id, "title": d.title, "meta": d.meta, "source_name": d.source_name, "characters": len(d.text)}
            for d in sorted(self.corpus.documents.values(), key=lambda d: d.id)
        ]

    def document(self, doc_id: str):
        doc = self.corpus.documents.get(doc_id)
        if doc is None:
            raise InputError(f"no document with id '{doc_id}'")
        return doc

    def positions(self, actor: str | None = None, article: str | None = None, stance: str | None = None) -> list[dict]:
        records = self.corpus.positions
        if actor:
            actor_id = self.gazetteer.resolve_actor(actor)
            if actor_id is None:
                raise InputError(f"unknown actor '{actor}'")
            records = [r for r in records if actor_id in r["actors"]]
        if article:
            wanted = normalise_provision(str(article).removeprefix("Article").strip())
            if wanted is None:
                raise InputError(f"'{article}' is not an article number like 24 or 35(3)")
            records = [r for r in records if (wanted in r["provisions"] if "(" in wanted else article_of(wanted) in r["articles"])]
        if stance:
            records = [r for r in records if r["stance"] == stance]
        return sorted(records, key=lambda r: (r["evidence"][0]["document"], r["evidence"][0]["start"] or 0))


__all__ = ["Assistant", "IndexReport", "SUPPORTED_SUFFIXES"]
