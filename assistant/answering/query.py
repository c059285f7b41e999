"""What a question asks about: actors, articles, stances, and the kind of answer wanted.

Follow-up questions borrow what they leave out from the earlier turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError
from ..gazetteer import Gazetteer, find_provisions
from ..instructions import is_injection
from ..terms import stopwords
from .answer_type import AUXILIARIES, PERSON_ROLES, asks_articles, is_titled_person
from .periods import asks_change, dates_in, in_place_of

MAX_QUESTION_CHARS = 1000

_STANCE_CUES: list[tuple[str, set[str]]] = [
    (r"\b(did ?n[o’']?t|did not|not|never|refused to) (support|back|endorse|join|agree)", {"opposes"}),
    (r"\bsupport|\bback(ed|ing|s)?\b|\bfavou?r|\bsid(e|ed) with|\bendors|\bagree(d)? with|\bjoin", {"supports"}),
    (r"\boppos|\bagainst\b|\breject|\bdisagree|\bresist|\bopponent|\bpush(ed)? back", {"opposes"}),
    (r"\bobject|\bconcern|\bworr|\bfear|\bcriticis|\bcomplain|\bproblem with|\bissue with", {"opposes", "expresses_concern", "questions", "calls_for_deletion"}),
    (r"\bpropos|\bsuggest|\bcall(ed|ing|s)? for|\badvocat|\bwant(ed)?\b|\bpush(ed)? for|\binsert|\badd(ing)?\b", {"proposes"}),
    (r"\bdelet|\bremov|\bdrop|\bscrap|\bstrike", {"calls_for_deletion"}),
    (r"\bwithdr|\bpull(ed|s|ing)?\b|\babandon|\bretract|\bback(ed)? down|\bg[ai]ve up", {"withdraws"}),
    (r"\bprefer|\bretain|\bkeep", {"prefers", "supports"}),
    (r"\boffer|\bfund|\bfinanc|\bpay\b|\bpaid", {"offers"}),
    (r"\boutcome|\bresult|\bend(ed)? up|\bremain|\bdecided|\bagreed\b|\bconsensus|\bwhat happened"
     r"|\baccepted\b|\badopted\b|\bapproved\b|\bmade it into\b|\bfate\b|\bin the end\b|\bstands? now\b"
     r"|\bhandles? (it|this|that|them) now\b", {"outcome"}),
]
_IDENTITY = re.compile(
    # ("said" in lower case: "Who is Ahmed Said?" asks who a named person is)
    r"^(and |so )?who (is|was|'s) (?!.*\b(support|oppos|propos|call|want|object|back|(?-i:sa(id|y))|argu|against|behind|led|lead)\w*)"
    # ("Who was quoted…?", "Who is expected to…?" ask who was done something to, in the passive, not who someone is)
    r"(?!(?-i:[a-z]+ed|chosen|given|seen|heard|known|sent|told|made|put)\b)"
    # ("Who was President of the General Assembly?" asks who held a role, not who a named person is)
    rf"(?!(the |an? )?([\w'’-]+ ){{0,3}}?({PERSON_ROLES})\b)"
    r"|\b(affiliation|job title|works? for|what (is|was) (his|her|their) (role|title|position|job|background))\b",
    re.IGNORECASE)
_PRONOUN_TARGET = re.compile(r"\b(sid(e|ed|ing) with|support(ed|ing|s)?|back(ed|ing|s)?|join(ed|s)?|agree(d|s)? with)"
                             r"\s+(them|it|him|her|that|this|those|these)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"\b(that|this|these|those|it|they|them|their|its|the same|he|she|him|her"
    r"|the opposite|the other|else|too|also|instead|as well|either)\b|^(and|but|so|why|how come)\b",
    re.IGNORECASE,
)
_TARGET_BEFORE = re.compile(
    r"(support(ed|ing|s)?( for)?|sid(e|ed|ing) with|back(ed|ing)?|join(ed)?|behind|oppos(e|ed|ing)|against|respond(ed)? to"
    r"|apart from|besides|other than|except( for)?|in addition to)\s+(the\s+)?$", re.IGNORECASE)
# "Which delegations wanted…?", the delegations asked for doing what is asked (not "Which country did the EU
# criticise?", where the named actor does it).
# (at the start, or after a clause that sets the scene: "When the Chair tabled her compromise, which delegations…")
_WHICH_ACTORS_DID = re.compile(r"(?:^|,\s*)(?:(?:and|but|so|then) )?(?:which|what) (?:other )?(?:states|countries|delegations"
                               r"|member states|groups|governments|nations)\s+(?!(?:did|do|does)\b)[a-z]", re.IGNORECASE)
_TARGET_AFTER = re.compile(r"^\s*['’]s?\s*(proposal|position|suggestion|idea|amendment|view|request|call|plan)", re.IGNORECASE)
# "the Council of Europe's Budapest Convention": an actor named as the owner of a named thing (not of a role:
# "Kenya's Ambassador") is the question's context, as the owner of a proposal is, not who answers it.
_OWNER_OF_NAMED = re.compile(rf"^\s*['’]s?\s+(?!(?i:{PERSON_ROLES})\b)[A-Z][\w-]+")
_TARGET_AFTER2 = re.compile(r"(proposal|suggestion|amendment|idea|request|plan)\s+(by|from|of)\s+(the\s+)?$", re.IGNORECASE)


# The kinds of question, each answered by its own strategy (strategies/): adding a kind means a
# value here, its cue in _kind, its limits in settings.py and its module.
Kind = Literal["general", "why", "list", "compare", "aggregate", "number", "outcome", "agreement", "timeline",
               "what-changed"]


@dataclass
class Query:
    text: str
    actors: list[str] = field(default_factory=list)  # whose stance is asked about
    targets: list[str] = field(default_factory=list)  # whose proposal the stance answers
    articles: list[str] = field(default_factory=list)
    provisions: list[str] = field(default_factory=list)
    stances: set[str] = field(default_factory=set)
    kind: Kind = "general"
    unknown_names: list[str] = field(default_factory=list)  # named in the question, never in the sources
    # The names of places, bodies and events the question gives, not its actors' or its sources': a report an
    # answer quotes must mention each ("…at the Hanoi signing ceremony?" is not answered from a report of 2019).
    names: list[str] = field(default_factory=list)
    # Whose account the question asks for ("as reported by The Record"), named nowhere in the archive: the
    # answer comes from whichever reports match, and says that none is known to be theirs.
    unplaced_sources: list[str] = field(default_factory=list)
    injection: bool = False
    inherited: bool = False
    actors_inherited: bool = False  # the actors are the earlier turn's, not named in this question
    earlier: str = ""  # the earlier question a follow-up leans on
    setting_only: bool = False  # a whole question read in the conversation's setting, asking of no one it named
    retrieval_text: str = ""
    parts: list[str] = field(default_factory=list)  # the questions a question of several parts asks
    clause: str = ""  # what is asked, after a framing clause ("In the Council of Europe's account, …")
    asks_date: bool = False  # "When…?", "On what date…?": a date answers it, not any figure
    asks_identity: bool = False  # "Who is X?", "What is her affiliation?": the source's byline answers it
    pronoun_target: bool = False  # "Who sided with them (against the US)?": the target is in an earlier turn
    sources: set[str] = field(default_factory=set)  # documents of the publishers the question names
    # documents dated in a month or on a day the question names, or else reporting an event it dates (that month or the next)
    dated: set[str] = field(default_factory=set)
    # What is asked, in the question's own words less its framing clause and the names of the actors and
    # publishers it names ("" when that is all of it): which sentence answers is read from these.
    asked: str = ""
    scope: set[str] | None = None  # the only documents the asker allows (None: all)

    @property
    def articles_by_name_only(self) -> bool:
        """Articles known only from a topic name ("human rights" -> Article 5): a hint, not a number
        the asker gave, so a record by the named actors on a neighbouring article still counts."""
        return bool(self.articles) and not self.provisions


def in_readable_case(question: str) -> str:
    """A question typed in capitals ("WHY DID EGYPT OBJECT TO ARTICLE 24?") in lower case, its first letter kept:
    read as typed, every word of it would be taken for a name. (Names are found in lower case too.)"""
    if any(ch.islower() for ch in question) or sum(ch.isalpha() for ch in question) < 8:
        return question
    return question[:1] + question[1:].lower()


def validate_question(question) -> str:
    if not isinstance(question, str):
        raise InputError("the question must be text")
    question = question.strip()
    if not question:
        raise InputError("the question is empty: type a question about the negotiations")
    if not any(ch.isalnum() for ch in question):
        raise InputError(f"the question {question[:40]!r} has no words: type a question about the negotiations")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question


# "According to UNODC, when…?", "Looking only at what X published, what…?": a framing clause before
# the question word; the kind is read from where the question itself starts. (A question that opens
# with its question word has no framing clause: "Who drafted it, and when?")
# ("When the Assembly voted, which country…?": "when" opens a framing clause where no auxiliary follows it.)
_FRAMED = re.compile(rf"^(?!(which|who|what|why|how|where)\b|when\s+{AUXILIARIES}\b).*?,\s+(?=(which|who|what|when|why|how|where)\b)",
                     re.IGNORECASE)


# "When…?", "On what (exact) date…?": the question asks for a date (and is a question of kind "number").
# ("What new dates…?", "Which days…?": a word may stand before the date asked, and dates be several.)
_WHICH_DATES = r"(on |in |by |over |during )?(what|which) ([a-z]+ )?(dates?|days?|years?|months?)"
_DATE_QUESTION = rf"when|{_WHICH_DATES}|what (is|was) the (exact )?date"
_ASKS_DATE = re.compile(rf"^({_DATE_QUESTION})\b"
                        r"|\b(and|or) when\??$"  # "Where were they held, and when?"
                        rf"|\b(and|or) {_WHICH_DATES}\b"  # "In which city, and over which dates, was it held?"
                        rf"|\bwhen {AUXILIARIES}\b")  # "…, when does it take effect?"


def kind_of(text: str) -> str:
    """The kind of a question (or one part of one) by its words alone, whoever it names."""
    return _kind(text, [], [])


def asks_date(clause: str) -> bool:
    """Whether a question (or one part of it) asks when: a date answers it, not any figure."""
    return bool(_ASKS_DATE.search(clause.casefold().strip()))


# "…, according to GI-TOC?": the same framing, after the question.
_FRAMED_AFTER = re.compile(r",?\s+(according to|as reported by|in the (view|words) of)\s[^,?]*(?=\?\s*$)", re.IGNORECASE)


# "When did the session run, and why was another needed?", "Was it agreed by consensus? Some reports
# say…": each part is a question of its own, which one search and one ranking would answer for only
# the part they match best.
# (An adverb may stand between: "…, and roughly how many groups joined?")
_PART_BREAK = re.compile(r"(?<=[?.!])\s+(?=[A-Z])|,?\s+and\s+(?:(?:also|then|\w+ly)\s+)?"
                         r"(?=(?:(?:on|in|at|by|for|from|to|since|until)\s+)?(?:what|why|how|where|when|which|who)\b)",
                         re.IGNORECASE)
MIN_PART_WORDS = 4
# A follow-up of this few words ("And the second one?", "What about in 2023?") asks the earlier turn again of
# what it names
ELLIPTICAL_WORDS = 6


def _parts(clause: str) -> list[str]:
    parts = [p.strip() for p in _PART_BREAK.split(clause) if p.strip()]
    parts = [p for p in parts if len(p.split()) >= MIN_PART_WORDS]
    return parts if len(parts) > 1 else []


# "Can you tell me who…", "I'd like to know which…", "Please list…": a polite frame before the question.
_POLITE = re.compile(r"^(please\s+)?((can|could|would|will) you\s+(please\s+)?|do you know\s+|i(['’]d| would) like to know\s+"
                     r"|i (want|need) to know\s+|i wonder(ed)?\s+)?((tell|show) (me|us)|let (me|us) know|find out)?\s*"
                     r"(please\s+)?(?=\w)", re.IGNORECASE)


# "Do the two reports agree on how long it took?", "…give the same picture of when it was signed?": a question
# asked inside another, after a preposition. What it asks (a figure, a date, a person) is what the answer must hold.
_EMBEDDED = re.compile(r"\b(?:of|on|about|over|as to)\s+(?=(?:how (?:long|many|much|often)|when|who|where|which)\b)", re.I)


def embedded_question(clause: str) -> str | None:
    """The question asked inside another ("… agree on how long it took?" asks "how long it took"), or None."""
    m = _EMBEDDED.search(clause)
    return clause[m.end():] if m else None


def _question_clause(text: str) -> str:
    clause = _FRAMED_AFTER.sub("", _FRAMED.sub("", text, count=1), count=1)
    return _POLITE.sub("", clause, count=1)


# A capitalised word inside a sentence ("held in Geneva", "the FIFA final"): the name of something.
CALENDAR = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?|January|February|March|April|June"
                       r"|July|August|September|October|November|December|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_PROPER = re.compile(r"(?<![.?!:]\s)(?<![.?!:][\"'’”]\s)(?<!^)(?<![\w/-])[A-Z][\w/.-]*[\w]")


def proper_names(text: str, gazetteer: Gazetteer) -> list[str]:
    """The names a question gives that are not actors or articles the gazetteer knows: a place, a body,
    an event ("Geneva", "FIFA"), whose absence from every source means the sources cannot answer."""
    text = re.sub(r"\b(Articles?|Art\.?)\s+\d", "  0", gazetteer.blanked(text))
    # A state's adjective in any use ("the Kuwaiti news agency"), or a word of a known actor's name ("European
    # states" of the European Union), is about an actor the gazetteer knows, not an unknown name.
    # A month or a weekday dates what is asked (periods.py reads it against the reports' dates); a report
    # dated December need not say "December".
    # ("Russian-proposed", "European-led": a compound is judged by its capitalised head.)
    return list(dict.fromkeys(m.group(0) for m in _PROPER.finditer(text.strip())
                              if not gazetteer.is_demonym(head := m.group(0).split("-")[0]) and not gazetteer.names_word(head)
                              and not CALENDAR.fullmatch(m.group(0))))


# A name of several capitalised words, joined by "of", "on", "for" or "the" at most ("Office of the High Commissioner",
# "Second Additional Protocol"): "and" ends one ("New York and Vienna" are two).
# (A name in another language joins its words as its own does: "La Voce di New York", "Banco de la Nación".)
_JOINS = r"of|on|for|the|di|de|del|della|des|du|da|do|dos|la|van|von|der"
_NAME_RUN = re.compile(rf"(?<![.?!:]\s)(?<!^)\b[A-Z][\w'’.-]*[\w](?:\s+(?:(?:{_JOINS})\s+){{0,2}}[A-Z][\w'’.-]*[\w])+")


# Whose account is asked for: "according to X", "as reported / quoted / summarised by X", "per X", "X's report",
# "a UN University primer".
_REPORT_NOUNS = (r"(?:report|article|story|account|summary|coverage|piece|analysis|write-up|explainer|primer|feature"
                 r"|note|brief|briefing|blog|post|paper|commentary|statement|letter|update|release|editorial|digest"
                 r"|column|memo|op-ed|interview|newsletter|podcast|investigation|preview|dispatch|bulletin|roundup"
                 r"|overview|faq)s?")
_SOURCE_NOUNS = (r"(?:think[- ]tanks?|news agency|agency|outlet|media|newspaper|daily|broadcaster|magazine|institute"
                 r"|university|centre|center|website|blog|wire|press|journal|radio|television|channel|(?:law )?firm)")
# A name given as whose account: capitalised words, joined by "of", "for", "and" or "on", with an acronym in brackets
# after it ("the Center for Cybersecurity Policy and Law", "the NATO Cooperative Cyber Defence Centre of Excellence
# (CCDCOE)", "Help Net Security and Uruguay's M24").
_ORG_WORD = r"[A-Z][\w&.'’-]*"
_ORG_NAME = rf"(?:the\s+)?{_ORG_WORD}(?:\s+(?:(?:{_JOINS}|and)\s+(?:the\s+)?)?{_ORG_WORD})*(?:\s+\([A-Z][\w&.'’-]*\))?"
_ACCOUNT_OF = re.compile(r"\b(?i:according to|(?:as )?(?:reported|quoted|cited|summari[sz]ed|described|explained|covered|written|listed"
                         rf"|published|posted|issued|compiled|counted) by|per|(?:writing|published|posted) in)\s+"
                         # (with what it is, when that follows: "as explained by the Ohio law firm")
                         rf"({_ORG_NAME}(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?{_SOURCE_NOUNS}\b)?)"
                         # "the analysis from India's Manohar Parrikar Institute…", "a piece by Help Net Security"
                         rf"|\b(?i:{_REPORT_NOUNS})\s+(?:from|by|in)\s+({_ORG_NAME})"
                         # (a name ending in s takes the apostrophe alone: "McDonald Hopkins' note", "Reuters' story")
                         r"|\b([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)(?:['’]s|(?<=s)['’])\s+(?:[\w-]+\s+){0,3}?" + _REPORT_NOUNS + r"\b"
                         # ("the Unacademy news analysis": a word or two may say what kind of report)
                         r"|\b(?i:a|an|the)\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)\s+(?:\d{4}\s+)?(?:[a-z][\w-]*\s+){0,2}?"
                         + _REPORT_NOUNS + r"\b"
                         # "What did Blitz report…?", "What does Newsweek say…?"
                         rf"|\b(?i:did|does|do|has|have)\s+({_ORG_NAME})\s+"
                         r"(?i:report|write|wrote|written|say|said|see|saw|expect|describe|note|claim|explain|argue|quote|cite|raise|name"
                         r"|single|list|mention|warn|highlight|point|suggest|conclude|recommend|estimate|count|identify"
                         r"|criticis|criticiz|contend|observe|stress|emphasi|acknowledge|detail|reveal|predict|call)\w*\b"
                         # "Do La Voce di New York and PolicyEdge agree on…?": two sources compared are two accounts (one
                         # body that agrees or concurs, "Has the Senate concurred…?", is one that acts)
                         rf"|\b(?i:do|did)\s+({_ORG_NAME}\s+and\s+{_ORG_NAME})\s+(?i:agree|disagree|differ)\w*\b"
                         # "…, as McDonald Hopkins explains it?", "as the Institute put it"
                         rf"|\b(?i:as)\s+({_ORG_NAME})\s+(?i:explain|describe|put|report"
                         r"|note|see|saw|tell|told|frame|argue|summari[sz]e|characteri[sz]e|present|sum)\w*\b"
                         # "Help Net Security and Uruguay's M24 reported different counts"
                         # ("Lao Dong reports on a session in Hanoi.")
                         # ("Privacy International says loosely drafted laws are dangerous. What is its reasoning?")
                         rf"|({_ORG_NAME})\s+(?:reported|wrote|noted|described|claimed|counted|listed|published|reports|writes"
                         r"|notes|describes|claims|counts|lists|publishes|says|said|argues|argued|warns|warned|contends"
                         r"|contended)\b"
                         # a source described by where it is from: "the Padova human rights centre", "The UAE's state news
                         # agency", "a London think tank"
                         rf"|\b((?:{_ORG_WORD}\s+)*{_ORG_WORD}(?:['’]s)?\s+(?:[a-z][\w-]*\s+){{0,3}}?{_SOURCE_NOUNS})\b")
# The last word of an organisation's name ("Chatham House", "the CyberPeace Institute", "Infosecurity Magazine").
_ORGANISATION_HEADS = frozenset((
    "institute institution house university centre center foundation magazine agency times post news review journal "
    "network observatory watch council forum initiative coalition alliance association society trust lab labs project "
    "programme program media press daily herald tribune gazette monitor wire radio broadcaster corporation service "
    "ministry office").split())
_CAPITALISED_RUN = re.compile(rf"\b[A-Z][\w&.'’-]*(?:\s+(?:(?:{_JOINS})\s+){{0,2}}[A-Z][\w&.'’-]*)+")


def leading_name(text: str) -> tuple[str, int, int] | None:
    """The name of two words or more that opens a question ("Chatham House dates the talks…", past a "The"), with
    its offsets; none when its first word is a question word ("Did Ghana support…?")."""
    m = _CAPITALISED_RUN.match(text)
    if not m:
        return None
    start = m.start() + (4 if m.group(0).startswith("The ") else 0)
    words = text[start:m.end()].split()
    if len(words) < 2 or words[0].casefold() in stopwords():
        return None
    return text[start:m.end()], start, m.end()


def organisations_named(text: str) -> list[str]:
    """The organisations a question names by a name of several words ending as an organisation's does ("Chatham
    House's 2023 explainer", "as the CyberPeace Institute described them"), or opening as one does before "of" or
    "for" ("the University of Navarra", "the Foundation for Defense of Democracies"), its opening word included."""
    found = []
    for m in _CAPITALISED_RUN.finditer(text):
        words = without_possessive(m.group(0)).split()
        if words[0].casefold() == "the":
            words = words[1:]
        if len(words) >= 2 and (words[-1].casefold() in _ORGANISATION_HEADS or words[0].casefold() in _ORGANISATION_HEADS
                                and words[1] in ("of", "for")):
            found.append(" ".join(words))
    return found


# An acronym ("ASPI", "FDD") names a body, as does a brand's shape ("EUbusiness", "CyberPeace"); "Reuters-based" names
# where a report comes from.
_BODY_WORD = re.compile(r"[A-Z][A-Z&]{1,7}|[A-Z]{2,}[a-z]\w*|(?!Mc|Mac)[A-Z][a-z]+[A-Z]\w*")
# A firm's name joins its partners' with "&" ("Rajah & Tann Asia").
_FIRM = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s+&\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")
SOURCED_FROM = re.compile(r"(?P<source>[A-Z][\w&.]*)-(?:based|sourced)")


def bodies_named(text: str, unknown: list[str]) -> list[str]:
    """The names in `unknown` (names no report holds) that read as a body's: an acronym or a brand ("FDD", "EUbusiness"),
    a name with one in it ("Leaders MENA"), the wire a report is based on ("Reuters-based"); and the firms the text
    names ("Rajah & Tann"). (A known acronym, "UN" in "UN Headquarters", makes no name a body's.)"""
    return [n for n in unknown if any(_BODY_WORD.fullmatch(w) and w in unknown for w in n.split()) or SOURCED_FROM.fullmatch(n)] \
        + [without_possessive(m.group(0)) for m in _FIRM.finditer(text)]


def accounts_asked(text: str) -> list[str]:
    """The names a question gives as whose account it asks for ("as reported by The Record", "Per The
    Record's August 2023 report")."""
    return [name for name, _, _ in account_spans(text)]


def account_spans(text: str) -> list[tuple[str, int, int]]:
    """accounts_asked, each with the offsets of the words it was read from."""
    found = []
    for m in _ACCOUNT_OF.finditer(text):
        group = next(i for i, g in enumerate(m.groups(), 1) if g)
        words = m.group(group).split()
        while words and words[0].casefold() != "the" and words[0].casefold() in stopwords():
            words = words[1:]  # ("In Dark Reading's report, …": the question's first word is no word of the name)
        # ("Per The Record's August 2023 report": the month dates the report, it is no word of the name)
        cut = next((i for i, w in enumerate(words) if CALENDAR.fullmatch(w)), len(words))
        name = " ".join(words[:cut - 1] + [without_possessive(words[cut - 1])]) if cut else ""
        # (a possessive inside a name is the name's own: "the People's Army Newspaper"; a person's name with a title,
        # "What did Ambassador Ana McCarthy see…?", is no publisher's)
        if name and not is_titled_person(name):
            found.append((name, m.start(group), m.end(group)))
    return found


def without_possessive(name: str) -> str:
    """"Dark Reading's" -> "Dark Reading"."""
    return _POSSESSIVE.sub("", name)


_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")


def name_runs(text: str) -> list[tuple[str, int, int]]:
    """Runs of capitalised words past the first word ("Vietnam Investment Review", "the Global Initiative"), with
    their offsets."""
    return [(m.group(0), m.start(), m.end()) for m in _NAME_RUN.finditer(text)]


def name_phrases(text: str, gazetteer: Gazetteer) -> list[str]:
    """The names of several words a question gives, other than actors the gazetteer knows: whose words
    no passage holds together, the sources never name ("the Budapest Convention's Second Additional
    Protocol", where they speak of the Budapest Convention and of additional protocols)."""
    phrases = []
    for m in _NAME_RUN.finditer(gazetteer.blanked(text).strip()):
        # ("February and March 2022"; "the American Global Network" of a report on "the Global Network" of the
        # U.S.: a state's adjective is about an actor the gazetteer knows, as in proper_names)
        # ("a Russia-sponsored UN resolution": a compound of a name and a lowercase word is an adjective, no word of a name)
        words = [w for w in m.group(0).split() if not CALENDAR.fullmatch(w) and not gazetteer.is_demonym(w)
                 and not re.search(r"-[a-z]", w)]
        # (nor is a state's adjective of two words, "South African", a name of several)
        if sum(w[0].isupper() for w in words) >= 2 and not gazetteer.is_demonym(" ".join(words)):
            phrases.append(" ".join(words))
    return list(dict.fromkeys(phrases))


def without_names(text: str, gazetteer: Gazetteer) -> str:
    """The text with the actors it names left out."""
    for _, start, end in sorted(gazetteer.find_actors(text), key=lambda m: -m[1]):
        text = text[:start] + text[end:]
    return " ".join(text.split())


# "How did the session end?", "How was the article settled?", "Was the text adopted?", "What was the outcome?": what
# was decided or how something ended, not who wanted what.
_OUTCOME = re.compile(r"\b(outcomes?|results?|what happened|in the end|end(ed)? up|how (did|was|were) [^?]{0,200}?\b(end|conclude|finish|close|settled|resolved)"
                      r"|(was|were) (it|they|the \w+( \w+)?) (adopted|agreed|accepted|approved|passed|rejected|put to a vote)"
                      r"|(was|were) there (a|any) (\w+ )?votes?|did .{0,80}\b(pass|succeed|fail|manage))\b", re.IGNORECASE)


# "Does everyone agree?", "Some reports speak of X, others say Y", "I've seen X and I've seen Y": whether
# the reports tell one story, which an answer from one report cannot show.
_AGREEMENT = re.compile(
    r"\b(do|does) (everyone|everybody|all (the )?(reports|sources)|the (reports|sources)|other (reports|sources)|others) (agree|concur)"
    r"|\bdo (the )?[\w -]{1,60} and (the )?[\w -]{1,60} agree\b"
    r"|\bsome (reports|sources|accounts)\b.{0,120}\bothers?\b"
    r"|\bi['’]?ve (seen|read|heard)\b|\b(reports|sources|accounts) (differ|disagree|vary|conflict|contradict)"
    r"|\bsquare with\b|\bwhat (do|does) (others|other reports|other sources) say\b"
    # "Do X and Y tell the same story / give the same name…?", "…: do they agree on…?"
    r"|\b(give|tell|paint|report|use|have|say)s? the same (story|picture|account|version|name|figure|number|date|thing)\b"
    r"|\bdo (they|both|the two|these reports|the reports) agree\b", re.IGNORECASE)


# A question that asks who, which, where or how many asks for that, whatever its clauses say of change or argument:
# "Who wrote the post arguing that advocates must change strategy?"
_ASKS_WHO_OR_WHERE = r"((and|but|so|then) )?(who|whom|whose|which|where|how many|how much)\b"


def _kind(text: str, actors: list[str], articles: list[str]) -> Kind:
    t = text.casefold()
    lead = _question_clause(t)
    if asks_change(text):
        return "what-changed"
    if re.search(r"\b(chang(e|ed|es|ing)|evolv(e|ed|es|ing)|shift(ed|s)?|develop(ed|ment)|timeline|over time"
                 r"|unfold(ed|s)?|play(ed|s)? out"
                 r"|across the (sessions|years|months|meetings)|from one session to the next)\b", t) \
            and not re.match(_ASKS_WHO_OR_WHERE, lead):
        return "timeline"
    if _AGREEMENT.search(t):
        return "agreement"
    if re.search(r"\bcompar|\bversus\b|\bvs\.?\b|\bdiffer|\bcontrast|side by side|\btwo camps\b", t):
        return "compare"
    if actors and (
        re.search(r"\b(everything|summar|throughout|across|overall|role|all (the |of )?(its |their )?(positions|stances|objections|proposals|views))", t)
        or (not articles and re.search(
            r"\b(positions?|stances?) (of|did|taken|has|have)|^what (did|does|has|were)\b.*\b(object|oppose|propose|say|argue|want|support)|in the course of", lead))
    ):
        return "aggregate"
    if re.search(r"^(why|for what reason|on what grounds)|\bwhy\b|\breason|\brationale"
                 r"|^what (led|prompted|caused|drove|pushed|made|motivated|spurred|explains|explained)\b"
                 r"|^what (?:is|was|are|were|lies|lay) (?:really )?behind\b", lead) or (
            re.search(r"\bargu|\bexplain|\bjustif|\bbecause|\bproblem with|\bcase for|\bdownside", lead)
            and not re.match(_ASKS_WHO_OR_WHERE, lead)):
        return "why"
    if re.search(r"^((and|but|so|then) )?(which|who|list|name)\b|\b(which|what) (states|countries|delegations|members|groups|sectors|actors)\b|\bwho (else|all)\b", lead):
        return "list"
    if re.search(rf"^(how many|how much|how often|how long|{_DATE_QUESTION}|what (is|was) the (exact )?(number|total))\b", lead):
        return "number"
    if _OUTCOME.search(lead):
        return "outcome"
    return "general"


def parse(question: str, gazetteer: Gazetteer, known_actors: set[str], known_articles: set[str],
          names_blanked: str | None = None) -> Query:
    """What the question asks. `names_blanked` is the question with the organisations it names
    blanked out (same length), read for article numbers: "ARTICLE 19" the NGO is not Article 19."""
    q = Query(question, retrieval_text=question)
    q.injection = is_injection(question)
    for actor_id, start, end in gazetteer.find_actors(question):
        before, after = question[:start], question[end:]
        # ("the Russian-led resolution" is Russia's, as "Russia's resolution" is: what is asked about, not who speaks. A
        # name found before a hyphen is always such a compound: gazetteer.ACTED_BY.)
        if _TARGET_BEFORE.search(before[-40:]) or _TARGET_AFTER.match(after) or _TARGET_AFTER2.search(before[-30:]) \
                or _OWNER_OF_NAMED.match(after) or after.startswith("-"):
            q.targets.append(actor_id)
        else:
            q.actors.append(actor_id)
        # (A role, "the chair of the Committee", the sources may give by its verb alone: "chaired by Algeria".)
        if actor_id not in known_actors and not gazetteer.is_role(actor_id):
            q.unknown_names.append(gazetteer.name(actor_id))
    q.actors = list(dict.fromkeys(a for a in q.actors if a not in q.targets or q.actors.count(a) > 1))
    if _WHICH_ACTORS_DID.search(_question_clause(question)):
        # "Which delegations wanted to keep Article 6.2 when the Chair tabled her compromise?": the
        # delegations asked for are others than those the question names, which set the scene.
        q.targets, q.actors = q.targets + q.actors, []
    q.targets = list(dict.fromkeys(q.targets))
    q.provisions = find_provisions(names_blanked or question)
    q.articles = gazetteer.find_articles(names_blanked or question, by_name=True)
    for article in q.articles:
        # (An article the question knows only by a topic name, "the purpose of the convention", is a hint:
        # the sources may discuss the topic without naming the article.)
        if article not in known_articles and any(p.split("(")[0].split(".")[0] == article for p in q.provisions):
            q.unknown_names.append(f"Article {article}")
    for pattern, stances in _STANCE_CUES:
        if re.search(pattern, question, re.IGNORECASE):
            q.stances |= stances
            if stances == {"opposes"} and "did" in pattern:
                break  # "didn't support" is not also a support
    q.kind = _kind(question, q.actors, q.articles)
    clause = _question_clause(question)
    q.asks_date = asks_date(clause)
    q.clause = clause if clause != question else ""
    q.parts = _parts(clause)
    q.asks_identity = bool(_IDENTITY.search(clause))
    q.pronoun_target = bool(_PRONOUN_TARGET.search(question))
    if q.kind == "compare" and q.targets:  # "How did X differ from Y?": both sides are compared, neither is a target
        named = set(q.actors) | set(q.targets)
        q.actors = list(dict.fromkeys(a for a, _, _ in gazetteer.find_actors(question) if a in named))
        q.targets = []
    q.unknown_names = list(dict.fromkeys(q.unknown_names))
    return q


def resolve_follow_up(q: Query, history: list[dict] | None, gazetteer: Gazetteer, known_actors, known_articles) -> Query:
    """Fill in what a follow-up leaves out from the latest earlier user turn that named it."""
    if not history:
        return q
    earlier = [turn.get("content", "") for turn in history if isinstance(turn, dict) and turn.get("role") == "user"]
    earlier = [t for t in earlier if isinstance(t, str) and t.strip()]
    if not earlier:
        return q
    needs = not q.actors and not q.targets or not q.articles
    # A question that names nothing of its own (no actor, article, date or name: "How big is the academy
    # network?", "How many countries spoke when the talks opened?") leans on the conversation as much as
    # one with a pronoun does.
    bare = not (q.actors or q.targets or q.articles or dates_in(q.text) or _PROPER.search(q.text.strip()))
    points_back = bool(_FOLLOW_UP.search(q.text)) or len(q.text.split()) <= 4  # a pronoun, or too few words to stand alone
    if not needs or not (points_back or bare):
        return q
    elliptical = len(q.text.split()) <= ELLIPTICAL_WORDS
    if elliptical:  # ("And the second one?": the earlier turn, asked of the second)
        earlier = [in_place_of(t, q.text) for t in earlier]
    q.retrieval_text, q.earlier = f"{earlier[-1]} {q.text}", earlier[-1]
    q.inherited = True
    if not points_back:
        # A whole question with no word pointing back ("Which country was the first to ratify the convention?" after
        # "Which states wanted Article 35(3) deleted?") is read in the conversation's setting (which talks, which
        # year), but asks of no one and no article the earlier turn named: those would bring back its answer.
        q.setting_only = True
        return q
    for previous_text in reversed(earlier[-3:]):
        prev = parse(previous_text, gazetteer, known_actors, known_articles)
        if not (prev.actors or prev.targets or prev.articles):
            continue
        if q.pronoun_target and (prev.actors or prev.targets):
            q.targets = prev.actors or prev.targets  # "sided with them against the US": them, not the US
            q.inherited = True
        elif not q.actors and not q.targets:
            asks_for_others = q.kind == "list" and q.stances & {"supports", "opposes"}
            if asks_for_others and (prev.actors or prev.targets):
                q.targets = prev.targets or prev.actors  # "Who supported that proposal?"
            else:
                q.actors, q.targets = prev.actors, prev.targets
            q.inherited = q.actors_inherited = True
        if not q.articles and prev.articles:
            q.articles, q.provisions = prev.articles, prev.provisions
            q.inherited = True
        if q.kind == "general" and prev.kind in ("why", "compare") and len(q.text.split()) <= 4:
            q.kind = prev.kind
        q.retrieval_text, q.earlier = f"{previous_text} {q.text}", previous_text
        break
    # "Why were they parked?" after "Which articles did the Committee set aside?": the pronoun stands for what the
    # answer named, not the question, so the articles the latest answer gives are the follow-up's.
    answer = history[-1].get("content") if isinstance(history[-1], dict) and history[-1].get("role") == "assistant" else None
    which_articles = asks_articles(earlier[-1])
    if isinstance(answer, str) and (which_articles and not q.articles
                                    or _WHICH_ACTORS_DID.search(earlier[-1]) and (q.actors_inherited or not q.actors)):
        named = parse(answer, gazetteer, known_actors, known_articles)
        if which_articles and named.articles:
            q.articles, q.provisions, q.inherited = named.articles, named.provisions, True
        elif named.actors:
            # (They are whom the follow-up asks about, not where it was asked: sentences speaking for them rank first.)
            q.actors, q.inherited, q.actors_inherited = named.actors, True, False
    return q
