"""Hostile but fair clients against the real API (real Chroma, real embedding model).

Every probe asserts: no 5xx, the one error shape {"error": {"code", "message"}},
no server path or echoed input in the message, no file written outside the
knowledge folder's documents, and no change to the served document list after
a refused request.
"""

import io
import json
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.guard import ConfigError, Settings, parse_keys

WRITE, READ, ADMIN = "write-key-1", "read-key-1", "admin-key-1"
W = {"X-API-Key": WRITE}
TEXT = "Chile opposed Article 41 in the informal consultations. Mongolia supported Chile's proposal on Article 41.\n"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from assistant import Assistant

    from .conftest import copy_knowledge

    root = tmp_path_factory.mktemp("hostile")
    knowledge = copy_knowledge(root / "knowledge")
    instance = Assistant.load(knowledge, root / "index")
    settings = Settings(keys={WRITE: "write", READ: "read", ADMIN: "admin"}, max_json_bytes=64 * 1024,
                        max_upload_bytes=2 * 1024 * 1024)
    with TestClient(create_app(lambda: instance, settings), raise_server_exceptions=False) as client:
        yield client, knowledge, root


def snapshot(client, knowledge):
    docs = sorted(d["id"] for d in client.get("/v1/documents").json())
    files = sorted(p.name for p in (knowledge / "documents").iterdir())
    return docs, files


def files_outside(root: Path, knowledge: Path) -> list[str]:
    allowed = {root / "index", knowledge}
    return [str(p) for p in root.iterdir() if p not in allowed]


def assert_refused(r, status=None):
    assert r.status_code < 500, (r.status_code, r.text[:300])
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if status:
        assert r.status_code == status, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert "/tmp" not in body["error"]["message"] and ".staging" not in body["error"]["message"]
    assert len(r.content) < 4000
    return body["error"]


# -- one error shape ----------------------------------------------------------------
def test_error_shape_for_404_405_422(env):
    client, _, _ = env
    assert assert_refused(client.get("/no/such/path"), 404)["code"] == "not_found"
    assert assert_refused(client.put("/healthz"), 405)["code"] == "method_not_allowed"
    assert assert_refused(client.post("/v1/ask", json={}), 422)["code"] == "invalid_request"
    assert assert_refused(client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"}), 422)


def test_multipart_errors_use_the_shape(env):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    r = client.post("/v1/documents", headers={**W, "content-type": "multipart/form-data; boundary=xyz"},
                    content=b"--xyz\r\nnonsense")
    assert_refused(r)
    r = client.post("/v1/documents", headers=W, files={"other": ("a.txt", b"x", "text/plain")})
    assert_refused(r, 422)
    assert snapshot(client, knowledge) == before


# -- keys ---------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [
    {"X-API-Key": "caf\xe9".encode("latin-1")},
    {"Authorization": "Bearer caf\xe9".encode("latin-1")},
    {"X-API-Key": "café".encode()},
    {"X-API-Key": b"\xff" * 300},
    {"X-API-Key": WRITE + " "},
    {"Authorization": "Basic " + WRITE},
])
def test_odd_keys_are_401_not_500(env, headers):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    r = client.post("/v1/documents", json={"id": "odd-key", "text": TEXT}, headers=headers)
    assert_refused(r, 401)
    assert snapshot(client, knowledge) == before


def test_non_ascii_key_with_closed_reads(tmp_path, assistant):
    app = create_app(lambda: assistant, Settings(keys={READ: "read"}, read_keys_required=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert_refused(client.get("/v1/documents", headers={"X-API-Key": "caf\xe9".encode("latin-1")}), 401)
        assert client.get("/v1/documents", headers={"X-API-Key": READ}).status_code == 200


def test_read_key_cannot_write(env):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    r = client.post("/v1/documents", json={"id": "reader-note", "text": TEXT}, headers={"X-API-Key": READ})
    assert_refused(r, 401)
    assert_refused(client.delete("/v1/documents/000_82a4455ff46a7c13", headers={"X-API-Key": READ}), 401)
    assert snapshot(client, knowledge) == before


@pytest.mark.parametrize("query", ["api_key=" + WRITE, "key=" + WRITE, "API_KEY=x", "token=abc"])
def test_keys_in_the_query_string_are_refused(env, query):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    r = client.post(f"/v1/documents?{query}", json={"id": "query-key", "text": TEXT})
    err = assert_refused(r, 400)
    assert WRITE not in err["message"] and "query string" in err["message"]
    assert_refused(client.get(f"/v1/documents?{query}"), 400)
    assert snapshot(client, knowledge) == before


def test_query_keys_never_reach_the_access_log():
    import logging

    from assistant.guard import RedactKeys

    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", "/v1/documents?x=1&api_key=s3cret&key=k2", "1.1", 400), None)
    RedactKeys().filter(record)
    line = record.getMessage()
    assert "s3cret" not in line and "k2" not in line and "x=1" in line


@pytest.mark.parametrize("value,problem", [
    ({"ASSISTANT_API_READS": "Closed"}, "ASSISTANT_API_READS"),
    ({"ASSISTANT_API_READS": "close"}, "ASSISTANT_API_READS"),
    ({"ASSISTANT_API_KEYS": "abc:superuser"}, "superuser"),
    ({"ASSISTANT_API_KEYS": ":read"}, "empty key"),
    ({"ASSISTANT_MAX_JSON_BYTES": "lots"}, "ASSISTANT_MAX_JSON_BYTES"),
    ({"ASSISTANT_API_THREADS": "0"}, "ASSISTANT_API_THREADS"),
])
def test_unknown_security_settings_stop_the_start(value, problem):
    with pytest.raises(ConfigError, match=problem):
        Settings.from_env(value)


def test_keys_with_roles():
    assert parse_keys("a:read, b:write,c:admin,legacy") == {"a": "read", "b": "write", "c": "admin", "legacy": "write"}
    s = Settings.from_env({"ASSISTANT_API_KEYS": "r1:read,w1", "ASSISTANT_API_READS": "closed"})
    assert s.read_keys_required and s.allows("r1", "read") and not s.allows("r1", "write") and s.allows("w1", "write")
    assert not s.allows("caf\xe9", "read") and not s.allows(None, "read")


# -- names, encodings, surrogates, control characters ------------------------------
@pytest.mark.parametrize("name", ["name\n.txt", "name\x00.txt", "na\rme.txt", "bad\tname.md", "\u202etxt.exe.txt",
                                  "..", ".hidden.txt", "a" * 300 + ".txt", "x/../../up.txt", "C:\\evil\\x.txt\n"])
def test_odd_file_names_are_refused(env, name):
    client, knowledge, root = env
    before = snapshot(client, knowledge)
    r = client.post("/v1/documents", headers=W, files={"file": (name, TEXT.encode(), "text/plain")})
    assert r.status_code < 500, r.text
    if r.status_code == 201:  # only a harmless base name may pass, and it lands in documents/
        assert all(Path(p).parent == knowledge / "documents" for p in (knowledge / "documents").iterdir())
        client.delete(f"/v1/documents/{r.json()['added'][0]}", headers=W)
    else:
        assert_refused(r)
    assert snapshot(client, knowledge) == before
    assert files_outside(root, knowledge) == []


def raw_upload(client, filename: bytes, data: bytes = TEXT.encode()):
    """A multipart upload with the file name exactly as given (httpx would percent-encode a newline)."""
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + b"\"\r\n"
            b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--b--\r\n")
    return client.post("/v1/documents", headers={**W, "content-type": "multipart/form-data; boundary=b"}, content=body)


@pytest.mark.parametrize("filename", [b"name\n.txt", b"name.txt\n", b"name\x00.txt", b"na\x1bme.txt", b"name\x7f.txt"])
def test_raw_control_characters_in_file_names_are_refused(env, filename):
    client, knowledge, root = env
    before = snapshot(client, knowledge)
    assert_refused(raw_upload(client, filename))
    assert snapshot(client, knowledge) == before
    assert files_outside(root, knowledge) == []


def test_name_ending_in_newline_is_refused(env):
    client, knowledge, _ = env
    assert_refused(raw_upload(client, b"name\n.txt"), 400)
    r = client.put("/v1/documents/name%0A", headers=W, json={"id": "name", "text": TEXT})
    assert_refused(r, 400)
    assert_refused(client.get("/v1/documents/name%0A"), 400)


@pytest.mark.parametrize("body", [
    '{"question": "\\ud800 What did Egypt say about Article 24?"}',
    '{"question": "What did Egypt say?", "history": [{"role": "user", "content": "\\udfff"}]}',
    '{"question": "Egypt \\u0000 Article 24?"}',
    '{"question": "\\u202e\\u200b\\ufeff Article 24?"}',
])
def test_surrogates_and_control_characters_in_questions(env, body):
    client, _, _ = env
    r = client.post("/v1/ask", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert_refused(r)


def test_surrogate_in_a_json_document_is_refused(env):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    body = '{"id": "surrogate-doc", "text": "Chile \\ud800 opposed Article 41 strongly."}'
    assert_refused(client.post("/v1/documents", content=body.encode(), headers={**W, "content-type": "application/json"}))
    assert snapshot(client, knowledge) == before


@pytest.mark.parametrize("payload", [
    b"\xff\xfe" + "Chile opposed Article 41.".encode("utf-16-le")[:-1],  # broken UTF-16
    b"\x00\x01\x02binary" * 50,
    "Chile opposed Article 41 \x00 strongly.".encode(),
    b"\x81\x8d\x8f\x90\x9d" * 20,  # not UTF-8, not Windows-1252
])
def test_odd_encodings_in_uploads(env, payload):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    r = client.post("/v1/documents", headers=W, files={"file": ("encoded.txt", payload, "text/plain")})
    assert r.status_code < 500, r.text
    if r.status_code == 201:
        client.delete("/v1/documents/encoded", headers=W)
    else:
        assert_refused(r)
    assert snapshot(client, knowledge) == before


# -- bombs and huge bodies -----------------------------------------------------------
def pdf_bomb(megabytes: int = 200) -> bytes:
    """A one-page PDF whose content stream inflates to `megabytes` of text."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (A) Tj ET\n" * (megabytes * 1024 * 1024 // 34), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_bomb_is_refused_with_a_4xx(env):
    client, knowledge, root = env
    before = snapshot(client, knowledge)
    bomb = pdf_bomb()
    assert len(bomb) < 1024 * 1024
    r = client.post("/v1/documents", headers=W, files={"file": ("bomb.pdf", bomb, "application/pdf")})
    err = assert_refused(r, 400)
    assert "bomb.pdf" in err["message"]
    assert snapshot(client, knowledge) == before
    assert files_outside(root, knowledge) == []


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%%EOF", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF",
                                  b"%PDF-" + b"\xff" * 5000, b"PK\x03\x04" + b"\x00" * 100])
def test_corrupt_pdfs_are_4xx(env, data):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    assert_refused(client.post("/v1/documents", headers=W, files={"file": ("corrupt.pdf", data, "application/pdf")}))
    assert snapshot(client, knowledge) == before


def test_deeply_nested_html_is_refused_or_read(env):
    client, knowledge, _ = env
    before = snapshot(client, knowledge)
    html = "<div>" * 50_000 + "<p>Chile opposed Article 41 in the consultations.</p>" + "</div>" * 50_000
    r = client.post("/v1/documents", headers=W, files={"file": ("deep.html", html.encode(), "text/html")})
    assert r.status_code < 500, r.text[:300]
    if r.status_code == 201:
        client.delete("/v1/documents/deep", headers=W)
    else:
        assert_refused(r)
    assert snapshot(client, knowledge) == before


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (100 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["bomb.zip", "bomb.docx", "bomb.txt", "bomb.html", "bomb.md", "bomb.pdf"])
def test_zip_bombs_are_refused_under_any_name(env, name):
    client, knowledge, root = env
    before = snapshot(client, knowledge)
    data = zip_bomb()
    assert len(data) < 1024 * 1024
    r = client.post("/v1/documents", headers=W, files={"file": (name, data, "application/octet-stream")})
    assert_refused(r)
    assert snapshot(client, knowledge) == before
    assert files_outside(root, knowledge) == []


def test_huge_json_body_is_413_before_parsing(env):
    client, _, _ = env
    huge = json.dumps({"question": "x" * (5 * 1024 * 1024)})
    r = client.post("/v1/ask", content=huge.encode(), headers={"content-type": "application/json"})
    err = assert_refused(r, 413)
    assert err["code"] == "too_large" and "xxxx" not in err["message"]


def test_chunked_body_over_the_limit_is_413(env):
    client, _, _ = env

    def chunks():
        yield b'{"question": "'
        for _ in range(200):
            yield b"x" * 1024
        yield b'"}'

    r = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert_refused(r, 413)


def test_large_upload_is_refused_while_streaming(env):
    client, knowledge, root = env
    before = snapshot(client, knowledge)
    big = (TEXT * 40_000).encode()  # ~4 MB, over this app's 2 MB upload limit
    r = client.post("/v1/documents", headers=W, files={"file": ("big.txt", big, "text/plain")})
    assert_refused(r, 413)

    def chunks():  # no Content-Length: counted as it streams
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(400):
            yield b"y" * 10_000
        yield b"\r\n--b--\r\n"

    r = client.post("/v1/documents", headers={**W, "content-type": "multipart/form-data; boundary=b"}, content=chunks())
    assert_refused(r, 413)
    assert snapshot(client, knowledge) == before
    assert not any((knowledge / ".staging").iterdir()) if (knowledge / ".staging").exists() else True


def test_huge_error_input_is_not_echoed(env):
    client, _, _ = env
    r = client.post("/v1/ask", json={"question": "y" * 50_000})
    err = assert_refused(r, 422)
    assert "yyyy" not in err["message"]


# -- duplicate ids across formats ----------------------------------------------------
def test_same_id_in_another_format_is_409_and_put_replaces(env):
    client, knowledge, _ = env
    r = client.post("/v1/documents", headers=W, files={"file": ("dupe.txt", TEXT.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    before = snapshot(client, knowledge)
    md = "# Note\n\nEcuador proposed that Article 41 be deleted from the draft convention.\n"
    r = client.post("/v1/documents", headers=W, files={"file": ("dupe.md", md.encode(), "text/markdown")})
    err = assert_refused(r, 409)
    assert "dupe.md" in err["message"] and "dupe.txt" in err["message"] and err["code"] == "conflict"
    r = client.post("/v1/documents", headers=W, json={"id": "dupe", "text": md, "format": "md"})
    assert_refused(r, 409)
    assert snapshot(client, knowledge) == before

    r = client.put("/v1/documents/dupe", headers=W, files={"file": ("dupe.md", md.encode(), "text/markdown")})
    assert r.status_code == 200, r.text
    assert r.json()["updated"] == ["dupe"]
    names = sorted(p.name for p in (knowledge / "documents").iterdir() if p.name.startswith("dupe"))
    assert names == ["dupe.md"]
    assert "Ecuador" in client.get("/v1/documents/dupe").json()["text"]
    assert_refused(client.put("/v1/documents/other", headers=W, json={"id": "dupe", "text": md}), 400)
    assert client.delete("/v1/documents/dupe", headers=W).status_code == 200
    assert not any(p.name.startswith("dupe") for p in (knowledge / "documents").iterdir())


def test_same_format_reupload_is_an_update(env):
    client, _, _ = env
    r = client.post("/v1/documents", headers=W, json={"id": "again", "text": TEXT})
    assert r.status_code == 201 and r.json()["added"] == ["again"]
    r = client.post("/v1/documents", headers=W, json={"id": "again", "text": TEXT + "Peru agreed.\n"})
    assert r.status_code == 201 and r.json()["updated"] == ["again"]
    assert client.delete("/v1/documents/again", headers={"X-API-Key": ADMIN}).status_code == 200
