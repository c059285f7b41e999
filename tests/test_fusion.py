"""Fusion of the lexical and dense rankings (LlamaIndex retrievers, no index needed)."""

from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import QueryBundle

from assistant.retrieval import BestRankFusionRetriever, _node


class Ranked(BaseRetriever):
    def __init__(self, hits):
        super().__init__()
        self._hits = hits

    def _retrieve(self, query_bundle):
        return [_node(i, f"text of {i}", meta, score) for i, meta, score in self._hits]


def test_a_passage_both_retrievers_find_counts_once_whatever_its_metadata_order():
    meta = {"document_id": "d", "start": 0, "end": 10, "version": "v"}
    reordered = dict(reversed(list(meta.items())))  # Chroma returns keys in no fixed order
    lexical = Ranked([("a", meta, 9.0), ("b", meta, 5.0)])
    dense = Ranked([("c", meta, 0.9), ("a", reordered, 0.8)])
    fused = BestRankFusionRetriever([lexical, dense], llm=MockLLM(), similarity_top_k=10, num_queries=1,
                                    use_async=False).retrieve(QueryBundle("q"))
    ids = [n.node.id_ for n in fused]
    assert sorted(ids) == ["a", "b", "c"]
    assert set(ids[:2]) == {"a", "c"}  # each retriever's best comes first
