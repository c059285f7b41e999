"""The records strategy (assistant/answering/strategies/records.py) on small corpora written here,
never the seed: two made-up session reports and curated position records that quote them.

Actors are real member states (the gazetteer only knows real ones); the articles are real numbers
of articles.yaml the seed never discusses (30 interception of content data, 32 criminal record,
33 protection of witnesses), and what the reports say about them is invented.
"""

from __future__ import annotations

import re

import pytest
import yaml

from assistant import Assistant

from .conftest import copy_knowledge

DAY3 = (
    "Third day of the resumed session\n\n"
    "Interception of content data\n\n"
    "Norway proposed adding a requirement of prior judicial authorisation to Article 30. "
    "Canada and Mexico supported Norway's proposal on Article 30, saying that interception without "
    "a judge's order would invite abuse. "
    "Egypt and Iran opposed Article 30 as drafted, arguing that it intruded on national sovereignty. "
    "Pakistan also opposed Article 30. "
    "Its delegate said the country's courts lacked the capacity to authorise every interception.\n\n"
    "Protection of witnesses\n\n"
    "Kenya supported Article 33 because witnesses in cyber cases faced threats across borders. "
    "Egypt supported Article 33 as well, calling it a useful safeguard for victims.\n"
)

DAY4 = (
    "Fourth day of the resumed session\n\n"
    "Protection of witnesses, continued\n\n"
    "Brazil opposed Article 33, warning that it would burden small prosecution services. "
    "The Chair asked delegations to send written comments by Friday.\n\n"
    "Interception of content data, continued\n\n"
    "The Chair ruled that prior judicial authorisation would be written into the next revised draft of Article 30.\n"
)


def _ev(document: str, *quotes: str) -> list[dict]:
    return [{"document": document, "quote": q} for q in quotes]


RECORDS = [
    {"id": "a30-norway-proposes-judicial-authorisation", "actors": ["norway"], "provisions": ["30"],
     "issue": "judicial authorisation of interception", "stance": "proposes", "responds_to": None,
     "summary": "Norway proposed requiring prior judicial authorisation under Article 30.", "reason": None,
     "evidence": _ev("day3", "Norway proposed adding a requirement of prior judicial authorisation to Article 30.")},
    {"id": "a30-canada-mexico-support-norway", "actors": ["canada", "mexico"], "provisions": ["30"],
     "issue": "judicial authorisation of interception", "stance": "supports",
     "responds_to": "a30-norway-proposes-judicial-authorisation",
     "summary": "Canada and Mexico supported Norway's proposal for judicial authorisation in Article 30.",
     "reason": "Interception without a judge's order would invite abuse.",
     "evidence": _ev("day3", "Canada and Mexico supported Norway's proposal on Article 30",
                     "interception without a judge's order would invite abuse")},
    {"id": "a30-egypt-iran-oppose", "actors": ["egypt", "iran"], "provisions": ["30"],
     "issue": "interception of content data", "stance": "opposes", "responds_to": None,
     "summary": "Egypt and Iran opposed Article 30 as drafted.",
     "reason": "It intruded on national sovereignty.",
     "evidence": _ev("day3", "Egypt and Iran opposed Article 30 as drafted, arguing that it intruded on "
                             "national sovereignty.")},
    {"id": "a30-pakistan-opposes", "actors": ["pakistan"], "provisions": ["30"],
     "issue": "interception of content data", "stance": "opposes", "responds_to": None,
     "summary": "Pakistan opposed Article 30.",
     "reason": "Its courts lacked the capacity to authorise every interception.",
     "evidence": _ev("day3", "Pakistan also opposed Article 30.",
                     "Its delegate said the country's courts lacked the capacity to authorise every interception.")},
    {"id": "a33-kenya-supports", "actors": ["kenya"], "provisions": ["33"],
     "issue": "protection of witnesses", "stance": "supports", "responds_to": None,
     "summary": "Kenya supported Article 33 on the protection of witnesses.",
     "reason": "Witnesses in cyber cases faced threats across borders.",
     "evidence": _ev("day3", "Kenya supported Article 33 because witnesses in cyber cases faced threats across borders.")},
    {"id": "a33-egypt-supports", "actors": ["egypt"], "provisions": ["33"],
     "issue": "protection of witnesses", "stance": "supports", "responds_to": None,
     "summary": "Egypt supported Article 33 as a useful safeguard for victims.", "reason": None,
     "evidence": _ev("day3", "Egypt supported Article 33 as well, calling it a useful safeguard for victims.")},
    {"id": "a30-outcome-judicial-authorisation", "actors": [], "provisions": ["30"],
     "issue": "judicial authorisation of interception", "stance": "outcome", "responds_to": None,
     "summary": "The Chair ruled that prior judicial authorisation would go into the next revised draft of Article 30.",
     "reason": None,
     "evidence": _ev("day4", "The Chair ruled that prior judicial authorisation would be written into the next "
                             "revised draft of Article 30.")},
    {"id": "a33-brazil-opposes", "actors": ["brazil"], "provisions": ["33"],
     "issue": "protection of witnesses", "stance": "opposes", "responds_to": None,
     "summary": "Brazil opposed Article 33.",
     "reason": "It would burden small prosecution services.",
     "evidence": _ev("day4", "Brazil opposed Article 33, warning that it would burden small prosecution services.")},
]


def _report(folder, doc_id, publisher, text):
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"title": doc_id, "publisher": publisher}),
                                                encoding="utf-8")


def _world(root, reports, records) -> Assistant:
    """A knowledge folder with only these reports and these position records (actors.yaml and
    articles.yaml are the real ones), indexed."""
    knowledge = copy_knowledge(root / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    for doc_id, publisher, text in reports:
        _report(docs, doc_id, publisher, text)
    (knowledge / "positions.yaml").write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True),
                                              encoding="utf-8")
    return Assistant.load(knowledge, root / "index")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return _world(tmp_path_factory.mktemp("records"),
                  [("day3", "Kestrel Wire (KW)", DAY3), ("day4", "Harbour Times", DAY4)], RECORDS)


def assert_cited_verbatim(assistant, answer):
    assert answer.citations, answer.text
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote
        assert f"[{c.number}]" in answer.text, answer.text


def used_ids(answer) -> set[str]:
    return {r["id"] for r in answer.positions}


def names(text: str, name: str) -> bool:
    return bool(re.search(rf"\b{name}\b", text))


def test_list_names_every_opponent_and_no_supporter(world):
    answer = world.ask("Which states opposed Article 30?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a30-egypt-iran-oppose", "a30-pakistan-opposes"}, answer.text
    for state in ("Egypt", "Iran", "Pakistan"):
        assert names(answer.text, state), state
    for state in ("Canada", "Mexico", "Norway", "Kenya", "Brazil"):
        assert not names(answer.text, state), (state, answer.text)


@pytest.mark.parametrize("question", [
    "Which states opposed Article 33?",
    "Who was against the witness protection article?",  # the article by its name, fewer shared words
    "Which countries objected to witness protection?",
])
def test_a_list_by_stance_takes_the_opponent_worded_unlike_the_question_not_a_supporter(world, question):
    # Kenya's record shares the question's words ("protection of witnesses"), Brazil's does not:
    # the list still answers with the stance asked for, and never offers a supporter as an opponent.
    answer = world.ask(question)
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a33-brazil-opposes"}, answer.text
    assert names(answer.text, "Brazil") and not names(answer.text, "Kenya"), answer.text


def test_compare_cites_both_sides(world):
    answer = world.ask("How did Egypt's position on Article 33 differ from Brazil's?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a33-egypt-supports", "a33-brazil-opposes"}, answer.text
    quotes = {c.document_id: c.quote for c in answer.citations}
    assert quotes.get("day3", "").startswith("Egypt supported Article 33"), answer.citations
    assert quotes.get("day4", "").startswith("Brazil opposed Article 33"), answer.citations
    # Egypt, asked about first, comes first.
    assert answer.text.index("Egypt") < answer.text.index("Brazil"), answer.text


def test_why_gives_the_stance_and_the_records_reason(world):
    answer = world.ask("Why did Pakistan oppose Article 30?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a30-pakistan-opposes"}, answer.text
    assert "Pakistan also opposed Article 30" in answer.text
    assert "lacked the capacity to authorise every interception" in answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "lacked the capacity" in quotes and "opposed Article 30" in quotes


def test_did_x_support_is_answered_from_xs_record(world):
    answer = world.ask("Did Kenya support Article 33?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a33-kenya-supports"}, answer.text
    assert "Kenya supported Article 33" in answer.text
    # Asked the other way round, the record that says otherwise answers it.
    answer = world.ask("Did Brazil support Article 33?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a33-brazil-opposes"}, answer.text
    assert "Brazil opposed Article 33" in answer.text


def test_who_supported_xs_proposal_names_the_supporters_not_the_proposer(world):
    answer = world.ask("Who supported Norway's proposal on Article 30?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a30-canada-mexico-support-norway"}, answer.text
    assert names(answer.text, "Canada") and names(answer.text, "Mexico"), answer.text
    for record in answer.positions:
        assert "norway" not in record["actors"]
    for state in ("Egypt", "Iran", "Pakistan"):  # they opposed the article, not Norway's proposal
        assert not names(answer.text, state), answer.text


def test_who_opposed_xs_proposal_never_offers_its_supporters_as_opponents(world):
    # No record opposes Norway's proposal: what the records hold on it (its supporters) may be said,
    # in the record's own words, but no state is called an opponent of it, and the article's
    # opponents (who answered no proposal) are not passed off as the proposal's.
    answer = world.ask("Which states opposed Norway's proposal on Article 30?")
    assert_cited_verbatim(world, answer)
    assert not re.search(r"\bopposed Norway", answer.text), answer.text
    assert not used_ids(answer) & {"a30-egypt-iran-oppose", "a30-pakistan-opposes"}, answer.text
    for record in answer.positions:
        assert record["stance"] != "opposes" or record.get("responds_to") == "a30-norway-proposes-judicial-authorisation"


@pytest.mark.parametrize("question", [
    "Was Norway's proposal accepted?",
    "What happened to Norway's proposal on Article 30?",
    "Was the Norway proposal on Article 30 accepted in the end?",  # Norway named as the actor, not a target
])
def test_was_xs_proposal_accepted_gives_the_outcome_of_its_debate(world, question):
    answer = world.ask(question)
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert "a30-outcome-judicial-authorisation" in used_ids(answer), answer.text
    assert "written into the next revised draft of Article 30" in answer.text
    # The outcome of the debate on Article 33 is not this proposal's.
    assert not used_ids(answer) & {"a33-kenya-supports", "a33-egypt-supports", "a33-brazil-opposes"}


def test_who_supported_xs_proposal_and_was_it_accepted_lists_the_supporters_and_the_outcome(world):
    answer = world.ask("Who supported Norway's proposal on Article 30, and was it accepted?")
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a30-canada-mexico-support-norway", "a30-outcome-judicial-authorisation"}, answer.text


def test_aggregate_gathers_the_actors_records_across_articles(world):
    answer = world.ask("What positions did Egypt take?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert used_ids(answer) == {"a30-egypt-iran-oppose", "a33-egypt-supports"}, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Egypt and Iran opposed Article 30" in quotes
    assert "Egypt supported Article 33" in quotes


def test_an_actor_with_no_record_and_no_mention_gets_an_abstention_naming_it(world):
    answer = world.ask("Did Portugal support Article 30?")
    assert answer.abstained, answer.text
    assert not answer.citations and not answer.positions
    assert "Portugal" in answer.text, answer.text


# -- a record that does not read as a sentence --------------------------------------------------

DAY5 = (
    "Fifth day of the resumed session\n\n"
    "Criminal records\n\n"
    "Iran expressed reservations about Article 32, because foreign convictions could be misused "
    "against its nationals. "
    "Brazil asked how Article 32 would treat convictions that had been overturned on appeal.\n"
)


def _extracted(summary: str, **fields) -> dict:
    record = {"id": "x-day5-iran-32", "actors": ["iran"], "provisions": ["32"], "issue": "criminal record",
              "stance": "expresses_concern", "responds_to": None, "summary": summary, "reason": None,
              "evidence": _ev("day5", "Iran expressed reservations about Article 32, because foreign convictions "
                                      "could be misused against its nationals."),
              "origin": "extracted", "confidence": 0.99}
    record.update(fields)
    return record


@pytest.fixture
def extracted_trusted(monkeypatch):
    """An operating point at which extracted records may answer (the shipped one lets none answer)."""
    from assistant.answering import settings

    monkeypatch.setattr(settings, "EXTRACTED_MIN_CONFIDENCE", 0.5)


@pytest.mark.parametrize("origin", ["extracted", "curated"])  # curated: written by hand, or an editor's accepted extraction
@pytest.mark.parametrize("summary,readable", [
    ("Iran expressed reservations about Article 32 on criminal records.", True),
    ("Iran reservations Article 32, because foreign", False),  # a name and half a clause
    ("iran expressed reservations about article 32", False),  # no capital, no full stop
])
def test_a_record_that_is_not_a_sentence_never_reaches_the_answer(tmp_path, extracted_trusted, summary, readable,
                                                                   origin):
    record = _extracted(summary) if origin == "extracted" else _extracted(summary, origin="curated", confidence=None)
    assistant = _world(tmp_path, [("day5", "Kestrel Wire (KW)", DAY5)], [record])
    for question in ("Which states expressed concern about Article 32?", "Did Iran express concern about Article 32?"):
        answer = assistant.ask(question)
        assert not answer.abstained, (question, answer.text)
        assert_cited_verbatim(assistant, answer)
        assert "Iran expressed reservations about Article 32" in " ".join(c.quote for c in answer.citations)
        if readable:  # the control: at this operating point a readable record does answer
            assert used_ids(answer) == {"x-day5-iran-32"}, (question, answer.text)
            assert ("not yet reviewed" in answer.text) == (origin == "extracted"), answer.text
        else:  # the sources' own sentence answers instead
            assert not answer.positions, (question, answer.text)
            assert summary not in answer.text and "not yet reviewed" not in answer.text, answer.text


def test_a_question_naming_whose_account_it_asks_for_is_not_answered_from_other_reports_records(world):
    anyone = world.ask("Which states opposed Article 33?")
    assert any("brazil" in p["actors"] for p in anyone.positions), anyone.text
    # Brazil's record is Harbour Times' report: Kestrel Wire's account is asked for.
    kestrel = world.ask("According to Kestrel Wire, which states opposed Article 33?")
    assert not any(ev["document"] == "day4" for p in kestrel.positions for ev in p["evidence"]), kestrel.text


def test_a_whole_question_after_a_list_is_not_answered_with_the_earlier_records(world):
    earlier = "Which states opposed Article 30?"
    first = world.ask(earlier)
    assert {"egypt", "iran", "pakistan"} <= {a for r in first.positions for a in r["actors"]}, first.text
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": first.text}]
    # It points back to nothing: the records of Article 30 were the earlier turn's answer, and nothing in the
    # reports speaks of ratification.
    then = world.ask("Which country was the first to ratify the convention?", history=history)
    assert then.abstained, then.text
    assert not then.positions


def test_parts_about_different_articles_are_each_answered_from_the_sources(world):
    # Records answer one question: "Why did Pakistan oppose Article 30, and who opposed Article 33?" answered from
    # Pakistan's record alone would leave its second part unanswered.
    answer = world.ask("Why did Pakistan oppose Article 30, and which states opposed Article 33?")
    assert not answer.abstained, answer.text
    assert_cited_verbatim(world, answer)
    assert names(answer.text, "Pakistan") and names(answer.text, "Brazil"), answer.text
