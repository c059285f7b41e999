"""Hybrid retrieval from LlamaIndex pieces: a BM25 retriever over the local catalog and a
dense retriever over Chroma, fused by reciprocal rank (QueryFusionRetriever), then a
node postprocessor that boosts passages naming the question's delegations and articles."""

from __future__ import annotations

import re

from llama_index.core.llms import MockLLM
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.retrievers import BaseRetriever, QueryFusionRetriever
from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from .corpus import Corpus, passage_from
from .passages import Passage
from .answering.query import Query
from .terms import terms, with_parts

CANDIDATES = 20  # from each retriever, before fusion
# Per delegation or article the question and the passage both name. 0.6 until 2026-12-03: at 0.3 dev retrieval
# (gold quotes in the top 5) rose 0.712 -> 0.718 and the fresh dev probe's fact recall 0.917 -> 0.936, the other sets
# unchanged; at 0.1 the fresh follow-ups, pA and nometa lost abstentions and facts.
ENTITY_BOOST = 0.3


def _node(chroma_id: str, text: str, meta: dict, score: float) -> NodeWithScore:
    # Fusion matches nodes by their hash, which is the text and str(metadata): Chroma returns a
    # metadata dict's keys in no fixed order, so they are sorted here, or the same passage found
    # by two retrievers would count as two.
    node = TextNode(id_=chroma_id, text=text, metadata={"actors": meta.get("actors", []),
                                                        "articles": meta.get("articles", [])})
    node.metadata["_chroma"] = dict(sorted(meta.items()))
    node.excluded_embed_metadata_keys = node.excluded_llm_metadata_keys = ["_chroma"]
    return NodeWithScore(node=node, score=score)


_WORD_COMPOUND = re.compile(r"(?<![\w/-])[^\W\d_]+(?:[-/][^\W\d_]+)+(?![\w/-])")


class LexicalRetriever(BaseRetriever):
    """BM25 over the passages, from the catalog's FTS5 index."""

    def __init__(self, corpus: Corpus, top_k: int = CANDIDATES, documents: set[str] | None = None):
        super().__init__()
        self._corpus, self._top_k, self._documents = corpus, top_k, documents

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # (A compound of words is searched for whole and by its parts: "a national-security matter" finds "national
        # security". One with a figure is not: "late-2021" would search every passage naming the year.)
        stems = terms(query_bundle.query_str)
        stems += sorted(with_parts(" ".join(_WORD_COMPOUND.findall(query_bundle.query_str))) - set(stems))
        hits = self._corpus.lexical_passages(stems, self._top_k, self._documents)
        found = self._corpus.passages_by_id([i for i, _ in hits])
        return [_node(i, *found[i], score) for i, score in hits if i in found]


class DenseRetriever(BaseRetriever):
    """Nearest passages in Chroma; the question's vector travels in the query bundle."""

    def __init__(self, corpus: Corpus, embed_one, top_k: int = CANDIDATES, documents: set[str] | None = None):
        super().__init__()
        self._corpus, self._embed_one, self._top_k, self._documents = corpus, embed_one, top_k, documents

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        vector = query_bundle.embedding or self._embed_one(query_bundle.query_str)
        return [_node(i, t, m, s) for i, t, m, s in self._corpus.dense_passages(vector, self._top_k, self._documents)]


class EntityBoost(BaseNodePostprocessor):
    """Passages that name the delegations and articles the question names rank higher."""

    _actors: set = PrivateAttr(default_factory=set)
    _articles: set = PrivateAttr(default_factory=set)

    def __init__(self, actors: set[str], articles: set[str]):
        super().__init__()
        self._actors, self._articles = set(actors), set(articles)

    def _postprocess_nodes(self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None):
        for n in nodes:
            hits = len(set(n.node.metadata.get("actors", [])) & self._actors) + \
                len(set(n.node.metadata.get("articles", [])) & self._articles)
            if hits:
                n.score = (n.score or 0.0) * (1.0 + ENTITY_BOOST * hits)
        return sorted(nodes, key=lambda n: -(n.score or 0.0))


class BestRankFusionRetriever(QueryFusionRetriever):
    """Fusion by each passage's best rank in any retriever (CombMAX of reciprocal ranks): the
    retrievers' top hits take turns. On the development set this kept more of what each retriever
    found than summing reciprocal ranks (RRF) or normalised scores, which let passages that both
    retrievers rank middling push out one retriever's best."""

    def __init__(self, retrievers, **kwargs):
        super().__init__(retrievers, **{**kwargs, "mode": FUSION_MODES.RECIPROCAL_RANK})

    def _reciprocal_rerank_fusion(self, results):
        best: dict[str, list] = {}  # hash -> [best reciprocal rank, their sum (breaks ties), node]
        for nodes in results.values():
            for rank, n in enumerate(sorted(nodes, key=lambda x: x.score or 0.0, reverse=True)):
                score = 1.0 / (rank + 60.0)
                entry = best.setdefault(n.node.hash, [0.0, 0.0, n])
                entry[0], entry[1] = max(entry[0], score), entry[1] + score
        out = []
        for score, _, n in sorted(best.values(), key=lambda e: (-e[0], -e[1])):
            n.score = score
            out.append(n)
        return out


class HybridRetriever:
    def __init__(self, corpus: Corpus, embedder, mode: str = "hybrid"):
        self.corpus = corpus
        self.embedder = embedder
        self.mode = mode  # hybrid | dense | bm25
        self.fusion = self._fusion(None)

    def _fusion(self, *within: set[str] | None) -> QueryFusionRetriever:
        """Both retrievers once for each group of documents (None: the whole index). A scope is
        one group, so it filters inside Chroma and the catalog, not after a global top-k; the
        documents of a publisher the question names are a second group, and those dated when the
        question says ("its December 2024 statement") a third, so their passages rank high without
        the rest being lost."""
        retrievers = []
        for documents in within:
            if self.mode in ("hybrid", "bm25"):
                retrievers.append(LexicalRetriever(self.corpus, documents=documents))
            if self.mode in ("hybrid", "dense"):
                retrievers.append(DenseRetriever(self.corpus, self.embedder.embed_one, documents=documents))
        return BestRankFusionRetriever(retrievers, llm=MockLLM(),
                                       similarity_top_k=2 * CANDIDATES, num_queries=1, use_async=False)

    def nodes(self, query: Query, query_vector, k: int = 5) -> list[NodeWithScore]:
        bundle = QueryBundle(query.retrieval_text, embedding=list(query_vector))
        # When none of the reports the question dates names the delegation it asks about, the reports that do are a
        # group of their own: "why the UK wanted the meeting put off to May 2021" is told in a report of November
        # 2020, and the reports of May 2021, which never name the UK, cannot tell it.
        speakers = {a for a in query.actors if not self.corpus.gazetteer.is_forum(a)} if not query.actors_inherited else set()
        naming = self.corpus.catalog.documents_mentioning("actor", speakers) if speakers and query.dated else set()
        if naming & query.dated:
            naming = set()
        if query.scope is not None:
            naming &= query.scope
        if query.scope is None and not query.sources and not query.dated:
            fusion = self.fusion
        else:
            fusion = self._fusion(query.scope, *[group for group in (query.sources, query.dated, naming) if group])
        nodes = fusion.retrieve(bundle)
        if self.mode == "hybrid":
            # The delegations a question asks about rank their passages up; those whose proposal or resolution it
            # is about only where it asks about no one: "Which American diplomat argued against Russia's resolution?"
            # is answered by the US passage, which the many naming both states would push out.
            nodes = EntityBoost(set(query.actors) or set(query.targets), set(query.articles)).postprocess_nodes(
                nodes, bundle)
        if query.inherited and query.text != query.retrieval_text:
            # A follow-up ("Where will it be opened for signature?") is also searched in its own words,
            # without the boost for what it inherits: the earlier turn's wording and names would
            # otherwise drown what it asks. The two searches take turns, as the retrievers do.
            own = QueryBundle(query.text, embedding=list(self.embedder.embed_one(query.text)))
            nodes = fusion._reciprocal_rerank_fusion({("with the earlier turn", 0): nodes,
                                                      ("own words", 0): fusion.retrieve(own)})
        return nodes[:k]

    def top_passages(self, query: Query, query_vector, k: int = 5) -> list[tuple[Passage, float]]:
        """The k best passages with their fused scores, best first."""
        return [(passage_from(n.node.text, n.node.metadata["_chroma"]), float(n.score or 0.0))
                for n in self.nodes(query, query_vector, k)]
