"""The chat and the API share one access model: with ASSISTANT_API_KEYS set, adding a
document in the chat needs a write key; with --read-only it cannot be done at all."""

import pytest

from conftest import App, running_ui  # tests/ui is not a package: its conftest is a top-level module

pytestmark = pytest.mark.ui

NOTE = "# Note by Fiji\n\nFiji proposed that Article 41 requests be answered within 48 hours.\n"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory):
    with running_ui(tmp_path_factory.mktemp("ui-keys"), {"ASSISTANT_API_KEYS": "ui-write:write,ui-read:read"}) as server:
        yield server


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory):
    with running_ui(tmp_path_factory.mktemp("ui-read-only"), args=["--read-only"]) as server:
        yield server


def _open(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    app = App(context.new_page(), server, artifacts)
    app.open()
    return context, app


def test_adding_needs_a_write_key(browser, keyed_server, artifacts, tmp_path):
    context, app = _open(browser, keyed_server, artifacts)
    try:
        note = tmp_path / "fiji-note.md"
        note.write_text(NOTE, encoding="utf-8")
        for key in (None, "wrong", "ui-read"):
            app.page.reload()
            app.open()
            status = app.upload(note, key=key)
            assert status.startswith("Not added:") and "write key" in status, (key, status)
        assert not (keyed_server.knowledge / "documents" / "fiji-note.md").exists()
        app.page.reload()
        app.open()
        status = app.upload(note, key="ui-write")
        assert "Added and indexed" in status, status
        assert (keyed_server.knowledge / "documents" / "fiji-note.md").exists()
    finally:
        context.close()


def test_read_only_chat_has_no_way_to_add(browser, read_only_server, artifacts):
    context, app = _open(browser, read_only_server, artifacts)
    try:
        app.tab("Documents")
        assert app.page.locator("#upload input[type=file]").count() == 0
        assert app.page.locator("#add-doc").is_visible() is False
        assert app.page.locator("#doc-table tr[data-doc]").count() >= 1  # reading still works
    finally:
        context.close()
