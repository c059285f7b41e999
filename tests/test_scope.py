"""Scoped questions: only some documents, publishers, kinds or dates, through Python, the CLI and HTTP.

A small corpus written for the test: many reports that match the question closely and one, by
another publisher, that matches it less; the scope must find that one inside the index, not by
filtering a global top-k that never held it.
"""

from __future__ import annotations

import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant import Assistant
from assistant.api import Settings, create_app
from assistant.cli import app
from assistant.errors import InputError

from .conftest import copy_knowledge

QUESTION = "How many states backed the data retention clause?"


def _report(folder, doc_id, text, **meta):
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"title": doc_id, **meta}), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("scope")
    knowledge = copy_knowledge(base / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    for i in range(30):
        _report(docs, f"wire_{i:02d}",
                f"Retention talks, day {i + 1}\n\nAt least {12 + i} states backed the data retention clause on day {i + 1}, "
                f"delegates said. The data retention clause was backed by states from every region.\n",
                publisher="Kestrel Wire (KW)", kind="news", date=f"2024-02-{(i % 9) + 1:02d}")
    _report(docs, "harbour_note",
            "Observer note\n\nOur observers counted seven states in favour of the retention clause for traffic data. "
            "The note was filed from Vienna.\n",
            publisher="Harbour Times", kind="ngo-analysis", date="2024-08-09")
    assistant = Assistant.load(knowledge, base / "index")
    return assistant, knowledge, base / "index"


def _docs(answer):
    return {c.document_id for c in answer.citations}


def test_unscoped_the_wire_reports_answer(world):
    assistant, _, _ = world
    answer = assistant.ask(QUESTION)
    assert "harbour_note" not in _docs(answer)


@pytest.mark.parametrize("scope", [
    {"publishers": ["Harbour Times"]},
    {"publishers": ["harbour"]},
    {"documents": ["harbour_note"]},
    {"doc": "harbour_note"},
    {"publisher": "Harbour Times"},
    {"kinds": ["ngo-analysis"]},
    {"since": "2024-08-01"},
    {"since": "2024-08-09", "until": "2024-08-09"},
])
def test_a_scope_finds_its_document_inside_the_index(world, scope):
    assistant, _, _ = world
    answer = assistant.ask(QUESTION, scope=scope)
    assert not answer.abstained, answer.text
    assert _docs(answer) == {"harbour_note"}
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote


def test_a_date_range_keeps_only_its_reports(world):
    assistant, _, _ = world
    answer = assistant.ask(QUESTION, scope={"until": "2024-02-03"})
    assert answer.citations and all(assistant.document(d).meta["date"] <= "2024-02-03" for d in _docs(answer))


def test_a_scope_nothing_matches_says_so(world):
    assistant, _, _ = world
    answer = assistant.ask(QUESTION, scope={"publishers": ["Nobody Gazette"]})
    assert answer.abstained and "No document matches the scope" in answer.text and not answer.citations


@pytest.mark.parametrize("scope,where", [
    ({"since": "2024-09-01", "until": "2024-01-01"}, "after until"),
    ({"since": "last week"}, "scope.since"),
    ({"colour": "red"}, "scope.colour"),
])
def test_a_malformed_scope_is_refused_with_the_reason(world, scope, where):
    assistant, _, _ = world
    with pytest.raises(InputError) as err:
        assistant.ask(QUESTION, scope=scope)
    assert where in str(err.value)


def test_cli_scope_options(world):
    _, knowledge, index = world
    result = CliRunner().invoke(app, ["ask", QUESTION, "--publisher", "Harbour Times", "--json",
                                      "-k", str(knowledge), "--persist-dir", str(index)])
    assert result.exit_code == 0, result.output
    assert {c["document_id"] for c in json.loads(result.output)["citations"]} == {"harbour_note"}
    result = CliRunner().invoke(app, ["ask", QUESTION, "--since", "tomorrow", "-k", str(knowledge),
                                      "--persist-dir", str(index)])
    assert result.exit_code != 0 and "since" in result.output


def test_http_scope(world):
    assistant, _, _ = world
    with TestClient(create_app(lambda: assistant, Settings()), raise_server_exceptions=False) as client:
        got = client.post("/v1/ask", json={"question": QUESTION, "scope": {"kinds": ["ngo-analysis"]}})
        assert got.status_code == 200, got.text
        assert {c["document_id"] for c in got.json()["citations"]} == {"harbour_note"}
        bad = client.post("/v1/ask", json={"question": QUESTION, "scope": {"since": "2024-09-01", "until": "2024-01-01"}})
        assert 400 <= bad.status_code < 500
