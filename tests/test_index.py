"""Incremental, idempotent, crash-safe indexing on a real embedded Chroma."""

import pytest

from assistant import Assistant
from assistant.errors import DocumentError, InputError

NEW_DOC = """Informal consultations on Article 41

Ghana proposed that the 24/7 network publish an annual report on requests it handled.
Chile supported the Ghanaian proposal, citing transparency.
"""


@pytest.fixture
def built(fresh_knowledge, tmp_path):
    return Assistant.load(fresh_knowledge, tmp_path / "index")


def test_second_run_adds_nothing(built):
    generation = built.store.current_generation()
    report = built.index()
    assert not report.changed
    assert report.unchanged == ["000_82a4455ff46a7c13"]
    assert built.store.current_generation() == generation


def test_added_changed_and_removed_documents(built, fresh_knowledge):
    docs = fresh_knowledge / "documents"
    (docs / "ghana.txt").write_text(NEW_DOC, encoding="utf-8")
    report = built.index()
    assert report.added == ["ghana"] and report.unchanged == ["000_82a4455ff46a7c13"]
    answer = built.ask("What did Ghana propose for the 24/7 network?")
    assert any(c.document_id == "ghana" for c in answer.citations), answer.text

    (docs / "ghana.txt").write_text(NEW_DOC.replace("annual report", "monthly bulletin"), encoding="utf-8")
    assert built.index().updated == ["ghana"]
    assert "monthly bulletin" in built.document("ghana").text

    (docs / "ghana.txt").unlink()
    assert built.index().removed == ["ghana"]
    assert [d["id"] for d in built.documents()] == ["000_82a4455ff46a7c13"]
    assert built.ask("What did Ghana propose?").abstained


def test_crash_mid_build_keeps_the_previous_index(built, fresh_knowledge):
    generation = built.store.current_generation()
    (fresh_knowledge / "documents" / "ghana.txt").write_text(NEW_DOC, encoding="utf-8")

    def crash(done, total, message):
        if message.startswith("embedding"):
            raise KeyboardInterrupt("power cut")

    with pytest.raises(KeyboardInterrupt):
        built.index(crash)
    assert built.store.current_generation() == generation
    reopened = Assistant.load(fresh_knowledge, built.persist_dir, sync=False)
    assert [d["id"] for d in reopened.documents()] == ["000_82a4455ff46a7c13"]
    assert not reopened.ask("Why did Egypt object to Article 24?").abstained
    for kind in ("documents", "passages", "sentence_rows"):  # the half-written version was dropped
        assert built.store.collection(kind).get(where={"document_id": "ghana"})["ids"] == []
    assert built.store.collection("manifest").get(where={"unit": "doc:ghana"})["ids"] == []


def test_ingest_adds_a_file_and_refuses_bad_ones(built, fresh_knowledge, tmp_path):
    good = tmp_path / "ghana-note.md"
    good.write_text("# Ghana\n\n" + NEW_DOC, encoding="utf-8")
    report = built.ingest(good)
    assert report.added == ["ghana-note"]
    assert (fresh_knowledge / "documents" / "ghana-note.md").exists()
    generation = built.store.current_generation()

    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\xff\x00binary")
    with pytest.raises(DocumentError, match="broken.txt"):
        built.ingest(bad)
    with pytest.raises(DocumentError, match="unsupported file type"):
        (tmp_path / "deck.pptx").write_bytes(b"PK")
        built.ingest(tmp_path / "deck.pptx")
    assert not (fresh_knowledge / "documents" / "broken.txt").exists()
    assert built.store.current_generation() == generation


def test_empty_knowledge_folder_leaves_index_as_it_was(built, fresh_knowledge):
    generation = built.store.current_generation()
    for p in (fresh_knowledge / "documents").iterdir():
        p.unlink()
    with pytest.raises(InputError, match="no documents"):
        built.index()
    assert built.store.current_generation() == generation
    assert not built.ask("Why did Egypt object to Article 24?").abstained


@pytest.mark.parametrize("setup,name,message", [
    (lambda k: (k / "documents" / "bad.docx").write_bytes(b"x"), "bad.docx", "unsupported file type"),
    (lambda k: (k / "documents" / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20), "latin.txt", "neither UTF-8"),
])
def test_a_bad_file_is_set_aside_and_the_rest_served(built, fresh_knowledge, setup, name, message):
    generation = built.store.current_generation()
    setup(fresh_knowledge)
    built.index()
    assert [p["file"] for p in built.problems] == [name] and message in built.problems[0]["reason"]
    assert built.store.current_generation() == generation
    assert not built.ask("Why did Egypt object to Article 24?").abstained


def test_missing_knowledge_folder(tmp_path):
    with pytest.raises(InputError, match="not found"):
        Assistant.load(tmp_path / "nowhere", tmp_path / "index")


def test_a_new_alias_in_actors_yaml_reaches_the_reports_indexed_already(tmp_path):
    from .test_sources import _world

    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Closing\n\nThe Gold Coast delegation asked for Article 24 to be deleted, citing sovereignty.\n"),
    ])
    knowledge = assistant.knowledge_dir
    question = "Why did Ghana want Article 24 deleted?"
    assert "wire" not in assistant.answerer.corpus.catalog.documents_mentioning("actor", {"ghana"})
    assert not assistant.index().changed  # nothing changed: nothing is read again
    actors = knowledge / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "  aliases: [Republic of Ghana]", "  aliases: [Republic of Ghana, Gold Coast]"), encoding="utf-8")
    # An ingest reads the documents it adds with it, and leaves the others for the next full index.
    extra = tmp_path / "extra.txt"
    extra.write_text("Extra\n\nThe Gold Coast delegation also spoke on Article 6.\n", encoding="utf-8")
    assert assistant.ingest(extra).added == ["extra"]
    assert "wire" not in assistant.answerer.corpus.catalog.documents_mentioning("actor", {"ghana"})
    report = assistant.index()
    assert sorted(report.updated) == ["extra", "wire"], report.summary()
    assert "wire" in assistant.answerer.corpus.catalog.documents_mentioning("actor", {"ghana"})
    answer = assistant.ask(question)
    assert not answer.abstained and "Gold Coast delegation" in answer.citations[0].quote, answer.text
    # once read with it, not again, by this process or another opening the index
    assert not assistant.index().changed
    assert not Assistant.load(knowledge, tmp_path / "index", sync=False).index().changed
