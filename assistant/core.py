"""The Assistant: one object that keeps the index in step with the knowledge
folder and answers questions from it. The CLI, the web app and the newsroom
tool all go through this class."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import offline  # noqa: F401
from .answer import Answer
from .corpus import Corpus
from .documents import META_SUFFIX, SourceDocument, document_files, document_id, load_document, scan_folder
from .metadata import load_corrections
from .embedding import shared_embedder
from .answering.engine import Answerer
from .scope import make_scope
from .errors import DuplicateDocument, InputError
from .formats import SUPPORTED_SUFFIXES
from .gazetteer import READING_VERSION, Gazetteer, article_of, normalise_provision
from .positions import load_positions
from .lexical import Catalog
from .retrieval import HybridRetriever
from .store import CURATED, REVIEWED, IndexStore, Progress, View, open_client

REFRESH_SECONDS = 1.0  # how often an ask looks for writes by other processes (a look that finds nothing new
# reads manifest ids only: 30 ms at 100k passages just after a bulk build, a few ms otherwise)
FULL_READ_SECONDS = 15.0  # how often the whole manifest is re-read (deletions collected since the last look)
FULL_GC_SECONDS = 600.0  # how often a write also cleans up the whole manifest, not just the units it replaced
EXTRACTION_INPUTS = "extraction-inputs"  # catalog key: what the stored extracted groups were merged with
GAZETTEER_KEY = "gazetteer"  # catalog key: the actors.yaml and articles.yaml the stored documents were annotated with


def gazetteer_digest(knowledge_dir: Path) -> str:
    """A digest of the files the documents' sentences and passages are annotated with (who and which article each
    names): when it changes, the reports indexed already are read again."""
    digest = hashlib.sha256(f"{READING_VERSION}\0".encode())
    for name in ("actors.yaml", "articles.yaml"):
        path = knowledge_dir / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()[:16]


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
        # embedder: anything with embed(texts), embed_one(text) and warm(), e.g. a cache for benchmarks
        self.embedder = embedder or shared_embedder()
        self.store = IndexStore(open_client(self.persist_dir, self.chroma_url), self.embedder)
        self.catalog = Catalog(self.persist_dir / "catalog.sqlite")
        self._lock = threading.RLock()
        self._answerer: Answerer | None = None
        self._view: View | None = None
        self._checked = 0.0
        self._full_read = 0.0
        self._full_gc = time.monotonic()
        self.gazetteer = Gazetteer()
        self.problems: list[dict] = []  # files set aside at the last index(): {"file", "id", "reason"}
        # -- generative answers (assistant/generation): None reads ASSISTANT_LLM_* from the
        # environment (unset: extractive answers only), False turns them off.
        from .generation import resolve_generator

        self.generator = resolve_generator(generator)

    # -- loading and indexing ------------------------------------------------
    @classmethod
    def load(cls, knowledge_dir="knowledge", persist_dir=None, progress: Progress | None = None,
             sync: bool | None = True, **options) -> "Assistant":
        """Open the index, first bringing it in step with the knowledge folder (unless sync=False; with
        sync=None, only when the index is still empty, so a first `assistant ingest` needs no `index`)."""
        assistant = cls(knowledge_dir, persist_dir, **options)
        empty = False
        if sync is None:
            # (An empty archive is no error for an ingest: its first documents make it.)
            folder = assistant.knowledge_dir / "documents"
            empty = not assistant._read_view().documents()
            sync = empty and folder.is_dir() and bool(document_files(folder))
        if sync:
            assistant.index(progress)
        else:
            assistant.gazetteer = Gazetteer.load(assistant.knowledge_dir)
            if not empty:
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
            # -- one bad document never stops the rest: it is set aside and listed in self.problems;
            # an upload interrupted before it was indexed is removed, never indexed silently.
            from .staging import clear_staging

            problems = clear_staging(self.knowledge_dir)
            loaded, set_aside = scan_folder(self.knowledge_dir / "documents", load_corrections(self.knowledge_dir))
            self.problems = problems + set_aside
            if not loaded and not set_aside:
                raise InputError(f"{self.knowledge_dir / 'documents'}: no documents to index (add .txt, .md, .html or .pdf files)")
            documents = {d.id: d for d in loaded}
            keep = {p["id"] for p in set_aside if p.get("id") and p["id"] not in documents}  # served as indexed before
            prune = (self.chroma_url is None) if prune is None else prune
            return self._build(documents, prune=prune, progress=progress, keep=keep, full_gc=True)

    def ingest(self, path, progress: Progress | None = None, replace: bool = False) -> IndexReport:
        """Add or update a document file (or every document in a folder, or a list of files and folders)
        and index them at once, in one batch.

        The files are checked before anything is copied, staged in knowledge/.staging while they
        are indexed, and moved into knowledge/documents only then: an interrupted ingest leaves
        nothing there for a later start to index. A document whose id is stored from a file of
        another format (dupe.md when dupe.txt is there) is refused unless `replace`.
        """
        from .staging import move_into, other_formats, stage_files, staging_folder

        paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
        if not paths:
            raise InputError("no file or folder given to add")
        files = []
        for path in paths:
            if not path.exists():
                raise InputError(f"{path}: file or folder not found")
            found = document_files(path) if path.is_dir() else [path]
            if not found:
                raise InputError(f"{path}: no documents to add (use .txt, .md, .html or .pdf files)")
            files += [f for f in found if f not in files]
        ids: dict[str, Path] = {}
        for f in files:
            if (seen := ids.setdefault(document_id(f), f)) != f:
                raise InputError(f"{f}: document id '{document_id(f)}' is also that of {seen}; add one of them")
        corrections = load_corrections(self.knowledge_dir)
        # refuses bad files before anything is written
        documents = [load_document(f, corrections=corrections.get(document_id(f))) for f in files]
        target = self.knowledge_dir / "documents"
        target.mkdir(parents=True, exist_ok=True)
        with self._lock:
            others = other_formats(files, target)
            if others and not replace:
                source, old = next(iter(others.items()))
                doc_id = document_id(source)
                raise DuplicateDocument(
                    f"{source.name}: document '{doc_id}' is already stored as {old[0].name}; replacing it must be "
                    f"explicit (PUT /v1/documents/{doc_id}, or `assistant ingest --replace`)")
            with staging_folder(self.knowledge_dir) as staged:
                stage_files(files, staged)
                report = self._build({d.id: d for d in documents}, prune=False, progress=progress)
                move_into(staged, target, [old for olds in others.values() for old in olds])
            changed = set(report.added) | set(report.updated) | set(report.unchanged)
            self.problems = [p for p in self.problems if p.get("id") not in changed]
            return report

    def delete(self, doc_id: str) -> IndexReport:
        """Remove a document from the index and from the knowledge folder."""
        with self._lock:
            self._refresh(force=True)
            if doc_id not in self._view.documents():
                raise InputError(f"no document with id '{doc_id}'")
            report = self._build({}, prune=False, progress=None, remove={doc_id})
            self.problems = [p for p in self.problems if p.get("id") != doc_id]
            folder = self.knowledge_dir / "documents"
            if folder.is_dir():
                for path in folder.iterdir():
                    if path.name.startswith(doc_id + ".") and (
                        path.name == doc_id + META_SUFFIX or path.name[len(doc_id):] == path.suffix):
                        path.unlink()
            return report

    def _build(self, documents: dict[str, SourceDocument], prune: bool, progress: Progress | None,
               remove: set[str] = frozenset(), keep: set[str] = frozenset(), full_gc: bool = False) -> IndexReport:
        # What has been committed since this process last looked (the whole manifest only now and then).
        view = self._read_view()
        old = view.documents()
        remove = (set(remove) | (set(old) - set(documents) - set(keep) if prune else set())) & set(old)
        report = IndexReport()
        fresh: dict[str, SourceDocument] = {}
        # A new alias in actors.yaml names a delegation in reports indexed already: when actors.yaml or articles.yaml
        # changed since they were annotated, each document given is annotated (and so embedded) again.
        digest = gazetteer_digest(self.knowledge_dir)
        annotated_with = self.catalog.info(GAZETTEER_KEY)
        stale = annotated_with is not None and annotated_with != digest
        for doc_id, doc in documents.items():
            if doc_id in old and old[doc_id].fingerprint == doc.fingerprint and not stale:
                report.unchanged.append(doc_id)
            else:
                fresh[doc_id] = doc
                (report.updated if doc_id in old else report.added).append(doc_id)
        report.unchanged += sorted(set(old) - set(documents) - remove) if prune else []
        report.removed = sorted(remove)
        kept = {i: e for i, e in old.items() if i not in remove and i not in documents}
        if not kept and not documents:
            raise InputError("that would leave the index with no documents")
        texts = _Texts(self.store, kept, documents)
        gazetteer = Gazetteer.load(self.knowledge_dir)
        positions = load_positions(self.knowledge_dir / "positions.yaml", gazetteer, texts)
        # -- extracted positions (assistant/extraction): stances found automatically in documents that have
        # no curated records, with the editor's review decisions applied; curated records win.
        from .extraction.cache import cached_documents
        from .extraction.review import extracted_positions, extraction_inputs
        from .store import _records_fingerprint

        stored = {u[4:]: e for u, e in view.units.items() if u.startswith("pos:") and not e.deleted}
        inputs, only, extracted = "", None, []
        if os.environ.get("ASSISTANT_EXTRACTION", "on") != "off":  # off: index curated records only
            inputs = extraction_inputs(self.knowledge_dir, gazetteer, positions)
            if self.catalog.info(EXTRACTION_INPUTS) == inputs and \
                    {g.removeprefix(REVIEWED) for g in stored} - {CURATED} <= set(cached_documents(self.knowledge_dir)):
                # Nothing else a document's records depend on has changed since the last build, and the cache
                # has every indexed document's entry: the stored groups of the other documents stand, and only
                # the written documents are extracted and merged.
                only = set(fresh) | remove
            extracted = extracted_positions(self.knowledge_dir, gazetteer, texts, positions, only=only)
        # -- end extracted positions
        groups: dict[str, list[dict]] = {CURATED: [p.record() for p in positions]} if positions else {}
        for p in extracted:  # pending records in their document's unit, reviewed ones beside it
            record = p.record()
            document = record["evidence"][0]["document"]
            groups.setdefault(document if record.get("origin") == "extracted" else REVIEWED + document, []).append(record)
        looked_at = set(groups) | set(stored) if only is None else {CURATED} | only | {REVIEWED + d for d in only}
        changed = {g: groups.get(g, []) for g in looked_at
                   if (g in groups and (g not in stored or stored[g].fingerprint != _records_fingerprint(groups[g])))
                   or (g not in groups and g in stored)}
        report.positions = len(positions) + len(extracted) + (
            0 if only is None else sum(e.size for g, e in stored.items() if g not in looked_at))
        if fresh or remove or changed:
            written = self.store.write(fresh, remove, changed, gazetteer, progress)
            report.generation_changed = True
            try:
                # Everything at most every FULL_GC_SECONDS (and at every full index); otherwise only the units
                # this write replaced: reading the whole manifest grows with the archive.
                if full_gc or time.monotonic() - self._full_gc > FULL_GC_SECONDS:
                    self.store.collect_garbage()
                    self._full_gc = time.monotonic()
                else:
                    self.store.collect_garbage(units=[e.unit for e in written])
            except Exception:  # clean-up is best effort: the next build tries again
                pass
        self.catalog.set_info(EXTRACTION_INPUTS, inputs)  # "" with extraction off: the next build looks at all
        if annotated_with is None or full_gc:
            # (A full index has read again every document of the folder; an ingest of some leaves the others as they
            # were annotated, for the next full index to read. On a shared server each replica reads its own folder's.
            # An index built before the digest was kept is taken to be in step.)
            self.catalog.set_info(GAZETTEER_KEY, digest)
        self.gazetteer = gazetteer
        try:
            self._refresh(force=True)
        finally:
            self.store.written = {}
        report.generation = self._view.stamp
        return report

    def _refresh(self, force: bool = False):
        """Pick up what this or another process (a shared Chroma server) has written."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        if not force and self._answerer is not None:
            if not self._lock.acquire(blocking=False):
                return  # an ingest holds the lock: answer from the current view, look again on a later ask
            self._lock.release()
        with self._lock:
            self._checked = now
            view = self._view = self._read_view()
            if not view.documents():
                raise InputError(f"the index at {self.chroma_url or self.persist_dir} is empty: run `assistant index` first")
            if self._answerer is not None and self._answerer.corpus.generation == view.stamp:
                return
            self.catalog.sync(view, self.store)
            corpus = Corpus(self.store, self.catalog, view, self.gazetteer)
            retriever = HybridRetriever(corpus, self.embedder, self.retrieval)
            self._answerer = Answerer(corpus, retriever, self.embedder, self.use_positions, self.top_k)

    def _read_view(self) -> View:
        """The manifest's current state: what was committed since the last look, and the whole
        manifest every FULL_READ_SECONDS (which also drops the entries garbage collection removed)."""
        now = time.monotonic()
        full = self._view is None or now - self._full_read > FULL_READ_SECONDS
        view = self.store.read_view(self._view, full=full)
        if full:
            self._full_read = now
        return view

    # -- asking --------------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None, scope=None) -> Answer:
        """Answer with citations. `scope` (a Scope or a dict of documents, publishers, kinds,
        since, until) restricts the documents the answer may draw on."""
        scope = make_scope(scope)
        self._refresh()
        answerer = self._answerer
        answer = answerer.ask(question, history, scope)
        if self.generator is not None:  # generation: verified rewrite, or the extractive answer and why
            answer = self.generator.answer(answerer.corpus, answer, history)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None, scope=None):
        """Yield the answer's text in chunks (verified sentences as each completes), then the
        final Answer, which is authoritative: if it fell back to the extractive answer
        (answer.fallback is set), show its text instead of the chunks."""
        scope = make_scope(scope)
        self._refresh()
        answerer = self._answerer
        answer = answerer.ask(question, history, scope)
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
    def answerer(self) -> Answerer:
        """The answering core over the current view (for evaluation and inspection)."""
        self._refresh()
        return self._answerer

    @property
    def retriever(self):
        """The hybrid passage retriever the answers use (for evaluation and inspection)."""
        self._refresh()
        return self._answerer.retriever

    def documents(self) -> list[dict]:
        self._refresh()
        return [{k: d[k] for k in ("id", "title", "meta", "source_name", "characters")} for d in self.catalog.documents()]

    def document(self, doc_id: str):
        doc = self.corpus.documents.get(doc_id)
        if doc is None:
            raise InputError(f"no document with id '{doc_id}'")
        return doc

    def positions(self, actor: str | None = None, article: str | None = None, stance: str | None = None,
                  timeline: bool = False) -> list[dict]:
        """Position records, each with the `date` of the document holding its evidence; with
        timeline, in date order (undated last) rather than by document."""
        actor_id = wanted = None
        if actor:
            actor_id = self.gazetteer.resolve_actor(actor)
            if actor_id is None:
                raise InputError(f"unknown actor '{actor}'")
        if article:
            wanted = normalise_provision(str(article).removeprefix("Article").strip())
            if wanted is None:
                raise InputError(f"'{article}' is not an article number like 24 or 35(3)")
        # Narrowed in the store (every extracted record of the archive is there, not in memory), then exactly here.
        records = self.corpus.all_positions(actor_id, article_of(wanted) if wanted else None, stance)
        if actor_id:
            records = [r for r in records if actor_id in r["actors"]]
        if wanted:
            records = [r for r in records if (wanted in r["provisions"] if "(" in wanted else article_of(wanted) in r["articles"])]
        if stance:
            records = [r for r in records if r["stance"] == stance]
        records = self.corpus.dated(records)
        if timeline:
            return sorted(records, key=lambda r: (r["date"] is None, r["date"] or "", r["evidence"][0]["document"],
                                                  r["evidence"][0]["start"] or 0))
        return sorted(records, key=lambda r: (r["evidence"][0]["document"], r["evidence"][0]["start"] or 0))


class _Texts(Mapping):
    """The documents a build sees: the ones given, and the stored ones read only when their
    text is needed (validating a curated quote, extracting stances of a new one)."""

    def __init__(self, store: IndexStore, kept: dict, given: dict[str, SourceDocument]):
        self._store, self._kept, self._given = store, kept, given
        self._read: dict[str, _StoredText] = {}

    def __getitem__(self, doc_id):
        if doc_id in self._given:
            return self._given[doc_id]
        if doc_id not in self._read:  # one read per document, however many curated records quote it
            entry = self._kept[doc_id]
            self._read[doc_id] = _StoredText(self._store, doc_id, entry.version, entry.fingerprint)
        return self._read[doc_id]

    def __iter__(self):
        return iter(sorted(set(self._kept) | set(self._given)))

    def __len__(self):
        return len(set(self._kept) | set(self._given))


class _StoredText:
    """A stored document whose id and fingerprint are known and whose text is read on first use."""

    def __init__(self, store: IndexStore, doc_id: str, version: str, fingerprint: str):
        self.id, self.fingerprint, self._store, self._version, self._doc = doc_id, fingerprint, store, version, None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._doc is None:
            self._doc = self._store.document(self.id, self._version)
        return getattr(self._doc, name)


__all__ = ["Assistant", "IndexReport", "SUPPORTED_SUFFIXES"]
