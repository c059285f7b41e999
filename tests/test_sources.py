"""Questions that name a publisher ("according to WAM") find that publisher's reports first."""

from __future__ import annotations

import pytest
import yaml

from assistant import Assistant
from assistant.sources import publishers_named

from .conftest import copy_knowledge

PUBLISHERS = {"WAM (Emirates News Agency)", "BOOM Live", "ARTICLE 19", "Diplo, Digital Watch observatory",
              "Global Initiative Against Transnational Organized Crime (GI-TOC)"}


@pytest.mark.parametrize("question,named", [
    ("How long did the talks last, according to WAM?", {"WAM (Emirates News Agency)"}),
    ("What did the Emirates News Agency report?", {"WAM (Emirates News Agency)"}),
    ("What measures are listed in BOOM's summary?", {"BOOM Live"}),
    ("What did Digital Watch and GI-TOC write?", {"Diplo, Digital Watch observatory",
                                                  "Global Initiative Against Transnational Organized Crime (GI-TOC)"}),
    ("What did ARTICLE 19 say about scope?", {"ARTICLE 19"}),
    ("What does Article 19 of the draft say?", set()),  # the treaty's article, not the NGO
    ("Did the wam delegation speak?", set()),  # an acronym is named in capitals
    ("What happened at the session?", set()),
])
def test_publishers_are_named_in_full_by_acronym_or_by_leading_words(question, named):
    assert publishers_named(question, PUBLISHERS) == named


def _report(folder, doc_id, publisher, text):
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"title": doc_id, "publisher": publisher}),
                                                encoding="utf-8")


def test_a_named_publishers_report_ranks_first_and_is_cited(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    _report(docs, "wire_a", "Kestrel Wire (KW)",
            "Session wrap-up\n\nThe talks on the convention lasted five years in all, delegates said on Friday. "
            "The final text was adopted without a vote.\n")
    _report(docs, "wire_b", "Harbour Times",
            "Session wrap-up\n\nThe talks on the convention lasted three years of formal negotiation, delegates said. "
            "Observers expect ratification to be slow.\n")
    assistant = Assistant.load(knowledge, tmp_path / "index")
    for publisher, doc_id in (("KW", "wire_a"), ("Harbour Times", "wire_b")):
        answer = assistant.ask(f"How many years did the talks on the convention last, according to {publisher}?")
        assert not answer.abstained, answer.text
        assert doc_id in {c.document_id for c in answer.citations}, answer.text
        query = assistant.answerer.query(answer.question)
        assert query.sources == {doc_id}
        vector = assistant.embedder.embed_one(query.retrieval_text)
        assert assistant.retriever.top_passages(query, vector, 1)[0][0].document_id == doc_id
        for c in answer.citations:
            assert assistant.document(c.document_id).text[c.start:c.end] == c.quote
