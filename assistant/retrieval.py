"""Hybrid retrieval: BM25 and dense vectors from Chroma, fused by reciprocal rank,
then boosted for passages that name the question's delegations and articles."""

from __future__ import annotations

import numpy as np

from .corpus import Corpus, terms
from .question import Query

RRF_K = 60
CANDIDATES = 20
ENTITY_BOOST = 0.6


class HybridRetriever:
    def __init__(self, corpus: Corpus, store, mode: str = "hybrid"):
        self.corpus = corpus
        self.store = store
        self.mode = mode  # hybrid | dense | bm25

    def passage_scores(self, query: Query, query_vector: list[float]) -> np.ndarray:
        """A fused score per passage (0 for passages neither retriever found)."""
        corpus = self.corpus
        n = len(corpus.passages)
        fused = np.zeros(n)
        if n == 0:
            return fused
        index = {p.id: i for i, p in enumerate(corpus.passages)}
        if self.mode in ("hybrid", "bm25"):
            bm25 = corpus.bm25_scores(terms(query.retrieval_text))
            ranked = [i for i in np.argsort(-bm25)[:CANDIDATES] if bm25[i] > 0]
            for rank, i in enumerate(ranked):
                fused[i] += 1.0 / (RRF_K + rank + 1)
        if self.mode in ("hybrid", "dense"):
            hits = self.store.dense_query(corpus.snapshot.generation, query_vector, "passages", CANDIDATES)
            for rank, (pid, _similarity) in enumerate(hits):
                if pid in index:
                    fused[index[pid]] += 1.0 / (RRF_K + rank + 1)
        if self.mode == "hybrid":
            wanted_actors = set(query.actors) | set(query.targets)
            wanted_articles = set(query.articles)
            for i in range(n):
                hits = len(corpus.passage_actors[i] & wanted_actors) + len(corpus.passage_articles[i] & wanted_articles)
                if hits:
                    fused[i] *= 1.0 + ENTITY_BOOST * hits
        return fused

    def top_passages(self, query: Query, query_vector: list[float], k: int = 5) -> list[int]:
        scores = self.passage_scores(query, query_vector)
        return [int(i) for i in np.argsort(-scores)[:k] if scores[i] > 0]
