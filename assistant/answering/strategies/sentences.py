"""Answers from source sentences, shared by every strategy: the retrieved passages' sentences (and
those of close position records) scored as candidates, the best chosen, the checks every answer gets
(each part of the question answered, the year it names, the country it asks for), and the steps a
kind of question adds (Steps: the byline of identity.py, the figures of figures.py, the reasons
of why.py)."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from ...answer import Answer, Citation
from ...corpus import terms
from ...terms import with_parts
from ...gazetteer import find_provisions
from ..abstain import FRAME, INSTRUCTIONS_LEFT_OUT
from ..answer_type import ASKS_DAY, DAY, WHO, YEAR, asked_test, asked_thing, asks_author, asks_person, is_byline, expected_type, of_another_year, part_test, people_in, role_owners, someone_test, SPECIFIC_ACTS, stage_asked, stages_in
from ..conflicts import DIFFER
from ..compose import with_markers
from ..features import Features, score
from ..periods import ordinal_sessions, report_nouns
from ..query import CALENDAR, Query, asks_date, embedded_question, kind_of, name_phrases, organisations_named
from ..settings import (AFTER_BEST_CHARS, NAMED_REPORT_CHARS, NAMED_REPORTS_READ, BYLINE_CHARS, CHOICE_MARGIN, DEEP_MIN_SIMILARITY, DEEP_PASSAGES, EXTRA_PASSAGES, LIST_LINE_WORDS, MAX_LIST_ITEMS, FOLLOW_UP_EXTRA_PASSAGES, MAX_QUOTE_SENTENCES, MAX_SENTENCES, MIN_RELEVANCE, MIN_SIMILARITY, MIN_WORDS, NUMBER_MARGIN,
                        PRONOUN_CONTEXT)

# A sentence that carries the one before it on: a pronoun, a connective of reason or consequence ("A failure to
# do so would…", "For this reason…", "Otherwise…"), or an example of what it says ("For example, the draft…").
CONTINUES = re.compile(r"^(they|it|this|these|he|she|its|their|so|thus|therefore|hence|the (countries|states|delegations)"
                       r"|otherwise|as a result|for (this|that) reason|that is why|(in )?doing so|(a|the) failure to do so"
                       r"|without (this|that|it|them|such \w+)|for (example|instance))\b", re.I)
SPOKEN_BY_PRONOUN = re.compile(r"\b(?:(?:he|she|they|it)\s+(?:said|says|added|adds|stressed|noted|told|explained|argued"
                               r"|continued|warned)|(?:his|her|their|its)\s+(?:spokes\w+|representatives?|envoys?"
                               r"|delegation|office))\b", re.I)
WORD = re.compile(r"\b[^\W\d_]{2,}")  # a word of letters: "* *** *" and "24 December 2024" hold one or none
# A best sentence is often a lead that the next sentence of its paragraph explains ("Vietnam's role as host has also
# drawn scrutiny." "The U.S. State Department's August report cited…"): that sentence joins it if it is near the
# question at all (MIN_SIMILARITY). For why, outcome and general questions since 2026-12-02 (blind probes np4 and np7
# fact recall 0.694 -> 0.726 and 0.425 -> 0.475, np3 0.487 -> 0.538, dev evidence 0.724 -> 0.730); for every kind
# but figures and dates since 2026-12-04 (dev fact 0.846 -> 0.851, evidence 0.755 -> 0.761; blind pD evidence
# 0.744 -> 0.767, pF 0.514 -> 0.541; no set fell).
# The kinds whose speaker's quotation carried into the next paragraph joins (quote_carried_on):
EXPLAINED = ("why", "outcome", "general")
SECOND_PART = re.compile(r"\band (what|why|how|where|when)\b", re.I)
# An item of an enumeration: "First, …", "And third, …", "- Article 6, which…", "2) …". A list goes on in such
# sentences after one that announces it ("…conveys three clear messages to the world", "…particularly:").
# (Items lettered "a." or "(b)" go on a list as numbered ones do, and a list counted out in prose goes on in "The
# third thrust concerns…".)
ITEM = re.compile(r"^(?:and\s+)?(?:first|second|third|fourth|fifth|sixth|firstly|secondly|thirdly|fourthly|finally"
                  r"|lastly),|^[-•*–]\s|^\(?(?:\d{1,2}|[a-h])[.)]\s"
                  r"|^(?:the|a|and the)\s+(?:second|third|fourth|fifth|sixth|final|last)\s+[\w-]+\s+(?!of\b)"
                  # (an item labelled in capitals, as a tally is: "YES: Jamaica, Suriname", "ABSTAIN: Bahamas, Barbados")
                  r"|^(?-i:[A-Z]{2,}(?:\s[A-Z]{2,})*):\s", re.I)
FIRST_ITEM = re.compile(r"^(?:first|firstly),|^[-•*–]\s|^\(?(?:1|a)[.)]\s|^(?-i:[A-Z]{2,}(?:\s[A-Z]{2,})*):\s", re.I)
# A sentence that counts what it names ("…to define two categories, cyber-enabled and cyber-dependent crimes.") announces
# them as well, and "The first ones are…" opens the list it counts (an opening that could as well start any sentence,
# so it is read as an item only after such a count).
COUNTS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){0,2}?[\w-]+s\b", re.I)
FIRST_OF_COUNT = re.compile(r"^the first\s+[\w-]+\s+(?!of\b)", re.I)
# "Some countries pushed for a narrow treaty." "Others pushed for an expanded one.": the halves of a contrast say
# what each side wanted only together, so either one chosen brings the other.
CONTRAST_OPENS = re.compile(r"^some\b", re.I)
CONTRAST_CLOSES = re.compile(r"^(the )?others?\b", re.I)


@dataclass
class Candidate:
    score: float
    features: dict[str, float]
    s: object  # the AnnotatedSentence
    parts: list[tuple[float, float, float]] = field(default_factory=list)  # (score, similarity, overlap) of each part

    @property
    def similarity(self) -> float:
        return self.features["similarity"]

    @property
    def overlap(self) -> float:
        return self.features["overlap"]


@dataclass
class Candidates:
    top: list  # the retrieved passages read
    ranked: list[Candidate] = field(default_factory=list)  # best first
    bylines: set[tuple] = field(default_factory=set)  # "Who is she?" is answered by the byline under her quote
    credits: set[tuple] = field(default_factory=set)  # "Who wrote X's report?": the bylines heading X's reports
    previous: dict = field(default_factory=dict)
    skipped_instructions: int = 0


@dataclass
class Selection:
    """The sentences an answer is being made of, as a kind's steps (Steps) see and change them."""
    ctx: object
    query: Query
    found: Candidates
    candidates: list  # (score, similarity, overlap, AnnotatedSentence), best first
    chosen: list  # the AnnotatedSentences chosen so far
    best_score: float
    limit: int
    q_terms: set[str]
    wants_more: bool = False  # the sentence after a chosen one that carries it on ("They stressed…") joins it
    notes: list[str] = field(default_factory=list)  # what the answer must tell its reader it could not check


Step = Callable[[Selection], "Answer | None"]  # changes the selection, or answers (an abstention) at once


@dataclass(frozen=True)
class Steps:
    """What a kind of question adds to the choice of sentences: `first` runs on the sentences first
    chosen, `then` after the checks every answer gets (each part answered, the year asked, the country
    asked for). A step that returns an Answer ends the choice with it."""
    first: tuple[Step, ...] = ()
    then: tuple[Step, ...] = ()


NO_STEPS = Steps()


def candidates_for(ctx, query: Query, vector, q_terms: set[str], boost: list) -> Candidates:
    """The sentences of the retrieved passages (and of close records' evidence) that may answer, scored."""
    corpus = ctx.corpus
    extra = FOLLOW_UP_EXTRA_PASSAGES if query.inherited else EXTRA_PASSAGES
    deep = 0 if query.inherited else DEEP_PASSAGES
    ranked = [p for p, _ in ctx.retriever.top_passages(query, vector, ctx.k + extra + deep)]
    top = ranked[:ctx.k + extra]
    # Each part of a question of several parts is also searched on its own, after the whole question's
    # passages, so a part the whole question's search ranks low still has its passages read.
    part_vectors = [ctx.embedder.embed_one(part) for part in query.parts]
    have = {(p.document_id, p.start) for p in top}
    for part, part_vector in zip(query.parts, part_vectors):
        for p, _ in ctx.retriever.top_passages(replace(query, retrieval_text=part, inherited=False), part_vector, ctx.k):
            if (p.document_id, p.start) not in have:
                have.add((p.document_id, p.start))
                top.append(p)
    found_ = Candidates(top)
    if not top:
        return found_
    # Passages ranked below those read in full: their sentences join only when close to the question in meaning (a
    # sentence that says just what is asked may sit in a passage whose other sentences are about something else).
    deeper = [p for p in ranked[ctx.k + extra:] if (p.document_id, p.start) not in have]
    qv = np.asarray(vector, dtype=np.float32)
    close = [s for s in corpus.sentences_of_passages(deeper) if float(s.vector @ qv) >= DEEP_MIN_SIMILARITY]
    boosted = [(ev["document"], ev["start"], ev["end"], score) for evidence, score in boost for ev in evidence]
    found = {s.key: s for s in corpus.sentences_of_passages(top)}
    found.update({s.key: s for s in close})
    # Of those passages, the text just after the best passage is read however far its sentences are from the question
    # in meaning: a report often tells what happened a paragraph after the passage that matched the question's words
    # ("On 29 January 2024, the concluding session… begins its work." …, then "The Committee wrapped up its final day
    # without adopting a treaty"). (Read from the whole archive, beyond the passages searched, it brought answers to
    # questions the sources cannot answer.)
    best = top[0]
    found.update({s.key: s for s in corpus.sentences_in_spans([(best.document_id, best.end, best.end + AFTER_BEST_CHARS)])
                  if any(p.document_id == s.sentence.document_id and p.start <= s.sentence.start < p.end for p in deeper)})
    top = top + deeper  # (their rank counts, low, in the rank feature)
    found.update({s.key: s for s in corpus.sentences_in_spans([(d, a, b) for d, a, b, _ in boosted if a is not None])})
    # A byline shares no word with "Who wrote…?": the bylines heading the reports the question names are read
    # whatever their passages' rank.
    heads = corpus.sentences_in_spans([(d, 0, BYLINE_CHARS) for d in sorted(query.sources)]) \
        if query.sources and asks_author(query.clause or query.text) else []
    bylines = {s.key: s for s in heads if is_byline(s.sentence.text)}
    found.update(bylines)
    # A report the question names ("its December 2024 statement"), if it names only that one, is read whole up to
    # NAMED_REPORT_CHARS: what it says may share few words with the question ("It is eroding trust…" for "What harms…?").
    named_whole = query.dated if 0 < len(query.dated) <= NAMED_REPORTS_READ else set()
    found.update({s.key: s for s in corpus.sentences_in_spans([(d, 0, NAMED_REPORT_CHARS) for d in sorted(named_whole)])})
    found_.credits = set(bylines)
    pool = sorted(found.values(), key=lambda s: s.key)
    previous = found_.previous = corpus.neighbours(pool, -1) if query.asks_identity else {}

    def ranks_of(sent) -> list[int]:
        ranks = [r for r, p in enumerate(top) if p.document_id == sent.document_id and p.start <= sent.start < p.end]
        return ranks or ([len(top)] if sent.document_id in named_whole else [])  # (read whole: ranked below all)

    in_paragraph: dict[tuple[str, int], set[str]] = defaultdict(set)
    earlier: dict[tuple, set[str]] = {}  # the actors named before each sentence in its paragraph
    for s in pool:
        earlier[s.key] = set(in_paragraph[s.sentence.document_id, s.sentence.paragraph])
        in_paragraph[s.sentence.document_id, s.sentence.paragraph] |= s.actors
    # ("What is her affiliation?" asks about the earlier turn's person: its own words alone name no one.)
    follow_up = query.inherited and query.text != query.retrieval_text and not query.asks_identity
    asked = asked_test(query.kind, query.asks_date, query.clause or query.text, corpus.gazetteer)
    if asked is None and (inner := embedded_question(query.clause or query.text)):
        asked = asked_test(kind_of(inner), asks_date(inner), inner, corpus.gazetteer)
    # (The overlap leaves out the words that name a report the question gives by date: "statement" in "its December
    # 2024 statement" would favour any sentence saying "statement", in whatever report.)
    designation = set(terms(" ".join(report_nouns(query.clause or query.text))))
    # (Nor does it count the words of an organisation's name the question gives whom it asks about ("Which concerns does the Freedom
    # Online Coalition acknowledge in its statement?"), unless it asks who they are: every sentence naming them would
    # look close, and the one saying what they acknowledge ("The statement recognizes the concerns…") need not name them.)
    if not query.asks_identity:
        designation |= set(terms(" ".join(organisations_named(query.clause or query.text))))
    q_terms = q_terms - designation
    if query.asked != query.text and len(terms(query.asked)) and not follow_up:
        # The framing clause ("In reports published in December 2024, …", "According to UNODC, …") chose
        # the documents, and the actors and publishers named are held to by the filters and the actor
        # feature. Matched against sentences, they would pick datelines and mastheads, and every sentence
        # that repeats a name would look close, whatever it says. What is asked is the rest.
        asked_terms = with_parts(query.asked) - FRAME - designation
        features = Features(asked_terms, ctx.embedder.embed_one(query.asked), asked=asked, named_reports=query.dated,
                            rarity=corpus.rarity(asked_terms))
    else:
        # (A follow-up's words are mostly its earlier turn's, whose rare names would rank that turn's answer
        # first again: each of its words counts the same.)
        features = Features(q_terms, vector, ctx.embedder.embed_one(query.text) if follow_up else None, asked,
                            query.dated, None if follow_up else corpus.rarity(q_terms))
    # A part is read from its own words and (less) the whole question, as a follow-up is: "why was
    # another session needed?" leans on the part before it for which session.
    # (Each part ranks up what it asks for itself: "…, and when was the next round due?" a sentence giving a time.)
    part_features = [Features(t, vector, v, named_reports=query.dated, rarity=corpus.rarity(t),
                              asked=part_test(kind_of(part), asks_date(part), part, corpus.gazetteer))
                     for part, t, v in ((part, with_parts(part) - FRAME, v) for part, v in zip(query.parts, part_vectors))]
    # A follow-up's actors taken from the earlier turn ("And what did the Secretary brief them on?" after a
    # question on the Chair) say where it was asked, not who answers it: the sentence that speaks for them
    # was the earlier turn's answer, so it ranks no higher for that (the follow-up ranks by its own words).
    speaking_for = set() if query.actors_inherited else set(query.actors) | set(query.targets)
    # Only sentences by or about the actors asked about may answer, but for the forums it names: "its final General
    # Assembly vote" names where it happened, and a report of the vote need not name the Assembly; "the UK's reason for
    # wanting the Ad Hoc Committee's meeting put off" is the UK's, whether or not its sentence names the Committee.
    # (Nor does a role no source names, "Which country held the chair…?" of reports that say "chaired by Algeria".)
    speakers_asked = {a for a in query.actors if (not corpus.gazetteer.is_role(a) or a in corpus.mentioned_actors)
                      and not corpus.gazetteer.is_forum(a)}
    # A community asked about speaks through the organisations within it: "What did rights groups say…?" is answered
    # by a report of Human Rights Watch's, which need not say "rights groups".
    speakers_asked = corpus.gazetteer.with_members(speakers_asked)
    # A report saved without a publisher does not say who speaks in it: if it names a delegation asked about anywhere,
    # any of its sentences may be that delegation's ("First, it reaffirms a collective commitment…" in a report of
    # Vietnam's president's speech). A report whose publisher is known is held to the paragraphs that name them.
    unattributed = ({p.document_id for p in top} & corpus.documents_without_publisher()
                    & corpus.catalog.documents_mentioning("actor", speakers_asked)) if speakers_asked else set()
    # Nor does naming a forum make a sentence more the answer: "the reconvened session of the Ad Hoc Committee" asks
    # about the session, and "this group will hold its reconvened session…" answers it as well as a sentence naming
    # the Committee. (Measured on the blind probes: np5 fact 0.635 -> 0.698, the multi-document probe 0.662 -> 0.676;
    # np4 lost an unanswerable question of two parts to the person check, which such questions skip.)
    speaking_for = corpus.gazetteer.with_members(a for a in speaking_for if not corpus.gazetteer.is_forum(a))
    # Sentences must be about an article the question names, unless it has a part that names none: "What did ARTICLE
    # 19 want the scope of procedural powers limited to, and what did its joint paper recommend for Article 17?" is
    # answered in its first part by a sentence on Articles 6 through 16.
    part_without_article = any(not find_provisions(part) for part in query.parts)
    # "It will enter into force 90 days after…" says what "it" is only with the sentence before it: a sentence
    # that opens with a pronoun is read in meaning with that sentence (settings.PRONOUN_CONTEXT).
    led_by = corpus.neighbours([s for s in pool if CONTINUES.match(s.sentence.text)], -1)
    # A quote carried on into a paragraph of its own ("“This treaty is a demonstration of multilateralism…,” his
    # spokesperson said.") is said for whom the paragraph before names: its speaker is a pronoun.
    carried = {key: before.actors for key, before in corpus.neighbours(
        [s for s in pool if not s.actors and not in_paragraph[s.sentence.document_id, s.sentence.paragraph]
         and SPOKEN_BY_PRONOUN.search(s.sentence.text)], -1).items()}
    # A person a report names as an asked delegation's or organisation's ("“…,” said Katitza Rodriguez, policy director
    # for global privacy at the EFF") speaks for it where the report goes on to give only their surname ("Rodriguez
    # pointed out that the convention…"), in any paragraph.
    if speakers_asked:
        spokespeople = people_speaking_for(corpus, {s.sentence.document_id for s in pool}, speakers_asked)
        for s in pool:
            if not s.actors and (theirs := spokespeople.get(s.sentence.document_id)):
                words = set(WORD.findall(s.sentence.text))
                for surname, actors in theirs.items():
                    if surname in words:
                        carried[s.key] = carried.get(s.key, set()) | actors
    for s in pool:
        if s.key in led_by and led_by[s.key].sentence.paragraph == s.sentence.paragraph:
            s = replace(s, vector=read_with(s, led_by[s.key]))
        sent = s.sentence
        byline = query.asks_identity and s.byline
        # A byline belongs with the quote just above it: it is found wherever that quote is.
        near = previous[s.key].sentence if byline and s.key in previous else sent
        ranks = ranks_of(sent) + (ranks_of(near) if byline else [])
        evidence = any(d == sent.document_id and a is not None and (
            a < sent.end and sent.start < b or a < near.end and near.start < b) for d, a, b, _ in boosted)
        if not ranks and not evidence and s.key not in bylines:
            continue
        # A report by a delegation or organisation speaks for it even where no sentence names it.
        speakers = s.actors | corpus.source_actors(sent.document_id)
        # "The proposal included…" two sentences after "The Chair presented a proposal" is the Chair's:
        # a sentence speaks for whoever its paragraph names (a direct mention still scores higher).
        if speakers_asked and sent.document_id not in unattributed \
                and not (speakers | in_paragraph[sent.document_id, sent.paragraph] | carried.get(s.key, set())) & speakers_asked \
                and not query.inherited:
            continue
        if query.provisions and not s.articles & set(query.articles) and not byline and not part_without_article:
            continue  # (an article known only by a topic name, "technical assistance", is a hint: see entity)
        # A heading, caption or dateline ("Treaty", "24 December 2024", "Dark Reading — October 30, 2025"): a month's or
        # a weekday's name is no word of a sentence.
        if len([w for w in WORD.findall(sent.text) if not CALENDAR.fullmatch(w)]) < MIN_WORDS:
            continue
        if s.instruction:  # quoting it would repeat it: the sources are quoted, never obeyed
            found_.skipped_instructions += 1
            continue
        # "The proposal included…" just after "The Chair presented a new proposal" is most likely the
        # Chair's, though not said to be: the actor feature counts it half (features.py). A sentence that
        # names actors of its own ("Other delegations such as Iran…") speaks for them.
        # (So is "It lists child sexual abuse…" two sentences after "The EU's notice…": a paragraph goes on about whom
        # it has named. An actor named only after it, "The first group of states, including the USA…", is not its.)
        named_before = earlier[s.key] | carried.get(s.key, set()) if not s.actors else set()
        f = features.of(s, speakers, speaking_for, set(query.articles), ranks, evidence, named_before)
        if byline:
            found_.bylines.add(s.key)
        parts = [(score(pf), pf["similarity"], pf["overlap"]) for pf in (
            p.of(s, speakers, speaking_for, set(query.articles), ranks, evidence, named_before) for p in part_features)]
        found_.ranked.append(Candidate(score(f), f, s, parts))
    found_.ranked.sort(key=lambda c: -c.score)
    # A sentence repeated word for word (one press office's boilerplate in each of its releases) is
    # read once: its copies would take the places of other answers.
    seen: set[str] = set()
    found_.ranked = [c for c in found_.ranked if not (
        (text := " ".join(c.s.sentence.text.split()).casefold()) in seen or seen.add(text))]
    return found_


def people_speaking_for(corpus, documents: set[str], actors: set[str]) -> dict[str, dict[str, set[str]]]:
    """For each document, the surnames of the persons it names in a sentence naming one of the actors, each with those
    actors ("said Katitza Rodriguez, policy director for global privacy at the EFF" -> {"Rodriguez": {"eff"}})."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # (Only the documents that name one of them are read: the others introduce no one as theirs. A span to the end of
    # each reads its sentences without loading its text.)
    documents = documents & corpus.catalog.documents_mentioning("actor", actors)
    for s in corpus.sentences_in_spans([(d, 0, sys.maxsize) for d in sorted(documents)]):
        for name in people_in(s.sentence.text) if s.actors & actors else ():
            found[s.sentence.document_id][name.split()[-1]] |= s.actors & actors
    return found


def a_part_is_near(ranked: list[Candidate]) -> bool:
    """Whether a part of a question of several parts, read on its own, is near a sentence, as a whole question must be
    to be on the sources' topic ("In the first submissions, on what did states broadly agree, and where was the
    sharpest split?": its first part is near "All of the submissions emphasise the need for cooperation…")."""
    return any(relevant(sim, ov) for c in ranked for _, sim, ov in c.parts)


def relevant(similarity: float, overlap: float) -> bool:
    """Near enough in meaning, helped by shared wording, to be on the question's topic (settings.MIN_RELEVANCE)."""
    return similarity >= MIN_SIMILARITY and similarity + 0.5 * overlap >= MIN_RELEVANCE


def paragraph_of(corpus, s):
    """The paragraph a sentence stands in, and its text."""
    doc = corpus.documents[s.sentence.document_id]
    at = doc.paragraph_at(s.sentence.start)
    return at, doc.text[at.start:at.end]


def from_sentences(ctx, query: Query, vector, q_terms: set[str], boost: list, floor: bool = True,
                   steps: Steps = NO_STEPS, by_period: bool = False) -> Answer:
    """The best sentences of the retrieved passages, with what `steps` (the question's kind) adds.
    `floor=False` takes the best sentences however weakly they match: for a question already found
    on topic, asked again within a few documents (one period of a what-changed question).
    `by_period`: the periods the question names choose the reports (what-changed), so the years it names
    are theirs to hold, not each sentence's ("between the June 2021 draft and the final text")."""
    corpus = ctx.corpus
    found = candidates_for(ctx, query, vector, q_terms, boost)
    if not found.top:
        return ctx.abstain(query, "The sources don't say: nothing in them matches this question.")
    skipped_instructions = found.skipped_instructions
    candidates = [(c.score, c.similarity, c.overlap, c.s) for c in found.ranked]
    if not candidates:
        missing = " and ".join(filter(None, [
            ", ".join(corpus.gazetteer.name(a) for a in query.actors),
            ", ".join(f"Article {a}" for a in query.articles),
        ]))
        answer = ctx.abstain(query, f"The sources don't say: no passage links {missing or 'these terms'} to this question.")
        if skipped_instructions:
            answer.notes.append(INSTRUCTIONS_LEFT_OUT)
        return answer
    best_score = candidates[0][0]
    # (The closest of the sentences the answer may take, not only the best-ranked one: a feature such as
    # a date for "when" may rank a less close sentence first.)
    best_similarity, best_overlap = max(((c[1], c[2]) for c in candidates if c[0] >= best_score - CHOICE_MARGIN),
                                        key=lambda x: x[0] + 0.5 * x[1])
    if query.asked != query.text:
        # Whether the question is on the sources' topic is read from all of it, framing clause and names included
        # (which documents it names is part of what it is about); only the ranking reads what is asked.
        qv = np.asarray(vector, dtype=np.float32)
        full = [(float(c[3].vector @ qv), len(q_terms & c[3].terms) / (len(q_terms) or 1)) for c in candidates]
        best_similarity, best_overlap = max([(best_similarity, best_overlap)] + full, key=lambda x: x[0] + 0.5 * x[1])
    # Relevance is closeness in meaning, helped by shared wording: a paraphrase shares few words
    # with its source but is still near it in meaning; an off-topic question is near nothing. A
    # question that names a delegation or an article is on a topic the sources hold; one that names
    # a publisher ("in BOOM's summary") need only be near something that publisher wrote.
    # ("Who is Mallory Knodel?" names someone the sources name too, though no sentence is close to five words.)
    named = bool(query.actors or query.articles or query.targets) or query.asks_identity and any(
        len(t := set(terms(n))) > 1 and corpus.held_together(t) for n in name_phrases(query.clause or query.text, corpus.gazetteer))
    near = (best_similarity >= MIN_SIMILARITY if query.sources else relevant(best_similarity, best_overlap)) \
        or a_part_is_near(found.ranked)
    if floor and not named and not near:
        return ctx.abstain(query, "The sources don't say: the closest passages are about something else.")
    years = set() if by_period else set(YEAR.findall(query.clause or query.text))
    # A follow-up that names no year is of the earlier turn's ("And what did the President say?" after a question on
    # the adoption in December 2024): sentences of other years only give way, as for a year named; nothing is declined
    # for it ("And back when the talks opened?" may leave that year).
    years_leaned_on = not years and query.inherited and not by_period
    if years_leaned_on:
        years = set(YEAR.findall(query.earlier))
    if years and floor:
        # "Who will chair the 2026 session?" answered from reports of 2024 is a near miss: a year the
        # question names must be the answer's, in its sentence, its paragraph, or its report's date or title.
        # (Years between those named are asked too: "between 2022 and 2024".)
        years = {str(y) for y in range(min(map(int, years)), max(map(int, years)) + 1)}
        catalog = corpus.titles_and_dates()
        anchored: dict[tuple, bool | None] = {}
        years_named: dict[str, set[str]] = {}  # document id -> the years its text names (read once each)

        def of_the_year(s) -> bool | None:
            """True when the sentence is of a year asked; None when that cannot be told: its report carries no
            date (a scraped page often has no dateline), neither it nor its paragraph names a year asked, and the
            report names no year or one asked (a report naming only other years is about other years)."""
            if s.key not in anchored:
                title, date = catalog.get(s.sentence.document_id, ("", ""))
                doc = corpus.documents[s.sentence.document_id]
                at, paragraph = paragraph_of(corpus, s)
                if not date and doc.id not in years_named:
                    years_named[doc.id] = set(YEAR.findall(doc.text))
                if any(y in s.sentence.text or y in paragraph or y in (title or "") or date.startswith(y) for y in years):
                    anchored[s.key] = True
                elif not date:
                    # An undated report was written no earlier than the last year it names, and may be later: a
                    # news story of August 2024 names 2017 and 2019 when it looks back, never "2024" ("on Thursday").
                    # A title or heading that names another year ("Closing of the 2024 session") dates what it heads.
                    named_years = years_named[doc.id]
                    after = max(years) > max(named_years, default="0") and not YEAR.search(f"{title} {at.section}")
                    anchored[s.key] = None if not named_years or named_years & years or after else False
                else:
                    # A report dated in the year after those asked, whose paragraph names no other year, may look back
                    # on them ("In late December the Assembly adopted…" of 10 January 2025): unchecked. Two years on, a
                    # report that names no year is about its own time.
                    looks_back = date[:4] == str(int(max(years)) + 1) and not set(YEAR.findall(paragraph)) - years
                    anchored[s.key] = None if looks_back else False
            return anchored[s.key]

        # A sentence dated to other years only ("Fourth session, Vienna, 9-20 January 2023" for "the session
        # of January 2026"), in a paragraph and report that are not of the year asked, is about another time.
        kept = [c for c in candidates if of_the_year(c[3]) or not of_another_year(c[3].sentence.text, years)]
        if kept:
            candidates, best_score = kept, kept[0][0]
    asked_sessions = ordinal_sessions(query.clause or query.text, topic=True)
    # (A question of several parts may ask each about another session, one by ordinal and one by name: "…at the third
    # session, and what did the concluding one decide?")
    if asked_sessions and floor and not query.parts:
        # "What did delegates agree at the third session?" answered by "This is the seventh and concluding session…" is a
        # near miss: a sentence that names other sessions by their ordinal (or, naming none, whose paragraph
        # does) is about them. One that names none is not held to it: "the Vienna round" may be the one asked. (Nor
        # is one whose report's title alone names another: on the probes that caught no more near misses.)
        def of_another_session(s) -> bool:
            for text in (s.sentence.text, paragraph_of(corpus, s)[1]):
                if named := ordinal_sessions(text):
                    return not named & asked_sessions
            return False

        kept = [c for c in candidates if not of_another_session(c[3])]
        if not kept:
            asked = " or ".join(sorted(asked_sessions))
            return ctx.abstain(query, f"The sources don't say: what they hold on this is about other sessions than the {asked}.")
        candidates, best_score = kept, kept[0][0]
        # The sentences that name the session asked ("Second session, Vienna, 30 May-10 June 2022" for "its second
        # round") lead the answer, if near the best: the others may be of any session.
        candidates = sorted(candidates, key=lambda c: not (
            c[0] >= best_score - NUMBER_MARGIN and ordinal_sessions(c[3].sentence.text) & asked_sessions))
    limit = MAX_SENTENCES[query.kind]
    chosen = [c[3] for c in candidates if c[0] >= best_score - CHOICE_MARGIN][:limit]
    selection = Selection(ctx, query, found, candidates, chosen, best_score, limit, q_terms)
    for step in steps.first:
        if (answer := step(selection)) is not None:
            return answer
    chosen = selection.chosen
    # Each part is answered by a sentence of its own: the parts that fit their best sentence most closely choose
    # first, and a part whose best sentence another part has taken takes its next. ("On what day did the president
    # open the ceremony, and on what date did the mission hold a reception?": the sentence on the reception is the
    # best for both parts, and answers only the second.) A part asking for a date or a figure takes the best sentence
    # holding one, within NUMBER_MARGIN of its best.
    taken: set[str] = set()
    for i in sorted(range(len(query.parts)), key=lambda i: -max((c.parts[i][0] for c in found.ranked), default=0.0)):
        part = query.parts[i]
        holds = part_test(kind_of(part), asks_date(part), part, corpus.gazetteer)
        # (A part naming an article is answered by a sentence about it: "…, and which states opposed Article 33?")
        articles = set(corpus.gazetteer.find_articles(part))
        own = sorted((c for c in found.ranked if c.s.key not in taken and (not articles or c.s.articles & articles)),
                     key=lambda c: -c.parts[i][0])
        if not own:
            continue
        best_of_part = own[0]
        if holds is not None and not holds(best_of_part.s):
            best_of_part = next((c for c in own if c.parts[i][0] >= own[0].parts[i][0] - NUMBER_MARGIN and holds(c.s)),
                                best_of_part)
        taken.add(best_of_part.s.key)
        near = best_of_part.parts[i][1] >= MIN_SIMILARITY or holds is not None and holds(best_of_part.s) and \
            best_of_part.s.sentence.document_id in {c.sentence.document_id for c in chosen}
        if near and best_of_part.s.key not in {c.key for c in chosen}:
            chosen.append(best_of_part.s)
    if years and floor and not years_leaned_on:
        if not any(of_the_year(s) for s in chosen):
            held = next((c for c in candidates if of_the_year(c[3]) and c[0] >= best_score - NUMBER_MARGIN), None)
            if held is not None:
                chosen = [held[3]] + chosen[: limit - 1]
            elif any(of_the_year(s) is None for s in chosen):
                # Undated reports (or later ones) may be of the year asked: they answer, and the answer says it is unchecked.
                selection.notes.append(f"Whether the reports quoted speak of {' or '.join(sorted(years))} could not "
                                       "be checked: they name no year asked, and carry no date or a later one.")
            else:
                return ctx.abstain(query, f"The sources don't say: nothing they hold on this is from {' or '.join(sorted(years))}.")
    # "What was the theme of the ceremony?": the sentences that name the asked thing ("with the theme …")
    # lead the answer, and a near one joins an answer none of whose sentences does; the question's other
    # words only say what about.
    # (A thing named with its modifiers, "the full official title", is named by its head noun too: "a treaty titled …".)
    thing_words = terms(asked_thing(query.clause or query.text) or "")
    for thing in dict.fromkeys(map(frozenset, (thing_words, thing_words[-1:]))):
        if not thing:
            continue
        naming = [s for s in chosen if thing <= s.terms]
        if naming:
            chosen = naming + [s for s in chosen if s not in naming]
            break
        if near := next((c[3] for c in candidates if thing <= c[3].terms and c[0] >= best_score - NUMBER_MARGIN), None):
            chosen = [near] + chosen[: limit - 1]
            break
    wanted = expected_type(query.text)

    targets = set(query.targets)

    names: dict[tuple, set[str]] = {}

    def named_in(s) -> set[str]:
        # "Which country…?" needs a sentence that names one: an actor carried over from the sentence
        # before ("It will enter into force…" after one naming Vietnam) names none for the reader.
        if s.key not in names:
            names[s.key] = {a for a, _, _ in corpus.gazetteer.find_actors(s.sentence.text)}
        return names[s.key]

    def kinds(s) -> set[str]:
        # Nor does the one whose proposal or view is answered: "Which delegation backed Ghana's
        # proposal?" ("… took the opposite view?") needs a delegation other than Ghana.
        return ctx.actor_kinds(named_in(s) - targets)

    if wanted and (wanted.kind == "state" or wanted.kind == "place" and not query.parts) and not any(
            wanted.held_by(s.sentence.text, kinds(s)) for s in chosen):
        # The margin runs from the best sentence that is not about the target alone (the earlier
        # answer a "…the opposite view?" follow-up asks past).
        anchor = max((c[0] for c in candidates if not (targets and named_in(c[3]) and named_in(c[3]) <= targets)),
                     default=best_score)
        holding = [c for c in candidates if wanted.held_by(c[3].sentence.text, kinds(c[3]))
                   and c[0] >= anchor - NUMBER_MARGIN]
        if not holding:
            if wanted.kind == "place":
                return ctx.abstain(query, "The sources don't say where: no passage on this names a place.")
            return ctx.abstain(query, "The sources don't name one: no passage on this names a country or group.")
        chosen = [holding[0][3]] + chosen[: limit - 1]

    stage = stage_asked(query.clause or query.text) if wanted and wanted.kind == "state" and not query.parts else None
    if stage:
        # "Which country was the first to ratify it?" answered by "Vietnam will host the signing" names a country
        # for another act of the treaty: where the sentences naming one say which act, one must be of the act asked,
        # and it leads.
        def staged(s) -> set[str] | None:
            return stages_in(s.sentence.text) if wanted.held_by(s.sentence.text, kinds(s)) else None

        acts = [a for s in chosen if (a := staged(s)) is not None]
        if of_the_act := [s for s in chosen if stage in (staged(s) or ())]:
            chosen = of_the_act + [s for s in chosen if s not in of_the_act]
        elif any(acts):
            held = next((c[3] for c in candidates if stage in (staged(c[3]) or ()) and c[0] >= best_score - NUMBER_MARGIN), None)
            if held is None:
                return ctx.abstain(query, f"The sources don't name one for the treaty's {stage}: the countries they name "
                                          f"are named for its {' or '.join(sorted(set().union(*acts) - {stage}))}.")
            chosen = [held] + chosen[: limit - 1]
        elif stage in SPECIFIC_ACTS and not any(stage in stages_in(c[3].sentence.text) for c in candidates
                                                if c[0] >= best_score - NUMBER_MARGIN):
            # Nor is a country named where nothing near speaks of the act at all ("The first group of states…" for
            # "Which country was the first to ratify it?"). (Not so adoption: "adopt" is said of amendments, agendas
            # and resolutions too, and a sentence on another adoption may name the country asked.)
            return ctx.abstain(query, f"The sources don't say: nothing they hold on this speaks of the treaty's {stage}.")

    if ASKS_DAY.search(query.clause or query.text) and not any(DAY.search(s.sentence.text) for s in chosen):
        # "…, and on which day?" asks for a day: a near sentence that gives one leads ("On 24 December 2024, …").
        if day := next((c[3] for c in candidates if DAY.search(c[3].sentence.text) and c[0] >= best_score - NUMBER_MARGIN),
                       None):
            chosen = [day] + chosen[: limit - 1]

    selection.chosen = chosen
    for step in steps.then:
        if (answer := step(selection)) is not None:
            return answer
    chosen = selection.chosen
    # A question the source asks itself is answered by the sentence after it; a reason (why.py) or a
    # second thing asked ("…, and what did they warn?") often follows in a sentence that starts
    # "They stressed…".
    wants_more = selection.wants_more or bool(SECOND_PART.search(query.text))
    following, preceding = corpus.neighbours(chosen, +1), corpus.neighbours(chosen, -1)
    keys = {s.key for s in chosen}
    qv = np.asarray(vector, dtype=np.float32)
    # (Not a figure's or a date's: the sentence after it may give another event's, which would pass for the one asked.)
    lead = chosen[0].key if chosen and query.kind != "number" else None
    # (A question that ends its paragraph, an interviewer's, is answered by the paragraph after it.)
    # (So is a sentence opening with a pronoun in the next paragraph: a page whose every sentence is a paragraph of its
    # own, "<p>It will also provide a roadmap…</p>", goes on about the sentence before it. Such a sentence joins any chosen
    # one it is near the question with, not only the lead ("The new convention is a basis for…" may rank second), in
    # the answer to any kind of question: "They are a conference of the states parties and…" answers "Which bodies…?".)
    chosen += [f for s in chosen if adjacent(s, f := following.get(s.key), keys, across=s.sentence.text.rstrip().endswith("?")
                                             or f is not None and bool(CONTINUES.match(f.sentence.text))) and (
                   s.sentence.text.rstrip().endswith("?") or (wants_more and CONTINUES.match(f.sentence.text))
                   or (s.key == lead or CONTINUES.match(f.sentence.text))
                   and float((read_with(f, s) if CONTINUES.match(f.sentence.text) else f.vector) @ qv) >= MIN_SIMILARITY
                   or CONTRAST_OPENS.match(s.sentence.text) and CONTRAST_CLOSES.match(f.sentence.text))]
    chosen += [b for s in chosen if adjacent(s, b := preceding.get(s.key), keys)
               and CONTRAST_CLOSES.match(s.sentence.text) and CONTRAST_OPENS.match(b.sentence.text)]
    # A chosen sentence that opens by pointing back ("These offences are already criminalised at EU level…") says what
    # it points to only with the sentence before it ("…to criminalise acts related to online child sexual abuse
    # material, grooming…"), which joins it if near the question at all, from the paragraph before too, as above.
    keys = {s.key for s in chosen}
    chosen += [b for s in chosen if CONTINUES.match(s.sentence.text) and adjacent(s, b := preceding.get(s.key), keys,
                                                                                 across=True)
               and float(b.vector @ qv) >= MIN_SIMILARITY]
    if query.kind in EXPLAINED:
        chosen += quote_carried_on(corpus, chosen, following, {s.key for s in chosen})
        chosen += quote_completed(corpus, chosen)
    chosen += enumerated_after(corpus, chosen)
    # Each report's sentences in their own order, the reports in the order of their best sentence: the
    # answer opens with the report that answers best, not with the one whose id sorts first.
    first: dict[str, int] = {}
    for i, s in enumerate(chosen):
        first.setdefault(s.sentence.document_id, i)
    chosen = sorted({s.key: s for s in chosen}.values(), key=lambda s: (first[s.sentence.document_id], s.key))
    citations: list[Citation] = []
    parts = []
    for s in chosen:
        number = ctx.cite(citations, s.sentence.document_id, s.sentence.start, s.sentence.end)
        parts.append(with_markers(s.sentence.text, [number]))  # the speaker travels in the citation
    notes = selection.notes + ([INSTRUCTIONS_LEFT_OUT] if skipped_instructions else [])
    return Answer(query.text, " ".join(parts), False, citations, notes=notes)


def read_with(s, before) -> np.ndarray:
    """The vector of a sentence that opens by pointing back ("It will enter into force…"), read with the sentence
    before it (settings.PRONOUN_CONTEXT), as ranking and joining both read it."""
    v = s.vector + PRONOUN_CONTEXT * before.vector
    return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)


def quote_carried_on(corpus, chosen: list, following: dict, keys: set) -> list:
    """The quotation that goes on, in the paragraph after a chosen sentence that ends its own, with what its speaker
    said ("Deborah Brown … said one of the core issues is…" / "“When the General Assembly first decided…. Four years
    later, we still don't have clarity…,” she said."): its speaker is a pronoun, so it says nothing without the
    sentence naming them, and the sentence naming them says only the start of it. `following`: the sentence after each
    chosen one (corpus.neighbours), so that the rest of a quotation is read only where one opens."""
    # (Those that joined the answer after `following` was read have theirs read now, in one batch.)
    following = {**following, **corpus.neighbours([s for s in chosen if s.key not in following], +1)}
    found = []
    for s in chosen:
        nxt = following.get(s.key)
        if nxt is None or nxt.sentence.paragraph == s.sentence.paragraph or not nxt.sentence.text.lstrip().startswith(("“", '"')):
            continue
        run = [nxt] + corpus.run_from(nxt, +1, MAX_QUOTE_SENTENCES)
        quote = [x for x in run if x.sentence.paragraph == run[0].sentence.paragraph]
        # (Or it says no one's, closing where it ends, after a chosen sentence whose speaker a pronoun gives: "“This was
        # the first time…,” she told Infosecurity." / "“We at Microsoft get vetoed all the time…. At least, this
        # time, we have a voice…”")
        bare = quote[-1].sentence.text.rstrip().endswith(("”", '"')) and SPOKEN_BY_PRONOUN.search(s.sentence.text)
        if len(quote) <= MAX_QUOTE_SENTENCES and (SPOKEN_BY_PRONOUN.search(quote[-1].sentence.text) or bare) \
                and not any(x.instruction for x in quote):
            found += [x for x in quote if x.key not in keys]
            keys |= {x.key for x in quote}
    return found


def quote_completed(corpus, chosen: list) -> list:
    """The rest of a quotation a chosen sentence opens and does not close, in its paragraph: one speaker's words are one
    statement ("“We've urged governments not to sign the UN Cybercrime Convention." / "While framed as a cybercrime
    instrument, it… applies far beyond cybercrime.”"). Up to MAX_QUOTE_SENTENCES, and only where the quotation closes."""
    keys = {s.key for s in chosen}
    found = []
    for s in chosen:
        text = s.sentence.text
        if text.count("“") <= text.count("”"):
            continue
        run = [x for x in corpus.run_from(s, +1, MAX_QUOTE_SENTENCES) if x.sentence.paragraph == s.sentence.paragraph]
        end = next((i for i, x in enumerate(run) if "”" in x.sentence.text), None)
        if end is not None and not any(x.instruction for x in run[:end + 1]):
            found += [x for x in run[:end + 1] if x.key not in keys]
            keys |= {x.key for x in run[:end + 1]}
    return found


def enumerated_after(corpus, chosen: list) -> list:
    """The items of the lists the chosen sentences announce: each one that ends in a colon, or whose next sentence
    is a first item, with the items that follow it in order, up to MAX_LIST_ITEMS."""
    keys = {s.key for s in chosen}
    items = []
    following = corpus.neighbours(chosen, +1)
    for s in chosen:
        nxt = following.get(s.key)
        if nxt is None or nxt.instruction or not (
                s.sentence.text.rstrip().endswith(":") or FIRST_ITEM.match(nxt.sentence.text)
                or COUNTS.search(s.sentence.text) and FIRST_OF_COUNT.match(nxt.sentence.text)
                or holds_first_item(s.sentence.text) and ITEM.match(nxt.sentence.text)):
            continue
        opens = FIRST_OF_COUNT.match(nxt.sentence.text)
        if s.sentence.text.rstrip().endswith(":") and not (opens or ITEM.match(nxt.sentence.text)):
            # ("The US Department of State released the following statement:" announces no list: what it announces is
            # the sentence after it, without which it says nothing.)
            if nxt.key not in keys:
                items.append(nxt)
                keys.add(nxt.key)
            continue
        # (an item chosen already is passed over, not the list's end: the ones after it are still the list's)
        while nxt is not None and (ITEM.match(nxt.sentence.text) or opens) and not nxt.instruction \
                and len(items) < MAX_LIST_ITEMS:
            if nxt.key not in keys:
                items.append(nxt)
                keys.add(nxt.key)
            opens = None
            nxt = corpus.neighbours([nxt], +1).get(nxt.key)
    return items


def holds_first_item(text: str) -> bool:
    """Whether a sentence runs on past its announcement into the list's first item ("…the spirit of "5 Strengthens":
    First, promote…", where the splitter found no break between them)."""
    return any(FIRST_ITEM.match(rest.lstrip()) for rest in re.split(r":\s*|\n", text)[1:])


def adjacent(s, other, keys: set, across: bool = False) -> bool:
    """Whether `other`, the sentence before or after s, may join s in the answer: it is in s's paragraph (or, if
    `across`, the next one), not chosen already (its key is not in `keys`), and no instruction."""
    return other is not None and other.key not in keys and not other.instruction and (
        other.sentence.paragraph == s.sentence.paragraph or across and other.sentence.document_id == s.sentence.document_id)


# A sentence that is a quotation and nothing else: no words of the reporter's say whose it is.
_BARE_QUOTE = re.compile(r"[“\"][^“”\"]+[”\"]\W*")


def someone_named(sel: Selection) -> Answer | None:
    """"Who …?" (but "Who is …?", answered by a byline) asks for someone other than those the question
    gives: a sentence near the topic that names no one ("The Chair opened the session") answers "Who
    will chair the next one?" no more than silence does."""
    query = sel.query
    clause = query.clause or query.text
    # ("Which diplomat chaired…?" asks for a person as "Who chaired…?" does, in a question of several parts too)
    if not (WHO.match(clause) or asks_person(clause)) or query.asks_identity:
        return None
    corpus = sel.ctx.corpus
    named = someone_test(query.text, corpus.gazetteer)
    # "Who headed Russia's delegation?" asks for one of the named delegation's people: a sentence naming
    # another delegation's head (in a report on the same talks) does not answer it.
    delegations = role_owners(clause, corpus.gazetteer) if asks_person(clause) and not query.actors_inherited else set()

    def names_someone(s) -> bool:
        return named(s.sentence.text) and (
            not delegations or bool((s.actors | corpus.source_actors(s.sentence.document_id)) & delegations))

    # "Who called the treaty a success of multilateralism?" answered by the quote that does: the line under it says
    # whose it is ("António Guterres, UN Secretary-General"), and joins the answer.
    lead = sel.chosen[0] if sel.chosen else None
    if lead is not None and (under := corpus.neighbours([lead], 1).get(lead.key)) is not None \
            and under.byline and under.sentence.document_id == lead.sentence.document_id and named(under.sentence.text):
        sel.chosen = [lead, under] + [s for s in sel.chosen[1:] if s.key != under.key][: sel.limit - 2]
        return None
    # "Who was quoted for Human Rights Watch?" answered by a bare quotation ("“If states cannot agree…”"): whose words
    # they are is said in the sentence before it in the same paragraph ("“…,” said Deborah Brown, …"), which joins the
    # answer before it.
    quoted = [s for s in sel.chosen if _BARE_QUOTE.fullmatch(s.sentence.text.strip()) and not named(s.sentence.text)]
    above = corpus.neighbours(quoted, -1) if quoted else {}
    keys = [c.key for c in sel.chosen]
    for s in quoted:
        prev = above.get(s.key)
        if adjacent(s, prev, set(keys)) and names_someone(prev):
            at = keys.index(s.key)
            sel.chosen = (sel.chosen[:at] + [prev] + sel.chosen[at:])[: max(sel.limit, at + 2)]
            return None
    if any(names_someone(s) for s in sel.chosen):
        return None
    # (In a question of several parts, the part that asks for someone ranks the sentences that may name them: "Which
    # firms belong to the coalition…, and who led its delegation?" is answered by a sentence near its second part.)
    asking = next((i for i, part in enumerate(query.parts) if WHO.match(part) or asks_person(part)), None)
    in_reach = {c[3].key for c in sel.candidates}
    ranked = sorted(((c.score if asking is None else c.parts[asking][0], c.s,
                      c.features["similarity"] if asking is None else c.parts[asking][1]) for c in sel.found.ranked
                     if c.s.key in in_reach), key=lambda x: -x[0])
    # (A report's byline answers "Who wrote it?" however far its words are from the question's. Any other sentence
    # brought in for naming someone must be near the question in meaning: one that ranks only for naming the
    # delegation asked about, "U.S. Deputy Ambassador Chalet said before the vote…" for "Who led the US delegation at
    # the sixth round?", names someone else. (Held to the chosen sentences too, this declined "Who spoke for the tech
    # coalition?" answered by "Nick Ashton-Hart, representing over 100 tech companies, suggests…": read without the
    # names the question gives, a sentence naming the asked person may say little else it asks.))
    naming = [s for r, s, near in ranked if names_someone(s) and (
        r >= ranked[0][0] - NUMBER_MARGIN and near >= MIN_SIMILARITY or s.key in sel.found.credits)]
    if not naming:
        return sel.ctx.abstain(query, "The sources don't name anyone: no passage on this names a person, "
                                      "a delegation or a body.")
    sel.chosen = [naming[0]] + sel.chosen[: sel.limit - 1]
    return None


def each_actor_heard(sel: Selection) -> Answer | None:
    """"Contrast Kenya's and Russia's assessments": each delegation or body the question names speaks in
    the answer, by its best sentence near the question, though another's sentences rank above it."""
    query = sel.query
    actors = list(dict.fromkeys(query.actors))
    if len(actors) < 2 or query.actors_inherited:
        return None
    corpus = sel.ctx.corpus

    def speakers(s) -> set[str]:
        return corpus.gazetteer.with_communities(s.actors | corpus.source_actors(s.sentence.document_id))

    heard = set().union(*(speakers(s) for s in sel.chosen)) if sel.chosen else set()
    for actor in actors:
        if actor in heard:
            continue
        best = next((c for c in sel.candidates if actor in speakers(c[3]) and c[1] >= MIN_SIMILARITY), None)
        if best is not None and best[3].key not in {s.key for s in sel.chosen}:
            sel.chosen = sel.chosen[: max(1, sel.limit - 1)] + [best[3]]
            heard |= speakers(best[3])
    return None


def differing(ctx, query: Query, sides: list, notes: list[str] | None = None) -> Answer:
    """Each report's figure, cited, after a line saying they differ (with what the selection noted: a year
    asked that the reports quoted could not be checked against stays said)."""
    citations: list[Citation] = []
    numbers = [ctx.cite(citations, s.sentence.document_id, s.sentence.start, s.sentence.end) for s in sides]
    parts = [with_markers(DIFFER, numbers)]
    for s, number in zip(sides, numbers):
        parts.append(with_markers(f"{citations[number - 1].title}: {s.sentence.text}", [number]))
    return Answer(query.text, " ".join(parts), False, citations, notes=list(notes or []))


# "What did Russia say during the January 2023 round?" asks for Russia's own words: a sentence that only names Russia
# ("…a convention backed by Russia, China, Iran…") does not say what it said.
_ASKS_SPEECH = re.compile(r"^(?:(?:and|so|then|but) )?what did (?:the )?[\w'’ -]+? (?:say|state|tell|argue|stress|declare)\b", re.I)
_SPEECH = re.compile(r"\b(?:sa(?:id|ys|y)|stat(?:ed|ements?)|told|argu\w+|stress\w*|not(?:ed|es)|express\w+|call(?:ed|s)|urg\w+"
                     r"|warn\w*|insist\w*|declar\w+|propos\w+|emphasi\w+|underlin\w+|highlight\w*|raise[ds]?|object\w*"
                     r"|support\w*|oppos\w+|welcom\w+|reject\w*|suggest\w*|point\w* out|add(?:ed|s))\b", re.I)


def speech_heard(sel: Selection) -> Answer | None:
    """"What did X say…?" answered with no words of X's is declined (a step of the general and list kinds)."""
    query, corpus = sel.query, sel.ctx.corpus
    speakers = {a for a in query.actors if not corpus.gazetteer.is_forum(a)}
    if not speakers or query.inherited or query.parts or not _ASKS_SPEECH.search(query.clause or query.text):
        return None

    def speech(s) -> bool:
        """Words said: in a report by the speaker, in a quotation, or told with a verb of saying."""
        kind = corpus.documents[s.sentence.document_id].paragraphs[s.sentence.paragraph].kind
        return bool(corpus.source_actors(s.sentence.document_id) & speakers or kind in ("quote", "attribution")
                    or re.search(r"[“”\"]", s.sentence.text) or _SPEECH.search(s.sentence.text))

    if any(map(speech, sel.chosen)):
        return None
    names = " and ".join(corpus.gazetteer.name(a) for a in sorted(speakers))
    return sel.ctx.abstain(query, f"The sources name {names} but don't report what {'they' if len(speakers) > 1 else 'it'} said on this.")


def _list_line(s) -> bool:
    """A line of a list: a short paragraph of its own with no full stop ("Fifth session, Vienna, 11-21 April 2023")."""
    text = s.sentence.text.strip()
    return text[-1:] not in ".!?:;\"”’" and len(text.split()) <= LIST_LINE_WORDS


_NUMBERED = re.compile(r"^([^\W\d_]+)\s+(?:\d+|[IVXLC]+)\b")  # "Section 2 …", "Chapter IV …"


def _numbered_as(s) -> str | None:
    """What a numbered line of a list is a number of ("section" for "Section 2 Measures for Recovery of Property")."""
    m = _NUMBERED.match(s.sentence.text.strip())
    return m.group(1).casefold() if m else None


def _lines_on(corpus, s, step: int):
    """The lines of the list s stands in, going on from it `step` (+1 or -1) at a time, until the list ends at a
    sentence or at a heading between lines (read a few at a time, not one query a line)."""
    line = s
    while run := corpus.run_from(line, step, 2 * MAX_LIST_ITEMS):
        for nxt in run:
            if not _list_line(nxt) or abs(nxt.sentence.paragraph - line.sentence.paragraph) != 1:
                return
            yield nxt
            line = nxt


def lines_follow(sel: Selection) -> None:
    """A chosen line of a list ("Fourth session, Vienna, 9-20 January 2023") brings the lines around it that hold
    the words of the question it holds ("Fifth session, Vienna, 11-21 April 2023" for "…held in Vienna?"): a list
    page gives each member a line of its own, and a line retrieval ranked low is a member all the same."""
    corpus = sel.ctx.corpus
    keys = {s.key for s in sel.chosen}
    out = list(sel.chosen)
    for s in sel.chosen:
        shared = s.terms & sel.q_terms
        if not shared or not _list_line(s):
            continue
        numbered = _numbered_as(s)
        for step in (-1, +1):
            taken = 0
            for nxt in _lines_on(corpus, s, step):
                if taken == MAX_LIST_ITEMS:
                    break
                # (A line numbered as the chosen one is a sibling of it: "Section 2 …" after "Section 1 …".)
                sibling = numbered is not None and _numbered_as(nxt) == numbered
                if (shared <= nxt.terms or sibling) and nxt.key not in keys and not nxt.instruction:
                    out.append(nxt)
                    keys.add(nxt.key)
                    taken += 1
    sel.chosen = out
