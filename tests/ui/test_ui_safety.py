"""Markup inside documents is shown as text and never runs: in the document
reader, in the chat answer, in the sources panel and in the citation view."""

import pytest

pytestmark = pytest.mark.ui

# Raw tags are dropped by the HTML reader; the escaped ones become literal text of the
# document, which is exactly what the page must show without running it.
HOSTILE_HTML = """<html><head><title>Kestrel Islands note &lt;img src=x onerror="window.__pwned=3"&gt;</title></head>
<body><h1>Kestrel Islands note &lt;img src=x onerror="window.__pwned=3"&gt;</h1>
<p>The Kestrel Islands delegation said its lighthouse keepers' union opposed Article 41 and quoted the markup
&lt;script&gt;window.__pwned=1&lt;/script&gt; and &lt;img src=x onerror="window.__pwned=1"&gt; and ${window.__pwned=2} in its statement.</p>
<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">
</body></html>
"""
# A plain-text file keeps every character, tags included.
HOSTILE_TXT = """Osprey Bay memo

The Osprey Bay memo reported that the harbour pilots' guild backed Article 54 <script>window.__pwned=4</script> with the note <img src=x onerror="window.__pwned=5"> attached.
"""
LITERAL = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', "${window.__pwned=2}"]


def no_live_markup(page, root: str):
    assert page.locator(f"{root} script").count() == 0
    assert page.locator(f"{root} img").count() == 0
    assert page.locator(f"{root} [onerror]").count() == 0


def test_hostile_documents_are_shown_as_text(app, tmp_path):
    page = app.page
    (tmp_path / "kestrel_note.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (tmp_path / "osprey_memo.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    status = app.upload(tmp_path / "kestrel_note.html", tmp_path / "osprey_memo.txt")
    assert "Added and indexed" in status
    assert '<img src=x onerror="window.__pwned=3">' in status  # the title, literally

    # Documents tab: list and reader.
    page.locator("#doc-table tr[data-doc='kestrel_note']").click()
    page.wait_for_function("() => (document.querySelector('#doc-reader .doc-body') || {}).innerText"
                           "?.includes('lighthouse')")
    reader = page.inner_text("#doc-reader")
    for text in LITERAL:
        assert text in reader
    no_live_markup(page, "#doc-reader")
    no_live_markup(page, "#doc-table")
    page.locator("#doc-table tr[data-doc='osprey_memo']").click()
    page.wait_for_function("() => document.querySelector('#doc-reader').innerText.includes('Osprey Bay')")
    assert '<script>window.__pwned=4</script>' in page.inner_text("#doc-reader")
    no_live_markup(page, "#doc-reader")
    app.screenshot("ui_hostile_document.png")
    assert app.pwned() == "undefined"

    # Ask tab: the answer quotes the markup; the sources panel and the citation view show it as text.
    app.tab("Ask")
    bot = app.ask("What did the lighthouse keepers' union oppose?", 1)
    assert page.locator("#chat [data-testid=user]").first.inner_text().strip() == \
        "What did the lighthouse keepers' union oppose?"
    assert "<script>window.__pwned=1</script>" in bot.inner_text()
    assert "kestrel" in page.inner_text("#sources").lower()
    page.locator("#sources .cite-card", has_text="Kestrel").first.click()
    page.wait_for_selector("#chat-doc mark.cited")
    assert '<img src=x onerror="window.__pwned=1">' in page.inner_text("#chat-doc mark.cited")
    for root in ("#chat", "#sources", "#chat-doc"):
        no_live_markup(page, root)
    app.screenshot("ui_hostile_citation.png")
    page.wait_for_timeout(500)  # time for any injected handler to have fired
    assert app.pwned() == "undefined"
    assert page.js_errors == []


def test_question_markup_is_shown_literally(app):
    page = app.page
    question = 'Does <img src=x onerror="window.__pwned=6"> **bold** & Egypt\'s [1] view change Article 24?'
    app.ask(question, 1)
    user = page.locator("#chat [data-testid=user]").first
    assert user.inner_text().strip() == question
    no_live_markup(page, "#chat")
    assert "Answer 1: " + question in page.inner_text("#sources .sources-head")
    assert app.pwned() == "undefined"
