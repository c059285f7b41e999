"""Each kind of question is answered by its own strategy (assistant/answering/strategies/), on small
corpora written for the test: which module a question reaches, and what each adds to the choice of
source sentences."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering.query import Query
from assistant.answering.strategies import (agreement, changes, figures, general, identity, lists, outcome, sentences, strategy_for, timeline,
                                            why)
from assistant.corpus import AnnotatedSentence
from assistant.passages import Sentence

from .test_sources import _world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("strategies")
    return _world(tmp, [
        ("closing", "Kestrel Wire (KW)",
         "Closing of the session\n\nGhana objected to the article on jurisdiction. They stressed that the "
         "article would let states prosecute acts committed abroad by foreigners. "
         "The session was attended by 140 delegations. Lena Okafor followed the closing session from the "
         "press gallery.\n\n"
         "Voices from the floor\n\n\u201cThe text is a compromise nobody loves, and nobody should sign it yet.\u201d\n\n"
         "Lena Okafor, senior fellow, Harbour Institute for Digital Policy\n"),
        ("wire", "Harbour Times",
         "Session wrap-up\n\nThe session was attended by 150 delegations, the secretariat said. "
         "The Chair thanked the interpreters for their work during the session.\n"),
        ("praise", "Kestrel Wire (KW)",
         "A verdict\n\nThe text protects human rights online, the spring talks' chair said after the vote. "
         "The text protects human rights online and offline, the chair repeated in her closing remarks.\n"),
        ("doubts", "Harbour Times",
         "A second verdict\n\nRights groups said the text leaves human rights online without real protection.\n"),
        ("ending", "Harbour Times",
         "The last day\n\nHow the spring talks would end was the question delegates asked on the last day of the spring talks. "
         "The spring talks ended without adopting the text, and delegates agreed to meet again in August.\n"),
    ])


@pytest.mark.parametrize("question, module", [
    ("What did Ghana say about the article on jurisdiction?", general),
    ("Why did Ghana object to the article on jurisdiction?", why),
    ("Which delegations objected to the article on jurisdiction?", lists),
    ("How did Ghana's view compare with Kenya's?", lists),
    ("How many delegations attended the session?", figures),
    ("When did the session close?", figures),
    ("Who is Lena Okafor?", identity),
    ("How did the spring talks end?", outcome),
    ("Some reports say the talks ended in April, others in August. Which is it?", agreement),
    ("Does everyone agree that the session was a success?", agreement),
    ("Was the text adopted in the end?", outcome),
    ("How did Ghana's position change over time?", timeline),
    ("What changed between the first and the second session on jurisdiction?", changes),
])
def test_each_kind_reaches_its_own_strategy(world, question, module):
    assert strategy_for(world.answerer.query(question)) is module


def test_why_adds_the_sentence_that_carries_the_reason_on(world):
    answer = world.ask("Why did Ghana object to the article on jurisdiction?")
    assert not answer.abstained, answer.text
    assert "prosecute acts committed abroad" in answer.text, answer.text  # "They stressed…", the next sentence


def test_who_is_is_answered_by_the_byline_under_the_quote(world):
    answer = world.ask("Who is Lena Okafor?")
    assert not answer.abstained, answer.text
    assert [c.quote for c in answer.citations] == ["Lena Okafor, senior fellow, Harbour Institute for Digital Policy"]


def test_a_figure_two_reports_give_differently_is_shown_from_each(world):
    answer = world.ask("How many delegations attended the session?")
    assert not answer.abstained, answer.text
    assert "140" in answer.text and "150" in answer.text, answer.text
    assert {c.document_id for c in answer.citations} == {"closing", "wire"}


def test_a_figure_question_the_near_sentences_hold_no_figure_for_is_declined(world):
    answer = world.ask("How many interpreters did the Chair thank?")
    assert answer.abstained, answer.text
    assert "figure" in answer.text


def test_an_outcome_question_is_answered_by_what_was_decided_not_by_talk_of_it(world):
    query = world.answerer.query("How did the spring talks end?")
    best = world.answerer.sentence_candidates(query).ranked[0].s.sentence.text
    assert best.startswith("The spring talks ended without adopting the text"), best


def test_whether_the_reports_agree_is_answered_from_each_report(world):
    answer = world.ask("The chair says the text protects human rights online. Does everyone agree?")
    assert not answer.abstained, answer.text
    assert {"praise", "doubts"} <= {c.document_id for c in answer.citations}, answer.text


def test_a_name_no_source_holds_is_declined_by_name(world):
    # "Geneva" is in no source: whatever is near the rest of the question is not about it.
    answer = world.ask("Which delegations attended the spring talks held in Geneva?")
    assert answer.abstained and "Geneva" in answer.text, answer.text
    known = world.ask("How many delegations attended the session, according to the Harbour Times?")
    assert not known.abstained and "150" in known.text, known.text


def test_who_needs_an_answer_that_names_someone_other_than_the_question_does(tmp_path):
    assistant = _world(tmp_path, [
        ("closing", "Kestrel Wire (KW)",
         "Closing statements\n\nGhana's delegation was led at the closing meeting by Ambassador Kofi Mensah. "
         "The next session of the committee will be held in the autumn. Delegates hope the next session of "
         "the committee will settle the title of the convention.\n"),
    ])
    led = assistant.ask("Who led Ghana's delegation at the closing meeting?")
    assert not led.abstained and "Kofi Mensah" in led.text, led.text
    # Nothing says who will host it: the sentences on the next session name no one.
    chair = assistant.ask("Who will host the next session of the committee?")
    assert chair.abstained and "name anyone" in chair.text, chair.text


def test_a_comparison_hears_each_delegation_it_names(tmp_path):
    assistant = _world(tmp_path, [
        ("final", "Kestrel Wire (KW)",
         "Final meeting\n\nAt the final meeting Russia gave a reserved assessment of the convention, saying the "
         "mandate was only partly fulfilled. Russia's assessment of the convention was that consensus failed on "
         "several of its parts. Russia also regretted that the vote on the convention's provisions was needed.\n\n"
         "Other statements\n\nKenya's view of the convention was that its adoption marked a significant "
         "milestone, though not all objectives were met.\n"),
    ])
    question = "Contrast Kenya's and Russia's assessments of the convention at the final meeting."
    assert assistant.answerer.query(question).actors == ["kenya", "russia"]
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert "significant milestone" in answer.text and "reserved assessment" in answer.text, answer.text


def test_who_led_a_delegation_is_answered_by_that_delegations_person_only(tmp_path):
    assistant = _world(tmp_path, [
        ("delegations", "Kestrel Wire (KW)",
         "Who is at the table\n\nAmbassador Jane Holt led the delegation of the United States at the committee's "
         "negotiations. Kenya took part in every session of the negotiations.\n"),
    ])
    us = assistant.ask("Who headed the United States delegation during the committee's negotiations?")
    assert not us.abstained and "Jane Holt" in us.text, us.text
    # The sources name the US head only: Kenya's is a near miss, not Jane Holt.
    kenya = assistant.ask("Who headed Kenya's delegation during the committee's negotiations?")
    assert kenya.abstained and "name anyone" in kenya.text, kenya.text


def test_who_is_someone_the_sources_name_without_a_byline_is_answered_by_the_sentence_naming_them(tmp_path):
    assistant = _world(tmp_path, [
        ("statement", "Kestrel Wire (KW)",
         "Joint statement\n\nOver 100 groups signed the joint statement before the concluding session. CDT’s "
         "Mallory Knodel recently revisited the 2021 Multistakeholder Manifesto signing ahead of the "
         "Convention, which also called for inclusion of safeguards to protect human rights and to maintain an open, "
         "free, and trusted internet.\n"),
    ])
    answer = assistant.ask("Who is Mallory Knodel?")
    assert not answer.abstained, answer.text
    assert "CDT" in answer.citations[0].quote, answer.text
    # a name the sources do not hold together is still unknown to them
    assert assistant.ask("Who is Mallory Okafor?").abstained


def test_why_adds_the_sentence_that_says_what_follows_from_it(tmp_path):
    assistant = _world(tmp_path, [
        ("note", "Kestrel Wire (KW)",
         "Information note\n\nThe office urges states to ground the convention firmly in existing international "
         "law, including the law of human rights. A failure to do so would undermine the fight against cybercrime "
         "and create an environment that enables it.\n"),
    ])
    answer = assistant.ask("Why does the office want the convention grounded in existing international law?")
    assert not answer.abstained, answer.text
    assert "environment that enables it" in answer.text, answer.text


def test_either_half_of_a_contrast_brings_the_other(tmp_path):
    assistant = _world(tmp_path, [
        ("camps", "Kestrel Wire (KW)",
         "Two camps\n\nThe talks opened in Vienna on Monday. Some countries have pushed for a treaty with a narrow scope "
         "and clear rights protections. Others want an expanded instrument with intrusive and far-reaching powers. "
         "Lunch was served in the rotunda.\n"),
    ])
    for question in ("What kind of treaty have some countries pushed for?",
                     "Which side wants an expanded instrument with intrusive and far-reaching powers?"):
        answer = assistant.ask(question)
        assert not answer.abstained, answer.text
        assert "narrow scope" in answer.text and "expanded instrument" in answer.text, answer.text
        assert "rotunda" not in answer.text, answer.text


def test_a_list_goes_on_in_the_sentence_that_carries_it_on(tmp_path):
    assistant = _world(tmp_path, [
        ("closing", "Kestrel Wire (KW)",
         "Last meeting\n\nKenya welcomed the adoption of the convention as a historic milestone. This sentiment was echoed "
         "by other nations, including Ghana and Chile, who praised the spirit of compromise. The meeting ended at noon.\n"),
    ])
    answer = assistant.ask("Which countries welcomed the adoption of the convention?")
    assert not answer.abstained, answer.text
    assert "Kenya" in answer.text and "Ghana and Chile" in answer.text, answer.text


def test_a_list_carried_on_brings_the_sentence_that_names_its_first_member(tmp_path):
    assistant = _world(tmp_path, [
        ("closing", "Kestrel Wire (KW)",
         "Last meeting\n\nThe meeting opened at ten. Kenya's statement acknowledged that not all of its objectives were "
         "met in the final text. This welcome of the convention's adoption was echoed by other nations, including Ghana "
         "and Chile, who praised the spirit of compromise. The meeting ended at noon.\n"),
    ])
    answer = assistant.ask("Which countries welcomed the adoption of the convention?")
    assert not answer.abstained, answer.text
    assert "Kenya" in answer.text and "Ghana and Chile" in answer.text, answer.text


def test_a_sentence_about_another_session_by_its_ordinal_does_not_answer_for_the_session_asked(tmp_path):
    assistant = _world(tmp_path, [
        ("round", "Kestrel Wire (KW)",
         "Talks in Vienna\n\nAt the seventh session, delegates agreed to keep the article on jurisdiction. "
         "The seventh session closed on a Friday.\n\n"
         "Since the first session, the talks have been slow.\n"),
    ])
    seventh = assistant.ask("What did delegates agree at the seventh session?")
    assert not seventh.abstained and "keep the article on jurisdiction" in seventh.text, seventh.text
    third = assistant.ask("What did delegates agree at the third session?")
    assert third.abstained and "other sessions" in third.text, third.text
    # (a session named as where a span of time starts is no session asked about)
    since = assistant.ask("How have the talks gone since the third session?")
    assert "other sessions" not in since.text, since.text


def test_the_sentence_that_names_the_session_asked_by_its_ordinal_leads_the_answer(tmp_path):
    # Five reports on where and when the talks were held outrank, in meaning, the line of a list that names the session
    # asked: that line still answers.
    reports = [(f"talks{i}", "Harbour Times",
                f"Talks {i}\n\nThe committee held negotiations in New York over two weeks in the second month of year {i}.\n")
               for i in range(5)]
    reports.append(("sessions", "Kestrel Wire (KW)", "Sessions\n\nSecond session, held in Vienna, 30 May-10 June 2022\n"))
    assistant = _world(tmp_path, reports)
    answer = assistant.ask("In which city, and over which dates, did the committee hold its second round of negotiations?")
    assert not answer.abstained and "Second session, held in Vienna" in answer.text, answer.text


def test_a_close_sentence_in_a_passage_ranked_below_those_read_in_full_still_answers(tmp_path):
    # Eighteen short notes on the meals outrank, as passages, the long report whose one sentence says who serves them:
    # the rest of its passage is about the city. That sentence is close to the question in meaning.
    filler = ("The weather in the city was mild for the season. Tourists crowded the old town squares. "
              "The river cruise operators reported a busy month. Museums extended their opening hours. "
              "Traffic on the ring road was heavy in the mornings. ")
    reports = [(f"venue{i}", "Harbour Times",
                f"Venue note {i}\n\nDelegates attending the talks were told where meals will be served to them "
                f"in the hall on day {i} of the talks.\n") for i in range(18)]
    reports.append(("long", "Kestrel Wire (KW)", "City life\n\n" + filler
                    + "Lindenhof Catering will serve meals to everyone attending the talks. " + filler + "\n"))
    assistant = _world(tmp_path, reports)
    question = "Who will serve the meals to those attending the talks?"
    query = assistant.answerer.query(question)
    vector = assistant.answerer.embedder.embed_one(query.retrieval_text)
    ranked = [p.document_id for p, _ in assistant.answerer.retriever.top_passages(query, vector, 40)]
    from assistant.answering.settings import EXTRA_PASSAGES
    assert ranked.index("long") >= assistant.answerer.k + EXTRA_PASSAGES  # below the passages read in full
    answer = assistant.ask(question)
    assert not answer.abstained and "Lindenhof" in answer.text, answer.text


def test_a_part_that_asks_what_came_next_is_answered_by_what_was_still_to_come(tmp_path):
    assistant = _world(tmp_path, [
        ("agreed", "Kestrel Wire (KW)",
         "Text agreed\n\nAfter three years of talks, the committee agreed the draft convention on 8 August 2024. "
         "Delegates applauded in the hall. The General Assembly is expected to adopt the convention later this year.\n"),
        ("vienna", "Harbour Times",
         "Vienna notes\n\nThe committee's earlier rounds met in Vienna, where delegates debated the scope of the draft.\n"),
    ])
    answer = assistant.ask("When was the draft convention agreed, and what was the next step after that?")
    assert not answer.abstained and "8 August 2024" in answer.text, answer.text
    assert "expected to adopt" in answer.text, answer.text


def test_who_is_not_answered_by_someone_of_that_delegation_far_from_what_is_asked(tmp_path):
    assistant = _world(tmp_path, [
        ("talks", "Kestrel Wire (KW)",
         "Washington's worries\n\nThe United States delegation fears the text could be turned against dissidents. "
         "The United States delegation wants narrower offences in the text. The United States delegation says the "
         "treaty needs stronger safeguards. The United States delegation has asked for more time to study the draft. "
         "The United States delegation may not sign the final text. The United States delegation objected to the "
         "title.\n\n"
         "The round\n\nDelegates met for the sixth negotiating round in New York.\n\n"
         "An earlier vote\n\nUnited States Deputy Ambassador Jane Roe said before the 2019 vote that the resolution "
         "would undermine international cooperation.\n"),
    ])
    # Jane Roe is named for what she said of another vote: she is no answer to who led the round's delegation.
    led = assistant.ask("Who led the United States delegation during the sixth negotiating round in New York?")
    assert led.abstained and "name anyone" in led.text, led.text
    said = assistant.ask("Who said before the 2019 vote that the resolution would undermine cooperation?")
    assert not said.abstained and "Jane Roe" in said.text, said.text


def test_a_part_that_names_no_article_is_answered_by_a_sentence_on_other_articles(tmp_path):
    assistant = _world(tmp_path, [
        ("comments", "Kestrel Wire (KW)",
         "Comments on the draft\n\nThe Open Courts Network wants procedural powers limited to Articles 6 through 16 of "
         "the draft. Its paper also recommends that Article 17 be deleted in its entirety.\n"),
    ])
    answer = assistant.ask("What did the Open Courts Network want procedural powers limited to, and what did its paper "
                           "recommend for Article 17?")
    assert not answer.abstained, answer.text
    assert "Articles 6 through 16" in answer.text and "deleted in its entirety" in answer.text, answer.text


def test_which_country_is_answered_by_the_sentence_that_names_one(tmp_path):
    assistant = _world(tmp_path, [
        ("origins", "Kestrel Wire (KW)",
         "Origins of the treaty\n\nThe treaty was first proposed as a way to fight crime online, and many saw the proposal "
         "as a turning point for the talks. The original idea for the talks came from Ghana, whose diplomats "
         "circulated a letter years earlier.\n"),
    ])
    # (Without the country it names, the sentence on Ghana is too far in meaning to join the closer one, and the
    # answer, naming no country, is declined.)
    answer = assistant.ask("Which country first proposed the treaty?")
    assert not answer.abstained and "Ghana" in answer.text, answer.text


def test_a_quote_carried_into_its_own_paragraph_speaks_for_whom_the_paragraph_before_names(tmp_path):
    assistant = _world(tmp_path, [
        ("adoption", "Kestrel Wire (KW)",
         "Adoption\n\nGhana's foreign minister welcomed the adoption of the convention on Tuesday.\n\n"
         "“The text is a victory for small states and their courts,” his spokesperson said in a statement.\n\n"
         "Chile called the text a victory for small states and their courts as well.\n"),
    ])
    answer = assistant.ask("What did Ghana say the text was a victory for?")
    assert not answer.abstained, answer.text
    assert any("his spokesperson" in c.quote for c in answer.citations), answer.text
    assert not any("Chile" in c.quote for c in answer.citations), answer.text


def test_a_chosen_line_of_a_list_brings_the_lines_around_it_that_hold_what_it_matched(tmp_path):
    from assistant.terms import terms

    lines = ["First session, Vienna, 1-5 March 2022", "Second session, Lagos, 2-6 May 2022",
             "Third session, Vienna, 3-7 June 2022", "Fourth session, Vienna, 4-8 July 2022"]
    text = "Sessions of the committee\n\n" + "\n\n".join(lines) + "\n\nThe committee met in Vienna again in 2023.\n"
    assistant = _world(tmp_path, [("sessions", "Kestrel Wire (KW)", text)])
    corpus = assistant.answerer.corpus
    question = "Which sessions were held in Vienna?"
    start = text.index(lines[2])
    chosen = corpus.sentences_in_spans([("sessions", start, start + len(lines[2]))])
    sel = sentences.Selection(assistant.answerer, assistant.answerer.query(question), None, [], chosen, 0.0, 5, set(terms(question)))
    sentences.lines_follow(sel)
    got = [s.sentence.text for s in sel.chosen]
    # The Vienna lines on either side join; the Lagos line does not, nor the sentence after the list.
    assert sorted(got) == sorted([lines[0], lines[2], lines[3]]), got


def test_what_someone_said_is_declined_when_the_sources_only_name_them(tmp_path):
    assistant = _world(tmp_path, [
        ("talks", "Kestrel Wire (KW)",
         "Vienna talks\n\nThe talks in Vienna, backed by Ghana, Chile and other states, ran for two weeks in March.\n"),
    ])
    answer = assistant.ask("What did Ghana say during the Vienna talks?")
    assert answer.abstained and "don't report what it said" in answer.text, answer.text
    # Told with a verb of saying, or quoted, it is Ghana's to answer with.
    said = _world(tmp_path / "said", [
        ("talks", "Kestrel Wire (KW)",
         "Vienna talks\n\nAt the talks in Vienna, Ghana said the draft left small states without enough support.\n"),
    ])
    answer = said.ask("What did Ghana say during the Vienna talks?")
    assert not answer.abstained and "Ghana said the draft" in answer.text, answer.text



def test_a_numbered_line_of_a_contents_list_brings_its_siblings(tmp_path):
    from assistant.terms import terms

    lines = ["Chapter IV International cooperation 28", "Section 1 Extradition and mutual legal assistance 28",
             "Section 2 Recovery of property 48", "Chapter V Technical assistance 56"]
    text = "Contents\n\n" + "\n\n".join(lines) + "\n"
    assistant = _world(tmp_path, [("draft", "Kestrel Wire (KW)", text)])
    question = "What does the cooperation chapter cover besides extradition?"
    start = text.index(lines[1])
    chosen = assistant.answerer.corpus.sentences_in_spans([("draft", start, start + len(lines[1]))])
    sel = sentences.Selection(assistant.answerer, assistant.answerer.query(question), None, [], chosen, 0.0, 5,
                              set(terms(question)))
    sentences.lines_follow(sel)
    # "Section 2" holds no word of the question the chosen line holds ("extradition"), but it is numbered as that
    # line is; the chapters around them are not its siblings.
    assert sorted(s.sentence.text for s in sel.chosen) == sorted(lines[1:3])


def _sentence(n: int, text: str) -> AnnotatedSentence:
    return AnnotatedSentence(Sentence("ceremony", n * 100, n * 100 + len(text), text, n), n, set(), set(),
                             np.zeros(4, dtype=np.float32))


def test_a_count_of_the_act_asked_joins_an_answer_counting_others():
    # "delegates from 110 countries" counts states, but not those that signed: the near sentence that counts the
    # signatories joins the answer, first.
    chosen = [_sentence(1, "Over the two days the city welcomed 2,500 delegates from 110 countries."),
              _sentence(2, "Over the two days 150 organisations took part.")]
    signed = _sentence(3, "The deputy minister said that 72 countries signed the convention.")
    query = Query("How many states put their signature on the convention over the two days?", kind="number")
    candidates = [(1.4, 0.6, 0.0, chosen[0]), (1.3, 0.6, 0.0, chosen[1]), (1.2, 0.4, 0.0, signed)]
    selection = sentences.Selection(None, query, sentences.Candidates([]), candidates, list(chosen), 1.4, 2, set())
    assert figures.a_figure(selection) is None
    assert selection.chosen[0] is signed and len(selection.chosen) == 2
    # Beyond the figure margin, it does not.
    selection = sentences.Selection(None, query, sentences.Candidates([]), candidates[:2] + [(0.9, 0.4, 0.0, signed)],
                                    list(chosen), 1.4, 2, set())
    assert figures.a_figure(selection) is None and signed not in selection.chosen
