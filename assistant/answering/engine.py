"""Grounded answers without a language model: the question's way through the answering core.

question -> query (what it asks) -> refusal checks -> the strategy of its kind (strategies/:
position records, or source sentences from the retrieved candidates) -> the answer-type check. Every sentence
of an answer ends with the numbers of the citations that back it, and each citation is a
verbatim span of a stored document. When the evidence does not carry the question, the
answer abstains and says what is missing.
"""

from __future__ import annotations

import re
import time

from ..answer import Answer, Citation
from ..corpus import Corpus, terms
from ..terms import with_parts
from ..retrieval import HybridRetriever
from ..scope import Scope
from ..sources import publisher_spans, without_publishers
from .abstain import FRAME, abstain, lacks_asked_type, name_stems, names_unheld, refuse
from .periods import event_months, report_dates, sessions_named
from .query import (SOURCED_FROM, Query, account_spans, accounts_asked, bodies_named, leading_name, name_phrases, name_runs, organisations_named, parse, proper_names,
                    in_readable_case, resolve_follow_up, validate_question, without_names, without_possessive)
from .settings import MASTHEAD_CHARS, MASTHEAD_WORDS
from .strategies import records, sentences, strategy_for

# A name just after "in", "at" or "near" is a place ("held in New York"), though a document's title may hold it.
_AT_PLACE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?$", re.I)
# A name a question gives as where something happened: "at the Hanoi signing ceremony", "in New York" ("York": "New" is
# a word most reports hold).
_AT_NAME = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)?([A-Z][\w'’-]*)")


def _blanked(text: str, names) -> str:
    """The text with these names blanked out, offsets kept."""
    for name in names:
        text = text.replace(name, " " * len(name))
    return text



# "did", "does", "has" just before a name: the question asks what it did
_ASKED_WHAT_IT_DID = re.compile(r"\b(?:did|does|do|has|have|had)\s+(?:the\s+)?$", re.I)


def _inside_longer_name(text: str, start: int, end: int, a0: int, b0: int) -> bool:
    """Whether the actor's name at start:end lies inside the longer name at a0:b0 ("the UAE's state news agency"), not
    being the whole of it but for an article: "did the UN High Commissioner for Human Rights raise" names the actor."""
    if article := re.match(r"the\s+", text[a0:b0], re.I):
        a0 += article.end()
    return a0 <= start and end <= b0 and end - start < b0 - a0


def _held_in_parts(corpus: Corpus, name: str) -> bool:
    """A compound is held where each of its parts is: "ICT-crime" by sources that speak of ICT and of crime."""
    parts = set(name_stems(name))
    return len(parts) > 1 and parts <= corpus.known_terms(parts)


# The endings that make a people or an adjective of a place's name, as stemmed: "Asia" is held by sources that say
# "19 Asian countries", "Vietnam" by "the Vietnamese side", "Kuwait" by "Kuwaiti".
_DEMONYM_ENDINGS = ("n", "an", "ian", "ean", "es", "i", "ish")


def _held_as_adjective(corpus: Corpus, name: str) -> bool:
    stems = terms(name)
    return len(stems) == 1 and bool(corpus.known_terms({stems[0] + ending for ending in _DEMONYM_ENDINGS}))


class Answerer:
    def __init__(self, corpus: Corpus, retriever: HybridRetriever, embedder, use_positions: bool = True, k: int = 5):
        self.corpus = corpus
        self.retriever = retriever
        self.embedder = embedder
        self.use_positions = use_positions
        self.k = k
        self.position_vectors = corpus.position_vectors

    def ask(self, question: str, history: list[dict] | None = None, scope: Scope | None = None) -> Answer:
        started = time.perf_counter()
        question = validate_question(question)
        query = self.query(question, history, scope)
        if query.scope is not None and not query.scope:
            answer = abstain(query, f"No document matches the scope ({scope.describe()}), so there is nothing to answer from.")
        else:
            answer = names_unheld(self.corpus, query, lacks_asked_type(query, self._answer(query)))
            if query.unplaced_sources and not answer.abstained:
                answer.notes.append(f"No report here is known to be from {' or '.join(query.unplaced_sources)}: the answer "
                                    "quotes the reports that match the question.")
        answer.seconds = time.perf_counter() - started
        return answer

    def query(self, question: str, history: list[dict] | None = None, scope: Scope | None = None) -> Query:
        """What the question asks, with the earlier turns it leans on, the publishers it names and
        the documents the asker allows."""
        corpus = self.corpus
        question = in_readable_case(question)
        publishers = corpus.publishers_named(question)
        unpublished = without_publishers(question, publishers) if publishers else question
        mastheads = self._mastheads(unpublished)
        unpublished = _blanked(unpublished, mastheads)
        query = parse(question, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles,
                      unpublished if publishers or mastheads else None)
        if mastheads or publishers:
            # "Vietnam" in "according to Vietnam Investment Review" and "Kuwait" in "the Kuwait News Agency" are no
            # actors asked about: a name inside a publisher's longer name is part of it ("EFF", the whole name of
            # a publisher that is also an actor, stays one).
            spans = [(a0, b0 - 2 if question[b0 - 2:b0] in ("'s", "’s") else b0)
                     for a0, b0 in publisher_spans(question, publishers)]
            named = {a for a, start, end in corpus.gazetteer.find_actors(_blanked(question, mastheads))
                     if not any(a0 <= start and end <= b0 and end - start < b0 - a0 for a0, b0 in spans)}
            query.actors = [a for a in query.actors if a in named]
            query.targets = [a for a in query.targets if a in named]
        # An actor named only in the attribution ("…, according to Digital Watch and EFF?") is whose account is
        # asked for, not whose doings: its own reports join the sources, and it is no actor of the question
        # when the question asks about another.
        in_clause = {a for a, _, _ in corpus.gazetteer.find_actors(query.clause)} if query.clause else set(query.actors)
        attributed = [a for a in query.actors if a not in in_clause]
        if attributed and len(attributed) < len(query.actors):
            query.actors = [a for a in query.actors if a not in attributed]
        else:
            attributed = []
        query = resolve_follow_up(query, history, corpus.gazetteer, corpus.mentioned_actors, corpus.mentioned_articles)
        query.sources = corpus.documents_by_publishers_named(question, publishers).union(*mastheads.values())
        if attributed:
            query.sources |= corpus.catalog.documents_mentioning("source", set(attributed))
        # A name no source holds (a place, a body, an event) is as unknown as a delegation none mentions.
        # (A publisher's name may be in the reports' metadata alone: it chose query.sources.)
        given = proper_names(unpublished, corpus.gazetteer)
        names = [n for n in given if (t := terms(n)) and not corpus.known_terms(t) and not _held_in_parts(corpus, n)
                 and not _held_as_adjective(corpus, n)]
        # So is a name of several words that no passage holds together, though each word is known.
        names += [n for n in name_phrases(unpublished, corpus.gazetteer)
                  if len(t := set(terms(n))) > 1 and not corpus.held_together(t)]
        # (The thing a question asks for, "What slogan…?", "the deadline", is not held to the sources' words: a
        # paraphrase names it in other words ("the theme", "mandated to submit by 9 August"). Whether the answer
        # holds what is asked is judged by its type, answer_type.expected_type. Until 2026-12-02 an asked thing
        # whose words no source used was declined: on a blind probe of new publishers that declined 3 of 30
        # answerable questions and caught none of its 10 unanswerable ones.)
        # A name given only as whose account is asked ("as reported by The Record") that the archive never names is
        # a publisher whose reports carry no masthead or metadata here: the matching reports still answer, and the
        # answer says none is known to be theirs. (Asked of an archive without that report, nothing matches.)
        # So is an organisation named as one ("Chatham House's 2023 explainer", "as the CyberPeace Institute described
        # them"), where some report here carries no publisher: it may be theirs. (An archive whose every report has
        # a publisher never names it, so it is no source here, and the question is declined.)
        spans = account_spans(unpublished)
        accounts = [a for a, _, _ in spans] + organisations_named(unpublished)
        # So is a name that reads as a body's and no report here holds ("What did FDD recommend?"): in an archive of
        # reports saved without their publisher, it is as likely to be one of theirs as a body they never mention.
        accounts += bodies_named(unpublished, names)
        # (Only where it happened: "in New York", "at the Hanoi ceremony". A name with a figure, "GA/12309", is a
        # document's symbol, which its metadata alone may give.)
        placed = {m.group(1) for m in _AT_NAME.finditer(unpublished)}
        query.names = [n for n in given
                       if n in placed and not any(ch.isdigit() for ch in n) and not any(n in a for a in accounts)]
        if accounts and not corpus.documents_without_publisher():
            accounts, spans = [], []
        unplaced = [n for n in names if any(without_possessive(n) in a for a in accounts)]
        # (So is a delegation no report mentions, given where the source is from: "The UAE's state news agency".)
        found = corpus.gazetteer.find_actors(question)
        unmentioned = {name for name, a0, b0 in spans for a, start, end in found
                       if a not in corpus.mentioned_actors and _inside_longer_name(unpublished, start, end, a0, b0)}
        # (So is an organisation the gazetteer knows, named whole as whose account, that no report mentions: "As Privacy
        # International described the mandate", where reports are saved without their publisher, may ask for its own.
        # Asked what it did, "What objections did the High Commissioner raise?", it is asked about, not quoted from.)
        publishing = {(start, end) for a, start, end in found for _, a0, b0 in spans if a not in corpus.mentioned_actors
                      and corpus.gazetteer.may_publish(a) and a0 <= start and end <= b0
                      and not _ASKED_WHAT_IT_DID.search(unpublished[:a0])}
        unmentioned |= {name for name, a0, b0 in spans if any(a0 <= start and end <= b0 for start, end in publishing)}
        # (So is a source given only by the country it is from, "the Ghanaian analysis", "a Kenyan daily": no report
        # here is known to be from one country's press.)
        described = {a for a in accounts if all(corpus.gazetteer.is_demonym(w) for w in a.split())}
        # (one name once: "the Saigon Times" read as an account and as an organisation is one source)
        once: dict[str, str] = {}
        blanked = set()
        for a in accounts:
            if any(n in a for n in unplaced) or a in unmentioned or a in described:
                shown = f"a {a} source" if a in described else m.group("source") if (m := SOURCED_FROM.fullmatch(a)) else a
                once.setdefault(re.sub(r"^the\s+", "", shown, flags=re.I).casefold(), shown)
                blanked.add(a)
        # (and a name inside another once: "MENA" of "Leaders MENA")
        query.unplaced_sources = [a for a in once.values() if not any(a != b and re.search(rf"\b{re.escape(a)}\b", b)
                                                                      for b in once.values())]
        names = [n for n in names if n not in unplaced]
        # A delegation inside such a name ("India's Manohar Parrikar Institute…", "Uruguay's M24") names the publisher,
        # not a delegation asked about, as in a known publisher's name above.
        # (One named outside it too is asked about there: "Fiji's economy", in a question on "the Fiji Broadcasting
        # Corporation report".)
        within = [(start, end) for a, start, end in found for name, a0, b0 in spans
                  if name in blanked and (_inside_longer_name(unpublished, start, end, a0, b0) or (start, end) in publishing)]
        inside = {a for a, start, end in found if (start, end) in within} \
            - {a for a, start, end in found if (start, end) not in within}
        if query.unplaced_sources and not query.inherited:
            # Its name is in no report here: searched for, it only pulls the question away from what it asks.
            query.retrieval_text = " ".join(_blanked(question, [question[a0:b0] for name, a0, b0 in spans
                                                                if name in blanked]).split())
        if inside:
            query.actors = [a for a in query.actors if a not in inside]
            query.targets = [a for a in query.targets if a not in inside]
            query.unknown_names = [n for n in query.unknown_names if n not in {corpus.gazetteer.name(a) for a in inside}]
        query.unknown_names = list(dict.fromkeys(query.unknown_names + names))
        clause = query.clause or question
        query.asked = without_names(_blanked(without_publishers(clause, publishers), mastheads) if query.sources else clause,
                                    corpus.gazetteer)
        if query.kind != "what-changed":  # (which compares periods, found by periods.py)
            query.dated = self._dated(question, query.sources)
        if query.inherited and query.earlier:
            # "What was that session supposed to kick off?" after "When did the sixth session open?": a
            # follow-up that names no publisher or report of its own reads those of the turn it leans on.
            if not query.sources:
                query.sources = corpus.documents_by_publishers_named(query.earlier)
            if not query.dated and query.kind != "what-changed":
                # (Else, "Did EFF see it the same way?" after a question on the text agreed on 8 August 2024:
                # what EFF wrote then, not its pieces of 2022. An event is reported in its month or the next.)
                query.dated = self._dated(query.earlier, query.sources)
        if scope is not None:
            query.scope = corpus.documents_in(scope)
            query.sources &= query.scope
            query.dated &= query.scope
        return query

    def _mastheads(self, text: str) -> dict[str, set[str]]:
        """The names a question gives that head documents ("according to Dark Reading", "as the Global Initiative
        describes them"), each with those documents: a document's metadata may name no publisher, while its
        masthead, its title or the name of its file does. (A name the gazetteer knows as a whole, "the General Assembly", is an
        actor's; one it knows in part, "Vietnam" in "Vietnam Investment Review", is not.)"""
        actors = self.corpus.gazetteer.find_actors(text)
        found = {}
        # (A name that opens the question, "Digital Policy Alert calls the convention…", is one too.)
        for run, start, end in [n for n in [leading_name(text)] if n] + name_runs(text):
            name = without_possessive(run)  # ("the Ad Hoc Committee's fifth session")
            if any(a <= start and start + len(name) <= b for _, a, b in actors):
                continue
            if name == run and _AT_PLACE.search(text, 0, start):
                continue  # "…take place in New York?" names where, not whose account ("in Dark Reading's report" does)
            documents = self.corpus.catalog.documents_headed(name, MASTHEAD_CHARS, MASTHEAD_WORDS)
            documents |= self.corpus.documents_filed_under(name)
            if documents:
                found[run] = documents
        # A one-word name given as whose account is asked ("What did Blitz report…?") may head its reports ("Blitz Bureau").
        for name in accounts_asked(text):
            if len(name.split()) == 1 and name not in found and not any(a <= text.find(name) < b for _, a, b in actors):
                if documents := self.corpus.catalog.documents_headed(name, MASTHEAD_CHARS, MASTHEAD_WORDS):
                    found[name] = documents
        # A one-word name no source holds ("the Ecofin report") may still be on a file of its reports.
        for name in proper_names(text, self.corpus.gazetteer):
            if name not in found and not self.corpus.known_terms(terms(name)):
                if documents := self.corpus.documents_filed_under(name):
                    found[name] = documents
        return found

    def _dated(self, text: str, sources: set[str]) -> set[str]:
        """The reports a text names by date ("its December 2024 statement", "the 9 August report") or by session
        ("at the sixth session"); naming none, those published when the events it dates were reported (the month and
        the next, periods.event_months: "the vote on the December 2019 resolution" reads those first, not a later report
        of another vote). Of the publishers it names, if it names any."""
        catalog = self.corpus.catalog

        def theirs(documents: set[str]) -> set[str]:
            return documents & sources if sources else documents

        named = set().union(*(catalog.documents_dated(y, m, d) for y, m, d in report_dates(text) if m))
        return theirs(named | sessions_named(self.corpus, text)) or theirs(
            set().union(*(catalog.documents_dated(y, m, None) for y, m in event_months(text))))

    def _answer(self, query: Query) -> Answer:
        # (The name of a publisher no report here is known to be by is no word of what is asked: it is off every topic.)
        q_terms = with_parts(query.retrieval_text) - FRAME - set(terms(" ".join(query.unplaced_sources)))
        vector = self.embedder.embed_one(query.retrieval_text)
        refusal = refuse(self.corpus, query, vector, q_terms)
        if refusal:
            return refusal
        return strategy_for(query).answer(self, query, vector, q_terms)

    def sentence_candidates(self, query: Query) -> sentences.Candidates:
        """The source sentences the sentence strategy would choose from, scored (for fitting its weights)."""
        q_terms = with_parts(query.retrieval_text) - FRAME
        vector = self.embedder.embed_one(query.retrieval_text)
        scored = records.score_positions(self, query, vector, q_terms) if self.use_positions else []
        return sentences.candidates_for(self, query, vector, q_terms, records.close_evidence(self, scored))

    # -- shared by the strategies --------------------------------------------------
    def abstain(self, query: Query, reason: str) -> Answer:
        return abstain(query, reason)

    def actor_kinds(self, actors: set[str]) -> set[str]:
        known = self.corpus.gazetteer.actors
        return {known[a].kind for a in actors if a in known}

    def cite(self, citations: list[Citation], document_id: str, start: int, end: int) -> int:
        for c in citations:
            if (c.document_id, c.start, c.end) == (document_id, start, end):
                return c.number
        doc = self.corpus.documents[document_id]
        paragraph = doc.paragraph_at(start)
        citation = Citation(len(citations) + 1, document_id, doc.title, paragraph.section, doc.text[start:end],
                            start, end, paragraph.attribution)
        citations.append(citation)
        return citation.number
