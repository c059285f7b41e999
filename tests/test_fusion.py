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


def test_bm25_searches_a_compound_of_words_by_its_parts_too(tmp_path):
    from assistant.retrieval import LexicalRetriever

    from .test_sources import _world

    assistant = _world(tmp_path, [
        ("minister", "Kestrel Wire (KW)",
         "Minister\n\nThe minister said cybercrime poses a threat to national security because it is borderless.\n\n"
         "The minister will attend the ceremony in Hanoi with a delegation.\n"),
        ("wire", "Harbour Times", "Closing\n\nIn 2021 the ceremony matter was debated by the delegation for two weeks.\n"),
    ])
    found = LexicalRetriever(assistant.answerer.corpus).retrieve(
        QueryBundle("Why is cybercrime a national-security matter for the minister?"))
    assert "national security" in found[0].node.text, [n.node.text for n in found]
    # (one with a figure is searched whole only: "late-2021" would search for every passage naming the year)
    assert not LexicalRetriever(assistant.answerer.corpus).retrieve(QueryBundle("late-2021"))
