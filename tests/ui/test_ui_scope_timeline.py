"""Issue 14 in the browser: the Ask tab's filter bar scopes a question (chips show the filters),
the Positions tab's timeline shows an actor's stances along the dates with the evidence on
click, and the Documents tab lists each document's date, publisher, kind and missing fields.

The seed knowledge holds one document of one date, so this module serves a copy of it with
three small dated reports by another publisher and curated Ghana records on two of their dates."""

from __future__ import annotations

import shutil

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_timeline import RECORDS as TIMELINE_RECORDS
from conftest import ROOT, App, running_ui  # tests/ui is not a package: its conftest is a top-level module

pytestmark = pytest.mark.ui

SEED_PUBLISHER = "Diplo, Digital Watch observatory"
PUBLISHER = "Harbour Times"
REPORTS = {  # id: (meta, text)
    "report_feb": ({"title": "Harbour Times: opening week", "date": "2024-02-01", "kind": "news"},
                   "Opening week\n\nGhana opposed Article 24, warning that its safeguards were too weak for small states.\n"),
    "report_jul": ({"title": "Harbour Times: reconvened session", "date": "2024-07-30", "kind": "news"},
                   "Reconvened session\n\nGhana proposed new wording for Article 24 to strengthen the safeguards.\n\n"
                   "Egypt objected to Article 24 again, because its conditions and safeguards were left to each "
                   "state's domestic law.\n"),
    "report_aug": ({"title": "Harbour Times: eighth day", "date": "2024-08-08"},  # no kind: reported missing
                   "Eighth day\n\nGhana withdrew its objection to Article 24 and joined the consensus on the safeguards.\n"),
}
TITLES = {meta["title"] for meta, _ in REPORTS.values()}
RECORDS = TIMELINE_RECORDS  # Ghana opposed Article 24 on 2024-02-01 and withdrew on 2024-08-08
QUESTION = "Why did Egypt object to Article 24?"


@pytest.fixture(scope="module")
def dated_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("ui-dated")
    source = base / "source"
    shutil.copytree(ROOT / "knowledge", source, ignore=shutil.ignore_patterns(".index", ".conversations"))
    for doc_id, (meta, text) in REPORTS.items():
        (source / "documents" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (source / "documents" / f"{doc_id}.meta.yaml").write_text(
            yaml.safe_dump({**meta, "publisher": PUBLISHER}), encoding="utf-8")
    with open(source / "positions.yaml", "a", encoding="utf-8") as out:
        out.write("\n# Added by the browser test: Ghana on Article 24 on two dates.\n")
        out.write(yaml.safe_dump(RECORDS, sort_keys=False))
    with running_ui(base / "app", source=source) as server:
        yield server


@pytest.fixture()
def dated(browser, dated_server, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    app = App(pg, dated_server, artifacts)
    app.open()
    yield app
    assert not pg.js_errors, pg.js_errors
    context.close()


def _pick(page, box: str, option: str):
    """Choose an option of a (multiselect) dropdown by its label."""
    page.locator(f"#{box} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def _chips(page) -> str:
    return page.inner_text("#scope-chips")


def test_filter_bar_scopes_the_answer_and_shows_chips(dated):
    page = dated.page
    _pick(page, "scope-publisher", PUBLISHER)
    page.wait_for_function("t => document.querySelector('#scope-chips').innerText.includes(t)",
                           arg=f"publisher: {PUBLISHER}")
    bot = dated.ask(QUESTION, 1)
    titles = page.locator("#sources .cite-title").all_inner_texts()
    assert titles, bot.inner_text()
    assert set(titles) <= TITLES, titles  # every citation from the chosen publisher's documents
    assert "Harbour Times: reconvened session" in titles
    assert f"Asked within the filters: publisher {PUBLISHER}" in bot.inner_text()
    assert f"publisher: {PUBLISHER}" in _chips(page)
    dated.screenshot("ui_scope_filter.png")

    page.click("#scope-clear")
    page.wait_for_function("() => document.querySelector('#scope-chips').innerText.includes('No filters')")
    assert page.locator("#scope-publisher .token").count() == 0
    bot = dated.ask(QUESTION, 2)  # unscoped, the seed report answers too
    titles = page.locator("#sources .cite-title").all_inner_texts()
    assert any(t not in TITLES for t in titles), titles
    assert "Asked within the filters" not in bot.inner_text()


def test_chip_removal_and_a_bad_date(dated):
    page = dated.page
    # The first edit right after the page loads was once lost in CI (no chip after 30 s, the same step passing in
    # the runs before and after): it is typed again if its chip has not come after 10 s.
    for attempt in range(3):
        page.fill("#scope-since textarea, #scope-since input", "")
        page.fill("#scope-since textarea, #scope-since input", "2024-07-29")
        try:
            page.wait_for_function("() => document.querySelector('#scope-chips').innerText.includes('since: 2024-07-29')",
                                   timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    # dispatch_event: the chips row re-renders on each filter event, which Playwright's "stable" check can trip on.
    page.locator("#scope-chips .chip", has_text="since: 2024-07-29").locator(".chip-x").dispatch_event("click")
    page.wait_for_function("() => document.querySelector('#scope-chips').innerText.includes('No filters')")
    assert page.locator("#scope-since textarea, #scope-since input").input_value() == ""

    page.fill("#scope-since textarea, #scope-since input", "last week")
    page.wait_for_selector("#scope-chips .chip-bad")
    page.fill("#question textarea", QUESTION)
    page.click("#ask-btn")
    page.wait_for_selector("#chat .chat-error")
    error = page.inner_text("#chat .chat-error")
    assert "“since” filter" in error and "YYYY-MM-DD" in error and "last week" in error
    assert page.locator("#question textarea").input_value() == QUESTION  # kept, to ask again once corrected
    dated.screenshot("ui_scope_bad_date.png")
    page.fill("#scope-since textarea, #scope-since input", "2024-07-29")  # corrected: the page still answers
    page.wait_for_function("() => !document.querySelector('#scope-chips .chip-bad')")
    bot = dated.ask(QUESTION, 1)
    assert "Asked within the filters: since 2024-07-29" in bot.inner_text()
    assert set(page.locator("#sources .cite-title").all_inner_texts()) <= TITLES


def test_timeline_marks_in_date_order_and_evidence_on_click(dated):
    page = dated.page
    dated.tab("Positions")
    assert "Pick an actor" in page.inner_text("#timeline")
    _pick(page, "f-actor", "Ghana")
    page.wait_for_selector("#timeline g.tl-mark")
    marks = page.locator("#timeline g.tl-mark")
    dates = marks.evaluate_all("ms => ms.map(m => m.dataset.date)")
    xs = marks.evaluate_all("ms => ms.map(m => parseFloat(m.querySelector('circle').getAttribute('cx')))")
    assert {"2024-02-01", "2024-08-08"} <= set(dates), dates
    assert dates == sorted(dates) and xs == sorted(xs) and xs[0] < xs[-1], (dates, xs)
    stances = dict(zip(dates, marks.evaluate_all("ms => ms.map(m => m.dataset.stance)")))
    assert stances["2024-02-01"] == "opposes" and stances["2024-08-08"] == "withdraws"
    assert "opposes" in page.inner_text("#timeline .legend") and "withdraws" in page.inner_text("#timeline .legend")
    dated.screenshot("ui_timeline.png")

    page.locator("#timeline g.tl-mark[data-date='2024-08-08']").first.click()
    page.wait_for_selector("#evidence .tl-evidence")
    evidence = page.inner_text("#evidence")
    assert "Ghana withdrew its objection to Article 24" in evidence
    assert "Harbour Times: eighth day" in evidence and "2024-08-08" in evidence
    assert page.locator("#timeline g.tl-mark.chosen").get_attribute("data-date") == "2024-08-08"
    dated.screenshot("ui_timeline_evidence.png")

    # A matrix cell sets the article too: the timeline narrows to the actor on that article.
    page.locator("#matrix td[data-actor='ghana'][data-article='24']").click()
    page.wait_for_function("() => (document.querySelector('#timeline .timeline-head') || {}).textContent?.includes('Article 24')")
    assert page.locator("#timeline g.tl-mark").count() == len(dates)

    page.locator("#evidence .ev-quote").first.click()  # and on to the document, as from the matrix
    page.wait_for_selector("#doc-reader mark.cited")
    assert "Ghana withdrew its objection" in page.inner_text("#doc-reader mark.cited")


def test_documents_list_shows_date_publisher_kind_and_missing(dated):
    page = dated.page
    dated.tab("Documents")
    head = page.locator("#doc-table thead").inner_text()
    for column in ("Date", "Publisher", "Kind", "Missing"):
        assert column in head
    row = page.locator("#doc-table tr[data-doc='report_jul']")
    assert row.locator(".doc-date").inner_text() == "2024-07-30"
    assert row.locator(".doc-publisher").inner_text() == PUBLISHER
    assert row.locator(".doc-kind").inner_text() == "news"
    assert "kind" in page.locator("#doc-table tr[data-doc='report_aug'] .doc-missing").inner_text()
    seed = page.locator("#doc-table tr.doc-row").filter(has_text="Decision postponed")
    assert seed.locator(".doc-publisher").inner_text() == SEED_PUBLISHER
    dated.screenshot("ui_documents_metadata.png")


def test_ask_endpoint_takes_a_scope(dated_server):
    from gradio_client import Client

    client = Client(dated_server.url, verbose=False)
    result = client.predict(QUESTION, None, {"publishers": [PUBLISHER]}, api_name="/ask")
    assert result["citations"] and {c["title"] for c in result["citations"]} <= TITLES, result
    with pytest.raises(Exception, match="since"):
        client.predict(QUESTION, None, {"since": "last week"}, api_name="/ask")
    assert any(c["title"] not in TITLES for c in client.predict(QUESTION, api_name="/ask")["citations"])


def test_an_uploaded_documents_publisher_becomes_a_filter(dated, tmp_path):
    """Last in this module: it adds a document to the served knowledge."""
    page = dated.page
    source = tmp_path / "lagoon_note.md"
    source.write_text("---\ntitle: Lagoon Post on the 24/7 network\npublisher: Lagoon Post\ndate: 2024-08-01\n"
                      "kind: news\n---\n\nTonga asked that every 24/7 point of contact under Article 41 answer "
                      "within 48 hours.\n", encoding="utf-8")
    assert "Added and indexed" in dated.upload(source)
    row = page.locator("#doc-table tr[data-doc='lagoon_note']")
    assert row.locator(".doc-publisher").inner_text() == "Lagoon Post"
    assert row.locator(".doc-date").inner_text() == "2024-08-01"
    dated.tab("Ask")
    _pick(page, "scope-publisher", "Lagoon Post")
    page.wait_for_function("() => document.querySelector('#scope-chips').innerText.includes('publisher: Lagoon Post')")
    dated.ask("What did Tonga ask for the 24/7 network?", 1)
    assert set(page.locator("#sources .cite-title").all_inner_texts()) == {"Lagoon Post on the 24/7 network"}
