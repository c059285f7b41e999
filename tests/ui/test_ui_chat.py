"""The Ask tab in a real browser: streamed answers with citation markers, the
sources panel, a citation opened highlighted in its document, old turns'
citations after scrolling back and after a reload, abstentions, copy."""

import json
import re

import pytest

pytestmark = pytest.mark.ui

EGYPT = "Why did Egypt object to Article 24?"


def mark_in_view(page, root: str) -> bool:
    """The highlighted passage lies inside the visible part of the scrollable document body."""
    return page.evaluate(
        """root => { const box = document.querySelector(root + ' .doc-body');
                     const m = document.querySelector(root + ' mark.cited');
                     if (!box || !m) return false;
                     const b = box.getBoundingClientRect(), r = m.getBoundingClientRect();
                     return r.top >= b.top - 1 && r.top < b.bottom; }""",
        root,
    )


def test_first_view_shows_examples_and_empty_panels(app):
    page = app.page
    examples = page.locator(".example-row button").all_inner_texts()
    assert examples[0] == EGYPT
    assert "Compare Russia and the US on the 24/7 network" in examples
    assert "Sources of an answer appear here" in page.inner_text("#sources")
    app.screenshot("ui_first_view.png")


def test_answer_cites_and_citation_opens_highlighted_passage(app):
    page = app.page
    # Record what the chat shows while the answer is produced (pending bubble, partial text). The
    # mutation records themselves are read, not only the bubble's text when the observer runs: on
    # a loaded machine the pending bubble and the answer can reach the page in one task, and the
    # text replaced in it is then only in the records (removed nodes, old character data).
    page.evaluate("""() => { window.__seen = [];
        new MutationObserver(records => {
          for (const r of records) {
            for (const n of [...r.addedNodes, ...r.removedNodes]) window.__seen.push(n.textContent || '');
            if (r.type === 'characterData') window.__seen.push(r.oldValue || '', r.target.data || '');
          }
          const b = [...document.querySelectorAll('#chat [data-testid=bot]')].pop();
          if (b) window.__seen.push(b.innerText); })
        .observe(document.querySelector('#chat'),
                 {subtree: true, childList: true, characterData: true, characterDataOldValue: true}); }""")
    bot = app.ask(EGYPT, 1)
    text = bot.inner_text()
    assert re.search(r"proportionality.*\[1\]", text, re.S), text
    assert page.locator("#chat .abstain").count() == 0
    seen = page.evaluate("window.__seen")
    assert any("Searching the sources" in s for s in seen), "no pending bubble was shown before the answer"

    cards = page.locator("#sources .cite-card")
    assert cards.count() >= 1
    first = cards.nth(0)
    assert "Decision postponed on the Cybercrime Convention" in first.inner_text()
    assert "Human rights and safeguards" in first.inner_text()  # the section
    quote = first.locator("mark").inner_text()
    assert "Egypt raised concerns about Article 24" in quote
    # The quote is marked inside its whole paragraph, which says more than the quote.
    assert len(first.locator(".cite-context").inner_text()) > len(quote)
    app.screenshot("ui_answer.png")

    # Selecting a citation in the radio list opens the document, scrolled to the marked quote.
    page.locator("#cite-picker label", has_text="[1]").click()
    page.wait_for_selector("#chat-doc mark.cited")
    assert page.inner_text("#chat-doc mark.cited") == quote
    assert page.inner_text("#chat-doc .doc-caption") == "Citation [1] of answer 1"
    page.wait_for_function("() => document.querySelector('#chat-doc .doc-body').scrollTop > 0")
    page.wait_for_timeout(400)  # the smooth scroll of the window settles
    assert mark_in_view(page, "#chat-doc")
    assert page.locator("#sources .cite-card.selected").get_attribute("data-cite") == "1"

    # Clicking a source card does the same, for that card's citation.
    last = cards.nth(cards.count() - 1)
    number = last.get_attribute("data-cite")
    last.click()
    page.wait_for_function(
        "n => (document.querySelector('#chat-doc .doc-caption') || {}).textContent === `Citation [${n}] of answer 1`",
        arg=number)
    assert page.inner_text("#chat-doc mark.cited") == last.locator("mark").inner_text()
    assert page.locator(f"#cite-picker input[value='{number}']").is_checked()
    page.locator("#chat-doc").scroll_into_view_if_needed()
    app.screenshot("ui_citation.png")
    assert page.js_errors == []


def test_follow_up_old_citations_reload_and_abstention(app, browser):
    page = app.page
    app.ask(EGYPT, 1)
    second = app.ask("What did Brazil suggest about it?", 2)
    assert "Brazil" in second.inner_text()
    third = app.ask("What did France say about Article 99?", 3)
    assert third.locator(".abstain").count() == 1
    assert "The sources don't say" in third.inner_text()
    assert "No sources: the assistant abstained." in page.inner_text("#sources")
    app.screenshot("ui_abstention.png")

    # Each answer keeps its own source list in the chat ...
    assert "Sources (" in page.locator("#chat [data-testid=bot]").nth(0).inner_text()
    # ... and clicking an earlier answer brings its citations back to the panel.
    page.locator("#chat [data-testid=bot]").nth(0).click()
    page.wait_for_function(
        "() => document.querySelector('#sources .sources-head').textContent.startsWith('Answer 1:')")
    page.locator("#sources .cite-card[data-cite='1']").click()
    page.wait_for_selector("#chat-doc mark.cited")
    assert "Egypt raised concerns about Article 24" in page.inner_text("#chat-doc mark.cited")

    # After a reload the saved conversation comes back, citations and all.
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#chat [data-testid=bot]').length === 3", timeout=60_000)
    assert page.locator("#chat .abstain").count() == 1
    page.locator("#turn-picker input").click()
    page.get_by_role("option", name=re.compile(r"^1\. Why did Egypt")).click()
    page.wait_for_function(
        "() => document.querySelector('#sources .sources-head').textContent.startsWith('Answer 1:')")
    page.locator("#sources .cite-card[data-cite='1']").click()
    page.wait_for_selector("#chat-doc mark.cited")
    assert "Egypt raised concerns about Article 24" in page.inner_text("#chat-doc mark.cited")
    app.screenshot("ui_after_reload.png")

    # "New conversation" starts empty; the old one stays saved on the server ...
    page.click("#new-conv")
    page.wait_for_function("() => document.querySelectorAll('#chat [data-testid=bot]').length === 0")
    assert page.js_errors == []

    # ... and opens in another browser from a link with its id.
    saved = [json.loads(p.read_text()) for p in app.server.conversations.glob("*.json")]
    [conv] = [c for c in saved if [t["question"] for t in c["turns"]][:1] == [EGYPT] and len(c["turns"]) == 3]
    other = browser.new_context()
    try:
        link = other.new_page()
        link.goto(f"{app.server.url}?c={conv['id']}")
        link.wait_for_function("() => document.querySelectorAll('#chat [data-testid=bot]').length === 3",
                               timeout=60_000)
        assert "What did Brazil suggest about it?" in link.inner_text("#chat")
    finally:
        other.close()


def test_copy_answer_as_markdown(app, browser):
    page = app.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.server.url.rstrip("/"))
    app.ask(EGYPT, 1)
    page.click("#copy-md")
    page.wait_for_selector("text=Answer copied as Markdown")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[^1]" in copied and '\n[^1]: "' in copied and "Egypt raised concerns about Article 24" in copied
    assert "Human rights and safeguards" in copied


def test_blank_and_overlong_questions_are_refused_with_their_reason(app):
    page = app.page
    page.fill("#question textarea", "   ")
    page.click("#ask-btn")
    page.get_by_text("Type a question first.").wait_for(timeout=10_000)
    assert page.locator("#chat [data-testid=bot]").count() == 0

    # A paste far over the limit reaches the assistant whole, so the message gives its real length.
    page.fill("#question textarea", "Why did Egypt object? " * 250)  # 5,500 characters
    page.click("#ask-btn")
    page.wait_for_selector("#chat .chat-error", timeout=30_000)
    assert page.inner_text("#chat .chat-error").strip() == (
        "Could not answer: the question is 5499 characters long; the limit is 1000")
    assert page.js_errors == []
