"""The HTTP API on the real assistant: answers, documents, positions, keys, bad input."""

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api import Settings, create_app

KEY = "test-key-123"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from assistant import Assistant

    from .conftest import copy_knowledge

    knowledge = copy_knowledge(tmp_path_factory.mktemp("api") / "knowledge")
    instance = Assistant.load(knowledge, tmp_path_factory.mktemp("api-index"))
    app = create_app(lambda: instance, Settings(write_keys=[KEY], cors_origins=["https://cms.example"]))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_health_and_ready(api):
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_ask_returns_cited_answer(api):
    r = api.post("/v1/ask", json={"question": "Why did Egypt object to Article 24?"})
    assert r.status_code == 200
    body = r.json()
    assert not body["abstained"] and "proportionality" in body["text"]
    doc = api.get(f"/v1/documents/{body['citations'][0]['document_id']}").json()
    for c in body["citations"]:
        assert doc["text"][c["start"]:c["end"]] == c["quote"]
    assert body["positions"]


def test_ask_with_history(api):
    history = [{"role": "user", "content": "What did Brazil propose about Article 24?"},
               {"role": "assistant", "content": "Brazil suggested appending 'legality'."}]
    r = api.post("/v1/ask", json={"question": "Who supported that proposal?", "history": history})
    assert "Ecuador" in r.json()["text"]


def test_stream_sends_sentences_then_the_answer(api):
    with api.stream("POST", "/v1/ask/stream", json={"question": "Which states called for deleting Article 35(3)?"}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = [block for block in raw.split("\n\n") if block.strip()]
    assert events[0].startswith("event: sentence")
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert "Oman" in final["text"]


@pytest.mark.parametrize("payload,status", [
    ({"question": ""}, 422),
    ({"question": "x" * 5000}, 422),
    ({}, 422),
    ({"question": "ok", "history": [{"role": "robot", "content": "x"}]}, 422),
    ({"question": "   "}, 400),
])
def test_bad_questions_are_4xx(api, payload, status):
    r = api.post("/v1/ask", json=payload)
    assert r.status_code == status, r.text


def test_malformed_json_is_4xx(api):
    r = api.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_writes_need_a_key(api):
    r = api.post("/v1/documents", json={"id": "x1", "text": "Chile opposed Article 41."})
    assert r.status_code == 401
    r = api.post("/v1/documents", json={"id": "x1", "text": "Chile opposed Article 41."}, headers={"X-API-Key": "wrong"})
    assert r.status_code == 401
    assert api.delete("/v1/documents/000_82a4455ff46a7c13").status_code == 401


def test_add_ask_and_delete_a_document(api):
    text = ("Informal consultations\n\nMongolia proposed that Article 41 require each 24/7 network to publish "
            "a yearly transparency report. Chile supported Mongolia's proposal.\n")
    r = api.post("/v1/documents", json={"id": "mongolia-note", "text": text, "title": "Consultation note"}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["added"] == ["mongolia-note"]
    assert any(d["id"] == "mongolia-note" for d in api.get("/v1/documents").json())
    answer = api.post("/v1/ask", json={"question": "What did Mongolia propose about the 24/7 network?"}).json()
    assert any(c["document_id"] == "mongolia-note" for c in answer["citations"]), answer
    assert api.delete("/v1/documents/mongolia-note", headers=AUTH).json()["removed"] == ["mongolia-note"]
    assert api.get("/v1/documents/mongolia-note").status_code == 404


def test_upload_rules(api):
    files = {"file": ("deck.pptx", b"PK\x03\x04", "application/octet-stream")}
    assert api.post("/v1/documents", files=files, headers=AUTH).status_code == 415
    files = {"file": ("../../evil.txt", b"Chile opposed Article 41 strongly.", "text/plain")}
    r = api.post("/v1/documents", files=files, headers=AUTH)
    assert r.status_code in (201, 400)
    files = {"file": ("broken.txt", b"\x00\x01binary" * 100, "text/plain")}
    r = api.post("/v1/documents", files=files, headers=AUTH)
    assert r.status_code == 400 and "binary" in r.json()["error"]["message"]


@pytest.mark.parametrize("doc_id", ["..%2F..%2Fetc%2Fpasswd", "a b", ".hidden"])
def test_document_ids_with_path_characters_are_refused(api, doc_id):
    assert api.get(f"/v1/documents/{doc_id}").status_code in (400, 404)


def test_positions_endpoint(api):
    r = api.get("/v1/positions", params={"actor": "United States of America", "article": "54"})
    assert r.status_code == 200 and r.json()
    assert all("usa" in p["actors"] for p in r.json())
    assert api.get("/v1/positions", params={"stance": "dances"}).status_code == 400
    assert api.get("/v1/positions", params={"actor": "Atlantis"}).status_code == 400


def test_cors_allows_configured_origin(api):
    r = api.options("/v1/ask", headers={"Origin": "https://cms.example", "Access-Control-Request-Method": "POST"})
    assert r.headers.get("access-control-allow-origin") == "https://cms.example"


def test_openapi_document(api):
    spec = api.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/documents", "/v1/positions", "/healthz", "/readyz"} <= set(spec["paths"])
