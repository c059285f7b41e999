"""Questions that name a publisher ("according to WAM") find that publisher's reports first."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from assistant import Assistant
from assistant.answering.abstain import unknown_words
from assistant.answering.query import accounts_asked, organisations_named
from assistant.cli import app
from assistant.sources import publishers_named, without_publishers

from .conftest import REPO, copy_knowledge

PUBLISHERS = {"WAM (Emirates News Agency)", "BOOM Live", "ARTICLE 19", "Diplo, Digital Watch observatory",
              "Global Initiative Against Transnational Organized Crime (GI-TOC)", "Human Rights Watch"}


@pytest.mark.parametrize("question,named", [
    ("How long did the talks last, according to WAM?", {"WAM (Emirates News Agency)"}),
    ("What did the Emirates News Agency report?", {"WAM (Emirates News Agency)"}),
    ("What measures are listed in BOOM's summary?", {"BOOM Live"}),
    ("What did Digital Watch and GI-TOC write?", {"Diplo, Digital Watch observatory",
                                                  "Global Initiative Against Transnational Organized Crime (GI-TOC)"}),
    ("What did ARTICLE 19 say about scope?", {"ARTICLE 19"}),
    ("What does Article 19 of the draft say?", set()),  # the treaty's article, not the NGO
    ("Did the wam delegation speak?", set()),  # an acronym is named in capitals
    ("What happened at the session?", set()),
    ("What did Human Rights Watch say?", {"Human Rights Watch"}),
    ("What did HRW say?", {"Human Rights Watch"}),
    # leading words inside a longer name are no short form of the publisher's
    ("Who was the UN High Commissioner for Human Rights?", set()),
    ("The Digital Watch reports of 9 August name the treaty how?", {"Diplo, Digital Watch observatory"}),
    ("Did Digital Watch report it?", {"Diplo, Digital Watch observatory"}),
])
def test_publishers_are_named_in_full_by_acronym_or_by_leading_words(question, named):
    assert publishers_named(question, PUBLISHERS) == named


def _report(folder, doc_id, publisher, text, date=None, title=None):
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    if publisher is None:  # saved as a newsroom ingests a page: no metadata
        return
    meta = {"title": title or doc_id, "publisher": publisher} | ({"date": date} if date else {})
    (folder / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")


def test_a_named_publishers_report_ranks_first_and_is_cited(tmp_path):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    _report(docs, "wire_a", "Kestrel Wire (KW)",
            "Session wrap-up\n\nThe talks on the convention lasted five years in all, delegates said on Friday. "
            "The final text was adopted without a vote.\n")
    _report(docs, "wire_b", "Harbour Times",
            "Session wrap-up\n\nThe talks on the convention lasted three years of formal negotiation, delegates said. "
            "Observers expect ratification to be slow.\n")
    assistant = Assistant.load(knowledge, tmp_path / "index")
    for publisher, doc_id in (("KW", "wire_a"), ("Harbour Times", "wire_b")):
        answer = assistant.ask(f"How many years did the talks on the convention last, according to {publisher}?")
        assert not answer.abstained, answer.text
        assert doc_id in {c.document_id for c in answer.citations}, answer.text
        query = assistant.answerer.query(answer.question)
        assert query.sources == {doc_id}
        vector = assistant.embedder.embed_one(query.retrieval_text)
        assert assistant.retriever.top_passages(query, vector, 1)[0][0].document_id == doc_id
        for c in answer.citations:
            assert assistant.document(c.document_id).text[c.start:c.end] == c.quote


@pytest.mark.parametrize("question,kept", [
    ("How many cross-references did ARTICLE 19 count in the draft?", "How many cross-references did            count"),
    ("What did ARTICLE 19's analysis say about Article 17?", "What did              analysis say about Article 17?"),
    ("According to HRW, was Article 19 fine?", "According to    , was Article 19 fine?"),
])
def test_publisher_names_are_blanked_for_article_parsing_offsets_kept(question, kept):
    blanked = without_publishers(question, PUBLISHERS | {"Human Rights Watch"})
    assert len(blanked) == len(question)
    assert blanked.startswith(kept)


def _world(tmp_path, reports):
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    for report in reports:  # (id, publisher, text[, date[, title]])
        _report(docs, *report)
    return Assistant.load(knowledge, tmp_path / "index")


def test_an_ngo_named_like_an_article_is_a_publisher_not_an_article(tmp_path):
    assistant = _world(tmp_path, [
        ("a19_scope", "ARTICLE 19",
         "Scope analysis\n\nOur legal analysis examined how articles 37 to 39 interact with articles 17 and 40. "
         "We counted at least half a dozen cross-references on scope in the draft.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Session wrap-up\n\nDelegates debated Article 19 on attempt and participation for an hour.\n"),
    ])
    question = "Which articles did the ARTICLE 19 scope analysis examine?"
    query = assistant.answerer.query(question)
    assert "19" not in query.articles and not query.provisions
    assert query.sources == {"a19_scope"}
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "a19_scope", answer.text
    assert "articles 37 to 39" in answer.citations[0].quote
    # The treaty's Article 19, written as an article, is still read as one.
    assert assistant.answerer.query("What did delegates say about Article 19?").articles == ["19"]


def test_a_question_typed_oddly_is_read_as_its_plain_twin(tmp_path):
    """Capitals throughout, "Art 24" without its full stop, a delegation misspelt: a journalist's typing, which must
    not turn every word into an unknown name or lose the article."""
    from assistant.gazetteer import find_provisions

    assert find_provisions("Why did Egypt object to art 24 and Art 35(3)?") == ["24", "35(3)"]
    assert find_provisions("the state of the art 5G network, art 2024") == []
    assistant = _world(tmp_path, [
        ("wire", "Kestrel Wire (KW)",
         "Session wrap-up\n\nEgypt objected to Article 24 because it would limit national law on proportionality. "
         "Chile supported deleting Article 35(3).\n"),
    ])
    plain = assistant.ask("Why did Egypt object to Article 24?")
    assert not plain.abstained and "proportionality" in plain.text, plain.text
    for typed in ("WHY DID EGYPT OBJECT TO ARTICLE 24?", "Why did Egypt object to Art 24?"):
        answer = assistant.ask(typed)
        assert [c.quote for c in answer.citations] == [c.quote for c in plain.citations], (typed, answer.text)
    misspelt = assistant.ask("Why did Egpyt object to Article 24?")
    assert misspelt.abstained and "Did you mean Egypt?" in misspelt.text, misspelt.text
    assert "Did you mean" not in assistant.ask("Why did Fiji object to Article 24?").text

def test_article_19_in_capitals_is_the_organisation_in_reports_without_metadata(tmp_path):
    from assistant.gazetteer import Gazetteer, find_provisions

    gazetteer = Gazetteer.load(REPO / "knowledge")
    assert find_provisions("ARTICLE 19 delivered a statement on Article 17.") == ["17"]
    assert [a for a, _, _ in gazetteer.find_actors("ARTICLE 19 delivered a statement on Article 17.")] == ["article19"]
    # A heading in capitals names the treaty's article, as running text does
    for heading in ("ARTICLE 19 – Illegal access", "ARTICLE 19\nIllegal access", "Delegates debated Article 19."):
        assert find_provisions(heading) == ["19"] and not gazetteer.find_actors(heading), heading
    # (no metadata, so no publisher says whose report it is)
    assistant = _world(tmp_path, [
        ("scope", None, "Scope analysis\n\nARTICLE 19 delivered the following statement on the scope of the draft. "
                        "There are at least half a dozen cross-references within the text.\n"),
        ("wire", None, "Session wrap-up\n\nDelegates debated Article 19 on attempt and participation for an hour.\n"),
    ])
    question = "How many cross-references on scope did ARTICLE 19 count in the draft?"
    assert assistant.answerer.query(question).articles == []
    answer = assistant.ask(question)
    assert not answer.abstained and "half a dozen" in answer.text, answer.text


def test_a_sentence_speaks_for_the_actor_its_paragraph_names(tmp_path):
    assistant = _world(tmp_path, [
        ("day5", "Kestrel Wire (KW)",
         "Fifth meeting\n\nOn 5 August the Chair presented a revised proposal to the committee. "
         "The proposal amended Articles 6, 23, 24 and 40 and shortened the title. "
         "Delegations were given a day to study it.\n\n"
         "Other business\n\nThe proposal of the Secretariat on the budget was noted without debate.\n"),
    ])
    query = assistant.answerer.query("Which articles did the Chair's 5 August proposal touch?")
    assert query.actors == ["chair"]
    read = [c.s.sentence.text for c in assistant.answerer.sentence_candidates(query).ranked]
    assert any(t.startswith("The proposal amended Articles 6, 23, 24 and 40") for t in read), read
    assert not any("budget" in t for t in read), read  # that paragraph never names the Chair


def test_headings_are_never_answers_and_a_named_publisher_is_enough_topic(tmp_path):
    assistant = _world(tmp_path, [
        ("summary", "BOOM Live",
         "Treaty\n\nThe treaty outlines measures for cross-border evidence exchange, victim protection and crime "
         "prevention.\n"),
        ("wire", "Kestrel Wire (KW)", "Session wrap-up\n\nDelegates met for two weeks in New York.\n"),
    ])
    answer = assistant.ask("What kinds of measures does the treaty set out, in BOOM's summary?")
    assert not answer.abstained, answer.text
    assert all(len(c.quote.split()) >= 3 for c in answer.citations), answer.text
    assert answer.citations[0].quote.startswith("The treaty outlines measures"), answer.text


def test_a_name_whose_words_no_passage_holds_together_is_unknown_to_the_sources(tmp_path):
    assistant = _world(tmp_path, [
        ("budapest", "Kestrel Wire (KW)",
         "Budapest Convention\n\nTwelve more countries joined the Budapest Convention during the talks.\n\n"
         "Delegates said additional protocols to the new convention could follow.\n\n"
         "The second session opened in Vienna, where forty countries spoke.\n"),
    ])
    unknown = assistant.ask("How many countries have signed the Budapest Convention's Second Additional Protocol?")
    assert unknown.abstained, unknown.text
    assert "Second Additional Protocol" in unknown.text, unknown.text
    # each word is known; together, in one passage, they name what the sources speak of
    known = assistant.ask("How many countries joined the Budapest Convention during the talks?")
    assert not known.abstained, known.text


def test_an_actor_named_as_the_account_asked_for_is_a_source_not_the_subject(tmp_path):
    assistant = _world(tmp_path, [
        ("eff_2024", "Electronic Frontier Foundation",
         "The fight goes on\n\nIn the last hours Iran tried to strip the human rights protections from the text.\n\n"
         "We spoke to the committee about our privacy concerns at the end of the talks.\n"),
        ("eff_2022", "Electronic Frontier Foundation",
         "Talks open\n\nWe addressed the committee on its first day about privacy and surveillance.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Closing\n\nIran said there was no consensus on the preamble and asked for a vote.\n"),
    ])
    question = "What did Iran do at the end of the talks, according to EFF?"
    query = assistant.answerer.query(question)
    assert query.actors == ["iran"]  # EFF is whose account is asked for
    assert {"eff_2024", "eff_2022"} <= query.sources
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert all("Iran" in c.quote for c in answer.citations), answer.text  # not EFF's own doings
    assert any(c.document_id == "eff_2024" for c in answer.citations), answer.text



def test_a_publisher_named_only_by_its_masthead_is_its_reports(tmp_path):
    # The review's metadata names no publisher; its masthead line does. "Kenya" in its name is no actor asked about.
    assistant = _world(tmp_path, [
        ("review", None,
         "Signing in Hanoi\n\nKenya Policy Review (KPR)\n\n"
         "Delegates from 69 countries signed the convention at the ceremony in Hanoi.\n", None, "Signing in New Haven"),
        ("wire", "Kestrel Wire (KW)",
         "Signing day\n\nBy Heron Smith\n\n(New York) – Kenya signed the convention on the first day, and more than 70 "
         "nations signed it in all.\n"),
    ])
    # A byline names an author and a dateline opening a paragraph a place: neither is a masthead.
    assert not assistant.answerer.query("What did Heron Smith write about the signing?").sources
    assert not assistant.answerer.query("Who signed the convention in New York?").sources
    # Nor is a place a title holds, where the question names it as a place ("Signing in New Haven").
    assert not assistant.answerer.query("How many delegates signed the convention in New Haven?").sources
    question = "How many countries signed the convention, according to Kenya Policy Review?"
    query = assistant.answerer.query(question)
    assert query.sources == {"review"} and "kenya" not in query.actors, (query.sources, query.actors)
    answer = assistant.ask(question)
    assert not answer.abstained and answer.citations[0].document_id == "review", answer.text
    assert "69 countries" in answer.citations[0].quote
    # A name the gazetteer knows as a whole is an actor's, whatever heads a document.
    assert not assistant.answerer.query("What did Kenya say about the signing?").sources


def test_a_one_word_publisher_asked_for_its_report_is_found_by_its_masthead(tmp_path):
    # "Blitz Bureau" heads the bulletin, saved without metadata; "What did Blitz report…?" asks for it.
    knowledge = copy_knowledge(tmp_path / "knowledge")
    docs = knowledge / "documents"
    for path in docs.iterdir():
        path.unlink()
    (knowledge / "positions.yaml").write_text("[]\n", encoding="utf-8")
    (docs / "bulletin.txt").write_text(
        "Blitz Bureau\nThe members of the United Nations reached a consensus on the treaty after two years of talks.\n",
        encoding="utf-8")
    _report(docs, "wire", "Kestrel Wire (KW)",
            "Session wrap-up\n\nThe members of the United Nations reached no consensus on the treaty in February.\n")
    assistant = Assistant.load(knowledge, tmp_path / "index")
    query = assistant.answerer.query("What did Blitz report the UN members achieved at the end of the talks?")
    assert query.sources == {"bulletin"}, query.sources
    # a one-word name asked of no report's masthead, and one used as a place, choose no reports
    assert not assistant.answerer.query("What did Tribune report the UN members achieved?").sources
    assert not assistant.answerer.query("What did delegates report from Hanoi?").sources


def test_an_account_asked_of_a_publisher_the_archive_never_names_is_answered_with_a_note(tmp_path):
    # The report carries no publisher and no masthead: "The Record" names nothing here. Its content still answers
    # (and the answer says no report is known to be The Record's); a name the question gives as its subject does not.
    assistant = _world(tmp_path, [
        ("opposes", None,
         "Software maker joins opposition\n\nMicrosoft warned that the draft treaty could become a weapon for "
         "intrusive data access rather than a tool for prosecuting criminals.\n"),
    ])
    answer = assistant.ask("Why did Microsoft fear the draft treaty, as reported by The Record?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "opposes", answer.text
    assert any("The Record" in note for note in answer.notes), answer.notes
    # the command line prints the note under the answer, as the chat and the JSON do
    printed = CliRunner().invoke(app, ["ask", "Why did Microsoft fear the draft treaty, as reported by The Record?",
                                       "-k", str(tmp_path / "knowledge"), "--persist-dir", str(tmp_path / "index")])
    assert printed.exit_code == 0 and "Note: No report here is known to be from The Record" in printed.output, printed.output
    subject = assistant.ask("Why did The Record fear the draft treaty?")
    assert subject.abstained and "Record" in subject.text, subject.text
    # A body the gazetteer knows, which no report mentions, is no publisher of an unmarked report (its own would name
    # it): "What did the UN High Commissioner for Human Rights raise…?" is declined, not answered by what others raised.
    raised = assistant.ask("What objections did the UN High Commissioner for Human Rights raise about the draft treaty?")
    assert raised.abstained and "High Commissioner" in raised.text, raised.text


@pytest.mark.parametrize("question,accounts", [
    ("What was Microsoft's reasoning, as reported by The Record in August 2023?", ["The Record"]),
    ("Per The Record's August 2023 report, when were the talks due to end?", ["The Record"]),
    ("In Dark Reading's report, who signed?", ["Dark Reading"]),
    ("According to the Russian Foreign Ministry, which countries opposed it?", ["the Russian Foreign Ministry"]),
    ("Which categories of offences, as summarised by CBCGDF?", ["CBCGDF"]),
    ("How does Chatham House's 2023 explainer define cyber-enabled crime?", ["Chatham House"]),
    ("In the incident cited in a UN University primer, how many bodies went offline?", ["UN University"]),
    ("How does it tell cyber-dependent crimes from others, as McDonald Hopkins explains it?", ["McDonald Hopkins"]),
    ("What is at stake, as the CyberPeace Institute put it?", ["the CyberPeace Institute"]),
    ("What did Blitz report the UN membership achieved?", ["Blitz"]),
    # names joined by "for", "and", "of", with their acronym; the analysis from, and a publisher as subject
    ("According to the Center for Cybersecurity Policy and Law, which issues divided the text?",
     ["the Center for Cybersecurity Policy and Law"]),
    ("What were its aims, as summarised by the NATO Cooperative Cyber Defence Centre of Excellence (CCDCOE)?",
     ["the NATO Cooperative Cyber Defence Centre of Excellence (CCDCOE)"]),
    ("Which offences, according to the analysis from India's Institute for Defence Studies (IDSA)?",
     ["India's Institute for Defence Studies (IDSA)"]),
    ("Help Net Security and Uruguay's M24 reported different counts. What did each give?", ["Help Net Security and Uruguay's M24"]),
    # a column, a memo; a report in a publication; a publisher that quotes, cites or raises
    ("Who was behind the campaign that the Harbour Brief column cites?", ["Harbour Brief"]),
    ("What is the verdict of the Kestrel memo on the treaty?", ["Kestrel"]),
    ("What did the session produce, according to the report in Leaders Gazette?", ["Leaders Gazette"]),
    ("Whose assessment does African Harbour quote on the treaty?", ["African Harbour"]),
    ("What worry does Binding Harbour raise about the treaty?", ["Binding Harbour"]),
    # what a publisher sees or expects is its account too
    ("What downsides did Kestrel Post see if Washington quit the talks?", ["Kestrel Post"]),
    ("What does Harbour Daily expect the vote to show?", ["Harbour Daily"]),
    # a person, given with a title, is no publisher
    ("What did Ambassador Ana Holt say about the scope?", []),
    ("Why does Dr Lee Park see the scope as a risk?", []),
    # a word or two saying what kind of report; a possessive inside a name is the name's own
    ("How do the Kestrel CSC article and the Harbouracademy news analysis differ?", ["Kestrel CSC", "Harbouracademy"]),
    ("Which agencies did the People's Harbour Newspaper (PHN) cite?", ["the People's Harbour Newspaper (PHN)"]),
    # a name in another language; two sources compared
    ("What does La Harbour di New York report on the vote?", ["La Harbour di New York"]),
    ("Do La Harbour di New York and KestrelEdge agree on the count?", ["La Harbour di New York and KestrelEdge"]),
    ("Has the Kestrel Senate concurred in ratifying it?", []),
    # a publisher as the subject of a report in the present tense
    ("Harbour Dong reports on a session in Hanoi. Who co-chaired it?", ["Harbour Dong"]),
    ("Kestrel International says the scope is too broad. What is its reasoning?", ["Kestrel International"]),
    # a publication written in
    ("Writing in Harbour Juris, why does Ana Holt doubt the treaty will work?", ["Harbour Juris"]),
    # a source described by where it is from
    ("What does the Padova human rights centre single out?", ["Padova human rights centre"]),
    ("Why did analysts at a London think tank warn in 2023?", ["London think tank"]),
    ("Why did Kenya object to Article 24?", []),
    ("What did the General Assembly resolution decide?", []),
    # a name ending in s takes the apostrophe alone; what a source is may follow its name
    ("In Kestrel Hopkins' note ahead of the vote, which agency is cited?", ["Kestrel Hopkins"]),
    ("What did the member states' delegates say about the scope?", []),
    ("How are the offences told apart, as explained by the Harbour law firm?", ["the Harbour law firm"]),
])
def test_the_account_a_question_asks_for_is_read_from_its_attribution(question, accounts):
    assert accounts_asked(question) == accounts


def test_a_country_inside_a_publishers_name_is_no_actor_asked_about(tmp_path):
    # "Kenya" in "the Kenya News Agency" (the publisher in the wire's metadata) names the agency, not Kenya's
    # delegation; EFF, a publisher whose whole name is an actor's, stays an actor of the question.
    assistant = _world(tmp_path, [
        ("agency", "Kenya News Agency (KNA)",
         "Adoption\n\nDelegates had been discussing the convention for over five years before it was adopted.\n"),
        ("eff", "EFF", "Years of talks\n\nWe have followed these negotiations since they began in 2021.\n"),
        ("wire", "Kestrel Wire (KW)", "Closing\n\nKenya said the text was a compromise it could accept.\n"),
    ])
    query = assistant.answerer.query("Do EFF and the Kenya News Agency agree on how long the talks took?")
    assert "kenya" not in query.actors + query.targets, (query.actors, query.targets)
    assert "eff" in query.actors and {"agency", "eff"} <= query.sources
    assert "kenya" in assistant.answerer.query("What did Kenya say, according to the Kenya News Agency?").actors
    assert assistant.answerer.query("What did EFF's report on the talks say?").actors == ["eff"]


def test_a_country_inside_an_unplaced_publishers_name_is_asked_about_where_the_question_names_it_again(tmp_path):
    # No report is known to be the Kenya Harbour Corporation's: "Kenya" in its name names it, but "Kenya's economy" asks
    # about Kenya.
    assistant = _world(tmp_path, [
        ("page", None, "Economy\n\nKenya's economy relies on tourism, and card fraud against hotels is rising.\n"),
        ("wire", "Kestrel Wire (KW)", "Closing\n\nGhana said the text was a compromise it could accept.\n"),
    ])
    query = assistant.answerer.query("Why does the Kenya Harbour Corporation report say cybercrime threatens Kenya's economy?")
    assert query.unplaced_sources and "kenya" in query.actors + query.targets, (query.actors, query.targets)
    query = assistant.answerer.query("What does the Kenya Harbour Corporation report say about card fraud?")
    assert query.unplaced_sources and "kenya" not in query.actors + query.targets, (query.actors, query.targets)


def test_a_report_without_a_masthead_is_found_by_the_file_it_is_saved_under(tmp_path):
    # Neither the metadata nor the text names who published these pages; their files do: "ecofin-…" is Ecofin's,
    # "cfr-…" the Council on Foreign Relations'. A name that heads no file and no report is still unknown.
    assistant = _world(tmp_path, [
        ("ecofin-2025-signing", None,
         "African signatories\n\nThe agreement supplements the Malabo Convention, already adopted by several African "
         "nations alongside their domestic laws.\n"),
        ("cfr-2020-way-forward", None,
         "After the vote\n\nOpen-internet advocates must change strategy now that the resolution has passed.\n"),
        ("wire", "Kestrel Wire (KW)",
         "Signing\n\nThe Malabo Convention was mentioned by several delegates in Hanoi, where the signing ceremony "
         "drew ministers from every region.\n"),
    ])
    question = "What does the Ecofin report say about the Malabo Convention?"
    assert assistant.answerer.query(question).sources == {"ecofin-2025-signing"}
    answer = assistant.ask(question)
    assert not answer.abstained and answer.citations[0].document_id == "ecofin-2025-signing", answer.text
    question = "What did the Council on Foreign Relations blog say open-internet advocates must do?"
    assert assistant.answerer.query(question).sources == {"cfr-2020-way-forward"}
    # A name that opens the question is one too.
    assert assistant.answerer.query("Council on Foreign Relations authors say advocates must change strategy: "
                                    "why?").sources == {"cfr-2020-way-forward"}
    assert not assistant.ask(question).abstained
    # A report asked for by a name no file or report holds may still be one saved without a publisher: the answer
    # says none is known to be Zenith's. Zenith as the subject is unknown to the sources.
    unplaced = assistant.ask("What does the Zenith report say about the Malabo Convention?")
    assert not unplaced.abstained and any("Zenith" in note for note in unplaced.notes), unplaced.notes
    unknown = assistant.ask("Why did Zenith object to the Malabo Convention?")
    assert unknown.abstained and "Zenith" in unknown.text, unknown.text



@pytest.mark.parametrize("question,organisations", [
    ("Why did the Geneva-based CyberPeace Institute see a broad scope as a risk?", ["Geneva-based CyberPeace Institute"]),
    ("Chatham House dates the start of the talks to May 2021. What met then?", ["Chatham House"]),
    ("What did Infosecurity Magazine's feature say?", ["Infosecurity Magazine"]),
    ("What did the General Assembly decide?", []),
    ("Why did Jane Roe object to Article 24?", []),  # a person is no organisation
    ("Why do the Harbour government and the Kestrel Broadcasting Corporation back it?", ["Kestrel Broadcasting Corporation"]),
    ("What did the Harbour Government Information Service say?", ["Harbour Government Information Service"]),
])
def test_an_organisation_is_named_by_how_its_name_ends(question, organisations):
    assert organisations_named(question) == organisations


def test_an_organisation_the_archive_never_names_may_have_published_a_report_without_a_publisher(tmp_path):
    question = "Why did the CyberPeace Institute see the broad scope of evidence sharing as a risk?"
    text = ("Scope\n\nThe broad scope of cross-border evidence sharing is a risk because it reaches offences far beyond "
            "cybercrime and invites abuse.\n")
    wire = ("wire", "Kestrel Wire (KW)", "Closing\n\nDelegates debated the scope of the convention for two weeks.\n")
    # A page saved without its publisher may be the Institute's: it answers, and the note says none is known to be.
    answer = _world(tmp_path / "unplaced", [("scope", None, text), wire]).ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations[0].document_id == "scope", answer.text
    assert any("CyberPeace Institute" in note for note in answer.notes), answer.notes
    # The note names a source once, however the question names it ("according to the Harbour Review", an account and
    # an organisation's name both)
    once = _world(tmp_path / "once", [("scope", None, text), wire]).ask(
        "Why is the broad scope of evidence sharing a risk, according to the Harbour Review?")
    assert [note.count("Harbour Review") for note in once.notes if "known to be" in note] == [1], once.notes
    # A delegation inside the organisation's name ("India's Institute for Defence Studies") is no delegation asked about,
    # and its name, in no report here, is no sign the question is off the reports' topic.
    about = _world(tmp_path / "inside", [("scope", None, text), wire])
    asked = "In a nutshell, why is a broad scope of evidence sharing a risk, as India's Institute for Defence Studies (IDSA) summarised it?"
    query = about.answerer.query(asked)
    assert "india" not in query.actors and not query.unknown_names, (query.actors, query.unknown_names)
    answer = about.ask(asked)
    assert not answer.abstained and answer.citations[0].document_id == "scope", answer.text
    # So is a source described by a delegation no report mentions ("a London think tank"): that is where it is from.
    described = about.ask("Why did analysts at a London think tank see a broad scope of evidence sharing as a risk?")
    assert not described.abstained and described.citations[0].document_id == "scope", described.text
    assert any("London think tank" in note for note in described.notes), described.notes
    # So is one given only by the country it is from ("the Ghanaian analysis"): a state's adjective, with the report's
    # noun and an adjective of importance ("main"), is no topic the reports never speak of.
    ghanaian = about.ask("What is the main risk of a broad scope of evidence sharing, as summarised in the Ghanaian analysis?")
    assert not ghanaian.abstained and ghanaian.citations[0].document_id == "scope", ghanaian.text
    assert any("known to be from a Ghanaian source" in note for note in ghanaian.notes), ghanaian.notes

    # Where every report has a publisher and none is the Institute, the sources do not have its view.
    declined = _world(tmp_path / "placed", [("scope", "Harbour Times", text), wire]).ask(question)
    assert declined.abstained and "CyberPeace" in declined.text, declined.text


def test_a_body_named_by_an_acronym_or_as_a_report_source_may_have_published_an_unattributed_report(tmp_path):
    text = ("Scope\n\nThe broad scope of cross-border evidence sharing is a risk because it reaches offences far beyond "
            "cybercrime and invites abuse.\n")
    wire = ("wire", "Kestrel Wire (KW)", "Closing\n\nDelegates debated the scope of the convention for two weeks.\n")
    archive = _world(tmp_path / "unplaced", [("scope", None, text), wire])
    for question, source in [
        ("Why does FDD see the broad scope of evidence sharing as a risk?", "FDD"),
        ("Why does the University of Navarra see the broad scope of evidence sharing as a risk?", "the University of Navarra"),
        ("Why does Leaders MENA see the broad scope of evidence sharing as a risk?", "Leaders MENA"),
        ("According to a Reuters-based report, why is the broad scope of evidence sharing a risk?", "Reuters"),
        ("Why does Harbour & Tann Asia see the broad scope of evidence sharing as a risk?", "Harbour & Tann Asia"),
        ("Why does EUbriefing see the broad scope of evidence sharing as a risk?", "EUbriefing"),
    ]:
        answer = archive.ask(question)
        assert not answer.abstained and answer.citations[0].document_id == "scope", (question, answer.text)
        assert any(f"known to be from {source}:" in note for note in answer.notes), (question, answer.notes)
    # A person's name is no brand's: "McCarthy", whom no report names, is declined.
    assert archive.ask("Why does Ambassador Ana McCarthy see the broad scope of evidence sharing as a risk?").abstained
    # A name with a known acronym in it is no body's: "UN Headquarters", which no report names, is declined.
    declined = archive.ask("What was agreed at UN Headquarters about the scope of evidence sharing?")
    assert declined.abstained and "Headquarters" in declined.text, declined.text
    # Where every report has a publisher, none is FDD's: the question is declined.
    placed = _world(tmp_path / "placed", [("scope", "Harbour Times", text), wire])
    assert placed.ask("Why does FDD see the broad scope of evidence sharing as a risk?").abstained


def test_the_words_a_comparison_is_asked_in_are_no_topic_the_sources_miss(tmp_path):
    # "description", "contrast" and "label" say how the question wants its answer, not what it is about: sentences
    # on what each delegation called the convention answer it, though none says "describe" or "label".
    assistant = _world(tmp_path, [
        ("hanoi", "Kestrel Wire (KW)",
         "Signing\n\nThe European Union called the convention a powerful instrument for cooperation against "
         "ransomware. Russia said the text was a weak compromise that fell short of its own draft.\n"),
    ])
    asked = "How did the European Union's description of the convention contrast with Russia's label for it?"
    assert unknown_words(assistant.answerer.corpus, asked, without_names=True) == [], asked
    answer = assistant.ask(asked)
    assert not answer.abstained, answer.text
    assert "powerful instrument" in " ".join(c.quote for c in answer.citations), answer.text


def test_the_command_line_names_a_citations_title_once_where_its_section_is_the_title(tmp_path):
    assistant = _world(tmp_path, [("wire", "Kestrel Wire (KW)", "Talks\n\nThe talks lasted five years in all.\n")])
    page = tmp_path / "knowledge" / "documents" / "headline.md"
    page.write_text("# Ransomware Rules in the New Convention\n\nThe convention lists ransomware attacks as offences that "
                    "every party must make criminal.\n", encoding="utf-8")
    assistant.ingest(page)
    printed = CliRunner().invoke(app, ["ask", "Which attacks must every party make criminal under the convention?",
                                       "-k", str(tmp_path / "knowledge"), "--persist-dir", str(tmp_path / "index")])
    assert printed.exit_code == 0, printed.output
    assert "    Ransomware Rules in the New Convention (headline, chars" in printed.output, printed.output
    assert "› Ransomware Rules" not in printed.output, printed.output


def test_a_place_is_held_by_the_sources_that_name_its_people(tmp_path):
    # "Asia" is held by "19 Asian countries", "Kestrelia" by "the Kestrelian delegation": a region or a country the
    # question names by its noun is no name the sources lack when they give its adjective.
    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Signing ceremony\n\nSignatories include 19 Asian countries and 21 African countries. The Kestrelian "
         "delegation signed on the first day.\n"),
    ])
    for asked in ("Among the signatories, did Africa or Asia supply more countries?",
                  "When did Kestrelia sign the convention?"):
        answer = assistant.ask(asked)
        assert not answer.abstained, (asked, answer.text)
    lacked = assistant.ask("Did Oceania supply more signatories than Africa?")
    assert lacked.abstained and "Oceania" in lacked.text, lacked.text


def test_a_known_organisation_no_report_mentions_may_be_whose_unattributed_report_is_quoted(tmp_path):
    text = ("Scope\n\nThe broad scope of cross-border evidence sharing is a risk because it reaches offences far beyond "
            "cybercrime and invites abuse.\n")
    wire = ("wire", "Kestrel Wire (KW)", "Closing\n\nDelegates debated the scope of the convention for two weeks.\n")
    archive = _world(tmp_path / "unplaced", [("scope", None, text), wire])
    # (Privacy International is in knowledge/actors.yaml; no report here mentions it.)
    for question, source in [
        ("Privacy International says the broad scope of evidence sharing is a risk. What is its reasoning?",
         "Privacy International"),
        ("As Privacy International described it, why is the broad scope of evidence sharing a risk?", "Privacy International"),
        ("Writing in the Harbour Review, why does its author see the broad scope of evidence sharing as a risk?",
         "the Harbour Review"),
    ]:
        answer = archive.ask(question)
        assert not answer.abstained and answer.citations[0].document_id == "scope", (question, answer.text)
        assert any(f"known to be from {source}:" in note for note in answer.notes), (question, answer.notes)
    # Asked what it did, it is asked about: no report mentions it, so none says.
    did = archive.ask("What objections did Privacy International raise about the broad scope of evidence sharing?")
    assert did.abstained and "Privacy International" in did.text, did.text
    # Where every report has a publisher, it is no source here.
    placed = _world(tmp_path / "placed", [("scope", "Harbour Times", text), wire])
    said = placed.ask("Privacy International says the broad scope of evidence sharing is a risk. What is its reasoning?")
    assert said.abstained and "Privacy International" in said.text, said.text
