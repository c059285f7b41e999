"""The chat through gradio_client: the stable /ask endpoint."""

from pathlib import Path

import pytest
from gradio_client import Client

from assistant.documents import load_document

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def client(ui_server):
    return Client(ui_server.url, verbose=False)


def stored_text(knowledge: Path, doc_id: str) -> str:
    """The cleaned text the citation offsets point into, read from the source file itself."""
    [source] = [p for p in (knowledge / "documents").iterdir() if p.stem == doc_id and not p.name.endswith(".meta.yaml")]
    return load_document(source).text


def test_ask_endpoint_answers_with_verbatim_citations(client, ui_server):
    result = client.predict("Why did Egypt object to Article 24?", api_name="/ask")
    assert result["abstained"] is False
    assert "proportionality" in result["text"].lower()
    assert result["citations"], result
    for c in result["citations"]:
        assert f"[{c['number']}]" in result["text"]
        text = stored_text(ui_server.knowledge, c["document_id"])
        assert text[c["start"]:c["end"]] == c["quote"]
    assert "[^1]:" in result["markdown"]


def test_ask_endpoint_takes_history(client):
    first = client.predict("Why did Egypt object to Article 24?", api_name="/ask")
    history = [{"role": "user", "content": "Why did Egypt object to Article 24?"},
               {"role": "assistant", "content": first["text"]}]
    follow = client.predict("What did Brazil suggest about it?", history, api_name="/ask")
    assert "Brazil" in follow["text"] and "legality" in follow["text"].lower()


def test_ask_endpoint_abstains_and_refuses_empty(client):
    result = client.predict("What did France say about Article 99?", api_name="/ask")
    assert result["abstained"] is True and result["citations"] == []
    with pytest.raises(Exception, match="question is empty"):
        client.predict("   ", api_name="/ask")


def test_only_ask_is_public(client):
    assert list(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == ["/ask"]
