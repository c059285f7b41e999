"""The sentence strategy on small corpora written for the test: what an answer of the asked type must hold."""

from __future__ import annotations

from assistant.answering.settings import EXTRA_PASSAGES

from .test_sources import _world


def test_which_country_needs_a_sentence_that_names_one(tmp_path):
    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Signing\n\nOn the last evening a reception with music, dancing and food from the region was held for the "
         "visiting journalists in Vietnam. It will enter into force ninety days after the fortieth ratification. "
         "Ratification is expected to be slow. Observers doubt that forty states will ratify the convention soon.\n"),
        ("wire", "Harbour Times",
         "Session wrap-up\n\nDelegates met for two weeks in New York and adopted the text. "
         "Ghana will host the signing ceremony for the convention next year.\n"),
    ])
    hosts = assistant.ask("Which country will host the signing ceremony for the convention?")
    assert not hosts.abstained, hosts.text
    assert "Ghana will host" in hosts.citations[0].quote, hosts.text
    # "It will enter into force…" carries Vietnam over from the sentence before, but names no country.
    fortieth = assistant.ask("Which country became the fortieth to ratify the convention?")
    assert fortieth.abstained, fortieth.text
    assert "names a country" in fortieth.text


def test_which_country_did_an_act_of_the_treaty_needs_one_named_for_that_act(tmp_path):
    signing = ("signing", "Kestrel Wire (KW)",
               "Signing\n\nVietnam will host the ceremony at which the convention opens for signature. The first "
               "country to sign the convention will be Vietnam. The convention will enter into force after forty "
               "ratifications.\n")
    assistant = _world(tmp_path / "a", [signing])
    first = assistant.ask("Which country was the first to ratify the convention?")
    assert first.abstained, first.text
    assert "for the treaty's ratification" in first.text and "signing" in first.text, first.text
    # A sentence naming a country for the act asked answers, though one on the signing is nearer.
    assistant = _world(tmp_path / "b", [signing, (
        "ratified", "Harbour Times", "Ratification\n\nGhana ratified the convention in March, ahead of all others.\n")])
    first = assistant.ask("Which country was the first to ratify the convention?")
    assert not first.abstained, first.text
    assert "Ghana ratified" in first.citations[0].quote, first.text


def test_which_country_did_an_act_of_the_treaty_needs_a_sentence_on_that_act(tmp_path):
    report = ("wrap", "Kestrel Wire (KW)",
              "Wrap-up\n\nThe first group of states, led by Ghana and Brazil, wanted the provision kept in the "
              "convention. Kenya and Chile were the first to ask for it to be deleted from the convention.\n")
    assistant = _world(tmp_path / "a", [report])
    # The sentences name countries, but none of them for any act of the treaty: they answer nothing of ratification.
    first = assistant.ask("Which country was the first to ratify the convention?")
    assert first.abstained, first.text
    assert "ratification" in first.text, first.text
    assistant = _world(tmp_path / "b", [report, (
        "ratified", "Harbour Times", "Ratification\n\nChile ratified the convention in March.\n")])
    first = assistant.ask("Which country was the first to ratify the convention?")
    assert not first.abstained, first.text
    assert "Chile ratified" in first.citations[0].quote, first.text


def test_a_follow_up_is_answered_in_its_own_words_not_the_earlier_turns(tmp_path):
    assistant = _world(tmp_path, [
        ("adoption", "Kestrel Wire (KW)",
         "Adoption\n\nThe General Assembly adopted the cybercrime convention on 24 December 2024. "
         "The General Assembly adopted it without a vote, after five years of talks. "
         "Delegates at the General Assembly welcomed the adoption of the convention. "
         "The President of the General Assembly said the adoption of the convention was historic. "
         "The General Assembly's adoption of the cybercrime convention ends the talks.\n"),
        ("signing", "Harbour Times",
         "Next steps\n\nAfter its adoption by the General Assembly, the convention will open for signature at a "
         "ceremony to be hosted in Hanoi in 2025.\n"),
    ])
    history = [{"role": "user", "content": "When did the General Assembly adopt the cybercrime convention?"},
               {"role": "assistant", "content": "On 24 December 2024 [1]."}]
    answer = assistant.ask("Where will it be opened for signature?", history=history)
    assert not answer.abstained, answer.text
    assert "Hanoi" in answer.text, answer.text
    query = assistant.answerer.query("Where will it be opened for signature?", history)
    assert query.inherited  # the General Assembly comes from the earlier turn
    best = assistant.answerer.sentence_candidates(query).ranked[0].s.sentence.text
    assert "Hanoi" in best, best  # the new ask ranks first, not another sentence on the earlier one
    for c in answer.citations:
        assert assistant.document(c.document_id).text[c.start:c.end] == c.quote


def test_a_follow_up_naming_no_year_is_answered_for_the_earlier_turns_year(tmp_path):
    assistant = _dated(tmp_path, [
        ("vote_2019", "Kestrel Wire (KW)", "2019-12-28",
         "Vote\n\nIn 2019 the President of the General Assembly said the resolution on cybercrime was divisive and "
         "urged the Assembly to keep talking about cybercrime.\n"),
        ("adoption_2024", "Harbour Times", "2024-12-25",
         "Adoption\n\nThe Assembly adopted the cybercrime convention in December 2024. Its President welcomed a "
         "digital world made safer.\n"),
    ])
    history = [{"role": "user", "content": "When did the General Assembly adopt the cybercrime convention in 2024?"},
               {"role": "assistant", "content": "In December 2024 [1]."}]
    question = "And what did the President of the General Assembly say about cybercrime?"
    assert assistant.answerer.query(question, history).inherited
    answer = assistant.ask(question, history=history)
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "adoption_2024", answer.text
    # Nothing is declined for the earlier turn's year: the follow-up may leave it.
    history = [{"role": "user", "content": "When did the General Assembly adopt the cybercrime convention in 2030?"},
               {"role": "assistant", "content": "The sources don't say [1]."}]
    answer = assistant.ask(question, history=history)
    assert not answer.abstained, answer.text


def test_a_follow_up_about_someone_new_is_not_answered_for_the_earlier_turns_actor(tmp_path):
    assistant = _world(tmp_path, [
        ("meeting", "Kestrel Wire (KW)",
         "Afternoon meeting\n\nThe Chair opened the afternoon meeting and welcomed the delegations. "
         "The Chair invited the committee to approve the draft convention. "
         "The Chair thanked the interpreters and closed the meeting.\n\n"
         "The Secretary briefed the committee on the budget implications of the draft resolution for 2025.\n"),
    ])
    history = [{"role": "user", "content": "What did the Chair put to the committee at the afternoon meeting?"},
               {"role": "assistant", "content": "She invited the committee to approve the draft convention [1]."}]
    query = assistant.answerer.query("And what did the Secretary brief them on?", history)
    assert query.actors_inherited  # the Chair, from the earlier turn
    answer = assistant.ask("And what did the Secretary brief them on?", history=history)
    assert not answer.abstained, answer.text
    assert any("budget implications" in c.quote for c in answer.citations), answer.text


def test_a_follow_up_reads_the_reports_of_the_time_the_earlier_turn_asked_about(tmp_path):
    assistant = _world(tmp_path, [
        ("kw_2022", "Kestrel Wire (KW)",
         "Opening\n\nKestrel Wire said the treaty text could still be made safe for human rights.\n",
         "2022-03-02"),
        ("kw_2024", "Kestrel Wire (KW)",
         "Agreement\n\nKestrel Wire said the treaty text is nothing to celebrate for human rights.\n",
         "2024-08-12"),
        ("ht_2024", "Harbour Times",
         "Agreement\n\nThe Harbour Times called the text agreed on 8 August 2024 an important achievement.\n",
         "2024-08-09"),
    ])
    history = [{"role": "user", "content": "Was the Harbour Times satisfied with the text agreed on 8 August 2024?"},
               {"role": "assistant", "content": "It called it an important achievement [1]."}]
    query = assistant.answerer.query("Did Kestrel Wire see it the same way?", history)
    assert query.dated == {"kw_2024"}  # Kestrel's report of that month, not of 2022
    best = assistant.answerer.sentence_candidates(query).ranked[0].s.sentence
    assert best.document_id == "kw_2024", best.text
    answer = assistant.ask("Did Kestrel Wire see it the same way?", history=history)
    assert not answer.abstained, answer.text
    assert "kw_2024" in {c.document_id for c in answer.citations}, answer.text


def test_which_delegation_took_the_opposite_view_names_another_one(tmp_path):
    assistant = _world(tmp_path, [
        ("closing", "Kestrel Wire (KW)",
         "Closing statements\n\nCosta Rica voiced concern that the final text of the convention lacked safeguards "
         "against its misuse for political repression, and asked for explicit grounds to refuse cooperation. "
         "Delegates thanked the Chair for her leadership. "
         "Ecuador, on the other hand, praised the text as a balanced outcome.\n"),
    ])
    history = [{"role": "user", "content": "What did Costa Rica say about the final text?"},
               {"role": "assistant", "content": "Costa Rica voiced concern that it lacked safeguards [1]."}]
    answer = assistant.ask("Which delegation took the opposite view?", history=history)
    assert not answer.abstained, answer.text
    assert "Ecuador" in answer.text, answer.text


def test_a_when_question_is_answered_by_a_date_not_by_another_figure(tmp_path):
    assistant = _world(tmp_path, [
        ("opening", "Kestrel Wire (KW)",
         "Opening of the first session\n\nThe committee opened its first session of negotiations on the "
         "cybercrime convention with a debate on the scope of the convention. "
         "Delegates said the first session of negotiations on the cybercrime convention opened in a constructive tone. "
         "The first session of negotiations on the cybercrime convention opened with statements by observers. "
         "Negotiations at the first session opened on the scope of the cybercrime convention. "
         "The talks began in New York on 28 February 2022.\n"),
    ])
    question = "According to the wire, when did the first session of negotiations on the cybercrime convention open?"
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    assert "28 February" not in " ".join(c.s.sentence.text for c in ranked[:3])  # "first" is a figure, not a date
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert "28 February 2022" in answer.text, answer.text


def test_a_sentence_repeated_word_for_word_is_quoted_once(tmp_path):
    boilerplate = "The delegation includes officials from the ministries of justice and foreign affairs."
    assistant = _world(tmp_path, [
        ("first", "Kestrel Wire (KW)", f"First session\n\nThe delegation to the first session was led by Ana Ruiz. {boilerplate}\n"),
        ("second", "Kestrel Wire (KW)", f"Second session\n\nThe delegation to the second session was led by Omar Haddad. {boilerplate}\n"),
    ])
    answer = assistant.ask("Which officials does the delegation include?")
    assert not answer.abstained, answer.text
    assert answer.text.count(boilerplate[:-1]) == 1, answer.text


def test_a_framing_clause_chooses_documents_not_the_answer(tmp_path):
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Kestrel Wire, December 2024\n\nKestrel Wire reports published in December 2024 covered the convention. "
         "In December 2024 the reports of Kestrel Wire were published in three languages. "
         "The Secretary-General called on all states to sign and ratify the convention without delay.\n"),
    ])
    answer = assistant.ask("In Kestrel Wire reports published in December 2024, what did the Secretary-General "
                           "call on states to do?")
    assert not answer.abstained, answer.text
    assert "sign and ratify" in answer.citations[0].quote, answer.text


def test_each_part_of_a_question_of_several_parts_is_answered(tmp_path):
    assistant = _world(tmp_path, [
        ("session", "Kestrel Wire (KW)",
         "The spring session\n\nThe spring session of the committee ran from 3 to 14 April in Vienna. "
         "The spring session of the committee opened in Vienna with a debate on the scope of the convention. "
         "Delegates at the spring session of the committee in Vienna discussed the scope of the convention. "
         "The spring session of the committee in Vienna ended with a debate on the preamble.\n"),
        ("costs", "Harbour Times",
         "Interpretation\n\nInterpreters for all six official languages were paid for by a grant from Norway.\n"),
    ])
    answer = assistant.ask("When did the spring session of the committee run, and who paid for the interpreters?")
    assert not answer.abstained, answer.text
    assert "3 to 14 April" in answer.text and "Norway" in answer.text, answer.text


def test_a_year_the_question_names_must_be_the_answers(tmp_path):
    assistant = _world(tmp_path, [
        ("closing", "Kestrel Wire (KW)",
         "Closing of the 2024 session\n\nThe Chair of the committee closed the 2024 session in New York and thanked "
         "the delegations. The Chair will present a report on the session to the General Assembly.\n"),
        ("next", "Harbour Times",
         "Looking ahead\n\nA session in 2026 will prepare the rules of procedure for the Conference of the "
         "States Parties.\n"),
    ])
    # Nothing the sources hold on who chairs is from 2026: the 2024 Chair is a near miss.
    chair = assistant.ask("Who will chair the committee's session in 2026?")
    assert chair.abstained, chair.text
    assert "2026" in chair.text
    purpose = assistant.ask("What will the committee's session in 2026 do?")
    assert not purpose.abstained, purpose.text
    assert "rules of procedure" in purpose.text, purpose.text


def test_a_report_dated_after_the_year_asked_may_look_back_on_it(tmp_path):
    # The January 2025 wrap-up never says "2024"; the 2023 preview cannot have seen the adoption.
    text = ("Adoption\n\nIn late December the General Assembly adopted the convention against cybercrime without a vote, "
            "ending five years of talks.\n")
    later = _world(tmp_path / "later", [("wrap", "Kestrel Wire (KW)", text, "2025-01-10")])
    answer = later.ask("How did the General Assembly adopt the convention against cybercrime in December 2024?")
    assert not answer.abstained and "without a vote" in answer.text, answer.text
    assert any("could not be checked" in note for note in answer.notes), answer.notes
    earlier = _world(tmp_path / "earlier", [("wrap", "Kestrel Wire (KW)", text, "2023-01-10")])
    declined = earlier.ask("How did the General Assembly adopt the convention against cybercrime in December 2024?")
    assert declined.abstained and "2024" in declined.text, declined.text


def test_sentences_dated_to_other_years_do_not_answer_for_the_year_asked(tmp_path):
    assistant = _world(tmp_path, [
        ("calendar", "Kestrel Wire (KW)",
         "Meetings\n\nThird session, Vienna, 9-20 January 2023\n\nFourth session, Vienna, 11-21 April 2023\n\n"
         "Fifth session, Vienna, 21 August-1 September 2023\n\n"
         "Session to prepare the draft rules of procedure for the Conference of the States Parties, Vienna, "
         "26-30 January 2026\n"),
    ])
    answer = assistant.ask("What is the session held in Vienna in January 2026 meant to do?")
    assert not answer.abstained, answer.text
    assert "rules of procedure" in answer.text, answer.text
    assert not any("2023" in c.quote for c in answer.citations), answer.text
    # years between those a question names are asked too
    vienna = assistant.ask("Which sessions between 2022 and 2024 were held in Vienna?")
    assert sum("2023" in c.quote for c in vienna.citations) >= 2, vienna.text


def test_a_sentence_of_the_year_asked_must_be_near_the_question_too(tmp_path):
    assistant = _world(tmp_path, [
        ("vote", "Kestrel Wire (KW)",
         "General Assembly vote\n\nThe General Assembly resolution on the convention passed by 79 votes to 60, with the United "
         "States and the European Union voting against it.\n", "2019-12-27"),
        ("origins", "Harbour Times",
         "Origins\n\nRussia first floated the idea of a cybercrime convention in 2017, in a letter to the "
         "Secretary-General.\n", "2023-04-01"),
    ])
    # The vote was in 2019; what the sources hold of 2017 is about something else: a near miss.
    wrong_year = assistant.ask("Which countries voted against the 2017 General Assembly resolution on the convention?")
    assert wrong_year.abstained and "2017" in wrong_year.text, wrong_year.text
    right_year = assistant.ask("Which countries voted against the 2019 General Assembly resolution on the convention?")
    assert not right_year.abstained and "European Union" in right_year.text, right_year.text


def test_the_sentence_naming_the_asked_thing_answers_and_the_best_report_opens_the_answer(tmp_path):
    assistant = _world(tmp_path, [
        ("a_wire", "Kestrel Wire (KW)",
         "Ceremony\n\nThe signing ceremony gathered over 1,000 delegates from 110 delegations in Hanoi.\n\n"
         "The signing ceremony for the convention was held in Hanoi over two days.\n"),
        ("z_radio", "Harbour Radio",
         "Opening\n\nThe ceremony began on Saturday in Hanoi with the theme \"Countering Cybercrime, Sharing "
         "Responsibility\".\n"),
    ])
    answer = assistant.ask("What was the theme of the signing ceremony?")
    assert not answer.abstained, answer.text
    # the sentence that names the theme is in the answer, and its report comes first, though its id sorts last
    assert answer.citations[0].document_id == "z_radio" and "theme" in answer.citations[0].quote, answer.text


def test_a_thing_asked_with_its_modifiers_is_named_by_its_head_noun(tmp_path):
    # No sentence says "full official title"; the one giving the title says "titled", and leads the answer though
    # four sentences on the signing rank above it.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Signing\n\nDiplomats from the EU and Canada joined the signing ceremony in Hanoi for the cybercrime treaty. "
         "The nations gathered in Hanoi for the signing of a treaty titled \"Convention against Cybercrime: "
         "Strengthening International Cooperation\". Critics of the Hanoi signing pointed to the host's record on "
         "online freedom.\n"),
        ("radio", "Harbour Radio",
         "Hanoi\n\nThe treaty signed in Hanoi is the first of its kind. Officials in Hanoi signed the treaty on Saturday. "
         "The treaty signed in Hanoi was hailed by its signatories. The signing of the treaty in Hanoi took two days.\n"),
    ])
    answer = assistant.ask("What is the full official title of the treaty signed in Hanoi?")
    assert not answer.abstained, answer.text
    assert any("titled" in c.quote for c in answer.citations), answer.text


def test_a_name_the_question_gives_does_not_choose_the_sentence(tmp_path):
    # Every sentence names the delegation, so its name says nothing of which one answers; the rest of the
    # question does ("call on states to do").
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Ghana at the session\n\nGhana, Ghana's delegation said, was the first African state in the Ghana "
         "group. The delegation of Ghana and the Ghanaian ambassador of Ghana met the press. "
         "The ambassador of Ghana called on all states to ratify the convention and to fund technical assistance. "
         "Ghana's ambassador thanked the Chair of the committee on behalf of Ghana.\n"),
    ])
    question = "What did Ghana call on states to do?"
    query = assistant.answerer.query(question)
    assert query.actors == ["ghana"] and "Ghana" not in query.asked
    best = assistant.answerer.sentence_candidates(query).ranked[0].s.sentence.text
    assert "ratify the convention" in best, best
    answer = assistant.ask(question)
    assert not answer.abstained and "ratify the convention" in answer.text, answer.text
    # Only sentences by or about Ghana answer it: a question about a delegation the sources never
    # mention is declined, not answered from Ghana's.
    assert assistant.ask("What did Norway call on states to do?").abstained


def _dated(tmp_path, reports):
    """A world of (id, publisher, date, text) reports, each dated in its metadata."""
    import yaml

    assistant = _world(tmp_path, [(doc_id, publisher, text) for doc_id, publisher, _, text in reports])
    docs = assistant.knowledge_dir / "documents"
    for doc_id, publisher, date, _ in reports:
        (docs / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"title": doc_id, "publisher": publisher, "date": date}),
                                                  encoding="utf-8")
    return type(assistant).load(assistant.knowledge_dir, tmp_path / "index")


def test_a_report_the_question_names_by_its_date_answers_first(tmp_path):
    assistant = _dated(tmp_path, [
        ("spring", "Kestrel Wire (KW)", "2023-03-01",
         "Spring statement\n\nIn its statement Kestrel Wire urged delegations to protect security researchers.\n"),
        ("winter", "Kestrel Wire (KW)", "2024-12-10",
         "Winter statement\n\nKestrel Wire urged states to ratify the convention and to train their judges.\n"),
        ("wrap", "Harbour Times", "2024-12-11", "Wrap-up\n\nDelegates adopted the convention without a vote.\n"),
    ])
    # Neither a month nor a publisher named only in the reports' metadata is a name the sources lack.
    assert assistant.answerer.query("According to Harbour Times, how was the convention adopted in December?").unknown_names == []
    question = "What did Kestrel Wire urge in its December 2024 statement?"
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert "winter" in {c.document_id for c in answer.citations}, answer.text
    # The other statement is as near in meaning (nearer, without the date): the named one ranks first.
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    assert ranked[0].s.sentence.document_id == "winter", [c.s.sentence.text for c in ranked]


def test_the_reports_of_the_time_an_event_the_question_dates_answer_first(tmp_path):
    assistant = _dated(tmp_path, [
        ("march", "Kestrel Wire (KW)", "2024-03-01",
         "Vote\n\nThe committee adopted the resolution by 79 votes to 60, with 33 abstentions.\n"),
        ("august", "Harbour Times", "2024-08-10",
         "Vote\n\nThe committee adopted the resolution without a vote.\n"),
    ])
    # An event is reported in its month or the next: "on 28 February 2024" reads the report of 1 March first,
    # though the other report's sentence is as near to the question.
    question = "How did the vote go when the committee adopted the resolution on 28 February 2024?"
    assert assistant.answerer.query(question).dated == {"march"}
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    assert ranked[0].s.sentence.document_id == "march", [c.s.sentence.text for c in ranked]


def test_a_sentence_after_one_naming_the_actor_counts_half_as_theirs(tmp_path):
    assistant = _world(tmp_path, [
        ("day", "Kestrel Wire (KW)",
         "Day five\n\nOn Monday the Chair presented a new proposal to the committee. "
         "The proposal amended the articles on data retention and on extradition. "
         "The Chair also amended the schedule of the informal meetings.\n"
         "\nIn the afternoon the Chair thanked the delegations for their amendments.\n"),
    ])
    question = "What did the Chair's proposal amend?"
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert any("data retention" in c.quote for c in answer.citations), answer.text
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    actor = {c.s.sentence.text.split()[1]: c.features["actor"] for c in ranked}
    # not named in it, but in the sentence before: half; "The Chair also…" names the Chair itself
    assert actor == {"proposal": 0.5, "Monday": 1.0, "Chair": 1.0, "the": 1.0}, actor


def test_a_thing_asked_for_is_judged_by_its_type_not_by_its_word(tmp_path):
    assistant = _world(tmp_path, [
        ("adoption", "Kestrel Wire (KW)",
         "Adoption\n\nThe General Assembly adopted the convention without a vote on 24 December 2024. "
         "Service providers that refuse to preserve data face a penalty under national law. "
         "Illegal access is a criminal offence under the convention.\n"),
        ("ceremony", "Kestrel Wire (KW)",
         "Signing\n\nThe signing ceremony in Hanoi was held under the theme 'Sharing Responsibility'.\n"),
    ])
    # A fine is a sum and a prison sentence a term: sentences without one do not give them.
    fine = assistant.ask("What fine does the convention set for providers that refuse to preserve data?")
    assert fine.abstained, fine.text
    prison = assistant.ask("What is the maximum prison sentence the convention sets for illegal access?")
    assert prison.abstained, prison.text
    penalty = assistant.ask("What penalty do providers that refuse to preserve data face?")
    assert not penalty.abstained and "penalty under national law" in penalty.citations[0].quote, penalty.text
    # The sources call the slogan a theme: a paraphrase of what is asked is no reason to decline.
    slogan = assistant.ask("What slogan was chosen for the signing ceremony?")
    assert not slogan.abstained and "Sharing Responsibility" in slogan.citations[0].quote, slogan.text


def test_a_where_question_needs_a_place(tmp_path):
    assistant = _world(tmp_path, [
        ("sessions", "Kestrel Wire (KW)",
         "Sessions\n\nThe committee held its first negotiating session in February 2022. "
         "The signing ceremony was held in Hanoi in October 2025.\n"),
    ])
    first = assistant.ask("Where did the committee hold its first negotiating session?")
    assert first.abstained and "where" in first.text, first.text
    signing = assistant.ask("In which city was the signing ceremony held?")
    assert not signing.abstained and "Hanoi" in signing.citations[0].quote, signing.text
    # "Where does X stand…?" asks for a view, not a place.
    from assistant.answering.answer_type import expected_type
    assert expected_type("Where does Kenya stand on Article 5?") is None


def test_a_question_of_two_parts_keeps_the_figure_the_sources_give(tmp_path):
    assistant = _world(tmp_path, [
        ("entry", "Kestrel Wire (KW)",
         "Entry into force\n\nThe convention will enter into force 90 days after being ratified by the 40th signatory. "
         "Delegates expect ratification to take several years in many capitals.\n"),
    ])
    answer = assistant.ask("How many ratifications does the convention need, and how long after that does it take effect?")
    assert not answer.abstained, answer.text
    assert "90 days" in answer.citations[0].quote
    # Asked alone, the count of ratifications is what must be given, and "the 40th signatory" is not one.
    assert assistant.ask("How many ratifications does the convention need?").abstained


def test_a_question_asking_the_day_needs_one(tmp_path):
    assistant = _world(tmp_path, [
        ("ceremony", "Kestrel Wire (KW)",
         "Signing\n\nThe convention will open for signature at a ceremony in Hanoi in 2025. "
         "The General Assembly adopted the convention on 24 December 2024 in New York.\n"),
    ])
    ceremony = assistant.ask("On what exact date will the signing ceremony in Hanoi be held?")
    assert ceremony.abstained and "day" in ceremony.text, ceremony.text
    adopted = assistant.ask("On what date did the General Assembly adopt the convention?")
    assert not adopted.abstained and "24 December 2024" in adopted.citations[0].quote, adopted.text
    exact = assistant.ask("On what exact date did the General Assembly adopt the convention?")
    assert not exact.abstained and any("24 December 2024" in c.quote for c in exact.citations), exact.text


def test_a_sentence_opening_with_a_pronoun_is_read_with_the_one_before_it(tmp_path):
    import numpy as np

    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Next steps\n\nThe cybercrime convention will open for signature at a ceremony in Hanoi in 2025. "
         "It will enter into force ninety days after the fortieth ratification.\n"),
    ])
    question = "What has to happen before the cybercrime convention takes effect?"
    found = assistant.answerer.sentence_candidates(assistant.answerer.query(question))
    it = next(c for c in found.ranked if c.s.sentence.text.startswith("It will enter"))
    alone = float(np.asarray(assistant.embedder.embed_one(question)) @ next(
        s for s in assistant.answerer.corpus.sentences_in_spans([("signing", 0, 10_000)])
        if s.sentence.text.startswith("It will enter")).vector)
    # "it" is the convention: read with the sentence naming it, the sentence is nearer the question
    assert it.similarity > alone + 0.05, (it.similarity, alone)


def test_a_session_named_with_its_months_reads_the_reports_of_those_months(tmp_path):
    assistant = _world(tmp_path, [
        ("february", "Kestrel Wire (KW)",
         "Check-in\n\nThe concluding session opened in New York. The committee wrapped up its final day without "
         "adopting a treaty and agreed to meet again later in the year.\n", "2024-02-12", "Concluding session check-in"),
        ("august", "Harbour Times",
         "Closing\n\nThe reconvened concluding session ended with the committee adopting the draft convention "
         "by consensus.\n", "2024-08-09", "Reconvened concluding session, 16th meeting"),
    ])
    february = assistant.answerer.query("How did the January–February 2024 concluding session end?")
    assert february.dated == {"february"}, february.dated
    answer = assistant.ask("How did the January–February 2024 concluding session end?")
    assert "without adopting a treaty" in answer.text, answer.text
    # with no month named, every report on a concluding session is read
    assert len(assistant.answerer.query("How did the concluding session end?").dated) == 2


def test_a_dateline_is_never_an_answer(tmp_path):
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "US declines to sign\n\nHeron Desk — October 30, 2025\n\n"
         "Most delegations signed the treaty in Hanoi. The United States declined to sign it, citing rights concerns.\n"),
    ])
    query = assistant.answerer.query("What happened at the treaty signing in October 2025?")
    ranked = assistant.answerer.sentence_candidates(query).ranked
    assert any("declined to sign" in c.s.sentence.text for c in ranked)
    assert not any("Heron Desk" in c.s.sentence.text for c in ranked)


def test_an_undated_report_may_answer_for_a_year_and_the_answer_says_it_is_unchecked(tmp_path):
    text = ("Software maker joins opposition\n\nMicrosoft warned that the draft treaty could become a weapon for "
            "intrusive data access rather than a tool for prosecuting criminals.\n")
    question = "Why did Microsoft oppose the draft treaty in August 2023?"
    # A scraped page with no dateline and no year in it cannot be ruled out: it answers, with a note.
    undated = _world(tmp_path / "undated", [("opposes", "Kestrel Wire (KW)", text)]).ask(question)
    assert not undated.abstained, undated.text
    assert undated.citations[0].document_id == "opposes"
    assert any("no date" in note and "2023" in note for note in undated.notes), undated.notes
    # Dated to another year, it is a near miss.
    dated = _world(tmp_path / "dated", [("opposes", "Kestrel Wire (KW)", text, "2021-05-04")]).ask(question)
    assert dated.abstained and "2023" in dated.text, dated.text
    # Undated, it may be of a year it names elsewhere ("the talks of August 2023" in another paragraph), and of a
    # year after the last it names (a story of 2023 looks back on 2021, and never says "2023"), but not of a year
    # before the years it names: it was written after them.
    later = text + "\nThe company had followed the talks of August 2023 closely.\n"
    named = _world(tmp_path / "named", [("opposes", "Kestrel Wire (KW)", later)]).ask(question)
    assert not named.abstained and named.citations[0].document_id == "opposes", named.text
    assert any("no date" in note for note in named.notes), named.notes
    looking_back = _world(tmp_path / "back", [("opposes", "Kestrel Wire (KW)", later.replace("2023", "2021"))]).ask(question)
    assert not looking_back.abstained and looking_back.citations[0].document_id == "opposes", looking_back.text
    assert any("no date" in note for note in looking_back.notes), looking_back.notes
    other = _world(tmp_path / "other", [("opposes", "Kestrel Wire (KW)", later.replace("2023", "2025"))]).ask(question)
    assert other.abstained and "2023" in other.text, other.text


def test_a_forum_the_question_names_as_where_it_happened_need_not_be_named_by_the_answer(tmp_path):
    assistant = _world(tmp_path, [
        ("vote2019", "Kestrel Wire (KW)",
         "After the vote\n\nLast month governments gathered in New York to vote on a Russian-led resolution on "
         "cybercrime. Although many Western states opposed it, the resolution passed in a final vote on "
         "27 December 2019.\n"),
        ("adoption", "Harbour Times",
         "Adoption\n\nThe General Assembly adopted the convention against cybercrime on 24 December 2024 after five "
         "years of talks.\n"),
    ])
    question = "On what date did the Russian-led resolution clear its final General Assembly vote?"
    assert assistant.answerer.query(question).actors == ["unga"]
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert any("27 December 2019" in c.quote for c in answer.citations), answer.text
    # A delegation asked about still holds the answer to sentences by or about it.
    read = assistant.answerer.sentence_candidates(assistant.answerer.query(
        "What did the General Assembly and Kenya say about the resolution?")).ranked
    assert not any("27 December 2019" in c.s.sentence.text for c in read), [c.s.sentence.text for c in read]


def test_who_delivered_a_statement_speaks_in_all_of_it(tmp_path):
    # The page carries no publisher, and its title names no one; the line under it says whose statement it is.
    assistant = _world(tmp_path, [
        ("statement", None,
         "United Nations\n\nStatement by: Ms Jane Roe, First Secretary, Kenyan Mission to the UN\n\nThank you Chair.\n\n"
         "Kenya welcomes the adoption of the convention by consensus.\n\n"
         "However, given the robust safeguards that are secured in this text, we are pleased to join consensus.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Closing day\n\nSeveral delegations said the safeguards in the text were too weak to support it.\n"),
    ])
    assert assistant.corpus.source_actors("statement") == {"kenya"}
    answer = assistant.ask("What persuaded Kenya to join the consensus?")
    assert not answer.abstained, answer.text
    assert any("robust safeguards" in c.quote for c in answer.citations), answer.text


def test_each_part_ranks_up_what_it_asks_for(tmp_path):
    assistant = _world(tmp_path, [
        ("update", "Kestrel Wire (KW)",
         "Year-end update\n\nThe long-awaited revised draft was presented at the end of November. "
         "This week's meetings make the draft's sixth round of negotiations. "
         "After six rounds, delegates are now approaching the seventh, which is scheduled for the end of January.\n"),
    ])
    question = "When did the revised draft come out, and when was the next negotiating round due?"
    assert len(assistant.answerer.query(question).parts) == 2
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "end of November" in quotes and "end of January" in quotes, answer.text


def test_a_part_asking_of_an_act_of_the_treaty_ranks_up_a_sentence_on_that_act(tmp_path):
    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Signing\n\nThe new cybercrime convention will open for signature at a ceremony in Hanoi in 2025. "
         "Delegates said the new cybercrime convention was a hard-won compromise that states must now implement. "
         "Observers expect the new cybercrime convention to shape national laws for years. "
         "What happens to the new cybercrime convention next is up to the states that signed it. "
         "Critics of the new cybercrime convention say that much could still happen before states act on it.\n"),
        ("force", "Harbour Times", "Next steps\n\nIt will enter into force 90 days after the fortieth ratification.\n"),
    ])
    # "takes effect" is the entry into force, though no word of the part is the sentence's.
    question = "Where will the new cybercrime convention be opened for signature, and what has to happen before it takes effect?"
    assert len(assistant.answerer.query(question).parts) == 2
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert any("90 days" in c.quote for c in answer.citations), answer.text


def test_which_article_needs_a_sentence_that_names_one(tmp_path):
    assistant = _world(tmp_path, [
        ("safeguards", "Kestrel Wire (KW)",
         "Safeguards\n\nArticle 6 sets a uniquely high bar for human rights protection in criminal justice treaties.\n\n"
         "Security researchers, whistleblowers and journalists still risk prosecution for their legitimate work, "
         "critics of the text warned.\n"),
    ])
    named = assistant.ask("Which article sets a high bar for human rights protection?")
    assert not named.abstained and "Article 6" in named.citations[0].quote, named.text
    unnamed = assistant.ask("Which article protects good-faith security researchers from prosecution?")
    assert unnamed.abstained and "article" in unnamed.text, unnamed.text


def test_a_forum_asked_about_does_not_rank_up_the_sentences_that_name_it(tmp_path):
    # The Ad Hoc Committee is where the sessions met: a sentence naming it is no more about the session asked for.
    assistant = _world(tmp_path, [
        ("primer", "Kestrel Wire (KW)",
         "Background\n\nPursuant to resolution 74/247, the Ad Hoc Committee convened a three-day organisational "
         "session in May 2021 in New York.\n\n"
         "After three years of negotiation, this group will hold its reconvened concluding session from 29 July to "
         "9 August 2024.\n"),
    ])
    question = "When was the reconvened concluding session of the Ad Hoc Committee scheduled to run?"
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    actor = {c.s.sentence.text.split()[0]: c.features["actor"] for c in ranked}
    assert actor == {"Pursuant": 0.0, "After": 0.0}, actor
    answer = assistant.ask(question)
    assert not answer.abstained and "29 July" in answer.citations[0].quote, answer.text


def test_a_report_without_a_publisher_may_speak_for_a_delegation_it_names_in_any_sentence(tmp_path):
    assistant = _world(tmp_path, [
        ("speech", None,
         "Hanoi ceremony\n\nVietnam's president said the convention sends three messages to the world.\n\n"
         "First, it reaffirms a collective commitment to an orderly, safe and secure cyberspace.\n\n"
         "Second, the convention promotes solidarity and mutual support among nations.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Closing\n\nVietnam hosted the signing ceremony for two days.\n\n"
         "Solidarity and mutual support among delegates were on show at the closing dinner.\n"),
    ])
    query = assistant.answerer.query("What messages did Vietnam's president say the convention sends?")
    read = [c.s.sentence.text for c in assistant.answerer.sentence_candidates(query).ranked]
    assert any(t.startswith("First, it reaffirms") for t in read), read
    assert any(t.startswith("Second, the convention promotes") for t in read), read
    # A report whose publisher is known speaks for Vietnam only in the paragraphs that name it.
    assert not any(t.startswith("Solidarity and mutual support among delegates") for t in read), read


def test_a_list_a_sentence_announces_goes_on_in_its_items(tmp_path):
    assistant = _world(tmp_path, [
        ("speech", "Kestrel Wire (KW)",
         "Hanoi ceremony\n\nThe president said the convention conveys three clear messages to the world.\n\n"
         "First, it reaffirms a collective commitment to a safe and secure cyberspace.\n\n"
         "Second, it promotes solidarity and mutual support.\n\n"
         "And third, all efforts aim at the people's well-being.\n\n"
         "Finally the delegations moved to the signing hall for the ceremony.\n"),
    ])
    answer = assistant.ask("What three messages did the president say the convention conveys?")
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    assert [q.split(",")[0] for q in quotes if q.split(",")[0] in ("First", "Second", "And third")] == \
        ["First", "Second", "And third"], answer.text
    # "Finally the delegations moved…" is no item of it (an item's ordinal is set off by a comma).
    assert not any(q.startswith("Finally the delegations") for q in quotes), answer.text


def test_a_sentence_announcing_what_follows_brings_it(tmp_path):
    # "… released the following statement:" says nothing alone: the sentence it announces comes with it.
    assistant = _world(tmp_path, [
        ("release", "Kestrel Wire (KW)",
         "Press release\n\nThe foreign ministry of Ghana released the following statement on the cybercrime convention:\n\n"
         "Accra will sign the treaty once the safeguards chapter is settled in plenary.\n\n"
         "The ministry also thanked the host country for its hospitality.\n"),
    ])
    answer = assistant.ask("What statement did Ghana's foreign ministry release on the cybercrime convention?")
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    at = next(i for i, q in enumerate(quotes) if q.endswith("convention:"))
    assert quotes[at + 1].startswith("Accra will sign the treaty"), answer.text


def test_a_sentence_going_on_with_a_pronoun_in_a_paragraph_of_its_own_joins_the_one_before(tmp_path):
    # A page whose every sentence is a paragraph of its own: "It will also provide…" goes on about the sentence before
    # it, whichever place that sentence has in the answer.
    assistant = _world(tmp_path, [
        ("statement", "Kestrel Wire (KW)",
         "Statement of the Kestrel Office\n\nI welcome the adoption of the new convention on cybercrime by the Assembly.\n\n"
         "The Kestrel Office is ready to work with countries to put this convention into action.\n\n"
         "The new convention is a basis for more effective criminal laws and procedures.\n\n"
         "It will also provide a roadmap for preventive measures and technical assistance.\n\n"
         "By safeguarding digital spaces, we can build a safer world for all.\n"),
    ])
    answer = assistant.ask("Apart from criminal laws, what will the new convention offer, according to the Kestrel Office?")
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    assert "It will also provide a roadmap for preventive measures and technical assistance." in quotes, answer.text


def test_an_example_in_the_paragraph_after_an_answer_goes_on_with_it(tmp_path):
    assistant = _world(tmp_path, [
        ("analysis", "Kestrel Wire (KW)",
         "Free speech\n\nRather than focusing on core cybercrimes like network intrusion, the draft's emphasis on "
         "content-related crimes could result in overly broad laws that stifle free expression.\n\n"
         "For example, the draft includes provisions that could make it a crime to insult a religion using a computer.\n\n"
         "The committee meets again in Vienna in April, and the Chair has promised a revised text before then.\n"),
        ("wire", "Harbour Times",
         "Crimes in the draft\n\nDelegates disagree on the kinds of crimes the draft should cover. Some want the draft to "
         "cover only core cybercrimes. Others want the draft to cover content-related crimes too. The kinds of crimes "
         "in the draft will be debated in April. Critics say the draft lists too many kinds of crimes.\n"),
    ])
    history = [{"role": "user", "content": "What did Kestrel Wire criticise about the kinds of crimes in the draft?"},
               {"role": "assistant", "content": "It said the draft emphasised content-related crimes [1]."}]
    answer = assistant.ask("Like what?", history=history)
    assert not answer.abstained, answer.text
    assert any("insult a religion" in c.quote for c in answer.citations), answer.text


def test_a_sentence_going_on_with_a_pronoun_joins_the_answer_to_any_kind_of_question(tmp_path):
    # "Which bodies…?" is a list question: "They are a conference of the states parties and a secretariat" names them,
    # and says so only after the sentence it goes on from.
    assistant = _world(tmp_path, [
        ("statement", "Kestrel Wire (KW)",
         "Statement of the Kestrel Office\n\nI welcome the adoption of the new convention on cybercrime by the Assembly.\n\n"
         "The new convention sets up two bodies to oversee how states apply it.\n\n"
         "They are a conference of the states parties and a secretariat in Vienna.\n\n"
         "By safeguarding digital spaces, we can build a safer world for all.\n"),
    ])
    answer = assistant.ask("Which bodies will oversee how states apply the new convention?")
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    assert "They are a conference of the states parties and a secretariat in Vienna." in quotes, answer.text


def test_the_sentence_after_the_lead_joins_a_list_answer_too(tmp_path):
    # "Which venues…?" is answered by the lead ("…for August 2020 in New York") and the sentence after it that
    # carries the story on ("A later decision moved the first meeting to Vienna"), as a why-question's would be.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Committee news\n\nThe Assembly scheduled the committee's organizational session for August 2020 in New York. "
         "A later decision moved the first meeting to Vienna. Observers said the decision was unusual.\n\n"
         "The committee's budget was approved in December.\n"),
    ])
    answer = assistant.ask("Which venues were named for the committee's organizational session?")
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    assert quotes[:2] == ["The Assembly scheduled the committee's organizational session for August 2020 in New York.",
                          "A later decision moved the first meeting to Vienna."], answer.text
    assert not any("budget" in q for q in quotes), answer.text


def test_which_official_of_a_question_of_two_parts_needs_a_sentence_naming_someone(tmp_path):
    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Signing in Hanoi\n\nBrazil signed the convention in Hanoi on Saturday, with sixty other states. "
         "Signing on behalf of the South American country was Federal Police Director General Andrei Rodrigues. "
         "Approval by the National Congress must follow before the country is bound.\n"),
    ])
    signed = assistant.ask("Which official put Brazil's signature on the convention, and what must follow?")
    assert not signed.abstained, signed.text
    assert any("Andrei Rodrigues" in c.quote for c in signed.citations), signed.text
    # (a world of its own: a name anywhere near the topic, Andrei Rodrigues's too, is someone named)
    assistant = _world(tmp_path / "chair", [
        ("session", "Harbour Times",
         "Session\n\nThe committee that negotiated the convention met for two years in Vienna and New York. "
         "Its chair, the ambassador of Algeria, guided the talks to a consensus text, delegates said.\n"),
    ])
    chaired = assistant.ask("Which diplomat chaired the committee that negotiated the convention, and which country "
                            "does she represent?")
    assert chaired.abstained and "name anyone" in chaired.text, chaired.text


def test_a_role_no_source_names_does_not_hold_the_answer_to_sentences_naming_it(tmp_path):
    # The reports say "chaired by Algeria", never "the Chair": a question about who held the chair is still answered.
    assistant = _world(tmp_path, [
        ("talks", "Kestrel Wire (KW)",
         "Talks\n\nThe concluding session opened in New York in January, with the committee currently chaired by "
         "Algeria. Delegates hoped to close their differences on human rights safeguards.\n"),
    ])
    answer = assistant.ask("Which country held the chair of the committee during the concluding session?")
    assert not answer.abstained, answer.text
    assert "chaired by Algeria" in answer.citations[0].quote, answer.text


def test_the_sentence_that_explains_a_lead_joins_it(tmp_path):
    # The best sentence only says there was scrutiny; the next one, opening with no pronoun, says why.
    assistant = _world(tmp_path, [
        ("host", "Kestrel Wire (KW)",
         "Signing\n\nThe choice of Vietnam as host of the signing ceremony for the convention has drawn scrutiny. "
         "The State Department's August report cited significant human rights issues in Vietnam, including online "
         "censorship and the arrest of at least 40 people this year for social media activity deemed critical of the state."
         "\n\nThe ceremony itself lasted two days. Breakfast was served on the terrace at seven.\n"),
    ])
    answer = assistant.ask("Why was Vietnam a contentious host for the signing ceremony of the convention?")
    assert not answer.abstained, answer.text
    assert any("arrest of at least 40 people" in c.quote for c in answer.citations), answer.text
    # (a sentence far from the question does not join the lead, though it follows it)
    days = assistant.ask("Why did the signing ceremony of the convention last two days?")
    assert not any("Breakfast" in c.quote for c in days.citations), days.text
    # (a figure question keeps to the sentences that hold it)
    figure = assistant.ask("How many days did the signing ceremony last?")
    assert not any("arrest" in c.quote for c in figure.citations), figure.text


def test_a_sentence_pointing_back_to_the_lead_is_read_with_it_when_it_joins(tmp_path):
    # "It was clear that these…" says nothing on its own (its own vector is far from the question); read with the lead
    # it points back to, as ranking reads it, it is what came of the offences, and it joins the answer.
    assistant = _world(tmp_path, [
        ("draft", "Kestrel Wire (KW)",
         "The draft\n\nThese included content offences such as terrorism, extremism and blasphemy, which several states "
         "added to the draft in 2023. It was clear that these would never win a majority, and so the chance of a narrow "
         "treaty was lost.\n\nThe session closed on a Friday. Lunch was served in the delegates' lounge.\n"),
    ])
    answer = assistant.ask("What came of the content offences, such as terrorism and blasphemy, that states added to "
                           "the draft in 2023?")
    assert not answer.abstained, answer.text
    assert any("never win a majority" in c.quote for c in answer.citations), answer.text


def test_a_sentence_that_counts_what_it_names_brings_the_first_of_them(tmp_path):
    # "…two categories, …" counts them, and "The first ones are…" goes on to say what each is.
    assistant = _world(tmp_path, [
        ("terms", "Kestrel Wire (KW)",
         "Terms\n\nThe report sorts cybercrime into two categories, cyber-enabled and cyber-dependent crimes. The first "
         "ones are crimes that computers make easier, such as fraud, and the second ones are crimes that only computers "
         "make possible, such as spreading malware. Delegates met in Vienna.\n\nThe session opened on a Monday. The "
         "first delegates arrived early to register for the meeting.\n"),
    ])
    answer = assistant.ask("What is the difference between cyber-enabled and cyber-dependent crimes?")
    assert not answer.abstained, answer.text
    assert any("such as spreading malware" in c.quote for c in answer.citations), answer.text
    # (nor does "The first delegates…" join a sentence that counts nothing)
    opened = assistant.ask("What happened when the session opened?")
    assert not opened.abstained, opened.text
    assert not any("first delegates" in c.quote for c in opened.citations), opened.text


def test_a_title_before_a_name_ends_no_sentence_in_the_sources_or_the_answer(tmp_path):
    # "Hon." and "Maj. Gen." are titles: the delegation's members are in the sentence that names the delegation.
    assistant = _world(tmp_path, [
        ("delegation", "Kestrel Wire (KW)",
         "Delegation\n\nThe Harbour delegation was comprised at the last meeting of Hon. Edmund Hinkson, Member of "
         "Parliament, and Maj. Gen. Joseph Koroma of the Ministry of Industry. They were supported by the mission in "
         "New York.\n"),
    ])
    answer = assistant.ask("Which two people made up the Harbour delegation at the last meeting?")
    assert not answer.abstained, answer.text
    assert any("Edmund Hinkson" in c.quote and "Joseph Koroma" in c.quote for c in answer.citations), answer.text
    assert "of Hon. Edmund Hinkson" in answer.text and "Maj. Gen. Joseph" in answer.text, answer.text


def test_a_sentence_that_runs_on_into_the_first_item_brings_the_rest(tmp_path):
    # No full stop after the colon: the announcement and "First, …" are one sentence, and the items after it go on.
    assistant = _world(tmp_path, [
        ("speech", "Kestrel Wire (KW)",
         "Speech\n\nOn the afternoon of the signing, the Prime Minister spoke at a discussion session on the spirit of "
         "the convention, with the Secretary-General and leaders of more than 110 countries.\n"
         "The Prime Minister called on countries to implement the spirit of the three pledges: "
         "First, promote cooperation between countries and technology firms. "
         "Second, complete the national legal framework. "
         "Third, invest in technical infrastructure for cybersecurity. "
         "The ceremony closed with music.\n"),
    ])
    answer = assistant.ask("What three pledges did the Prime Minister ask countries to implement in the spirit of the convention?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Second, complete" in quotes and "Third, invest" in quotes, answer.text
    assert "music" not in quotes, answer.text


def test_a_figure_of_one_act_of_the_treaty_does_not_answer_for_another(tmp_path):
    # Signing and ratifying are different acts: a count of signatures is no count of ratifications.
    assistant = _world(tmp_path, [
        ("fiji", "Kestrel Wire (KW)",
         "Fiji signs\n\nFiji has signed the convention in New York. Since October, 73 countries have signed the "
         "convention, reflecting a strong global consensus.\n"),
    ])
    ratified = assistant.ask("How many countries had ratified the convention by the time Fiji signed it?")
    assert ratified.abstained and "ratification" in ratified.text and "signing" in ratified.text, ratified.text
    signed = assistant.ask("How many countries have signed the convention since October?")
    assert not signed.abstained and "73 countries" in signed.citations[0].quote, signed.text


def test_items_labelled_in_capitals_go_on_the_list_their_announcement_opens(tmp_path):
    # A tally set out as labelled lines: "YES: …", "NO: …", "ABSTAIN: …" are the list "the breakdown…:" announces.
    assistant = _world(tmp_path, [
        ("tally", "Kestrel Wire (KW)",
         "Votes\n\nThere were 88 votes for the resolution, 58 against and 30 abstentions. This is the breakdown of "
         "CARICOM votes on the resolution:\n\nYES: Jamaica, Suriname and Dominica\n\nNO: Belize\n\n"
         "ABSTAIN: Bahamas, Barbados, Grenada and Guyana\n\nWhy the controversy?\n\nMany sponsors were criticised.\n"),
    ])
    answer = assistant.ask("Which CARICOM states abstained in the vote on the resolution?")
    assert not answer.abstained, answer.text
    assert any(c.quote.startswith("ABSTAIN: Bahamas") for c in answer.citations), answer.text
    assert not any("criticised" in c.quote for c in answer.citations), answer.text


def test_which_day_brings_a_near_sentence_that_gives_a_day(tmp_path):
    # Five sentences on the decision outrank the one that gives its day, which the answer's limit would leave out.
    assistant = _world(tmp_path, [
        ("adoption", "Kestrel Wire (KW)",
         "Adoption\n\nThe General Assembly was to decide on the cybercrime convention in December 2024. The General "
         "Assembly decision on the cybercrime convention was expected in December 2024. The General Assembly would decide "
         "on the cybercrime convention in December 2024, observers said. The General Assembly had to decide on the "
         "cybercrime convention by the end of 2024. A General Assembly decision on the cybercrime convention was the last "
         "step in 2024. On 24 December 2024 the Assembly adopted the cybercrime text.\n"),
    ])
    answer = assistant.ask("What did the General Assembly decide on the cybercrime convention in December 2024, and on which day?")
    assert not answer.abstained, answer.text
    assert any("On 24 December 2024" in c.quote for c in answer.citations), answer.text


def test_an_interviewers_question_is_answered_by_the_paragraph_after_it(tmp_path):
    assistant = _world(tmp_path, [
        ("interview", "Kestrel Wire (KW)",
         "Interview\n\nTwo of the people who negotiated it for Switzerland spoke to us in Bern.\n\n"
         "What does the convention, as it was negotiated by the member states, actually cover?\n\n"
         "Ana Ruiz (AR): The convention has three main thrusts. First, it addresses criminalisation by member states. "
         "Second, it deals with procedural measures. The third thrust concerns international cooperation.\n"),
    ])
    answer = assistant.ask("What does the convention, as the member states negotiated it, cover?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "three main thrusts" in quotes and "First, it addresses criminalisation" in quotes, answer.text
    # A list counted out in prose goes on past "First" and "Second" to "The third thrust…".
    assert "The third thrust concerns international cooperation" in quotes, answer.text


def test_a_lettered_list_goes_on_in_its_items(tmp_path):
    assistant = _world(tmp_path, [
        ("draft", "Kestrel Wire (KW)",
         "The first draft\n\nThe delegation tabled its own draft convention in June.\n\n"
         "The proposed convention has several ambitious goals:\n\n"
         "a. it asks each state party to establish new offences under its domestic cybercrime laws;\n\n"
         "b. it defines new procedures for legal cooperation on cybercrime; and\n\n"
         "c. it establishes a technical commission to assist states in reviewing implementation.\n\n"
         "Observers in Geneva expected long talks over the winter.\n"),
    ])
    answer = assistant.ask("What goals did the proposed convention set out?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    for item in ("a. it asks each state party", "b. it defines new procedures", "c. it establishes a technical commission"):
        assert item in quotes, answer.text
    assert "Observers in Geneva" not in quotes, answer.text


def test_an_organisations_name_is_whom_a_question_asks_about_not_what(tmp_path):
    # Every sentence naming the Harbour Online Coalition shares the question's rarest words; the one saying which
    # concerns its statement acknowledges does not name it, and answers.
    assistant = _world(tmp_path, [
        ("foc", None,
         "Joint statement\n\nToday, the Harbour Online Coalition (HOC) has issued a Joint Statement on the adoption of "
         "the convention against cybercrime. The Harbour Online Coalition has 42 members. "
         "The statement recognizes the concerns that have been raised, particularly regarding the intrusive nature of "
         "some procedural measures and the broad scope of international cooperation. "
         "It also underscores the value of a multistakeholder approach.\n"),
    ])
    answer = assistant.ask("Which concerns about the convention does the Harbour Online Coalition acknowledge in its statement?")
    assert not answer.abstained, answer.text
    assert any("intrusive nature" in c.quote for c in answer.citations), answer.text


def test_a_why_answer_takes_the_grounds_before_the_claim_it_restates(tmp_path):
    # "Unless it is reformed, delegates must reject it" restates what the question asks the reason for; the reason
    # is the sentence before it.
    assistant = _world(tmp_path, [
        ("faq", "Kestrel Rights (KR)",
         "FAQ on reforms\n\nA committee at the United Nations is expected to adopt a convention on cybercrime this year. "
         "The current draft has serious flaws that could legitimise harmful surveillance and hurt whistleblowers around "
         "the world. Unless the convention is reformed, delegates must reject it. A bad convention is worse than none.\n"),
    ])
    answer = assistant.ask("What reasons does Kestrel Rights give for saying delegates should reject the draft unless it is reformed?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Unless the convention is reformed" in quotes and "legitimise harmful surveillance" in quotes, answer.text


def test_the_part_that_asks_for_someone_ranks_the_sentences_that_may_name_them(tmp_path):
    # The whole question is closest to the sentences on the coalition's firms; its second part asks who led the
    # delegation, and a sentence near that part names him.
    assistant = _world(tmp_path, [
        ("accord", "Kestrel Wire (KW)",
         "Industry\n\nThe Harbour Tech Accord, a coalition which includes Meta and Microsoft, warned that the treaty's "
         "vague language could allow misuse, dubbing it a potential surveillance treaty. The coalition of technology "
         "firms has more than 150 member companies. Its member firms called the treaty a surveillance instrument.\n\n"
         "Talks\n\nWho led the coalition's delegation in the talks mattered to its members. \"We said so in the "
         "talks,\" said Nick Ashton-Hart, who led the coalition's delegation in the talks.\n"),
    ])
    answer = assistant.ask("Which big tech firms belong to the coalition that called the treaty a potential surveillance "
                           "instrument, and who led that coalition's delegation in the talks?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Meta and Microsoft" in quotes and "Ashton-Hart" in quotes, answer.text


def test_months_a_question_compares_are_the_events_when_the_reports_carry_no_date(tmp_path):
    # "the December 2019 vote" and "August 2024" date events: undated reports may hold both, and are compared.
    assistant = _world(tmp_path, [
        ("history", None,
         "Background\n\nIn December 2019 the General Assembly approved the resolution with a vote of 79 states for and "
         "60 against. On 8 August 2024 the committee adopted the draft text by consensus.\n"),
        ("wire", "Kestrel Wire (KW)", "Closing\n\nDelegates debated the scope of the convention for two weeks.\n",
         "2024-02-09"),
    ])
    answer = assistant.ask("How did the way members decided in the December 2019 General Assembly vote differ from how "
                           "the draft text was adopted in August 2024?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "history", answer.text


def test_a_why_answer_takes_the_reason_a_chosen_sentence_points_back_to(tmp_path):
    # "Because of this, …" gives the position; the sentence before it gives the reason.
    assistant = _world(tmp_path, [
        ("nz", "Kestrel Wire (KW)",
         "Statement\n\nChair, New Zealand supports the adoption of the convention. "
         "The convention has a broader scope of application than we sought and includes significant procedural powers. "
         "Because of this, during the negotiations New Zealand pushed hard for binding human rights safeguards.\n"),
    ])
    answer = assistant.ask("What reason does New Zealand give for having pushed so hard for binding human rights safeguards?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "broader scope of application" in quotes and "Because of this" in quotes, answer.text


def test_a_why_answer_takes_the_reason_given_just_after_the_claim(tmp_path):
    # The claim ("… is hesitating over whether to sign") is followed, in the next paragraph, by the sentence that says
    # what the hesitation stems from; that sentence names neither the government nor the question's words.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Government weighs the treaty\n\nThe Assembly is set to vote on the cybercrime treaty later this year, and the "
         "government of Ghana is hesitating over whether to sign it.\n\n"
         "The uncertainty stems from worries that some states could use the text to justify surveillance of journalists.\n\n"
         "Officials will meet again in the autumn.\n"),
    ])
    answer = assistant.ask("Why was Ghana hesitating over whether to sign the treaty?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "hesitating over whether to sign" in quotes and "stems from worries" in quotes, answer.text
    assert "autumn" not in quotes, answer.text


def test_a_reason_pointed_back_to_may_stand_in_the_paragraph_before(tmp_path):
    # A page whose every sentence is a paragraph of its own: "That is why…" points back across the break.
    assistant = _world(tmp_path, [
        ("speech", "Kestrel Wire (KW)",
         "Remarks\n\nCybercriminals are misusing new technology, and attacks on hospitals grow more destructive every day.\n\n"
         "That is why Ghana treats the new convention as a landmark step.\n\n"
         "Officials will meet again in the autumn.\n"),
    ])
    answer = assistant.ask("Why does Ghana treat the convention as a landmark step?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "attacks on hospitals grow more destructive" in quotes and "That is why" in quotes, answer.text


def test_a_quotation_carried_into_the_next_paragraph_joins_its_speakers_sentence(tmp_path):
    # "… said one of the core issues is …" / "“…. We still have no definition of cybercrime,” she said.": the quote
    # goes on with what she said; its second sentence shares no word with the question.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Talks in New York\n\nAmina Osei, a researcher at the Kestrel Institute, said one of the core problems is a lack "
         "of agreement on what the treaty is for.\n\n"
         "“When the Assembly first decided to draft this treaty, no one agreed that it was needed. Four years later, we "
         "still have no definition of cybercrime,” she said.\n\n"
         "Delegates return to Vienna in the spring.\n"),
    ])
    answer = assistant.ask("Why did the Kestrel Institute researcher say the treaty talks rested on shaky foundations?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "core problems" in quotes and "no definition of cybercrime" in quotes, answer.text
    assert "spring" not in quotes, answer.text


def test_a_bare_quotation_after_its_speakers_sentence_goes_on_with_what_they_said(tmp_path):
    # "“…,” she told the Wire." / "“We at Kestrel Systems get outvoted all the time…. This time, we have a voice.”": the
    # paragraph says no one's; it closes what she said, and its sentences share no word with the question.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Industry at the talks\n\nAmina Osei, a director at Kestrel Systems, took part in the negotiations. "
         "“This was the first time so many companies were invited to take part in drafting a UN convention,” she told "
         "the Wire.\n\n"
         "“We at Kestrel Systems get outvoted all the time, mostly by the larger states. This time, we have a voice in "
         "the room – and we have tried to use it.”\n\n"
         "Delegates return to Vienna in the spring.\n"),
    ])
    answer = assistant.ask("Why did the Kestrel Systems director think these UN talks were unusual for industry?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "first time so many companies" in quotes and "outvoted all the time" in quotes, answer.text
    assert "spring" not in quotes, answer.text


def test_how_a_body_voted_is_answered_by_its_vote_or_declined(tmp_path):
    assistant = _world(tmp_path, [
        ("eu", "Kestrel Wire (KW)",
         "Signing\n\nThe European Commission signed the convention on the EU's behalf in Hanoi. The European Parliament "
         "will have to consent to the conclusion of the convention. Russia voted against the resolution in the Assembly.\n"),
    ])
    declined = assistant.ask("How did the European Parliament vote when asked to consent to the convention?")
    assert declined.abstained and "how the vote went" in declined.text, declined.text
    answered = assistant.ask("How did Russia vote on the resolution in the Assembly?")
    assert not answered.abstained and "voted against" in answered.citations[0].quote, answered.text



def test_who_wrote_a_named_report_is_answered_by_its_byline_or_declined(tmp_path):
    # "Who wrote…?" asks for a person, whom a byline or an author's note names: it shares no word with the question.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Signing\n\nMinister Paulo Neves signed the convention for Freedonia at the ceremony in Hanoi.\n"),
    ])
    docs = tmp_path / "knowledge" / "documents"
    (docs / "outlook.html").write_text(
        "<html><body><p>Harbour Outlook</p><p>In this section</p>"
        "<h1>What the Convention Means for Policing in Freedonia</h1><p>10 Sep 2024</p>"
        "<p>By Dr Ana B.C. Ruiz and Tomas Vela</p>"
        "<p>The convention awaits adoption and needs forty ratifications to enter into force. Policing in Freedonia "
        "will change as officers gain new powers to gather electronic evidence across borders.</p></body></html>",
        encoding="utf-8")
    (docs / "ledger.html").write_text(
        "<html><body><p>Ledger Review</p><h1>A Treaty for the Digital Age</h1>"
        "<p>Delegates agreed the treaty text after three years of negotiation. Critics warn that its scope is broad "
        "and its safeguards are weak.</p>"
        "<p>Joyce Amari is a senior research fellow with the Digital Rights Programme at the Hollis Institute.</p>"
        "</body></html>", encoding="utf-8")
    (docs / "brief.html").write_text(
        "<html><body><p>Tidewater Brief</p><h1>The Treaty After Adoption</h1>"
        "<p>The treaty opens for signature next year and needs forty ratifications to enter into force. "
        "Observers expect a slow pace of ratification.</p></body></html>", encoding="utf-8")
    assistant.ingest([docs / "outlook.html", docs / "ledger.html", docs / "brief.html"])
    answer = assistant.ask("Who are the authors of the Harbour Outlook article on what the convention means for "
                           "policing in Freedonia?")
    assert not answer.abstained, answer.text
    assert "Ana B.C. Ruiz and Tomas Vela" in answer.citations[0].quote, answer.text
    noted = assistant.ask("Who wrote the Ledger Review piece warning that the treaty's scope is broad and its safeguards weak?")
    assert not noted.abstained and any("Joyce Amari" in c.quote for c in noted.citations), noted.text
    unsigned = assistant.ask("Who wrote the Tidewater Brief piece expecting a slow pace of ratification?")
    assert unsigned.abstained and "don't name anyone" in unsigned.text, unsigned.text


def test_a_sentence_speaks_for_whom_its_paragraph_named_before_it(tmp_path):
    # "It lists…" goes on about the notice its paragraph opened with, the EU's: it answers for the EU, half as much as a
    # sentence naming the EU itself. A sentence before the one that names an actor is not that actor's.
    assistant = _world(tmp_path, [
        ("notice", "Kestrel Wire (KW)",
         "EU signs\n\nThe European Union signed the convention on Saturday, and the EU welcomed the step in a notice. "
         "The EU said the convention enhances its ability to fight crime with its partners. "
         "The notice runs to two pages. "
         "It lists child sexual abuse, online fraud and ransomware attacks as criminally prosecutable offences.\n\n"
         "The EU will now ask the European Parliament to approve the signature, and the EU member states will "
         "ratify the convention under their own procedures.\n"),
    ])
    question = "Which kinds of offence does the EU's notice say the convention makes criminally prosecutable?"
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    assert ranked[0].s.sentence.text.startswith("It lists"), [c.s.sentence.text for c in ranked]
    assert ranked[0].features["actor"] == 0.5
    answer = assistant.ask(question)
    assert not answer.abstained and any("ransomware" in c.quote for c in answer.citations), answer.text


def test_a_report_abbreviating_a_state_it_names_speaks_of_it_by_the_abbreviation(tmp_path):
    # "SA" in a report that names South Africa is South Africa there, as the gazetteer's "US" is everywhere.
    assistant = _world(tmp_path, [
        ("itweb", "Kestrel Wire (KW)",
         "SA signs\n\nSouth Africa has joined 64 other member states in backing the convention. "
         "Justice minister Mmamoloko Kubayi, who represented SA at the signing in Hanoi, said no country can fight "
         "cybercrime alone.\n"),
        ("wire", "Harbour Times",
         "Hanoi\n\nThe ceremony was opened by Secretary-General Antonio Guterres, who spoke of a historic day.\n"),
    ])
    doc_id = "itweb"
    sentence = next(s for s in assistant.corpus.sentences_in_spans([(doc_id, 0, 10_000)]) if "Kubayi" in s.sentence.text)
    assert "south_africa" in sentence.actors
    answer = assistant.ask("Who represented South Africa at the Hanoi signing?")
    assert not answer.abstained and "Mmamoloko Kubayi" in answer.citations[0].quote, answer.text


def test_an_organisations_initials_stand_for_it_where_its_name_is_never_spelled_out(tmp_path):
    # A business group's own release calls it "ICC" throughout; the gazetteer gives those initials to one actor only.
    release = ("Business warns\n\nICC warns of serious flaws in the newly adopted convention. ICC said the text would "
               "raise compliance costs and discourage security research. Officials of the Hong Kong SAR and the USG "
               "attended the briefing.\n")
    assistant = _world(tmp_path, [
        ("business", "Kestrel Wire (KW)", release),
        ("wire", "Harbour Times", "Adoption\n\nThe General Assembly adopted the convention without a vote.\n"),
    ])
    answer = assistant.ask("Why does the International Chamber of Commerce object to the convention?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "business" and "compliance costs" in answer.text, answer.text
    sentence = next(s for s in assistant.corpus.sentences_in_spans([("business", 0, 10_000)]) if "compliance" in s.sentence.text)
    assert "icc_business" in sentence.actors
    # A state's initials, or those of a name holding an abbreviation ("UN Secretary-General"), stand for no one here:
    # "SAR" is Hong Kong's, "USG" a government's.
    briefing = next(s for s in assistant.corpus.sentences_in_spans([("business", 0, 10_000)]) if "briefing" in s.sentence.text)
    assert not briefing.actors & {"syria", "un_secretary_general"}, briefing.actors


def test_a_compound_name_is_known_where_each_of_its_parts_is(tmp_path):
    assistant = _world(tmp_path, [
        ("vote", "Kestrel Wire (KW)",
         "Vote\n\nIn the Third Committee, the resolution on countering the use of ICT for criminal purposes was supported "
         "by 88 countries, while 58 voted against it. The crime of fraud was discussed at length.\n"),
    ])
    asked = assistant.answerer.query("How many countries voted against the ICT-crime resolution in the Third Committee?")
    assert "ICT-crime" not in asked.unknown_names, asked.unknown_names
    answer = assistant.ask("How many countries voted against the ICT-crime resolution in the Third Committee?")
    assert not answer.abstained and "58" in answer.text, answer.text
    # A compound one of whose parts no source holds is still unknown.
    assert "Zorblax-crime" in assistant.answerer.query("Who drafted the Zorblax-crime resolution?").unknown_names


def test_who_said_a_quote_is_answered_by_the_line_under_it(tmp_path):
    assistant = _world(tmp_path, [
        ("adoption", "Kestrel Wire (KW)",
         "Adoption\n\nThe General Assembly adopted the convention against cybercrime without a vote.\n"
         "“This treaty is a demonstration of multilateralism succeeding during difficult times and reflects the "
         "collective will of Member States.”\nAmina Diallo, President of the Assembly\n"
         "Member States and other stakeholders had doubted the need for such a treaty.\n"),
    ])
    answer = assistant.ask("Who called the new treaty proof that multilateralism can still work in hard times?")
    assert not answer.abstained and "Amina Diallo" in answer.text, answer.text
    assert any(c.quote == "Amina Diallo, President of the Assembly" for c in answer.citations), answer.citations


def test_what_led_someone_to_act_is_answered_by_the_cause_its_sentence_points_back_to(tmp_path):
    assistant = _world(tmp_path, [
        ("letter", "Kestrel Wire (KW)",
         "Open letter\n\nA revised text was produced during the negotiation, but it failed to address the concerns of "
         "journalists. This prompted the Kestrel Press Fund to join other groups in an open letter on 8 February.\n"),
    ])
    answer = assistant.ask("What led the Kestrel Press Fund to add its name to an open letter in February?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "failed to address" in quotes and "This prompted" in quotes, answer.text


def test_which_countries_is_answered_by_a_sentence_that_lists_them(tmp_path):
    assistant = _world(tmp_path, [
        ("press", "Kestrel Wire (KW)",
         "Reject the treaty\n\nGovernments must work individually and collectively to address the scourge of cybercrime. "
         "Governments that support press freedom should not sign on to the convention. "
         "For more than three years, states have been negotiating a new global convention backed by Russia, China, "
         "Iran, Venezuela and other authoritarian states.\n"),
    ])
    question = "Which governments are named as supporters of the convention?"
    ranked = assistant.answerer.sentence_candidates(assistant.answerer.query(question)).ranked
    holds = {c.s.sentence.text.split(",")[0]: c.features["holds_asked"] for c in ranked}
    assert holds["For more than three years"] == 1.0, holds
    assert holds.get("Governments must work individually and collectively to address the scourge of cybercrime.") == 0.0, holds
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert all(name in answer.text for name in ("Russia", "China", "Iran", "Venezuela")), answer.text


def test_a_bare_quotation_is_answered_with_the_sentence_that_says_whose_it_is(tmp_path):
    assistant = _world(tmp_path, [
        ("rights", "Harbour Times",
         "Rights groups' warning\n\nThe coalition published its letter to negotiators on Monday. "
         "\u201cThe draft fails to protect journalists and security researchers,\u201d said Mara Quint, policy director at "
         "Lantern Rights. \u201cIf governments cannot fix the safeguards, they should walk away from the treaty.\u201d\n"),
        ("wire", "Kestrel Wire (KW)",
         "Session wrap-up\n\nDelegates met for two weeks in New York and adopted the text by consensus.\n"),
    ])
    answer = assistant.ask("Who was quoted urging governments to walk away from the treaty if the safeguards cannot be fixed?")
    assert not answer.abstained, answer.text
    assert "Mara Quint" in answer.text, answer.text
    quotes = [c.quote for c in answer.citations]
    assert any("said Mara Quint" in q for q in quotes) and any(q.startswith("\u201cIf governments") for q in quotes), quotes



def test_an_answer_from_reports_that_never_mention_the_place_asked_is_declined(tmp_path):
    assistant = _world(tmp_path, [
        ("vote", "Kestrel Wire (KW)",
         "Assembly vote\n\nThe European Union said the resolution would allow crackdowns on expression. "
         "The resolution passed by a vote of 79 to 60.\n"),
        ("ceremony", "Harbour Times",
         "Signing ceremony\n\nSixty-five states signed the convention at a ceremony in Hanoi. "
         "The European Union said the treaty must be applied with human rights safeguards.\n"),
        ("experts", "Lantern Post",
         "Expert group\n\nThe expert group on cybercrime met in Vienna before the talks began.\n"),
    ])
    # Vienna is in the archive, but no report of what the European Union said mentions it
    answer = assistant.ask("What did the European Union say about human rights at the ceremony in Vienna?")
    assert answer.abstained and "Vienna" in answer.text, answer.text
    answer = assistant.ask("What did the European Union say about human rights at the ceremony in Hanoi?")
    assert not answer.abstained, answer.text
    assert any("human rights safeguards" in c.quote for c in answer.citations), answer.text
    # a name given otherwise than as where it happened is not held to the reports quoted
    assert assistant.answerer.query("What did the European Union say about human rights before Vienna?").names == []

def test_a_question_of_several_parts_is_on_topic_when_one_part_is_near():
    from assistant.answering.strategies.sentences import Candidate, a_part_is_near

    def candidate(*parts):  # (score, similarity, overlap) of each part read on its own
        return Candidate(0.5, {}, None, list(parts))

    # "…on what did states broadly agree, and where was the sharpest split?": the first part, read on its own, is
    # near "All of the submissions emphasise the need for cooperation…" though the whole question is not
    assert a_part_is_near([candidate((0.3, 0.25, 0.1), (0.2, 0.2, 0.0)), candidate((0.7, 0.50, 0.2), (0.3, 0.2, 0.0))])
    # a part close in wording alone, or in meaning alone below the floor, is not
    assert not a_part_is_near([candidate((0.6, 0.25, 1.0), (0.5, 0.45, 0.1))])
    assert not a_part_is_near([candidate((0.7, 0.29, 0.9))])
    assert not a_part_is_near([])


def test_a_question_asked_inside_another_ranks_up_what_it_asks_for(tmp_path):
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "The talks\n\nThe cybercrime treaty talks were long and hard, delegates said of the treaty talks. "
         "The cybercrime treaty talks went on in Vienna and New York, with the treaty talks often tense. "
         "Observers of the treaty talks said the cybercrime treaty talks had worked hard. "
         "States met for the treaty talks behind closed doors. "
         "The treaty talks had been under way for over five years when the text was agreed.\n"),
        ("times", "Harbour Times", "Background\n\nThe cybercrime treaty talks began in 2019 at the Assembly.\n"),
    ])
    # "… agree on how long …" asks how long: a span of time answers it, not the sentences closest in topic.
    answer = assistant.ask("Do the Kestrel Wire and the Harbour Times agree on how long the cybercrime treaty talks went on?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "five years" in quotes and "2019" in quotes, answer.text


def test_a_delegation_asked_about_is_read_where_it_is_named_not_in_the_dated_reports_alone(tmp_path):
    assistant = _world(tmp_path, [
        ("postponed", "Harbour Times",
         "Session postponed\n\nThe General Assembly put off the organizational session of the Ad Hoc Committee to "
         "May 2021. The representative of Ghana said his delegation sought the delay because small delegations could "
         "not take part fairly while travel was closed.\n", "2020-11-10"),
        ("opened", "Kestrel Wire (KW)",
         "Organizational session\n\nThe Ad Hoc Committee held its organizational session in May 2021. The Ad Hoc "
         "Committee agreed on the dates of its sessions at its organizational session. The Ad Hoc Committee elected "
         "its Chair at the organizational session in May 2021. The organizational session of the Ad Hoc Committee "
         "adopted its agenda.\n", "2021-05-12"),
        ("later", "Kestrel Wire (KW)",
         "Second week\n\nThe Ad Hoc Committee's organizational session closed in May 2021 with its modalities agreed. "
         "The Ad Hoc Committee will meet next in Vienna.\n", "2021-05-20"),
    ])
    # "May 2021" dates the reports of that month, none of which names Ghana; the Committee is only where it
    # happened, so its sentences do not answer for Ghana.
    answer = assistant.ask("Why did Ghana want the Ad Hoc Committee's organizational session pushed back to May 2021?")
    assert not answer.abstained, answer.text
    assert any("sought the delay because" in c.quote for c in answer.citations), answer.text
    assert all(c.document_id == "postponed" for c in answer.citations), answer.text


def test_the_reports_naming_a_delegation_are_searched_when_the_dated_ones_never_name_it(tmp_path):
    may = [(f"may{i}", "Kestrel Wire (KW)",
            f"Day {i}\n\nThe Ad Hoc Committee's organizational session, pushed back to May 2021, met for day {i}. "
            f"Delegations said the organizational session pushed back to May 2021 was worth the wait, on day {i}.\n",
            f"2021-05-{10 + i:02d}") for i in range(1, 9)]
    # (Reports of other years, closer in wording than the one that answers, crowd the search of the whole archive
    # beyond the passages each retriever hands on.)
    crowd = [(f"crowd{i}", "Harbour Times",
              f"Looking back {i}\n\nWhy was the Ad Hoc Committee's organizational session pushed back to May 2021? "
              f"The organizational session of the Ad Hoc Committee was pushed back to May 2021, review {i} recalls.\n",
              f"2022-{1 + i % 12:02d}-{1 + i // 12:02d}") for i in range(48)]
    assistant = _world(tmp_path, may + crowd + [
        ("postponed", "Harbour Times",
         "Session postponed\n\nThe representative of Ghana said his delegation sought the delay because small "
         "delegations could not take part fairly while travel was closed.\n", "2020-11-10")])
    question = "Why did the Ghanaian delegation want the Ad Hoc Committee's organizational session pushed back to May 2021?"
    query = assistant.answerer.query(question)
    assert query.dated and "postponed" not in query.dated  # the reports of May 2021 are read first
    vector = assistant.embedder.embed_one(query.retrieval_text)
    # None of them names Ghana: the report that does is searched as a group of its own.
    assert "postponed" in {p.document_id for p, _ in assistant.retriever.top_passages(query, vector, 3)}


def test_the_text_just_after_the_best_passage_is_read(tmp_path):
    report = ("wrap", "Kestrel Wire (KW)",
              "Vienna diary\n\nThe spring session of the cybercrime committee opened in Vienna on Monday. The "
              "spring session of the cybercrime committee had a long agenda before it.\n\n"
              "Delegates went home on Friday with nothing signed; another round is planned for July.\n")
    # (Other reports on the spring session, nearer the question's words than the answer, fill the search.)
    crowd = [(f"agenda{i}", "Harbour Times",
              f"Agenda {i}\n\nThe spring session of the cybercrime committee took up item {i} of its agenda in Vienna. "
              f"Item {i} of the spring session's agenda drew statements from many delegations.\n") for i in range(18)]
    assistant = _world(tmp_path, [report] + crowd)
    query = assistant.answerer.query("How did the spring session of the cybercrime committee end?")
    vector = assistant.embedder.embed_one(query.retrieval_text)
    assert assistant.retriever.top_passages(query, vector, 1)[0][0].document_id == "wrap"
    # (The search ranks the paragraph after it below those read in full, and it is too far from the question in
    # meaning to be read among those ranked lower.)
    searched = [p.text for p, _ in assistant.retriever.top_passages(query, vector, 40)]
    read_in_full = assistant.answerer.k + EXTRA_PASSAGES
    assert read_in_full <= next(i for i, text in enumerate(searched) if text.startswith("Delegates went home"))
    candidates = [c.s.sentence.text for c in assistant.answerer.sentence_candidates(query).ranked]
    assert any(text.startswith("Delegates went home") for text in candidates), candidates[:5]


def test_a_sentence_pointing_back_brings_the_one_it_points_to(tmp_path):
    # "These offences are already criminalised…" matches the question's words best, but which offences it means is
    # said only in the sentence before it (on a page whose every sentence is a paragraph of its own).
    assistant = _world(tmp_path, [
        ("notice", "Kestrel Wire (KW)",
         "Convention notice\n\nThe Convention will also give an impetus to criminalise acts related to online fraud "
         "against pensioners and the theft of harbour tolls.\n\nThese offences are already punishable inside the "
         "Union but not yet criminalised internationally.\n\nThe harbour master welcomed the visiting delegates with "
         "a dinner.\n"),
    ])
    answer = assistant.ask("Which offences, already punishable inside the Union, does the convention push to "
                           "criminalise internationally?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "These offences" in quotes and "harbour tolls" in quotes, answer.text
    assert "dinner" not in quotes, answer.text


def test_a_person_named_for_an_organisation_speaks_for_it_by_surname_alone(tmp_path):
    # The wire names Mara Quill as the EFF's once; its next paragraph gives her argument under her surname, and the
    # harbour authority's paragraph says the same of the treaty for someone else.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Treaty signed\n\n“We urged governments not to sign,” said Mara Quill, policy director at the EFF.\n\n"
         "Quill pointed out that the convention covers any offence carrying a four-year penalty, which in many places "
         "includes peaceful speech and protest.\n\nThe harbour authority praised the treaty's reach over offences "
         "punished by four years in prison.\n"),
    ])
    answer = assistant.ask("Which offences does the EFF say the convention covers?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "peaceful speech" in quotes, answer.text
    assert "harbour authority" not in quotes, answer.text


def test_a_quotation_opened_in_a_chosen_sentence_is_quoted_to_its_close(tmp_path):
    # The director's reason is in the quotation's second sentence, which shares no word with the question.
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Treaty signed\n\nThe harbour league's director explained why it opposes the convention. “We oppose the "
         "convention because of its reach. Any state may then demand the papers of sailors abroad.” The league met "
         "in Osprey Bay. Its members sail under twelve flags.\n"),
    ])
    answer = assistant.ask("Why does the harbour league's director oppose the convention?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "papers of sailors" in quotes, answer.text
    assert "twelve flags" not in quotes, answer.text


def test_a_report_the_question_names_is_read_whole(tmp_path):
    # The statement's passages that repeat the question's words outrank the one saying what it asks; named by its date,
    # the statement is read whole, so that passage's sentences are candidates however far they are from the question.
    others = [(f"wire{i:02d}", "Harbour Times",
               f"Harbour report {i}\n\nDelegates discussed the piracy convention on day {i} of the talks in the harbour "
               f"hall.\n", f"2024-{i % 11 + 1:02d}-0{i % 9 + 1}") for i in range(1, 17)]
    recalled = "".join(
        f"On piracy point {i}, the office statement recalls that the convention on piracy was negotiated over many "
        f"sessions with delegates from every region, and the office thanks the chair, the secretariat, the interpreters "
        f"and the host city for session {i} of the piracy talks, which the office followed closely in its statements "
        f"on piracy throughout the year.\n\n" for i in range(1, 16))
    statement = ("statement", "Kestrel Office (KO)",
                 "Statement of the Kestrel Office\n\n" + recalled + "Sea raiders are misusing the new routes every "
                 "day.\n\nThey are sinking fishing fleets, emptying pension funds and eroding trust in every port.\n",
                 "2024-12-24")
    assistant = _world(tmp_path, others + [statement])
    query = assistant.answerer.query("What harms does the Kestrel Office attribute to piracy in its December 2024 "
                                     "statement?")
    assert query.dated == {"statement"}
    candidates = assistant.answerer.sentence_candidates(query).ranked
    assert any("eroding trust" in c.s.sentence.text for c in candidates)


def test_a_question_about_a_community_is_answered_by_an_organisation_within_it(tmp_path):
    # Access Now's report never says "rights groups"; the harbour authority's sentence is nearer the question's words,
    # but no rights group's.
    assistant = _world(tmp_path, [
        ("access", "Access Now",
         "Draft treaty\n\nAccess Now warned that the convention's reach over any offence carrying four years in "
         "prison would sweep in peaceful protest.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Port news\n\nThe harbour authority said the convention's reach over offences carrying four years in prison "
         "would help its customs officers.\n"),
    ])
    answer = assistant.ask("What did rights groups say about the convention's reach?")
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "peaceful protest" in quotes, answer.text
    assert "harbour authority" not in quotes, answer.text


def test_the_delegation_asked_about_outranks_the_one_whose_resolution_it_is(tmp_path):
    # "Which American diplomat argued against Russia's resolution?" asks for someone of the United States: the many
    # reports naming both states rank no higher for also naming Russia, whose resolution is only the topic.
    both = [(f"wire{i}", "Kestrel Wire (KW)",
             f"Vote report {i}\n\nRussia's resolution on cybercrime was opposed by the United States and its allies "
             f"in the vote number {i} of the committee, Russia and the United States said.\n") for i in range(8)]
    assistant = _world(tmp_path, both + [
        ("mission", "Harbour Post",
         "Before the vote\n\nU.S. Deputy Ambassador Mara Quill argued before the vote that the text would help "
         "governments silence their critics.\n")])
    question = "Which American diplomat argued against Russia's resolution?"
    engine = assistant.answerer
    query = engine.query(question)
    assert query.actors == ["usa"] and query.targets == ["russia"], (query.actors, query.targets)
    top = [p.document_id for p, _ in engine.retriever.top_passages(query, engine.embedder.embed_one(question), 5)]
    assert "mission" in top, top


def test_a_compound_the_question_gives_matches_its_words_apart(tmp_path):
    assistant = _world(tmp_path, [
        ("mandate", "Kestrel Wire (KW)",
         "Mandate\n\nThe negotiation was expected to end in 2023 at the earliest, after six sessions of ten days each.\n"),
        ("adoption", "Harbour Times",
         "Adoption\n\nAfter five years of negotiations, the General Assembly adopted the convention in December.\n"),
    ])
    ended = assistant.ask("How did the five-year negotiation end?")
    assert not ended.abstained, ended.text
    assert "five years of negotiations" in ended.citations[0].quote, ended.text


def test_each_part_of_a_question_is_answered_by_a_sentence_of_its_own(tmp_path):
    assistant = _world(tmp_path, [
        ("reception", "Kestrel Wire (KW)",
         "Reception\n\nThe mission of Ruritania held a reception in New York on November 17 to celebrate the signing "
         "ceremony of the convention, which the president of Ruritania had opened.\n"),
        ("ceremony", "Harbour Times",
         "Ceremony\n\nThe president gives an opening address at the signing ceremony of the convention on 25 October "
         "2025. Delegates from many countries attended the convention's signing ceremony.\n"),
    ])
    both = assistant.ask("On what day did the president of Ruritania open the signing ceremony, and on what date did "
                         "the mission hold a reception to celebrate it?")
    assert not both.abstained, both.text
    quotes = " ".join(c.quote for c in both.citations)
    assert "November 17" in quotes and "25 October 2025" in quotes, both.text


def test_a_word_saying_when_in_the_story_is_no_topic_the_sources_lack(tmp_path):
    from assistant.answering.abstain import unknown_words

    assistant = _world(tmp_path, [
        ("ceremony", "Kestrel Wire (KW)",
         "Ceremony\n\nAfter initial reservations, Ghana signed the convention at the ceremony.\n"),
    ])
    corpus = assistant.answerer.corpus
    # "ultimately" is in no report, but says only when in the story the act asked about came: it is not what the
    # question is about, which the named-actor check weighs against what the sources hold on Ghana
    assert unknown_words(corpus, "What did Ghana ultimately do at the ceremony?", without_names=True) == []
    assert unknown_words(corpus, "What did Ghana ultimately pledge for capacity building?", without_names=True) == [
        "pledge", "capacity", "building"]
