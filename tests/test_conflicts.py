"""Sources that disagree: the answer says so and cites each side (a corpus with planted conflicts)."""

from __future__ import annotations

import shutil

import yaml

from assistant import Assistant

from .conftest import REPO, copy_knowledge

REPORTS = {
    "wire_a": "Tuesday's talks\n\nAt least 40 states supported the proposal for a 24/7 network on Tuesday, delegates said.\n"
              "Ghana supported Article 24 in its statement.\n"
              "The Chair circulated the revised text of the convention on 12 August 2024, delegates said.\n",
    "wire_b": "Observer diary\n\nSome 65 states supported the proposal for a 24/7 network, observers counted.\n"
              "Ghana opposed Article 24, citing its safeguards.\n"
              "Observers said the Chair circulated the revised text of the convention on 14 August 2024.\n",
    "wire_c": "Side event\n\nThe side event on capacity building drew 120 participants and 12 speakers.\n"
              "The side event on capacity building was held on 3 May 2024; its report followed in August 2024.\n",
}
RECORDS = [
    {"id": "ghana-24-a", "actors": ["ghana"], "provisions": ["24"], "issue": "safeguards", "stance": "supports",
     "summary": "Ghana supported Article 24.", "evidence": [{"document": "wire_a", "quote": "Ghana supported Article 24 in its statement."}]},
    {"id": "ghana-24-b", "actors": ["ghana"], "provisions": ["24"], "issue": "safeguards", "stance": "opposes",
     "summary": "Ghana opposed Article 24.", "evidence": [{"document": "wire_b", "quote": "Ghana opposed Article 24, citing its safeguards."}]},
]


def _world(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    for doc_id, text in REPORTS.items():
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (docs / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"title": doc_id.replace("_", " ").title()}), encoding="utf-8")
    (knowledge / "positions.yaml").write_text(yaml.safe_dump(RECORDS, sort_keys=False), encoding="utf-8")
    return Assistant.load(knowledge, tmp_path / "index")


def _verbatim(assistant, answer):
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote


def test_different_counts_are_both_given(tmp_path):
    assistant = _world(tmp_path)
    answer = assistant.ask("How many states supported the proposal for a 24/7 network?")
    assert answer.text.startswith("The sources differ"), answer.text
    assert {c.document_id for c in answer.citations} == {"wire_a", "wire_b"}
    assert "40" in answer.text and "65" in answer.text
    _verbatim(assistant, answer)
    # figures in one report about different things are no disagreement
    single = assistant.ask("How many participants did the side event on capacity building draw?")
    assert "differ" not in single.text and not single.abstained


def test_support_and_opposition_for_one_delegation_are_both_cited(tmp_path):
    assistant = _world(tmp_path)
    answer = assistant.ask("Did Ghana support Article 24?")
    assert "The sources differ" in answer.text and "Ghana" in answer.text, answer.text
    assert {c.document_id for c in answer.citations} == {"wire_a", "wire_b"}
    _verbatim(assistant, answer)


def test_different_dates_for_one_event_are_both_given(tmp_path):
    assistant = _world(tmp_path)
    answer = assistant.ask("When did the Chair circulate the revised text of the convention?")
    assert answer.text.startswith("The sources differ"), answer.text
    assert {c.document_id for c in answer.citations} == {"wire_a", "wire_b"}
    assert "12 August 2024" in answer.text and "14 August 2024" in answer.text
    _verbatim(assistant, answer)
    # several dates in one report are a sequence of events, not a disagreement
    single = assistant.ask("When was the side event on capacity building held?")
    assert "differ" not in single.text and not single.abstained, single.text


# Real documents of the evaluation corpus (sources in evals/corpus/SOURCES.md) that date the end of the
# negotiations differently: the Council of Europe has the committee reach agreement on 8 August 2024,
# Digital Policy Alert has the member states finalise the draft on 9 August 2024 (the day UNODC announced it).
REAL = ["coe-2024-08-08-treaty-agreed.md", "dpa-2024-08-09-draft-finalised.txt"]


def test_real_reports_that_date_the_agreement_differently(tmp_path):
    corpus = REPO / "evals" / "corpus" / "documents"
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    for name in REAL:
        shutil.copy(corpus / name, docs / name)
        meta = name.rsplit(".", 1)[0] + ".meta.yaml"
        shutil.copy(corpus / meta, docs / meta)
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    assistant = Assistant.load(knowledge, tmp_path / "index")
    answer = assistant.ask("When was the draft cybercrime convention agreed?")
    assert answer.text.startswith("The sources differ"), answer.text
    assert {c.document_id for c in answer.citations} == {"coe-2024-08-08-treaty-agreed", "dpa-2024-08-09-draft-finalised"}
    assert "8 August 2024" in answer.text and "9 August 2024" in answer.text
    _verbatim(assistant, answer)


def test_a_day_within_a_span_of_days_is_no_disagreement():
    from assistant.answering.periods import date_claims
    span = date_claims("The ceremony convened in Hanoi over two days, October 25 and 26, 2025.")
    assert span == [{("2025", "10", "25"), ("2025", "10", "26")}]
    assert date_claims("It ran on 10-12 May 2021.") == [{("2021", "05", d) for d in ("10", "11", "12")}]
    assert date_claims("Articles 6 and 24 were debated.") == []  # numbers without a month are no days


def test_a_report_of_one_day_of_an_event_of_two_days_agrees_with_it(tmp_path):
    from .test_sources import _world as world
    assistant = world(tmp_path, [
        ("gazette", "Kestrel Wire (KW)",
         "Signing\n\nThe signing ceremony for the convention convened in Hanoi over two days, October 25 and 26, 2025.\n"),
        ("radio", "Harbour Radio",
         "Signing\n\nOn October 26, the signing ceremony for the convention in Hanoi continued its plenary session.\n"),
    ])
    answer = assistant.ask("When was the signing ceremony in Hanoi held?")
    assert not answer.abstained and "differ" not in answer.text, answer.text
    assert "October 25 and 26" in answer.text, answer.text


def test_a_date_of_another_act_is_no_side_of_the_date_asked(tmp_path):
    from .test_sources import _world as reports

    assistant = reports(tmp_path, [
        ("adopted", "Kestrel Wire (KW)", "Adoption\n\nAdopted by consensus on Dec. 24, the historic convention "
                                         "comes after five years of negotiations and is the first world treaty to fight cybercrime.\n"),
        ("talks", "Harbour Times", "The talks\n\nSince May 2021, UN member states have been negotiating an "
                                   "international treaty on countering cybercrime.\n"),
    ])
    answer = assistant.ask("When was the convention against cybercrime approved?")
    assert not answer.abstained and "differ" not in answer.text, answer.text
    assert answer.citations[0].document_id == "adopted", answer.text


def test_a_count_of_another_act_is_no_side_of_the_count_asked(tmp_path):
    from .test_sources import _world as reports

    assistant = reports(tmp_path, [
        ("ratified", "Kestrel Wire (KW)", "Ratification\n\nSo far 12 states have ratified the convention against cybercrime.\n"),
        ("signed", "Harbour Times", "Signatures\n\nSo far 47 states have signed the convention against cybercrime.\n"),
    ])
    # (47 signatures and 12 ratifications are counts of two acts, not two reports at odds)
    answer = assistant.ask("How many states have ratified the convention against cybercrime?")
    assert not answer.abstained and "differ" not in answer.text, answer.text
    assert answer.citations[0].document_id == "ratified", answer.text


def test_a_condition_is_no_count_of_what_was_done(tmp_path):
    from .test_sources import _world as reports

    threshold = ("threshold", "Harbour Times", "Entry into force\n\nThe convention against cybercrime will enter into "
                                               "force 90 days after at least 40 states ratify it.\n")
    alone = reports(tmp_path / "alone", [threshold])
    answer = alone.ask("How many states have ratified the convention against cybercrime so far?")
    assert answer.abstained, answer.text
    # (asked what it needs, the same sentence answers)
    assert not alone.ask("How many states must ratify the convention against cybercrime?").abstained
    both = reports(tmp_path / "both", [threshold, ("ratified", "Kestrel Wire (KW)", "Ratification\n\nSo far 12 states "
                                                   "have ratified the convention against cybercrime.\n")])
    answer = both.ask("How many states have ratified the convention against cybercrime so far?")
    assert not answer.abstained and "differ" not in answer.text, answer.text
    assert answer.citations[0].document_id == "ratified", answer.text
