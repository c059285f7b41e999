"""Positions over time: dated steps in date order, each cited, from records or from sentences."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from assistant import Assistant
from assistant.cli import app

from .conftest import copy_knowledge

REPORTS = {  # id: (date, text) -- written out of date order on purpose
    "report_aug": ("2024-08-08", "Eighth day\n\nGhana withdrew its objection to Article 24 and joined the consensus on the safeguards.\n"),
    "report_feb": ("2024-02-01", "Opening week\n\nGhana opposed Article 24, warning that its safeguards were too weak for small states.\n"),
    "report_jul": ("2024-07-30", "Reconvened session\n\nGhana proposed new wording for Article 24 to strengthen the safeguards.\n"),
}
RECORDS = [
    {"id": "ghana-24-feb", "actors": ["ghana"], "provisions": ["24"], "issue": "safeguards", "stance": "opposes",
     "summary": "Ghana opposed Article 24.", "evidence": [{"document": "report_feb",
                                                          "quote": "Ghana opposed Article 24, warning that its safeguards were too weak for small states."}]},
    {"id": "ghana-24-aug", "actors": ["ghana"], "provisions": ["24"], "issue": "safeguards", "stance": "withdraws",
     "summary": "Ghana withdrew its objection to Article 24.", "evidence": [{"document": "report_aug",
                                                                           "quote": "Ghana withdrew its objection to Article 24 and joined the consensus on the safeguards."}]},
]


def _world(tmp_path, records, reports=REPORTS):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    for doc_id, (date, text) in reports.items():
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (docs / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"date": date, "publisher": "Harbour Times"}), encoding="utf-8")
    (knowledge / "positions.yaml").write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")
    return knowledge, Assistant.load(knowledge, tmp_path / "index")


def _check_dated(assistant, answer, expected_docs):
    assert not answer.abstained, answer.text
    assert [c.document_id for c in answer.citations] == expected_docs, answer.text
    dates = [REPORTS[d][0] for d in expected_docs]
    positions = [answer.text.index(f"On {d}") for d in dates]
    assert positions == sorted(positions), answer.text
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote


@pytest.mark.parametrize("question", ["How did Ghana's position on Article 24 change?",
                                      "How did Ghana's stance on Article 24 evolve across the sessions?"])
def test_from_records_in_date_order(tmp_path, question):
    _, assistant = _world(tmp_path, RECORDS)
    answer = assistant.ask(question)
    _check_dated(assistant, answer, ["report_feb", "report_aug"])
    assert {r["id"] for r in answer.positions} == {"ghana-24-feb", "ghana-24-aug"}


def test_from_sentences_in_date_order_without_records(tmp_path):
    _, assistant = _world(tmp_path, [])
    answer = assistant.ask("How did Ghana's position on Article 24 change over time?")
    _check_dated(assistant, answer, ["report_feb", "report_jul", "report_aug"])


def test_positions_timeline_command_and_dates(tmp_path):
    knowledge, assistant = _world(tmp_path, RECORDS)
    records = assistant.positions(actor="Ghana", timeline=True)  # curated, and extracted from report_jul
    assert [r["date"] for r in records] == ["2024-02-01", "2024-07-30", "2024-08-08"]
    assert [r["id"] for r in records if r["origin"] == "curated"] == ["ghana-24-feb", "ghana-24-aug"]
    runner = CliRunner()
    result = runner.invoke(app, ["positions", "--actor", "Ghana", "--timeline", "-k", str(knowledge),
                                 "--persist-dir", str(assistant.persist_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.index("2024-02-01") < result.output.index("2024-08-08")
    result = runner.invoke(app, ["positions", "--actor", "Ghana", "--timeline", "--format", "json", "-k", str(knowledge),
                                 "--persist-dir", str(assistant.persist_dir)])
    assert [r["date"] for r in json.loads(result.output)] == ["2024-02-01", "2024-07-30", "2024-08-08"]


@pytest.mark.parametrize("question,span", [
    ("Once negotiators agreed the text in August 2024, how did its passage unfold?", ("2024-08", None)),
    ("How did Russia's part evolve, from proposing it to the close of the talks in August 2024?", (None, "2024-08")),
    ("How did the US line change between February 2022 and January 2024?", ("2022-02", "2024-01")),
    ("How has the EU's position evolved since 2022?", ("2022-01", None)),
    ("How did Ghana's position change?", (None, None)),
    ("How did it play out from the 30 July debate to the 9 August meeting?", (None, None)),  # no year: no span placed
])
def test_the_span_of_time_a_question_bounds(question, span):
    from assistant.answering.periods import window

    assert window(question) == span


SPAN_REPORTS = {  # id: (date, text)
    "plan_2019": ("2019-12-28", "Resolution adopted\n\nThe General Assembly decided that the committee would submit a draft "
                                "convention to the General Assembly for adoption.\n"),
    "agreed_2024": ("2024-08-09", "Text agreed\n\nThe committee agreed the text, which goes to the General Assembly for "
                                  "adoption later this year.\n"),
    "adopted_2024": ("2024-12-24", "Assembly adopts\n\nThe General Assembly adopted the convention without a vote.\n"),
}


def test_a_course_bounded_in_time_is_told_by_reports_of_that_span(tmp_path):
    _, assistant = _world(tmp_path, [], SPAN_REPORTS)
    unbounded = assistant.ask("How did the convention's passage through the General Assembly unfold?")
    assert "plan_2019" in {c.document_id for c in unbounded.citations}, unbounded.text
    answer = assistant.ask("Once the committee agreed the text in August 2024, how did its passage through the "
                           "General Assembly unfold?")
    assert not answer.abstained, answer.text
    assert {c.document_id for c in answer.citations} == {"agreed_2024", "adopted_2024"}, answer.text
    assert answer.text.index("On 2024-08-09") < answer.text.index("On 2024-12-24"), answer.text


@pytest.mark.parametrize("text,dates", [
    ("adopted on 2024-12-24 in New York", [("2024", "12", "24")]),
    ("agreed in 2024-08", [("2024", "08", None)]),
    ("over the 2022-23 period", []),  # a span of years, not a month
])
def test_numeric_dates_in_a_text(text, dates):
    from assistant.answering.periods import dates_in

    assert dates_in(text) == dates


def test_a_sentence_dated_in_numbers_is_placed_in_the_span(tmp_path):
    reports = {**SPAN_REPORTS, "adopted_2024": (None, "Assembly adopts\n\nOn 2024-12-24 the General Assembly adopted the "
                                                      "convention without a vote.\n")}
    # (published in March 2025, after the span: the sentence's own date places it)
    _, assistant = _world(tmp_path, [], {d: (date or "2025-03-01", text) for d, (date, text) in reports.items()})
    answer = assistant.ask("How did the convention's passage through the General Assembly unfold between August 2024 "
                           "and December 2024?")
    assert not answer.abstained, answer.text
    assert {c.document_id for c in answer.citations} == {"agreed_2024", "adopted_2024"}, answer.text
