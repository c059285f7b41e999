"""The Positions tab: filters, the actors x articles stance matrix, and a
cell leading to its records and quotes, and a quote to its document."""

import pytest

pytestmark = pytest.mark.ui


def test_matrix_cell_shows_evidence_and_quote_opens_document(app):
    page = app.page
    app.tab("Positions")
    page.wait_for_selector("#matrix td[data-actor]")
    assert page.locator("#matrix th.row", has_text="Egypt").count() == 1
    assert page.locator("#matrix th.col", has_text="Art. 24").count() == 1
    app.screenshot("ui_positions.png")

    cell = page.locator("#matrix td[data-actor='egypt'][data-article='24']")
    assert "questions" in cell.get_attribute("title")
    cell.click()
    page.wait_for_function(
        "() => (document.querySelector('#evidence .evidence-head') || {}).textContent?.includes('Egypt')")
    evidence = page.inner_text("#evidence")
    assert "proportionality" in evidence
    assert page.locator("#f-actor input").input_value() == "Egypt"
    quote = page.locator("#evidence .ev-quote").first
    assert "Egypt raised concerns about Article 24" in quote.inner_text()
    app.screenshot("ui_positions_cell.png")

    quote.click()
    page.wait_for_selector("#doc-reader mark.cited")
    assert "Egypt raised concerns about Article 24" in page.inner_text("#doc-reader mark.cited")
    assert page.get_by_role("tab", name="Documents").get_attribute("aria-selected") == "true"


def test_stance_filter_narrows_matrix(app):
    page = app.page
    app.tab("Positions")
    page.wait_for_selector("#matrix td[data-actor]")
    before = page.locator("#matrix td[data-actor]").count()
    page.locator("#f-stance input").click()
    page.get_by_role("option", name="calls for deletion").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#matrix td[data-actor]').length < n", arg=before)
    classes = page.locator("#matrix td[data-actor]").evaluate_all("tds => tds.map(t => t.className)")
    assert classes and all("st-calls_for_deletion" in c for c in classes)
    assert "Egypt" in page.inner_text("#evidence")
    page.click("#f-clear")
    page.wait_for_function(
        "n => document.querySelectorAll('#matrix td[data-actor]').length === n", arg=before)
