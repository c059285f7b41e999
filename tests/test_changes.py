"""What changed between two periods: changed stances, additions and withdrawals from records, each
side cited; Before/After passages without records; one period only; none; the periods parsed."""

from __future__ import annotations

import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant import Assistant
from assistant.answering.periods import asks_change, resolve
from assistant.api import Settings, create_app
from assistant.cli import app

from .conftest import copy_knowledge

REPORTS = {  # id: (date, title, text) -- the session a report is from is named only in its title
    "day_feb": ("2024-02-02", "Concluding session, day five",
                "Fifth day\n\nGhana opposed Article 24, warning that its safeguards were too weak for small states. "
                "Kenya supported Article 24 as drafted by the Chair. "
                "Norway proposed a sunset clause for Article 24 so that the powers would lapse.\n"),
    "day_aug": ("2024-08-08", "Reconvened session, day eight",
                "Eighth day\n\nGhana withdrew its objection to Article 24 and joined the consensus on the safeguards. "
                "Kenya opposed Article 24, saying the safeguards had been diluted. "
                "Brazil proposed a review clause for Article 24 after five years.\n"),
    "side_2023": ("2023-04-18", "Side event on capacity building",
                  "Side event\n\nThe side event on capacity building drew 120 participants.\n"),
}
Q = "What changed between the concluding session and the reconvened session on Article 24?"


def _record(rid, actor, stance, doc, quote):
    return {"id": rid, "actors": [actor], "provisions": ["24"], "issue": "safeguards", "stance": stance,
            "summary": quote, "evidence": [{"document": doc, "quote": quote}]}


RECORDS = [
    _record("ghana-feb", "ghana", "opposes", "day_feb", "Ghana opposed Article 24, warning that its safeguards were too weak for small states."),
    _record("ghana-aug", "ghana", "withdraws", "day_aug", "Ghana withdrew its objection to Article 24 and joined the consensus on the safeguards."),
    _record("kenya-feb", "kenya", "supports", "day_feb", "Kenya supported Article 24 as drafted by the Chair."),
    _record("kenya-aug", "kenya", "opposes", "day_aug", "Kenya opposed Article 24, saying the safeguards had been diluted."),
    _record("norway-feb", "norway", "proposes", "day_feb", "Norway proposed a sunset clause for Article 24 so that the powers would lapse."),
    _record("brazil-aug", "brazil", "proposes", "day_aug", "Brazil proposed a review clause for Article 24 after five years."),
]


def _world(tmp_path, records, reports=REPORTS):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    for doc_id, (date, title, text) in reports.items():
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (docs / f"{doc_id}.meta.yaml").write_text(
            yaml.safe_dump({"date": date, "title": title, "publisher": "Harbour Times"}), encoding="utf-8")
    (knowledge / "positions.yaml").write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")
    return knowledge, Assistant.load(knowledge, tmp_path / "index")


def _cited(assistant, answer):
    """Every sentence carries a citation, and every citation is a verbatim span of its document."""
    assert not answer.abstained, answer.text
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote
    from assistant.answering.compose import answer_sentences

    for sentence in answer_sentences(answer.text):
        assert "[" in sentence, sentence


def _line(text: str, start: str) -> str:
    at = text.index(start)
    return text[at:at + 300]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return _world(tmp_path_factory.mktemp("changes"), RECORDS)


def test_changed_added_and_withdrawn_from_records(world):
    _, assistant = world
    answer = assistant.ask(Q)
    _cited(assistant, answer)
    text = answer.text
    assert "Changed: Kenya on Article 24 (supports then opposes)" in text, text
    assert "Withdrawn: Ghana on Article 24" in text, text
    assert "Added in" in text and "Brazil on Article 24" in _line(text, "Added in"), text
    assert "No longer reported in" in text and "Norway on Article 24" in _line(text, "No longer reported in"), text
    # each side quoted and dated: the earlier stance before the later one
    assert text.index("Before (2024-02-02") < text.index("After (2024-08-08"), text
    assert "Kenya supported Article 24 as drafted by the Chair" in text and "Kenya opposed Article 24" in text
    assert {c.document_id for c in answer.citations} == {"day_feb", "day_aug"}
    assert {r["id"] for r in answer.positions} == {r["id"] for r in RECORDS}


def test_periods_parsed_from_the_question(world):
    _, assistant = world
    corpus = assistant._answerer.corpus
    by_session = resolve(corpus, Q)
    assert [p.documents for p in by_session] == [{"day_feb"}, {"day_aug"}]
    by_date = resolve(corpus, "What changed on Article 24 between 2 February 2024 and August 2024?")
    assert [p.documents for p in by_date] == [{"day_feb"}, {"day_aug"}]
    reversed_order = resolve(corpus, "What changed on Article 24 between August 2024 and February 2024?")
    assert [p.documents for p in reversed_order] == [{"day_feb"}, {"day_aug"}]
    by_year = resolve(corpus, "How did the talks change between 2023 and 2024?")
    assert [p.documents for p in by_year] == [{"side_2023"}, {"day_feb", "day_aug"}]
    one_named = resolve(corpus, "How did Article 24 change between the concluding session and the end?")
    assert [p.documents for p in one_named] == [{"day_feb"}, {"day_aug"}]
    since = resolve(corpus, "What changed on Article 24 since the concluding session?")
    assert [p.documents for p in since] == [{"day_feb"}, {"day_aug"}]
    later = resolve(corpus, "What changed on Article 24 in the reconvened session?")
    assert [p.documents for p in later] == [{"day_feb", "side_2023"}, {"day_aug"}]
    # a session's name and a month that name different reports: the month decides (the reports of a month are about
    # what happened then, whatever session their titles name); each stage after "through" is a period of its own
    named_and_dated = resolve(corpus, "What changed on Article 24 between April 2023 and the concluding session in August 2024?")
    assert [p.documents for p in named_and_dated] == [{"side_2023"}, {"day_aug"}]
    stages = resolve(corpus, "How did the talks change from April 2023, through February 2024, to August 2024?")
    assert [p.documents for p in stages] == [{"side_2023"}, {"day_feb"}]
    assert asks_change(Q) and asks_change("What changed on Article 24?")
    # the same words without a comparison of two periods are other kinds of question
    assert not asks_change("How did Ghana's position on Article 24 change?")
    assert not asks_change("Which sessions between 2022 and 2024 took place in Vienna?")
    # a count ("more than a hundred"), a verb ("address") and a place ("New York") compare no periods
    assert not asks_change("To whom did more than a hundred NGOs address their joint letter in late 2021?")
    assert not asks_change("How did the session held in New York from late January to early February 2024 end?")
    assert asks_change("What was added to the text in 2024, compared with 2022?")


def test_no_periods_named_splits_at_the_evidence_dates(world):
    _, assistant = world
    answer = assistant.ask("What changed for Kenya on Article 24?")
    _cited(assistant, answer)
    assert "Changed: Kenya on Article 24" in answer.text, answer.text


def test_only_one_period_has_evidence(world):
    _, assistant = world
    answer = assistant.ask("What changed on Article 24 between the side event in 2023 and the reconvened session?")
    _cited(assistant, answer)
    assert answer.text.startswith("Only the reconvened session has evidence"), answer.text
    assert {c.document_id for c in answer.citations} == {"day_aug"}


def test_neither_period_has_evidence(world):
    _, assistant = world
    answer = assistant.ask("What changed between the first session and the second session on Article 24?")
    assert answer.abstained and not answer.citations, answer.text


def test_passages_before_and_after_without_records(tmp_path):
    _, assistant = _world(tmp_path, [])
    answer = assistant.ask("What changed for Ghana between the concluding session and the reconvened session?")
    _cited(assistant, answer)
    text = answer.text
    assert text.index("Before (2024-02-02, Concluding session, day five): Ghana opposed") < \
        text.index("After (2024-08-08, Reconvened session, day eight): Ghana withdrew"), text
    on_24 = assistant.ask("What changed on Article 24 between the concluding session and the reconvened session?")
    _cited(assistant, on_24)
    assert len(on_24.citations) >= 4, on_24.text
    for heading in ("Before (2024-02-02", "After (2024-08-08"):  # once per side and source, not per quote
        assert on_24.text.count(heading) == 1, on_24.text
    one = assistant.ask("What changed for Ghana between the concluding session in 2024 and the side event in 2023?")
    _cited(assistant, one)
    assert one.text.startswith("Only"), one.text
    assert {c.document_id for c in one.citations} == {"day_feb"}


def test_a_year_a_period_is_named_by_is_that_periods_not_each_reports(tmp_path):
    # "between the June 2021 draft and the final text": the later reports need not name 2021 to be "after June 2021"
    _, assistant = _world(tmp_path, [], {
        "draft_2021": ("2021-06-29", "Draft convention (unofficial translation)",
                       "Draft\n\nConvention on Countering the Use of Information Technologies for Criminal Purposes\n\n"
                       "Chapter I General provisions\n\nChapter II Criminalization\n"),
        "final_2024": ("2024-08-09", "Treaty agreed",
                       "Agreed\n\nDelegates agreed to change the treaty's name in the final text to the Convention "
                       "against Cybercrime. The name change was the last point settled.\n"),
    })
    answer = assistant.ask("How did the treaty's name change between the June 2021 draft and the final text?")
    _cited(assistant, answer)
    assert {c.document_id for c in answer.citations} == {"draft_2021", "final_2024"}, answer.text
    assert answer.text.index("Before (2021-06-29") < answer.text.index("After (2024-08-09"), answer.text


def test_cli_and_http(world):
    knowledge, assistant = world
    result = CliRunner().invoke(app, ["ask", Q, "--json", "-k", str(knowledge), "--persist-dir", str(assistant.persist_dir)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert "Changed: Kenya on Article 24" in body["text"] if "text" in body else body["answer"], body
    client = TestClient(create_app(lambda: assistant, Settings()))
    reply = client.post("/v1/ask", json={"question": Q})
    assert reply.status_code == 200
    assert "Changed: Kenya on Article 24" in json.dumps(reply.json())


def test_a_question_that_names_a_report_by_its_date_or_session_searches_those_reports_too(world):
    _, assistant = world
    answerer = assistant._answerer
    assert answerer.query("What did Kenya say at the reconvened session?").dated == {"day_aug"}
    assert answerer.query("What does the 2 February 2024 report say about Kenya?").dated == {"day_feb"}
    # An event's date is not a report's, but the reports of its month and the next are read first (not only:
    # the reports about it may be dated later).
    assert answerer.query("When the talks opened on 2 February 2024, what did Kenya say?").dated == {"day_feb"}
    assert answerer.query("When the talks opened on 2 May 2023, what did Kenya say?").dated == set()
    answer = assistant.ask("What did Kenya say about Article 24 at the reconvened session?")
    assert not answer.abstained and answer.citations[0].document_id == "day_aug", answer.text


def test_a_follow_up_reads_the_reports_its_earlier_turn_named(world):
    _, assistant = world
    history = [{"role": "user", "content": "What did Kenya say at the reconvened session?"},
               {"role": "assistant", "content": "Kenya spoke on Article 24 [1]."}]
    query = assistant._answerer.query("And what did they say about Article 24?", history)
    assert query.inherited and query.dated == {"day_aug"}
    # A follow-up that names its own session reads that one.
    assert assistant._answerer.query("And what did they say at the concluding session?", history).dated != {"day_aug"}
