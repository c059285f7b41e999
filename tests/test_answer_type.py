"""The asked answer type, and whether a sentence holds one (no index needed)."""

import pytest

from assistant.answering.answer_type import asks_author, asks_person, expected_type, is_byline


@pytest.mark.parametrize("question,sentence,held", [
    ("How many observers attended the briefing?", "Some 40 observers attended.", True),
    ("How many observers attended the briefing?", "Observers attended on 9 August 2024.", False),
    ("How many staff does the office employ?", "The office employs a dozen staff in three cities.", True),
    ("How many years did the talks take?", "The talks began in 2019 and ended in 2024.", False),
    ("How much did the meetings cost, in dollars?", "The meetings cost $1.2 million.", True),
    ("How much did the meetings cost?", "The meetings cost a great deal.", False),
    ("How many years did the process last?", "It closed a three-year drafting process.", True),
    ("How many side-events were held?", "Half a dozen side-events were held.", True),
    ("How many side-events were held?", "Side-events were held daily.", False),
    ("What dollar figure did the office give for the meetings?", "The meetings will cost $1.2 million.", True),
    ("What dollar figure did the office give for the meetings?", "The meetings will run for 12 days.", False),
    # a count of countries is given in whichever word: states, countries, nations
    ("How many states signed the convention?", "Delegates from 69 countries signed it.", True),
    ("How many nations signed the convention?", "Some 70 states signed it.", True),
    ("How many nations signed the convention?", "Some 70 delegates signed it.", False),
    # ... and of organisations: groups, organisations, NGOs
    ("How many groups signed the letter?", "It was signed by over 100 civil society organizations.", True),
    ("How many groups signed the letter?", "It was signed by over 100 journalists.", False),
    # a fine is a sum, a prison sentence a term
    ("What fine does the convention set for providers?", "Fines of up to $10,000 apply.", True),
    ("What fine does the convention set for providers?", "Providers face a penalty under national law.", False),
    ("What is the maximum prison sentence for illegal access?", "It carries at least four years of imprisonment.", True),
    # a sum in any currency, by its sign, its code or its name; a count of people is none
    ("How much money did Ghana lose to cybercrime in 2025?", "Ghana lost over GH₵19 million to cybercrimes in 2025.", True),
    ("How much money did Kenya lose to cybercrime in 2025?", "Kenya lost KES 3 billion to fraud last year.", True),
    ("How much money did Nigeria lose to cybercrime in 2025?", "Nigeria lost 5 billion naira to fraud.", True),
    ("How much money did Ghana lose to cybercrime in 2025?", "Some 19 million people were targeted in 2025.", False),
    # an act is counted by those who perform it, or by the one that completes the count
    ("How many ratifications does the convention need?", "It requires ratification by 40 states.", True),
    ("How many ratifications does the convention need?", "It takes effect 90 days after the 40th ratification.", True),
    ("How many ratifications does the convention need?", "Ratification is expected to be slow in 2026.", False),
    # how many have done something is not answered by how many must: a condition is no count of what was done
    ("How many states have ratified the convention so far?", "So far 12 states have ratified it.", True),
    ("How many states have ratified the convention so far?",
     "It will enter into force 90 days after at least 40 states ratify it.", False),
    ("How many states had ratified it by 2025?", "It enters into force once it has been ratified by 40 states.", False),
    ("How many states had ratified it by 2025?", "The Assembly votes on it, requiring support from 40 states to be ratified.",
     False),
    ("How many countries signed the convention in Hanoi?", "The convention was signed by 65 countries in Hanoi.", True),
    ("How many states are needed to bring it into force?", "It will enter into force once 40 states ratify it.", True),
    ("How many cross-references did the group count?", "There are at least half a dozen cross-references.", True),
    # a place: a capitalised name after a preposition of place, not a month
    ("Where was the first session held?", "The first session was held in Vienna.", True),
    ("In which city was the first session held?", "The first session was held in February 2022.", False),
    # a vote is told by its figures, or by there having been none; a year, a date or "set to vote" tells nothing
    ("What was the vote tally when the Assembly adopted it?", "It was adopted by a vote of 79-60, with 33 abstentions.", True),
    ("What was the vote tally when the Assembly adopted it?", "It was adopted without a vote.", True),
    ("By what margin was the convention approved?", "It is expected to be adopted later this year.", False),
    ("By what margin was the convention approved?", "It was adopted by 79 votes to 60.", True),
    ("How many states voted in favour of the resolution?", "79 states voted in favour and 60 against.", True),
    # (a count and its vote in one clause, a few words apart)
    ("How many states voted yes, how many no, and how many abstained?",
     "It was supported by 79 countries, 60 states, including Canada, voted against, 33 countries decided to abstain.",
     True),
    ("What was the vote tally when the Assembly adopted it?", "The Assembly is set to vote on it in December of 2024.", False),
    ("What was the vote tally when the Assembly adopted it?", "The vote, first set for 10-12 May, was put off.", False),
    # how a delegation or a parliament voted is told by how it voted, not by its signing
    ("How did the European Parliament vote on giving its consent?", "The Parliament voted in favour of consent.", True),
    ("How did Russia vote on the resolution?", "Russia abstained, with 32 other states.", True),
    ("How did the European Parliament vote on giving its consent?", "The Commission signed the convention for the EU.", False),
    ("How did the European Parliament vote on giving its consent?", "Russia voted against the resolution.", False),
    # a vague quantity counts nothing: "dozens of nations" does not say how many; "a dozen" does
    ("How many countries backed the motion?", "The motion received support from dozens of nations.", False),
    ("How many countries backed the motion?", "Several countries backed the motion.", False),
    ("How many countries backed the motion?", "The motion was backed by a dozen countries.", True),
    ("How many groups signed the letter?", "Hundreds of groups and over 100 organisations signed it.", True),
    # a resolution is asked for by its symbol
    ("Which General Assembly resolution created the committee?", "By resolution 74/247 the Assembly set it up.", True),
    ("What is the number of the resolution adopted in December 2024?", "The Assembly adopted a resolution in December.", False),
    ("What is the number of the resolution adopted in December 2024?", "It was adopted as A/RES/79/243.", True),
])
def test_counts_and_money_need_their_own_figure(question, sentence, held):
    assert expected_type(question).held_by(sentence) is held


def test_what_is_counted_ends_where_the_verb_begins():
    # ("ratified" is not counted: "90 days after being ratified" gives no count of ratifications asked for)
    assert expected_type("How many countries have ratified it so far?").nouns[0] == "countri"
    assert "ratifi" not in expected_type("How many countries have ratified it so far?").nouns
    assert expected_type("How many U.S. attorney advisors does the network deploy?").nouns[-2:] == ("attorney", "advisor")
    # an irregular verb after the plural noun is no part of what is counted
    assert "sent" not in expected_type("How many member states sent delegations to the round?").nouns


def test_a_figure_counts_only_what_follows_it_in_its_clause():
    wanted = expected_type("How many member states sent delegations to the sixth round?")
    assert not wanted.held_by("For the last two weeks, U.N. member states have been in the sixth round.")
    assert wanted.held_by("Delegates of 120 UN member states attended the sixth round.")


def test_the_figures_reports_may_differ_on_count_the_head_noun():
    # "How many negotiating rounds…?" counts rounds: "three years of negotiations" is no other figure for them
    wanted = expected_type("How many negotiating rounds did the schedule foresee, and where?")
    assert wanted.figures("After three years of intensive negotiations, the draft was finalised.") == set()
    assert wanted.figures("The schedule anticipates six negotiating rounds in New York and Vienna.") == {"6"}
    # (a count of states is given in any of their words)
    assert expected_type("How many member states signed it?").figures("It was signed by 65 countries.") == {"65"}


def test_a_count_is_read_whole_and_a_day_of_a_month_counts_nothing():
    wanted = expected_type("How many states signed the convention?")
    assert wanted.figures("Sixty-five countries signed it on the first day.") == {"65"}
    # "October 26 at the National Convention Center" gives a day, not a count of nations
    assert wanted.figures("A press conference was held on October 26 at the National Convention Center.") == set()
    assert not wanted.held_by("A press conference was held on October 26 at the National Convention Center.")
    assert wanted.figures("In May 2024, 12 states signed a letter.") == {"12"}


def test_which_country_needs_a_named_state():
    wanted = expected_type("Which country tabled the amendment?")
    assert wanted.kind == "state"
    assert wanted.held_by("Ghana tabled it.", {"state"}) and not wanted.held_by("It was tabled.", set())


@pytest.mark.parametrize("question", ["Which major signatories does the report single out?", "What other delegations spoke?",
                                      "Which African states objected?"])
def test_a_qualified_noun_of_states_asks_for_one(question):
    assert expected_type(question).kind == "state"


@pytest.mark.parametrize("question", ["Why did Egypt object to Article 24?", "When did the session end?",
                                      "What do states want in Article 24?", "What did the parties agree on?",
                                      "What did the resolution decide?"])
def test_other_questions_ask_for_no_special_type(question):
    assert expected_type(question) is None


def _sentence(text: str, articles: set[str] = frozenset()):
    from assistant.corpus import AnnotatedSentence
    from assistant.passages import Sentence

    return AnnotatedSentence(Sentence("doc", 0, len(text), text, 0), 0, set(), set(articles), None)


def test_what_a_when_or_how_long_answer_holds():
    from assistant.answering.answer_type import asked_test
    when = asked_test("number", asks_date=True)
    assert when(_sentence("The session opened on 28 February 2022.")) and not when(_sentence("The first session opened in New York."))
    assert not when(_sentence("Delegates may ask for more time."))  # "may" the verb is not the month
    assert when(_sentence("It will enter into force 90 days after the fortieth ratification."))
    how_long = asked_test("number", asks_date=False)
    assert how_long(_sentence("The talks took five years.")) and not how_long(_sentence("The talks took a long time."))
    assert asked_test("why", asks_date=False) is None


def test_which_articles_is_held_by_a_sentence_naming_one():
    from assistant.answering.answer_type import asked_test
    test = asked_test("list", False, "Which articles did the proposal touch?")
    assert test(_sentence("It amended Articles 6 and 23.", {"6", "23"}))
    assert not test(_sentence("The proposal was welcomed by many delegations."))


def test_which_official_is_held_by_a_sentence_naming_someone_the_question_does_not():
    from assistant.answering.answer_type import asked_test
    from assistant.gazetteer import Actor, Gazetteer
    gazetteer = Gazetteer({"hrw": Actor(id="hrw", name="Human Rights Watch", kind="organisation")})
    test = asked_test("general", False, "Which Human Rights Watch official was quoted?", gazetteer)
    assert test(_sentence("“Reject it,” said Deborah Brown of Human Rights Watch."))
    assert not test(_sentence("Human Rights Watch urged states to reject the draft."))
    # one person is asked for: a heading's capitalised words are no one's name
    assert not test(_sentence("The Draft Text's near-unlimited scope undermines human rights"))
    assert test(_sentence("Ambassador (ret.) Ana Ruiz of Human Rights Watch spoke first."))
    assert asked_test("general", False, "What did Human Rights Watch say?", gazetteer) is None


@pytest.mark.parametrize("question,thing", [
    ("What fine does the convention set for providers?", "fine"),
    ("What was the turnout at the vote on 24 December 2024?", "turnout"),
    ("What is the maximum prison sentence the convention sets?", "maximum prison sentence"),
    ("How many staff work in the programme?", "staff"),
    ("What was the reasoning behind the advice to send technical experts?", "reasoning"),  # (a preposition ends it)
    ("What is the full official title of the treaty?", "full official title"),
    ("On what date did the session open?", None),  # names only the type of answer
    ("What kind of treaty did Washington want?", None),
    ("What led the Council of Europe to take part?", None),  # a verb, not a thing
    ("What did Brazil say about Article 40?", None),
    ("Which country hosted the ceremony?", None),
    ("In which city was the first session held?", None),  # a place is the type of answer, whatever its name
])
def test_the_thing_a_question_asks_for_by_name(question, thing):
    from assistant.answering.answer_type import asked_thing
    assert asked_thing(question) == thing


def test_someone_named_is_someone_the_question_does_not_name_already():
    from assistant.answering.answer_type import someone_test
    from assistant.gazetteer import Actor, Gazetteer
    gazetteer = Gazetteer({
        "chair": Actor(id="chair", name="Chair of the Committee", kind="chair", aliases=["Chair", "chairperson"]),
        "unga": Actor(id="unga", name="General Assembly", kind="organisation"),
        "kenya": Actor(id="kenya", name="Kenya", kind="state"),
        "hrw": Actor(id="hrw", name="Human Rights Watch", kind="stakeholder"),
    })
    who_adopted = someone_test("Who adopted the convention?", gazetteer)
    assert who_adopted("The General Assembly adopted it.") and who_adopted("Kenya adopted it first.")
    assert not who_adopted("It was adopted without a vote.")
    # the question's own verb names the role: "the Chair" does not answer who chaired
    chaired = someone_test("Who chaired the committee?", gazetteer)
    assert not chaired("The Chair opened the meeting.") and not chaired("A chairperson opened the meeting.")
    assert chaired("Ambassador Ana Ruiz chaired the committee.")
    # a person is asked for: a body or a state is no name of one
    name = someone_test("What is the name of the office's executive director?", gazetteer)
    assert not name("The General Assembly welcomed the Office on Drugs and Crime statement.")
    assert name("Executive Director Ghada Waly welcomed it.")
    # nor is an NGO's, though it is capitalised words too
    lawyer = someone_test("What is the name of the lawyer who spoke for ARTICLE 19?", gazetteer)
    assert not lawyer("The statement was followed by a joint submission with Human Rights Watch.")
    assert lawyer("“Scope matters,” said Jane Holt.")
    # a person's name is one news copy gives as such: after a title, or beside "said"; a masthead is none
    president = someone_test("Who was President of the General Assembly in 2024?", gazetteer)
    assert president("President of the General Assembly Philémon Yang said the vote was historic.")
    assert president("“It is a milestone,” said Deborah Brown.")
    assert not president("NEW YORK (Pakistan Point News) The General Assembly adopted the convention.")
    # a role of several words is still a person's ("Who was the UN High Commissioner for Human Rights…?")
    commissioner = someone_test("Who was the UN High Commissioner for Human Rights who criticised it?", gazetteer)
    assert not commissioner("The UN High Commissioner for Human Rights noted significant shortcomings.")
    assert commissioner("High Commissioner Volker Türk said the draft fell short.")
    # one who signs or speaks on a state's or a group's behalf is a person, named as one who represents others
    behalf = someone_test("Who signed the convention on behalf of New Zealand?", gazetteer)
    assert not behalf("Chair, New Zealand supports the adoption of the convention.")
    assert behalf("Nick Ashton-Hart, representing over 100 tech companies, suggests other treaties.")


@pytest.mark.parametrize("quote,answered", [
    ("The committee's meetings will cost $2.1 million in 2025.", True),
    ("The meetings cost $2.1 million.", True),  # no year of its own: the figure may be the asked one
    ("The UN budget of 3.07 billion dollars for 2020 was adopted.", False),  # another year's sum
])
def test_a_figure_its_sentence_gives_for_another_year_does_not_answer(quote, answered):
    from assistant.answer import Answer, Citation
    from assistant.answering.abstain import lacks_asked_type
    from assistant.answering.query import Query

    question = "How much will the committee's meetings cost in 2025, in dollars?"
    answer = Answer(question, quote + " [1]", False, [Citation(1, "doc", "Title", "", quote, 0, len(quote))])
    checked = lacks_asked_type(Query(question, retrieval_text=question), answer)
    assert checked.abstained is not answered


def test_a_follow_up_is_read_nearer_its_own_words_than_the_conversation():
    import numpy as np

    from assistant.answering.features import Features
    conversation, own = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    read = Features(set(), conversation, own).qv
    assert abs(np.linalg.norm(read) - 1.0) < 1e-6  # the relevance floors keep their scale
    assert read @ own > read @ conversation > 0  # the earlier turn still counts, less than what is asked now
    assert np.allclose(Features(set(), conversation).qv, conversation)  # a question on its own is read as it is


def test_which_role_asks_for_a_person_only_when_the_role_follows_which():
    from assistant.answering.answer_type import asks_person
    assert asks_person("Which Microsoft executive remarked that the company is vetoed?")
    assert asks_person("Which official signed for Brazil, and which agency does he head?")
    assert asks_person("Which lawyer spoke for the group?")
    assert asks_person("To which diplomat did the groups address their joint letter?")  # (a preposition may lead)
    assert not asks_person("To which committee did the groups address their joint letter?")
    assert asks_person("Did Nigeria sign the convention in Hanoi, and if so, who signed on its behalf?")
    assert not asks_person("Which countries signed on the first day?")
    # the role word after a verb is not what "which" asks for
    assert not asks_person("Which articles did the Chair's 5 August proposal touch?")
    assert not asks_person("Which country held the chair of the committee?")
    # a possessive before the role asks whose it is: "Which country's envoy…?" asks for a country
    assert not asks_person("Which country's envoy spoke on behalf of the EU when urging a vote against it?")
    assert asks_person("Which Mexican foreign-ministry official remarked on the talks?")


def test_a_person_or_an_office_answers_which_official():
    from assistant.answering.answer_type import someone_test
    from assistant.gazetteer import Actor, Gazetteer
    gazetteer = Gazetteer({
        "brazil": Actor(id="brazil", name="Brazil", kind="state"),
        "microsoft": Actor(id="microsoft", name="Microsoft", kind="stakeholder"),
    })
    official = someone_test("Which UN official flagged 'significant shortcomings' in the draft?", gazetteer)
    assert official("Critics grew louder, with the UN High Commissioner for Human Rights noting shortcomings.")
    assert official("The Secretary-General welcomed the text.")
    assert not official("The draft has significant shortcomings, critics said.")
    # a person as news copy introduces one: "Name, role at …" or a title of two words before the name
    executive = someone_test("Which Microsoft executive took part in the talks?", gazetteer)
    assert executive("Kaja Ciglic, senior director for digital diplomacy at Microsoft, took part in the talks.")
    assert executive("Ana Ruiz, Coordinator for Digital Affairs at Microsoft, took part in the talks.")  # a role capitalised
    signed = someone_test("Which official signed for Brazil?", gazetteer)
    assert signed("Signing was Federal Police Director General Andrei Rodrigues in Hanoi.")
    assert not signed("Brazil signed the convention in Hanoi.")
    # an office that repeats the question's role answers no one: "the Vice Chair" does not say who will chair
    chair = someone_test("Who will chair the Conference of the States Parties?", gazetteer)
    assert not chair("The Vice Chair thanked the delegations.")
    # nor is the role's deputy its holder, named or not
    chaired = someone_test("Who chaired the committee that negotiated the convention?", gazetteer)
    assert not chaired("Ana Ruiz, the Africa Group Vice Chair of the committee, urged states to engage.")
    assert not chaired("Ana Ruiz, the vice chair of the committee, urged states to engage.")
    assert chaired("Ana Ruiz, the chair of the committee, closed the session.")
    # one who wrote it is named by the verb of writing, or by a byline
    wrote = someone_test("Who at Microsoft authored the company's statement?", gazetteer)
    assert wrote("Its cybersecurity spokesperson Amy Hogan-Burney wrote and published the statement.")
    assert wrote("By Amy Hogan-Burney")
    assert not wrote("The statement criticises the wording of the treaty.")
    # a role in lower case before the name
    represented = someone_test("Who represented Brazil at the signing?", gazetteer)
    assert represented("Justice minister Ana Ruiz, who represented the country at the ceremony, spoke first.")
    assert not represented("The justice minister represented the country at the ceremony.")


def test_the_actor_whose_person_is_asked():
    from assistant.answering.answer_type import role_owners
    from assistant.gazetteer import Actor, Gazetteer
    gazetteer = Gazetteer({a: Actor(id=a, name=a.capitalize(), kind="state") for a in ("russia", "brazil", "kenya")}
                          | {"microsoft": Actor(id="microsoft", name="Microsoft", kind="stakeholder")})
    assert role_owners("Who headed Russia's delegation?", gazetteer) == {"russia"}
    assert role_owners("Who was the head of the delegation of Kenya?", gazetteer) == {"kenya"}
    assert role_owners("Which Microsoft executive said the company is vetoed, mostly by Russia?", gazetteer) == {"microsoft"}
    assert role_owners("Which official put Brazil's signature on the convention?", gazetteer) == set()


def test_a_question_for_the_holder_of_a_role_is_no_question_of_who_someone_is():
    from assistant.answering.query import _IDENTITY
    assert _IDENTITY.search("Who is Deborah McCarthy?")
    assert not _IDENTITY.search("Who was Russia's Permanent Representative to the UN in 2022?")
    from assistant.answering.answer_type import asks_person
    assert asks_person("Who was Russia's Permanent Representative to the UN in 2022?")


def test_which_articles_may_be_asked_with_a_modifier():
    from assistant.answering.answer_type import asks_articles
    assert asks_articles("Which specific articles of the draft should be deleted outright?")
    assert asks_articles("What provisions did Egypt oppose?")
    # ("Which draft provision does EFF cite…?" may be answered by what the provision says.)
    assert not asks_articles("Which draft provision does EFF cite as one that could make lawful speech a crime?")



@pytest.mark.parametrize("question,author", [
    ("Who wrote the RSIS commentary on the convention?", True),
    ("Who are the authors of the Australian Outlook article?", True),
    ("Who at Microsoft authored the company's statement?", True),
    ("Why, according to the authors writing in Australian Outlook, has the convention drawn concern?", False),
    ("Who chaired the session?", False),
])
def test_who_wrote_asks_for_an_author(question, author):
    assert asks_author(question) is author
    assert asks_person(question) or not author


@pytest.mark.parametrize("text,byline", [
    ("By Dr Leo S.F. Lin, Dr Duane Aslett and Mladen Zecevic", True),
    ("Written by the Wikimedia Foundation’s: Stan Adams, Lead Public Policy Specialist", True),
    ("Joyce Hakmeh is a senior research fellow with the International Security program", True),
    ("By the ceremony’s first day, 65 nations had signed", False),
    ("The Convention is a landmark step", False),
])
def test_a_byline_or_an_authors_note_names_the_author(text, byline):
    assert is_byline(text) is byline


def test_what_came_next_is_held_by_what_was_still_to_come():
    from assistant.answering.answer_type import asked_test
    test = asked_test("general", False, "and what was the next step after that?")

    class S:
        def __init__(self, text):
            self.sentence = type("Sentence", (), {"text": text})()

    assert test(S("The General Assembly is expected to adopt the convention later this year."))
    assert test(S("States will vote on it in the autumn."))
    assert not test(S("The committee agreed the draft on 8 August 2024."))
    assert asked_test("general", False, "What did the committee agree?") is None


def test_a_tally_is_of_votes_unless_it_says_what_else_it_counts():
    assert expected_type("What was the final tally when the General Assembly adopted the resolution?").kind == "tally"
    assert expected_type("What was the tally of votes in the Third Committee?").kind == "tally"
    # ("the final tally of signatory states" counts signatories: no vote is asked about)
    assert expected_type("How did the expected attendance compare with the final tally of signatory states?") is None
