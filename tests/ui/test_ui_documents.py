"""The Documents tab: the stored list, reading a document, adding one by
upload and asking about it straight away."""

import pytest

pytestmark = pytest.mark.ui

FIJI = """# Statement by Fiji on the 24/7 network

Fiji told the Ad Hoc Committee that every 24/7 point of contact under Article 41 should answer an urgent request within 48 hours. Fiji said that small island states need this deadline because their cases often depend on data held by foreign service providers.
"""


def test_list_and_read_a_document(app):
    page = app.page
    app.tab("Documents")
    rows = page.locator("#doc-table tr[data-doc]")
    assert rows.count() >= 1
    rows.filter(has_text="Decision postponed").first.click()
    page.wait_for_selector("#doc-reader .doc-body")
    body = page.inner_text("#doc-reader .doc-body")
    assert "Human rights and safeguards" in body
    assert "Face, Head, Person" not in body  # cleaned form: scraped image captions are gone
    assert page.locator("#doc-reader .doc-meta").inner_text().startswith("Diplo, Digital Watch observatory")


def test_upload_then_ask_cites_the_new_document(app, tmp_path):
    page = app.page
    source = tmp_path / "fiji statement 24-7.md"  # a space: the app makes it a valid document id
    source.write_text(FIJI, encoding="utf-8")
    status = app.upload(source)
    assert "Added and indexed" in status and "Statement by Fiji on the 24/7 network" in status
    assert page.locator("#doc-table tr[data-doc='fiji_statement_24-7']").count() == 1
    assert "within 48 hours" in page.inner_text("#doc-reader .doc-body")
    app.screenshot("ui_document_added.png")

    app.tab("Ask")
    bot = app.ask("What did Fiji propose for the 24/7 network?", 1)
    assert "48 hours" in bot.inner_text()
    titles = page.locator("#sources .cite-title").all_inner_texts()
    assert "Statement by Fiji on the 24/7 network" in titles
    page.locator("#sources .cite-card", has_text="Statement by Fiji").first.click()
    page.wait_for_selector("#chat-doc mark.cited")
    assert "Fiji" in page.inner_text("#chat-doc mark.cited")
    app.screenshot("ui_new_document_cited.png")


def test_unreadable_upload_is_refused_with_a_clear_message(app, tmp_path):
    empty = tmp_path / "empty_note.txt"
    empty.write_text("   \n", encoding="utf-8")
    status = app.upload(empty)
    assert status.startswith("Not added:") and "empty_note.txt" in status
    assert app.page.locator("#doc-table tr[data-doc='empty_note']").count() == 0


def test_unsupported_file_is_named_not_choose_a_file(app, tmp_path):
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    status = app.upload(exe)
    assert "Choose a file first" not in status
    assert "Not a supported document type: setup.exe" in status
