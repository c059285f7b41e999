"""The systems under evaluation, behind one small interface.

`AssistantSystem` is the Assistant in one configuration (retrieval mode,
position records on or off, top k). `QuickstartSystem` is the plain LlamaIndex
quick-start retrieval used as the baseline: the raw document files split by
SentenceSplitter(chunk_size=256), embedded with all-MiniLM-L6-v2 (the same
packaged model) into a Chroma collection through llama-index-vector-stores-chroma
(an in-memory Chroma client), top 5, no LLM. Its "answer" is the retrieved
chunks' text and its "citations" are those chunks; it never abstains.

Each system exposes retrievable units with offsets in its own documents (the
cleaned text for the Assistant, the raw file for the baseline), so gold quotes
are located, and citations checked, in the text the system actually reads.
"""

from __future__ import annotations

import inspect
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from ..embedding import MODEL_NAME, shared_embedder
from .dataset import EvalItem, Span, locate


@dataclass(frozen=True)
class Config:
    name: str
    retrieval: str = "hybrid"  # hybrid | dense | bm25
    use_positions: bool = True
    top_k: int = 5
    baseline: bool = False  # the LlamaIndex quick-start pipeline instead of the Assistant
    chunk_size: int = 256  # the baseline's SentenceSplitter chunk size, in tokens

    def describe(self) -> str:
        if self.baseline:
            return (f"LlamaIndex quick-start retrieval over the raw files: SentenceSplitter(chunk_size={self.chunk_size}), "
                    f"all-MiniLM-L6-v2, Chroma vector store, top {self.top_k}")
        return f"retrieval={self.retrieval}, use_positions={self.use_positions}, top_k={self.top_k}"


CONFIGS: dict[str, Config] = {c.name: c for c in (
    Config("dense", retrieval="dense", use_positions=False),
    Config("bm25", retrieval="bm25", use_positions=False),
    Config("hybrid", retrieval="hybrid", use_positions=False),
    Config("hybrid+positions"),
    Config("llamaindex-quickstart", top_k=5, baseline=True, chunk_size=256),
)}
DEFAULT_CONFIG = "hybrid+positions"
BASELINE_CONFIG = "llamaindex-quickstart"


@dataclass
class Unit:
    """A retrievable piece of text with its place in a document."""

    id: str
    document_id: str
    start: int
    end: int
    text: str


@dataclass
class Reply:
    text: str
    abstained: bool
    citations: list[dict]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class System:
    config: Config
    units: dict[str, Unit]
    documents: dict[str, str]
    llama_retriever: BaseRetriever

    supports_scope: bool = False  # whether answer() can restrict a question to its item's scope

    def answer(self, item: EvalItem) -> Reply:
        raise NotImplementedError

    def retrieve(self, item: EvalItem) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the system holds (the baseline's Chroma collection)."""

    def prepare(self, item: EvalItem) -> None:
        """Called before the LlamaIndex evaluator queries llama_retriever for this item."""

    def document_text(self, doc_id: str) -> str | None:
        return self.documents.get(doc_id)

    def gold_spans(self, item: EvalItem) -> list[list[Span]]:
        return [locate(quote, self.documents) for quote in item.evidence]

    def hits(self, unit_id: str, item: EvalItem, spans: list[list[Span]]) -> bool:
        """A unit hits when it contains a gold quote or overlaps one of its places."""
        unit = self.units.get(unit_id)
        if unit is None:
            return False
        return any(quote in unit.text for quote in item.evidence) or any(
            doc == unit.document_id and s < unit.end and unit.start < e for places in spans for doc, s, e in places
        )

    def expected_ids(self, item: EvalItem, spans: list[list[Span]]) -> list[str]:
        """Units containing a gold quote (units overlapping it, for a quote no unit holds whole)."""
        expected: dict[str, None] = {}
        for quote, places in zip(item.evidence, spans):
            holding = [u.id for u in self.units.values() if quote in u.text or any(
                doc == u.document_id and u.start <= s and e <= u.end for doc, s, e in places)]
            if not holding:
                holding = [u.id for u in self.units.values() if any(
                    doc == u.document_id and s < u.end and u.start < e for doc, s, e in places)]
            expected.update(dict.fromkeys(holding))
        return list(expected)


# -- the Assistant ------------------------------------------------------------
_QUERY_VECTORS: dict[str, list[float]] = {}


def _query_vector(embedder, text: str) -> list[float]:
    """Retrieval is measured apart from `ask` (which embeds for itself, so its latency stays true);
    the measurement embeds each query text once per process, whatever the configuration."""
    if text not in _QUERY_VECTORS:
        _QUERY_VECTORS[text] = embedder.embed_one(text)
    return _QUERY_VECTORS[text]


def _passage_view(assistant):
    """The one place the evaluation reaches past the Assistant's public API (ask, retriever,
    corpus.documents): the passages the answers are drawn from, and a function ranking them for
    a question as the answer engine does (question parsing, follow-up resolution, the hybrid
    retriever's top k). Retrieval is measured apart from `ask`, so that a retrieval miss and a
    citation miss can be told apart. If the Assistant's internals change, only this changes.

    Returns (units by passage id, ranked(question, history, k) -> [(passage id, text, score)])."""
    corpus = assistant.corpus
    passages = corpus.all_passages()
    units = {p.id: Unit(p.id, p.document_id, p.start, p.end, p.text) for p in passages}

    def ranked(question: str, history: list[dict] | None, k: int) -> list[tuple[str, str, float]]:
        query = assistant.answerer.query(question, history or None)
        vector = _query_vector(assistant.embedder, query.retrieval_text)
        return [(p.id, p.text, score) for p, score in assistant.retriever.top_passages(query, vector, k)]

    return units, ranked


class _PassageRetriever(BaseRetriever):
    """The Assistant's retriever as a LlamaIndex retriever: node ids are passage ids."""

    def __init__(self, system: "AssistantSystem"):
        super().__init__()
        self._system = system
        self.history: list[dict] = []

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranked = self._system.ranked(query_bundle.query_str, self.history)
        return [NodeWithScore(node=TextNode(id_=pid, text=text), score=score) for pid, text, score in ranked]


class AssistantSystem(System):
    def __init__(self, assistant, config: Config):
        self.assistant = assistant
        self.config = config
        self.units, self._ranked = _passage_view(assistant)
        self.documents = {d.id: d.text for d in assistant.corpus.documents.values()}
        self.llama_retriever = _PassageRetriever(self)
        self.supports_scope = "scope" in inspect.signature(assistant.ask).parameters

    def ranked(self, question: str, history: list[dict] | None) -> list[tuple[str, str, float]]:
        """The top-k passages for a question, as the answer engine retrieves them."""
        return self._ranked(question, history, self.config.top_k)

    def retrieve(self, item: EvalItem) -> list[str]:
        return [pid for pid, _, _ in self.ranked(item.question, item.history)]

    def prepare(self, item: EvalItem) -> None:
        self.llama_retriever.history = item.history

    def answer(self, item: EvalItem) -> Reply:
        extra = {"scope": item.scope} if item.scope and self.supports_scope else {}
        started = time.perf_counter()
        answer = self.assistant.ask(item.question, history=item.history or None, **extra)
        seconds = time.perf_counter() - started
        citations = [{"number": c.number, "document_id": c.document_id, "start": c.start, "end": c.end,
                      "quote": c.quote} for c in answer.citations]
        return Reply(answer.text, answer.abstained, citations, list(answer.notes), seconds)


def open_assistant_system(config: Config, knowledge_dir: Path, persist_dir: Path, progress=None) -> AssistantSystem:
    from ..core import Assistant

    assistant = Assistant.load(knowledge_dir, persist_dir, progress=progress, retrieval=config.retrieval,
                               use_positions=config.use_positions, top_k=config.top_k,
                               generator=False)  # extractive figures, whatever ASSISTANT_LLM_* says
    return AssistantSystem(assistant, config)


# -- the LlamaIndex quick-start baseline ----------------------------------------
class SharedEmbedding(BaseEmbedding):
    """The Assistant's packaged embedding model as a LlamaIndex embedding (no network)."""

    model_name: str = MODEL_NAME
    _embedder = PrivateAttr()
    _queries = PrivateAttr()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._embedder = shared_embedder()
        self._queries = {}  # the evaluator re-asks each question after the timed answer: embed it once

    def _get_query_embedding(self, query: str) -> list[float]:
        if query not in self._queries:
            self._queries[query] = self._embedder.embed_one(query)
        return self._queries[query]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_one(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u00ad": ""})


def _loose_view(raw: str, markup: bool) -> tuple[str, list[int]]:
    """A raw file's text as the gold quotes are written (the cleaned text): markup tags read as a
    space, entities decoded, typographic quotes plain, runs of whitespace one space, case folded;
    with the raw offset of every character, so a quote found here has a span in the raw file."""
    import html
    import re

    chars: list[str] = []
    where: list[int] = []

    def emit(text: str, at: int):
        for ch in text.translate(_TYPOGRAPHY).casefold():
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            where.append(at)

    entity = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|\w+);")
    i = 0
    while i < len(raw):
        if markup and raw[i] == "<" and (end := raw.find(">", i)) != -1:
            emit(" ", i)
            i = end + 1
        elif markup and raw[i] == "&" and (m := entity.match(raw, i)):
            emit(html.unescape(m.group()), i)
            i = m.end()
        else:
            emit(raw[i], i)
            i += 1
    return "".join(chars), where


def _locate_loosely(quote: str, views: dict[str, tuple[str, list[int]]]) -> list[Span]:
    needle, _ = _loose_view(quote, markup=False)
    needle = needle.strip()
    spans: list[Span] = []
    for doc_id, (text, where) in views.items():
        start = text.find(needle) if needle else -1
        while start >= 0:
            spans.append((doc_id, where[start], where[start + len(needle) - 1] + 1))
            start = text.find(needle, start + 1)
    return spans


def _raw_text(path: Path) -> str:
    """A file's text as the quick-start reads it. For a PDF, the page texts pypdf extracts, which is
    what SimpleDirectoryReader's PDF reader (llama-index-readers-file) returns; without that
    package SimpleDirectoryReader would hand over the PDF's raw bytes as text."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8", errors="replace")


def _chroma_client():
    """An in-memory Chroma client (the quick-start's `chromadb.EphemeralClient()`), telemetry off."""
    import chromadb
    from chromadb.config import Settings

    return chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False, allow_reset=False))


class QuickstartSystem(System):
    """The LlamaIndex quick-start, as its documentation writes it: documents, a SentenceSplitter,
    a ChromaVectorStore in a StorageContext, VectorStoreIndex.from_documents, as_retriever(top k)."""

    def __init__(self, knowledge_dir: Path, config: Config):
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from ..documents import document_files, document_id

        self.config = config
        files = document_files(Path(knowledge_dir) / "documents")
        self.documents = {document_id(p): _raw_text(p) for p in files}
        # Gold quotes are verbatim in the cleaned text; the baseline reads the raw files (HTML markup,
        # entities, PDF line breaks), so its gold spans are found in a loose view of them.
        self._views = {document_id(p): _loose_view(self.documents[document_id(p)], p.suffix.lower() in (".html", ".htm"))
                       for p in files}
        docs = [Document(text=text, id_=doc_id, metadata={"file_name": doc_id}) for doc_id, text in self.documents.items()]
        self._client = _chroma_client()
        # The in-memory client is one per process: each system gets a fresh collection of its own.
        self.collection = self._client.create_collection(f"quickstart-{uuid.uuid4().hex[:12]}")
        vector_store = ChromaVectorStore(chroma_collection=self.collection)
        index = VectorStoreIndex.from_documents(
            docs, storage_context=StorageContext.from_defaults(vector_store=vector_store),
            embed_model=SharedEmbedding(), transformations=[SentenceSplitter(chunk_size=config.chunk_size)],
        )
        self.llama_retriever = index.as_retriever(similarity_top_k=config.top_k)
        self.units = {}
        for node in vector_store.get_nodes(None):  # what Chroma holds, read back with the offsets it kept
            doc_id, text = node.ref_doc_id, node.get_content()
            raw = self.documents.get(doc_id, "")
            start = node.start_char_idx if node.start_char_idx is not None else -1
            if start < 0 or raw[start:start + len(text)] != text:
                start = raw.find(text)
            end = start + len(text) if start >= 0 else -1
            self.units[node.node_id] = Unit(node.node_id, doc_id, start, end, text)

    def gold_spans(self, item: EvalItem) -> list[list[Span]]:
        return [locate(quote, self.documents) or _locate_loosely(quote, self._views) for quote in item.evidence]

    def close(self) -> None:
        try:
            self._client.delete_collection(self.collection.name)
        except Exception:  # already gone: nothing to release
            pass

    def _nodes(self, item: EvalItem):
        return self.llama_retriever.retrieve(item.question)  # the quick-start has no conversation memory

    def retrieve(self, item: EvalItem) -> list[str]:
        return [n.node.node_id for n in self._nodes(item)]

    def answer(self, item: EvalItem) -> Reply:
        started = time.perf_counter()
        nodes = self._nodes(item)
        seconds = time.perf_counter() - started
        citations, parts = [], []
        for number, scored in enumerate(nodes, 1):
            unit = self.units[scored.node.node_id]
            citations.append({"number": number, "document_id": unit.document_id, "start": unit.start,
                              "end": unit.end, "quote": unit.text})
            parts.append(f"{unit.text.strip()} [{number}]")
        return Reply("\n\n".join(parts), False, citations, [], seconds)


def open_system(config: Config, knowledge_dir: Path, persist_dir: Path, progress=None) -> System:
    if config.baseline:
        return QuickstartSystem(knowledge_dir, config)
    return open_assistant_system(config, knowledge_dir, persist_dir, progress)
