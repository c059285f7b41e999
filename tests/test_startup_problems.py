"""One bad document never takes the service down; interrupted uploads are never indexed silently.

Real knowledge folder copies, real Chroma, real embedding model."""

import os
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant import Assistant
from assistant.api import create_app
from assistant.cli import app as cli
from assistant.guard import Settings

from .conftest import REPO

KEY = "startup-key"
NOTE = "Informal consultations\n\nGhana proposed that Article 41 require a yearly report. Chile supported Ghana.\n"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def troubled(fresh_knowledge):
    docs = fresh_knowledge / "documents"
    (docs / "dupe.txt").write_text(NOTE, encoding="utf-8")
    old = time.time() - 3600
    os.utime(docs / "dupe.txt", (old, old))  # uploaded first: the one served
    (docs / "dupe.md").write_text("# Dupe\n\nEcuador proposed deleting Article 41.\n", encoding="utf-8")
    (docs / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)
    (docs / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF")
    (docs / "slides.pptx").write_bytes(b"PK\x03\x04")
    leftover = fresh_knowledge / ".staging" / f"ingest-{dead_pid()}-x1"
    leftover.mkdir(parents=True)
    (leftover / "ghost.txt").write_text("Atlantis proposed deleting Article 41.\n", encoding="utf-8")
    return fresh_knowledge


def test_documents_problems_lists_them_without_changing_anything(troubled):
    result = CliRunner().invoke(cli, ["documents", "--problems", "--knowledge-dir", str(troubled)])
    assert result.exit_code == 1, result.output
    lines = dict(line.split("\t", 1) for line in result.output.strip().splitlines())
    assert set(lines) == {"dupe.md", "latin.txt", "corrupt.pdf", "slides.pptx", f"{next((troubled / '.staging').iterdir()).name}"}
    assert "dupe.txt and dupe.md would both be document 'dupe'" in lines["dupe.md"]
    assert "neither UTF-8" in lines["latin.txt"] and "PDF" in lines["corrupt.pdf"]
    assert any((troubled / ".staging").iterdir())  # only reported here; the start removes it


def test_start_sets_bad_documents_aside_and_serves_the_rest(troubled, tmp_path):
    instance = Assistant.load(troubled, tmp_path / "index")
    problems = {p["file"]: p["reason"] for p in instance.problems}
    assert {"dupe.md", "latin.txt", "corrupt.pdf", "slides.pptx", "ghost.txt"} == set(problems)
    assert "interrupted" in problems["ghost.txt"]
    assert not any((troubled / ".staging").iterdir())  # the leftover is gone, never indexed
    ids = {d["id"] for d in instance.documents()}
    assert ids == {"000_82a4455ff46a7c13", "dupe"}
    assert "Ghana" in instance.document("dupe").text

    app = create_app(lambda: instance, Settings(keys={KEY: "admin"}))
    with TestClient(app, raise_server_exceptions=False) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        listed = {p["file"]: p["reason"] for p in ready.json()["problems"]}
        assert set(listed) == set(problems) and "would both be document 'dupe'" in listed["dupe.md"]
        assert str(troubled) not in ready.text
        answer = client.post("/v1/ask", json={"question": "What did Ghana propose about Article 41?"}).json()
        assert any(c["document_id"] == "dupe" for c in answer["citations"]), answer
        # the service can be repaired through the API: DELETE removes both files of the id
        assert client.delete("/v1/documents/dupe", headers={"X-API-Key": KEY}).status_code == 200
        assert not list((troubled / "documents").glob("dupe.*"))
        assert "dupe.md" not in {p["file"] for p in client.get("/readyz").json()["problems"]}


def test_next_start_after_a_duplicate_upload_still_serves(fresh_knowledge, tmp_path):
    """Defect 1: dupe.txt then dupe.md used to stop the next start (readyz 503, every read 400)."""
    instance = Assistant.load(fresh_knowledge, tmp_path / "index")
    src = tmp_path / "src"
    src.mkdir()
    (src / "dupe.txt").write_text(NOTE, encoding="utf-8")
    (src / "dupe.md").write_text("# Dupe\n\nEcuador proposed deleting Article 41.\n", encoding="utf-8")
    instance.ingest(src / "dupe.txt")
    with pytest.raises(Exception, match="already stored as dupe.txt"):
        instance.ingest(src / "dupe.md")
    restarted = Assistant.load(fresh_knowledge, tmp_path / "index")
    assert restarted.problems == [] and "dupe" in {d["id"] for d in restarted.documents()}
    result = CliRunner().invoke(cli, ["ingest", str(src / "dupe.md"), "--replace", "--knowledge-dir", str(fresh_knowledge),
                                      "--persist-dir", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (fresh_knowledge / "documents").glob("dupe.*")) == ["dupe.md"]


def test_failed_ingest_leaves_nothing_in_documents(fresh_knowledge, tmp_path, monkeypatch):
    instance = Assistant.load(fresh_knowledge, tmp_path / "index")
    note = tmp_path / "ghana.txt"
    note.write_text(NOTE, encoding="utf-8")
    seen = {}

    def dies(*args, **kwargs):  # the process "dies" while the document is being indexed
        seen["staged"] = sorted(p.name for p in (fresh_knowledge / ".staging").rglob("*") if p.is_file())
        seen["documents"] = sorted(p.name for p in (fresh_knowledge / "documents").iterdir())
        raise KeyboardInterrupt

    monkeypatch.setattr(instance.store, "write", dies)
    with pytest.raises(KeyboardInterrupt):
        instance.ingest(note)
    assert seen["staged"] == ["ghana.txt"] and "ghana.txt" not in seen["documents"]
    assert not (fresh_knowledge / "documents" / "ghana.txt").exists()
    assert not any((fresh_knowledge / ".staging").iterdir())


def test_death_after_indexing_before_the_move_is_undone_at_the_next_start(fresh_knowledge, tmp_path, monkeypatch):
    """The last stage of an upload: indexed, but the process dies before the file moves into documents/.
    The client never got its 201, so the next start must not serve the document."""
    import assistant.staging as staging

    instance = Assistant.load(fresh_knowledge, tmp_path / "index")
    note = tmp_path / "ghana.txt"
    note.write_text(NOTE, encoding="utf-8")

    def dies(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(staging, "move_into", dies)
    with pytest.raises(KeyboardInterrupt):
        instance.ingest(note)
    monkeypatch.undo()
    assert not (fresh_knowledge / "documents" / "ghana.txt").exists()
    restarted = Assistant.load(fresh_knowledge, tmp_path / "index")
    assert "ghana" not in {d["id"] for d in restarted.documents()}


def test_several_files_are_added_in_one_ingest_and_clashing_ids_are_refused(fresh_knowledge, tmp_path):
    Assistant.load(fresh_knowledge, tmp_path / "index")
    src = tmp_path / "src"
    src.mkdir()
    (src / "ghana.txt").write_text(NOTE, encoding="utf-8")
    (src / "ecuador.md").write_text("# Ecuador\n\nEcuador proposed deleting Article 41.\n", encoding="utf-8")
    (src / "other").mkdir()
    (src / "other" / "ghana.md").write_text("# Ghana\n\nGhana spoke on Article 41.\n", encoding="utf-8")
    where = ["--knowledge-dir", str(fresh_knowledge), "--persist-dir", str(tmp_path / "index")]
    clash = CliRunner().invoke(cli, ["ingest", str(src / "ghana.txt"), str(src / "other"), *where])
    assert clash.exit_code != 0 and "ghana" in clash.output and "also that of" in clash.output, clash.output
    assert not list((fresh_knowledge / "documents").glob("ghana.*"))  # nothing half-added
    both = CliRunner().invoke(cli, ["ingest", str(src / "ghana.txt"), str(src / "ecuador.md"), *where])
    assert both.exit_code == 0, both.output
    assert "2 added" in both.output, both.output
    ids = {d["id"] for d in Assistant.load(fresh_knowledge, tmp_path / "index").documents()}
    assert {"ghana", "ecuador"} <= ids


def test_a_first_ingest_builds_the_index_of_the_folder_too(fresh_knowledge, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ghana.txt").write_text(NOTE, encoding="utf-8")
    where = ["--knowledge-dir", str(fresh_knowledge), "--persist-dir", str(tmp_path / "index")]
    result = CliRunner().invoke(cli, ["ingest", str(src / "ghana.txt"), *where])
    assert result.exit_code == 0, result.output
    ids = {d["id"] for d in Assistant.load(fresh_knowledge, tmp_path / "index", sync=False).documents()}
    assert "ghana" in ids and len(ids) > 1, ids  # the folder's own documents are indexed as well


def test_a_first_ingest_into_an_empty_archive_makes_it(tmp_path):
    # A newsroom starting from nothing: a knowledge folder with its gazetteer and no documents folder yet.
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    for name in ("actors.yaml", "articles.yaml"):
        (knowledge / name).write_text((REPO / "knowledge" / name).read_text(encoding="utf-8"), encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "ghana.txt").write_text(NOTE, encoding="utf-8")
    where = ["--knowledge-dir", str(knowledge), "--persist-dir", str(tmp_path / "index")]
    result = CliRunner().invoke(cli, ["ingest", str(src / "ghana.txt"), *where])
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in Assistant.load(knowledge, tmp_path / "index", sync=False).documents()] == ["ghana"]
    assert (knowledge / "documents" / "ghana.txt").is_file()
