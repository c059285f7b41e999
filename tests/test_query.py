"""Question parsing: the kind, who is asked about and whose proposal, which articles, follow-ups.
Reads only the gazetteer files (no index), so it runs in well under a second."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from assistant.answering.periods import report_dates, report_nouns
from assistant.answering.query import Kind, embedded_question, parse, proper_names, resolve_follow_up
from assistant.answering.settings import MAX_POSITIONS, MAX_SENTENCES
from assistant.gazetteer import Gazetteer

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load(KNOWLEDGE)


def _parse(gazetteer, question):
    everyone = set(gazetteer.actors)
    return parse(question, gazetteer, everyone, {str(n) for n in range(1, 70)})


@pytest.mark.parametrize("question,kind", [
    ("Why did Egypt object to Article 24?", "why"),
    ("Which states called for deleting Article 35(3)?", "list"),
    ("How did Ghana's position differ from Kenya's?", "compare"),
    ("What did Egypt say throughout the session?", "aggregate"),
    ("How many states backed the proposal?", "number"),
    ("When was the convention adopted?", "number"),
    ("How did the US position on Article 54 evolve across the sessions?", "timeline"),
    ("What changed between the concluding session and the reconvened session on Article 24?", "what-changed"),
    ("What does the convention say about technical assistance?", "general"),
    ("How did the concluding session end?", "outcome"),
    ("Was the text adopted in the end?", "outcome"),
    ("How was the dispute over the jurisdiction article settled at the fifth meeting?", "outcome"),
    ("How were the disagreements on the title resolved?", "outcome"),
    ("Did the committee manage to adopt the convention when its session ended?", "outcome"),
    ("How did the dispute over Article 6 unfold over the session?", "timeline"),
    ("How did the argument over the title play out during the reconvened session?", "timeline"),
    ("Do the wire and the radio tell the same story about the vote?", "agreement"),
    ("Two reports give the count of states: do they agree?", "agreement"),
    ("Did the states agree on the scope in the end?", "outcome"),  # agreement among states, not reports
    # A question that asks who or which asks for that, whatever its clauses say of change or argument.
    ("Who wrote the blog post arguing that advocates must change strategy after the vote?", "list"),
    ("Which delegation explained that its position had shifted?", "list"),
    ("What did Egypt argue about Article 24?", "why"),
    ("What prompted Kenya to join the open letter?", "why"),  # asks the cause as "Why…?" does
    ("What was behind the administration's hesitation over the treaty?", "why"),
    ("What explains Kenya's decision to sign the convention?", "why"),
    # a session's span of dates is one period, and "New York" no word of change
    ("How did the negotiating session held in New York from late January to early February 2024 end?", "outcome"),
])
def test_each_kind_is_recognised(gazetteer, question, kind):
    assert _parse(gazetteer, question).kind == kind


@pytest.mark.parametrize("question,kind", [
    ("According to the press release, when was the text agreed?", "number"),
    ("In Ghana's statement, which articles were called too broad?", "list"),
    ("Looking only at the press releases, why was the session postponed?", "why"),
    ("Could you list the states that wanted Article 35(3) deleted?", "list"),
    ("Can you tell me who backed Ghana's proposal?", "list"),
    ("I'd like to know in which year the committee was set up", "number"),
    # A question that opens with its question word has no framing clause to skip.
    ("What was agreed, when, and by whom?", "general"),
])
def test_the_kind_is_read_after_a_framing_clause(gazetteer, question, kind):
    assert _parse(gazetteer, question).kind == kind


def test_every_kind_has_its_limits():
    assert set(get_args(Kind)) == set(MAX_SENTENCES) == set(MAX_POSITIONS)


def test_whose_stance_and_whose_proposal(gazetteer):
    q = _parse(gazetteer, "Did Egypt support Ghana's proposal on Article 24?")
    assert q.actors == ["egypt"] and q.targets == ["ghana"]
    assert q.provisions == ["24"] and "supports" in q.stances


@pytest.mark.parametrize("question,actors,targets", [
    # the delegations asked for are others than those named, who only set the scene
    ("Which delegations wanted to keep Article 6.2 when Egypt tabled its compromise?", [], ["egypt"]),
    ("When Egypt tabled its compromise, which delegations wanted to keep Article 6.2?", [], ["egypt"]),
    # the named actor does what is asked: it is the actor
    ("Which countries did the European Union criticise?", ["eu"], []),
])
def test_which_delegations_did_something_names_no_actor_of_its_own(gazetteer, question, actors, targets):
    q = _parse(gazetteer, question)
    assert (q.actors, q.targets) == (actors, targets)


def test_provisions_keep_their_paragraphs(gazetteer):
    assert _parse(gazetteer, "Which states wanted Article 35(3) deleted?").provisions == ["35(3)"]


def test_a_name_the_sources_never_mention_is_reported(gazetteer):
    q = parse("Why did Egypt object to Article 24?", gazetteer, set(), {"24"})
    assert q.unknown_names == [gazetteer.name("egypt")]


def test_articles_are_not_read_inside_a_blanked_organisation_name(gazetteer):
    question = "What did ARTICLE 19 say about scope?"
    blanked = question.replace("ARTICLE 19", " " * len("ARTICLE 19"))
    # (Read alone, in capitals, it is the organisation too: gazetteer._names_organisation)
    alone = _parse(gazetteer, question)
    assert alone.provisions == [] and alone.actors == ["article19"]
    assert _parse(gazetteer, "What did delegates say about Article 19?").provisions == ["19"]
    q = parse(question, gazetteer, set(gazetteer.actors), {"19"}, blanked)
    assert q.provisions == [] and q.articles == []


@pytest.mark.parametrize("follow_up,inherits,whose", [
    ("Why?", True, True),
    ("Which delegation took the opposite view?", True, True),
    ("Who else backed it?", True, True),
    ("What does the convention say about technical assistance?", False, False),
    # naming nothing of its own, a question is read in the conversation's setting without a pronoun ("the talks"),
    # but asks of no one and no article the earlier turn named: it is a question of its own
    ("How many countries spoke when the talks opened?", True, False),
    ("Which country was the first to ratify the convention?", True, False),
    ("What did Ghana say about the title?", False, False),
    ("What happened in Vienna in January 2023?", False, False),
])
def test_follow_ups_borrow_what_they_leave_out(gazetteer, follow_up, inherits, whose):
    history = [{"role": "user", "content": "What did Egypt say about Article 24?"},
               {"role": "assistant", "content": "Egypt objected [1]."}]
    everyone = set(gazetteer.actors)
    q = resolve_follow_up(_parse(gazetteer, follow_up), history, gazetteer, everyone, {"24"})
    assert q.inherited is inherits
    if inherits:
        assert q.retrieval_text.startswith("What did Egypt say")
    assert ("egypt" in q.actors + q.targets) is whose and ("24" in q.articles) is whose
    assert q.setting_only is (inherits and not whose)


@pytest.mark.parametrize("earlier,answer,follow_up,actors,articles", [
    # "they" are what the answer named, when the question asked which articles or which delegations
    ("Which articles did the Committee set aside on 31 July?", "Articles 45 and 46 were set aside [1].",
     "Why were they parked?", [], ["45", "46"]),
    ("Which delegations backed the review clause?", "Ghana and Kenya backed it [1].", "Why did they back it?",
     ["ghana", "kenya"], []),
    # an answer to another kind of question names no referent of its own
    ("What did the Committee decide on 31 July?", "Articles 45 and 46 were set aside [1].", "Why?", [], []),
    # nor does it stand for what the follow-up names itself
    ("Which delegations backed the review clause?", "Ghana and Kenya backed it [1].", "Why did Brazil oppose it?",
     ["brazil"], []),
])
def test_a_pronoun_after_a_which_question_stands_for_what_the_answer_named(gazetteer, earlier, answer, follow_up,
                                                                            actors, articles):
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": answer}]
    q = resolve_follow_up(_parse(gazetteer, follow_up), history, gazetteer, set(gazetteer.actors), {"45", "46"})
    assert (sorted(q.actors), q.articles) == (actors, articles)


@pytest.mark.parametrize("question,actors,targets", [
    # the owner of a named thing is context: the sentence giving the signatures need not name the Council
    ("How many states have ratified the Council of Europe's Budapest Convention?", [], ["council_of_europe"]),
    # the owner of a role or of a delegation is whose person or words are asked for
    ("Who was Kenya's Ambassador at the session?", ["kenya"], []),
    ("What did Russia's delegation say about Article 6?", ["russia"], []),
])
def test_an_actor_named_as_the_owner_of_a_named_thing_is_context(gazetteer, question, actors, targets):
    q = _parse(gazetteer, question)
    assert (q.actors, q.targets) == (actors, targets)


@pytest.mark.parametrize("question,nouns", [
    ("What did Kestrel Wire urge in its December 2024 statement?", {"statement"}),
    ("What problems does the joint statement of January 2024 identify?", {"statement"}),
    ("What did the 9 August report say about Iran?", {"report"}),
    ("What did the statement say about Iran?", set()),  # no report named by its date
])
def test_the_words_that_name_a_report_given_by_its_date(question, nouns):
    assert report_nouns(question) == nouns


@pytest.mark.parametrize("earlier,follow_up,asked", [
    ("Where and when was the fifth session held?", "And the second one?", "Where and when was the second session held?"),
    ("Where was the 5th session held?", "What about the seventh?", "Where was the seventh session held?"),
    ("What did EFF say about the draft in 2022?", "And in 2023?", "What did EFF say about the draft in 2023?"),
    # a longer follow-up asks something of its own, and one naming two ordinals names no single one
    ("Where was the fifth session held?", "Who chaired the second session and what did the committee decide?",
     "Where was the fifth session held?"),
    ("Where was the fifth session held?", "And the second or third?", "Where was the fifth session held?"),
])
def test_an_elliptical_follow_up_asks_the_earlier_turn_of_what_it_names(gazetteer, earlier, follow_up, asked):
    history = [{"role": "user", "content": earlier}, {"role": "assistant", "content": "In Vienna [1]."}]
    q = resolve_follow_up(_parse(gazetteer, follow_up), history, gazetteer, set(gazetteer.actors), set())
    assert q.earlier == asked and q.retrieval_text == f"{asked} {follow_up}"


@pytest.mark.parametrize("question,clause", [
    ("According to the press release, when was the text agreed?", "when was the text agreed?"),
    ("How did the session end, according to the wire?", "How did the session end?"),
    ("Why did Egypt object to Article 24?", ""),  # nothing framed: the question is read whole
])
def test_what_is_asked_is_the_question_without_its_framing(gazetteer, question, clause):
    assert _parse(gazetteer, question).clause == clause


@pytest.mark.parametrize("question,parts", [
    ("When did the session run, and why was another one needed?", ["When did the session run", "why was another one needed?"]),
    ("Was it agreed by consensus? Some reports say there was none on parts of it.",
     ["Was it agreed by consensus?", "Some reports say there was none on parts of it."]),
    ("Why did Egypt and Iran object to Article 24?", []),  # one question, two delegations
    # a part may open with a preposition; a part of three words ("on which day?") asks too little to search on alone
    ("What was the number of the resolution, and on what day was that vote held?",
     ["What was the number of the resolution", "on what day was that vote held?"]),
    ("What did the Assembly decide at the end of 2024, and on which day?", []),
    # an adverb may stand between the parts
    ("On what date did the groups issue the statement, and roughly how many groups were part of it?",
     ["On what date did the groups issue the statement", "how many groups were part of it?"]),
])
def test_a_question_of_several_parts_is_split_into_them(gazetteer, question, parts):
    assert _parse(gazetteer, question).parts == parts


def test_a_capital_named_for_its_government_is_that_delegation(gazetteer):
    assert _parse(gazetteer, "What kind of treaty did Washington say it wanted?").actors == ["usa"]
    assert _parse(gazetteer, "Why did Moscow object to Article 24?").actors == ["russia"]
    # A city that hosted a session is where it met, not who spoke.
    assert _parse(gazetteer, "What was agreed at the Vienna session?").actors == []


def test_the_treatys_drafting_committee_is_the_ad_hoc_committee(gazetteer):
    # (How news reports name it: "EFF spoke to the treaty's drafting committee".)
    assert _parse(gazetteer, "Why did the drafting committee keep going after its deadline?").actors == ["ahc"]
    assert _parse(gazetteer, "What did the treaty drafting committee decide in August?").actors == ["ahc"]


def test_a_polite_frame_does_not_hide_a_who_is_question(gazetteer):
    assert _parse(gazetteer, "Do you know who is Tatiana Tropina?").asks_identity


@pytest.mark.parametrize("text,actors", [
    ("What concerns did the Syrian delegation raise?", ["syria"]),
    ("the American proposal and the South Sudanese government", ["usa", "south_sudan"]),
    ("Russian diplomats first proposed the treaty", ["russia"]),
    ("Which American diplomat spoke, and what did the Kenyan official add?", ["usa", "kenya"]),
    ("Statement by: Ms Yunei Kim, First Secretary, Australian Mission to the UN", ["australia"]),  # as a name
    # a rank or a ministry between them
    ("the Russian foreign minister and a Mexican foreign-ministry official", ["russia", "mexico"]),
    ("the Kenyan permanent representative", ["kenya"]),
    # Only before a word that makes it the state: a company or a language is not a delegation.
    ("a Chinese company and the French text of the convention", []),
    # One adjective of two states names neither.
    ("the Dominican delegation", []),
])
def test_a_states_adjective_names_it_before_delegation_or_proposal(gazetteer, text, actors):
    assert [a for a, _, _ in gazetteer.find_actors(text)] == actors


@pytest.mark.parametrize("text,actors", [
    ("Why, in Pretoria's view, does cybercrime call for a universal approach?", ["south_africa"]),
    ("Brasília argued for a narrower scope", ["brazil"]),
    # A capital that is no government speaking is a newspaper's name or a place.
    ("What did the Harare Herald report?", []),
    ("a workshop held in Abuja and the Accra Declaration", []),
    # A question that makes it the one that acts asks about its government; a passive one asks about a place.
    ("What had Manila championed on protecting children during the talks?", ["philippines"]),
    ("Why did Pretoria sign the convention?", ["south_africa"]),
    ("Was Abuja chosen as the venue?", []),
    # A capital listed with a delegation is one too; with a place, or alone, it is a place.
    ("How did the stance of Ottawa and Wellington differ from that of Canberra?", ["canada", "new_zealand", "australia"]),
    ("Kenya, Pretoria and Accra pressed for capacity building", ["kenya", "south_africa", "ghana"]),
    ("workshops in Abuja and Accra", []),
])
def test_a_capital_names_its_government_where_it_speaks(gazetteer, text, actors):
    assert [a for a, _, _ in gazetteer.find_actors(text)] == actors


@pytest.mark.parametrize("text,actors", [
    # The Assembly's President speaks for the office, not for the Assembly, where delegations meet and decide
    ("And what did the President of the General Assembly say?", ["un_general_assembly_president"]),
    ("President of the UN General Assembly Philémon Yang said the treaty was a milestone", ["un_general_assembly_president"] * 2),
    ("The General Assembly adopted the convention without a vote", ["unga"]),
])
def test_the_president_of_the_general_assembly_is_an_office_of_its_own(gazetteer, text, actors):
    assert [a for a, _, _ in gazetteer.find_actors(text)] == actors


@pytest.mark.parametrize("question,names", [
    ("Which country hosted the consultations held in Geneva in 2023?", ["Geneva"]),
    # Sentence-initial words, actors (the Syrian delegation, the U.S.) and article numbers are not names
    # to look for; a document symbol is one.
    ("What did the Syrian delegation say about Article 6.2? Did the U.S. agree?", []),
    ("What changed between GA/12259 and GA/12309?", ["GA/12259", "GA/12309"]),
    # A state's adjective stands for the state, in any use.
    ("What did the Kuwaiti news agency report?", []),
    # A word of a known actor's name is not an unknown name either.
    ("What did European states want on Article 24?", []),
    # nor is a compound made on one ("the Russian-proposed treaty", "a European-led agreement")
    ("What is the Russian-proposed treaty meant to tackle, and which European-led agreement came first?", []),
    ("Was the Geneva-based group there?", ["Geneva-based"]),
])
def test_the_names_a_question_gives(gazetteer, question, names):
    assert proper_names(question, gazetteer) == names


@pytest.mark.parametrize("question,phrases", [
    ("How many states signed the Budapest Convention's Second Additional Protocol?",
     ["Budapest Convention's Second Additional Protocol"]),
    # "and" ends a name, a month is no part of one, and a known actor is left out
    ("Were sessions held in New York and Vienna in February and March?", ["New York"]),
    ("What did the Syrian delegation tell the Office of the High Commissioner?", ["Office of the High Commissioner"]),
    # a state's adjective is no part of a name ("the American Global Network" is the Global Network)
    ("How many advisors does the American Global Network deploy?", ["Global Network"]),
    ("What did the Kuwaiti Foreign Ministry say?", ["Foreign Ministry"]),
    # a compound of a name and a lowercase word is an adjective ("the Russia-sponsored UN resolution")
    ("How did India vote on the Russia-sponsored UN resolution?", []),
    # nor is a state's adjective of two words
    ("Which South African cabinet member would sign in Hanoi?", []),
])
def test_the_names_of_several_words_a_question_gives(gazetteer, question, phrases):
    from assistant.answering.query import name_phrases
    assert name_phrases(question, gazetteer) == phrases


@pytest.mark.parametrize("question,dates", [
    ("What harms does UNODC name in its December 2024 statement?", [("2024", "12", None)]),
    ("The Digital Watch reports of 9 August call the treaty by two names; which?", [(None, "08", "09")]),
    ("In reports published in December 2024 only, what did the Secretary-General ask?", [("2024", "12", None)]),
    # The date of an event, not of a report: the reports about it may be dated later.
    ("When the talks opened on 28 February 2022, how many states spoke?", []),
])
def test_the_dates_a_question_gives_for_its_reports(question, dates):
    assert report_dates(question) == dates


@pytest.mark.parametrize("question,asks_date", [
    ("When did the session open?", True),
    ("On what date did Human Rights Watch speak?", True),
    ("On what exact date did the session open?", True),
    ("Where were the first two sessions held, and when?", True),
    ("Where were the first two sessions held?", False),
    ("Once states ratify it, when does it take effect?", True),
    ("What did the Chair say when the session opened?", False),
    ("What new dates did the Assembly settle on?", True),
    ("Which days were set aside for the informal talks?", True),
    ("What kind of treaty did Washington want?", False),
    # "When" with no auxiliary after it opens a clause that sets the scene; the question comes after the comma
    ("When the Assembly voted on the resolution in 2019, which country's envoy spoke for the EU?", False),
    ("When was the text agreed, and by whom?", True),
    # a date asked beside something else, before the question's verb: "In which city, and over which dates, …?"
    ("In which city, and over which dates, did the committee hold its second round?", True),
    ("In which city, and with which partners, did the committee hold its second round?", False),
])
def test_a_question_asks_for_a_date(gazetteer, question, asks_date):
    assert _parse(gazetteer, question).asks_date is asks_date


def test_an_article_known_only_by_a_topic_name_is_not_a_name_the_sources_lack(gazetteer):
    # the sources mention no article at all here
    purpose = parse("What does EFF see as the main purpose of the convention?", gazetteer, set(gazetteer.actors), set())
    assert purpose.articles and not purpose.provisions and purpose.unknown_names == []
    named = parse("What did EFF say about Article 1?", gazetteer, set(gazetteer.actors), set())
    assert named.unknown_names == ["Article 1"]


@pytest.mark.parametrize("question,identity", [
    ("Who is Deborah McCarthy?", True),  # who a named person is: her byline answers
    ("Who is she?", True),
    ("Who was President of the General Assembly in 2024?", False),  # who held a role: a name answers
    ("Who was the UN High Commissioner for Human Rights who criticised it?", False),  # a role of several words
    ("Who is the head of UNODC?", False),
    ("Who was quoted for Human Rights Watch?", False),  # in the passive: who was done something to
    ("Who was chosen to host the signing ceremony?", False),
    ("Who is Ahmed Farouk?", True),  # a name ending in -ed is no participle
    ("Who is Ahmed Said?", True),  # a name, not the verb
    ("Who is said to have drafted Article 24?", False),
])
def test_who_is_a_person_or_who_held_a_role(gazetteer, question, identity):
    assert _parse(gazetteer, question).asks_identity is identity


@pytest.mark.parametrize("text,months", [
    ("When the talks opened on 28 February 2022, how many states spoke?", [("2022", "02"), ("2022", "03")]),
    ("Was it adopted in December 2024?", [("2024", "12"), ("2025", "01")]),  # the next month is in the next year
    ("What happened in 2024?", []),  # a year alone names no month
])
def test_the_months_in_which_an_event_is_reported(text, months):
    from assistant.answering.periods import event_months
    assert event_months(text) == months


def test_a_role_the_sources_give_only_by_its_verb_is_no_unknown_name(gazetteer):
    # "chaired by Algeria": the sources name who held the chair, never "the Chair"
    q = parse("Which country held the chair of the committee in 2022?", gazetteer, set(), set())
    assert q.unknown_names == []
    q = parse("What did Egypt say in 2022?", gazetteer, set(), set())
    assert q.unknown_names == [gazetteer.name("egypt")]


@pytest.mark.parametrize("question, inner", [
    ("Do the two reports agree on how long the talks took?", "how long the talks took?"),
    ("Do they give the same picture of when it was signed?", "when it was signed?"),
    ("Were the reports agreed as to who chaired the session?", "who chaired the session?"),
    ("Do the reports agree on the treaty's name?", None),  # nothing asked inside it
    ("How long did the talks take?", None),  # asked outright, not inside another question
])
def test_a_question_asked_inside_another(question, inner):
    assert embedded_question(question) == inner
