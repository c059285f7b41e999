"""What kind of thing a question asks for, and whether a sentence holds one.

"How many countries…?" needs a count of countries, not any number; "how much
does it cost?" needs a sum of money; "which country…?" needs a named state. An
answer whose evidence holds nothing of the asked type is not an answer, however
close its topic (the near-miss a journalist must not be handed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..terms import stemmer, stopwords, terms

_CARDINAL = (r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
             r"|(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
             r"|hundreds?|thousands?|millions?|billions?|dozens?|half|several|all|no|both")
_IS_CARDINAL = re.compile(rf"^(?:{_CARDINAL})$", re.I)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)
_HOW_MANY = re.compile(r"\bhow many\s+((?:[A-Za-z.-]+\s+){0,2}[A-Za-z.-]+)", re.I)
_MONEY_QUESTION = re.compile(r"\bhow much\b.*\b(cost|costs|money|dollars?|euros?|budget|fund\w*|spen[dt]\w*|pa(?:y|id)|price)\b"
                             r"|\bin (dollars|euros|usd)\b|\bhow many (dollars|euros)\b"
                             r"|\b(what|which) (dollar|euro|money) (figure|amount|sum|total|value)\b", re.I)
# "What fine / prison sentence…?" asks for a punishment's measure: a sum or a term of imprisonment. ("What penalty…?"
# may be answered in words: "a penalty under national law".)
_PENALTY_QUESTION = re.compile(r"\b(?:what|which)\b(?:\s+[a-z-]+){0,3}?\s+(?:fines?|(?:prison|jail)\s+(?:sentences?|terms?))\b",
                               re.I)
_TERM = re.compile(rf"\b(?:{_CARDINAL})[\s-]+(?:years?|months?)\b|\blife imprisonment\b", re.I)
# (A sum in any currency: "GH₵19 million", "₦5 billion", "¥2 trillion"; a sign of the Unicode currency block or a
# code before the figure, "KES 3 million")
_MONEY = re.compile(r"[$€£¥\u20a0-\u20cf]\s?\d|\b[A-Z]{1,3}\$|\b(?-i:[A-Z]{3})\s?\d[\d,.]*\s?(?:million|billion|trillion)\b"
                    r"|\b\d[\d,.]*\s?(million|billion|thousand|trillion)?\s?(dollars|euros|usd|eur|francs|pounds|yen|yuan"
                    r"|rupees|naira|cedis|shillings|rand|pesos)\b", re.I)
# ("Which major signatories…?", "What other delegations…?": up to two words may qualify the noun, none a verb or
# pronoun; a treaty's signatories, signers and parties are states.)
# "What was the vote tally…?", "By what margin…?", "How many states voted for…?" ask how a vote went: figures of votes
# ("79-60", "79 in favour"), or that there was none ("without a vote", "by consensus"). ("Was there a recorded vote…?"
# does not: a report of the adoption that is silent on the vote answers it no worse than one that speaks of it.)
_TALLY_QUESTION = re.compile(r"\b(?:vote|voting)\s+(?:tally|count|breakdown|result|margin|split|figures?|numbers?)\b"
                             # ("the final tally of signatory states" counts signatories: a tally of anything but votes)
                             r"|\btally\b(?!\s+of\s+(?!(?:the\s+)?votes?\b))"
                             r"|\bby (?:what |which |how (?:wide|large|big|narrow|much) (?:a )?)margin\b|\bhow many (?:\w+ ){0,2}"
                             r"(?:voted|votes)\b|\bwhat was the vote\b|\bhow did the vote go\b", re.I)
# "How did the European Parliament vote…?" asks how one body voted: held by figures, or by its own vote ("the Parliament
# voted in favour"), not another's ("Russia voted against").
_HOW_DID_VOTE = re.compile(r"\bhow did (?:the )?(?P<who>(?:[\w'’-]+ ){1,5}?)vote\b", re.I)
# "What is the number of the resolution…?", "Which General Assembly resolution created…?" ask for a symbol: "74/247",
# "A/RES/79/243", "GA/12309".
_SYMBOL_QUESTION = re.compile(r"\b(?:number|symbol)\s+of\s+the\s+(?:[\w-]+\s+){0,3}?(?:resolution|decision)s?\b"
                              r"|\b(?:which|what)\s+(?:(?!(?:did|does|do|was|were|is|are|has|have|had|the|a|an)\b)[\w-]+\s+){0,3}?resolution\b"
                              r"|\bresolution\s+number\b", re.I)
_SYMBOL = re.compile(r"(?<![\d/])\d{2,3}/\d{1,3}(?![\d/])|\bA/(?:RES/)?\d+|\b[A-Z]{2,4}/\d{4,5}\b")
_NO_VOTE = re.compile(r"\bwithout (?:a )?vot\w*|\bby (?:the )?consensus\b|\bconsensus decision\b|\bunanimous\w*", re.I)
_VOTED_HOW = re.compile(r"\bvot(?:ed|es|ing)\s+(?:for|against|in favou?r|yes|no)\b|\babstain(?:ed|s)\b", re.I)
_VOTE_WORD = re.compile(r"\bvot\w*|\babstention|\babstain\w*|\bin favou?r\b|\bagainst\b|\bayes\b", re.I)
_VOTE_FIGURE = re.compile(r"\b\d{1,3}\s*(?:[-–—]|to)\s*\d{1,3}\b(?!\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
                          r"|\b\d{1,3}\s+(?:[\w-]+\s+){0,4}(?:in favou?r|against|abstentions?|abstain\w*|votes?)\b",
                          re.I)
_STATE_QUESTION = re.compile(r"\b(which|what)(?: (?!(?:did|does|do|was|were|is|are|has|have|had|will|would|could|can|should"
                             r"|may|might|must|the|its|their|they|it|he|she|we|you)\b)[a-z-]+){0,2}? (country|countries|state"
                             r"|states|delegation|delegations|government|governments|nation|nations|member states?|signatory"
                             r"|signatories|signers?|parties)\b", re.I)
# "Where…?", "In which city…?" ask for a place ("Where does Kenya stand…?" asks for a view, not a place).
_PLACE_QUESTION = re.compile(r"^(?:(?:and|so|then|but)\s+)?(?:where\b(?!.*\b(?:stand|stands|stood|leaves?|left)\b)"
                             r"|(?:in|at) (?:which|what) (?:city|town|place|venue|location)\b"
                             r"|(?:which|what) (?:city|town|venue|location)\b)", re.I)
# A place in a sentence: a capitalised name after a preposition of place ("in Hanoi", "at UN Headquarters"),
# not a month or a weekday ("in February").
_PLACE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Nn]ear)\s+(?:the\s+)?(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
                    r"|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)[A-Z][\w’'-]+")
# The words a count of countries is given in, whichever the question uses.
_COUNTRIES = frozenset(stemmer().stemWords(["state", "states", "country", "countries", "nation", "nations"]))
# ("How many groups signed the letter?" is answered by "over 100 civil society organizations".)
_ORGANISATIONS = frozenset(stemmer().stemWords(["group", "groups", "organisation", "organisations", "organization",
                                                "organizations", "ngo", "ngos"]))
_WORD = re.compile(r"[A-Za-z0-9$€£][\w$€£,.'’-]*")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
    " eighteen nineteen twenty".split())} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                                           "eighty": "80", "ninety": "90", "hundred": "100", "dozen": "12"}
# A quantity that counts nothing exactly ("receiving support from dozens of nations") does not answer "how many".
_VAGUE = frozenset({"several", "dozens", "hundreds", "thousands", "millions", "billions"})
_HYPHEN = re.compile(r"[-‐–]")
# A date in a sentence: a month, a weekday, a year or a numeric day/month.
DATE = re.compile(r"\b(january|february|march|april|\d{1,2}(st|nd|rd|th)? may|may \d{1,2}|june|july|august|september|october|november|december"
                  r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday"
                  r"|saturday|sunday|(19|20)\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b", re.I)


YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def of_another_year(text: str, years: set[str]) -> bool:
    """Whether a sentence is dated to years other than those asked ("the UN budget of 3.07 billion
    dollars for 2020" for a question on 2025): a figure it gives is another year's."""
    named = set(YEAR.findall(text))
    return bool(years and named and not named & years)


# The acts a treaty passes through, each a different event: a count or a date of its signing is none of its
# ratification ("How many countries had ratified…?" is not answered by "73 countries have signed").
TREATY_STAGES = {
    "adoption": re.compile(r"\badopt|\bapprov", re.I),
    "signing": re.compile(r"\bsign(?!ific)", re.I),
    "ratification": re.compile(r"\bratif|\baccession\b|\baccede", re.I),
    "entry into force": re.compile(r"\binto force\b|\b(?:take|takes|taking|took|taken|come|comes|came|go|goes|went) (?:into )?effect\b", re.I),
}

# The acts said of a treaty alone; "adopt" and "approve" are said of amendments, agendas and resolutions too.
SPECIFIC_ACTS = frozenset({"signing", "ratification", "entry into force"})


def stage_asked(question: str) -> str | None:
    """The treaty's act a question asks a figure or a date of: the first it names ("How many had ratified it by the
    time Fiji signed?" asks of ratification)."""
    found = [(m.start(), stage) for stage, pattern in TREATY_STAGES.items() if (m := pattern.search(question))]
    return min(found)[1] if found else None


def stages_in(text: str) -> set[str]:
    return {stage for stage, pattern in TREATY_STAGES.items() if pattern.search(text)}


# A time counted from an event answers "when" as well as a date does: "90 days after the 40th ratification".
RELATIVE_TIME = re.compile(rf"\b(?:{_CARDINAL}|a|an) (?:days?|weeks?|months?|years?) (?:after|before|from|later|earlier|into)\b", re.I)


# "How long did the talks take?" asks for a span of time: "over five years", "a five-year process", or when it began,
# "since 2019", "commenced in 2017" (a year alone may be when the span began).
_ASKS_SPAN = re.compile(r"^(?:(?:and|so|then|but) )?how long\b", re.I)
_SPAN = re.compile(rf"\b(?:{_CARDINAL}|a|an|many|several)[\s-]+(?:days?|weeks?|months?|years?|decades?)\b|\b(?:19|20)\d\d\b", re.I)


# "On what date…?", "What was the exact date…?" ask for a day: "in 2025" or "in August" does not give one.
ASKS_DAY = re.compile(r"\b(?:what|which) (?:exact |precise |specific )?(?:date|day)\b|\bexact date\b", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH_NAME = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
                         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
DAY = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{_MONTH}"
                 rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b"
                 r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def gives_time(text: str) -> bool:
    """Whether a sentence answers "when": a date, or a time counted from an event."""
    return bool(DATE.search(text) or RELATIVE_TIME.search(text))


def _words(text: str) -> list[str]:
    # A compound counts by its parts: "a five-year process" holds a count of years.
    return [part for w in _WORD.findall(text) for part in _HYPHEN.split(w.strip(".,'’")) if part]


@dataclass(frozen=True)
class AnswerType:
    kind: str  # count | money | penalty | tally | symbol | state | place
    nouns: tuple[str, ...] = ()  # stems of what is counted (of a tally: of who voted, when one body's vote is asked)
    head: tuple[str, ...] = ()  # of a count, its head noun's stems (and their kin): the figures two reports may differ on
    done: bool = False  # of a count, it asks how many have done something ("How many have ratified it so far?")

    @property
    def named(self) -> bool:
        """Held by naming something (a country, a place): judged on the chosen sentences, whose actors are known
        there (strategies/sentences.py), not on an answer's quotes alone."""
        return self.kind in ("state", "place")

    def held_by(self, text: str, actor_kinds: set[str] = frozenset()) -> bool:
        if self.kind == "money":
            return bool(_MONEY.search(text))
        if self.kind == "penalty":
            return bool(_MONEY.search(text) or _TERM.search(text))
        if self.kind == "symbol":
            return bool(_SYMBOL.search(text))
        if self.kind == "tally":
            return bool(_NO_VOTE.search(text) or _VOTE_WORD.search(text) and _VOTE_FIGURE.search(text)
                        or self.nouns and _VOTED_HOW.search(text) and set(self.nouns) & set(terms(text)))
        if self.kind == "state":
            return bool(actor_kinds & {"state", "observer_state", "group"})
        if self.kind == "place":  # (a country named as an actor is a place too: "Vietnam will host…")
            return bool(_PLACE.search(text) or actor_kinds & {"state", "observer_state"})
        return bool(self._counts(text, exact=False))

    def figures(self, text: str) -> set[str]:
        """The exact figures of the asked type a sentence gives ("40 countries" -> {"40"}): what two
        sources must agree on. Vague quantities ("several", "dozens") give none."""
        if self.kind == "count":
            return self._counts(text, exact=True, nouns=self.head or self.nouns)
        return set()

    def _counts(self, text: str, exact: bool, nouns: tuple[str, ...] = ()) -> set[str]:
        found = set()
        # A figure counts what follows it in its own clause: "for the last two weeks, member states have…" counts weeks.
        for clause in re.split(r"[,;:()]", text):
            if self.done and _CONDITION.search(clause):
                # "How many have ratified it so far?" is not answered by how many must: "it will enter into force 90
                # days after at least 40 countries ratify it" gives a condition, not a count of what was done.
                continue
            found |= self._counts_in(clause, exact, nouns or self.nouns)
        return found

    def _counts_in(self, text: str, exact: bool, nouns: tuple[str, ...]) -> set[str]:
        words = _words(text)
        stems = stemmer().stemWords([w.casefold() for w in words])
        found = set()
        for i, stem in enumerate(stems):
            if stem not in nouns:
                continue
            # (An act is counted by those who perform it, or by the one that completes the count: "it requires
            # ratification by 40 states", "90 days after the 40th ratification".)
            after = words[i + 2:i + 3] if i + 2 < len(words) and words[i + 1].casefold() == "by" else []
            for j, w in [*reversed(list(enumerate(words[:i]))[-4:]), *((i + 2, w) for w in after)]:
                ordinal = _ORDINAL.match(w)
                if _IS_CARDINAL.match(w) or ordinal:
                    if j and _MONTH_NAME.fullmatch(words[j - 1]):
                        break  # ("on October 26 at…": a day of a month counts nothing)
                    w = ordinal.group(1) if ordinal else w
                    value = _NUMBER_WORDS.get(w.casefold(), w.replace(",", "")) if exact else w
                    tens = _NUMBER_WORDS.get(words[j - 1].casefold(), "") if j else ""
                    if exact and len(value) == 1 and len(tens) == 2 and tens.endswith("0") and tens != "10":
                        value = str(int(tens) + int(value))  # ("Sixty-five countries": 65, not 5)
                    if exact and value.replace(".", "").isdigit() or not exact and w.casefold() not in _VAGUE:
                        found.add(value)
                    break
        return found


# "How many countries have ratified it?", "… had signed by 2025?", "… so far?": a count of what has been done ...
_DONE = re.compile(r"\bhow many\b(?:.*\b(?:(?:have|has|had|did)\b|so far|to date|already|yet)\b|(?: [\w-]+){1,3}ed\b)", re.I)
# ... which a clause saying what must or will be done does not give ("once it has been ratified by 40").
# ("At least" is no condition: "there are at least half a dozen cross-references" counts them.)
_CONDITION = re.compile(r"\b(?:once|unless|until|if|needs?|needed|needing|requires?|required|requiring|must|will|would|shall"
                        r"|threshold|minimum)\b", re.I)


def expected_type(question: str) -> AnswerType | None:
    if _MONEY_QUESTION.search(question):
        return AnswerType("money")
    if _PENALTY_QUESTION.search(question):
        return AnswerType("penalty")
    if _TALLY_QUESTION.search(question):
        return AnswerType("tally")
    if m := _HOW_DID_VOTE.search(question):
        return AnswerType("tally", tuple(terms(m.group("who"))))
    if _SYMBOL_QUESTION.search(question):
        return AnswerType("symbol")
    m = _HOW_MANY.search(question)
    if m:
        # What is counted ends where the verb begins: "How many countries have ratified it" counts countries.
        counted = re.split(rf"\s+{AUXILIARIES}\b", m.group(1), maxsplit=1, flags=re.I)[0]
        words = [w.casefold() for w in _words(counted) if w.casefold() not in stopwords()]
        # ... as does a past participle after it: "How many nations signed…" counts nations.
        words = words[:next((i for i, w in enumerate(words) if i and w.endswith("ed")), len(words))]
        # ... and after its plural noun: "How many member states sent delegations…" counts states.
        words = words[:next((i + 1 for i, w in enumerate(words) if w.isalpha() and re.search(r"[^s]s$", w)), len(words))]
        nouns = tuple(s for s in stemmer().stemWords(words) if len(s) > 1)
        # (What two reports must agree on is a count of the phrase's head, its last noun: "How many negotiating
        # rounds…?" counts rounds, and "three years of negotiations" is no other figure for them.)
        head = nouns[-1:]
        for kin in (_COUNTRIES, _ORGANISATIONS):  # "How many states…?" is answered by "69 countries" and "70 nations"
            if set(nouns) & kin:
                nouns = tuple(dict.fromkeys(nouns + tuple(sorted(kin))))
            if set(head) & kin:
                head = tuple(dict.fromkeys(head + tuple(sorted(kin))))
        # (Unless the question asks what must be done: "How many ratifications are needed…?")
        done = bool(_DONE.search(question)) and not _CONDITION.search(question)
        return AnswerType("count", nouns, head, done) if nouns else None
    if _STATE_QUESTION.search(question):
        return AnswerType("state")
    if _PLACE_QUESTION.search(question.strip()):
        return AnswerType("place")
    return None


# What a sentence that answers a kind of question holds, read loosely: a ranking feature
# (features.py "holds_asked"), never a reason to abstain.
_FIGURE = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
                     r"|hundred|thousand|million|billion|dozens?|half|twice)\b", re.I)


# "What was the next step?", "What happens next?": what was still to come, told in the future ("will vote on it this
# autumn", "is expected to be adopted later this year", "is due to open for signature").
_ASKS_NEXT = re.compile(r"\bnext (?:steps?|stages?|moves?|phases?)\b|\bwhat (?:comes|happens|came|happened|follows|followed) "
                        r"(?:next|after)\b|\bwhat (?:is|was|were|are) (?:expected|due|set|scheduled|planned) (?:to happen )?"
                        r"(?:next|after)\b", re.I)
_AHEAD = re.compile(r"\b(?:will|shall)\b|\b(?:expected|set|due|scheduled|slated|poised|planned) to\b|\blater this (?:year|month)\b"
                    r"|\b(?:upcoming|forthcoming)\b|\bnext (?:year|month|week|session|step)\b", re.I)


# A decision or an ending: what answers "How did it end?" or "Was it adopted?".
_DECIDED = re.compile(r"\b(adopted|agreed|approved|rejected|ended|concluded|decided|suspended|postponed|adjourned"
                      r"|without (a vote|adopting|agreement)|by consensus|voted|failed|passed|accepted|withdr[ae]wn?"
                      r"|defeated|deferred|wrapped up)\b", re.I)


# "Who …?" asks for someone: a delegation or body the gazetteer knows, or a name of two capitalised
# words ("Deborah McCarthy", "Human Rights Watch"). "Which official / ambassador / group …?" asks for
# one too, though a role may answer it ("officials from the ministry of justice"), so for these a
# name ranks a sentence higher (asked_test) but its absence is no reason to decline.
WHO = re.compile(r"^(?:(?:and|so|then|but) )?(?:who\b|what (?:is|was) (?:the|his|her|their) (?:full )?name\b|name the\b)",
                 re.IGNORECASE)
_WHICH_PERSON = re.compile(r"^(?:(?:and|so|then|but) )?(?:(?:to|for|by|from|with) )?which (?:[\w'’-]+ ){0,4}?(?:officials?|persons?|people"
                           r"|ambassadors?|diplomats?|representatives?|spokes\w+|directors?|ministers?|chairs?"
                           r"|negotiators?|experts?|heads?|leaders?|envoys?|activists?|researchers?|executives?|officers?|lawyers?"
                           r"|professors?|scholars?|analysts?|journalists?|organi[sz]ations?"
                           r"|groups?|companies)\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?!(?:The|A|An|This|That|These|Those|Its|Their|Our|In|On|At|For|By|Under|After|Before|During"
                   r"|As|If|When|While|Article|Articles|Chapter|Section)\b)[A-Z][a-z]+(?:[-'’][A-Za-z]+)?"
                   r"(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:[-'’][A-Za-z]+)?)+")
# "Which articles …?", "What provisions …?": a sentence that names an article holds one.
# ("Which specific articles…?" too; "Which draft provision…?" may be answered by what it says, not its number.)
_ARTICLES = re.compile(r"\b(?:which|what) (?:articles?|provisions?)\b"
                       r"|\b(?:which|what) (?:(?!(?:did|does|do|was|were|is|are|has|have|had)\b)[\w-]+ ){1,2}?articles?\b",
                       re.IGNORECASE)


def asks_articles(clause: str) -> bool:
    return bool(_ARTICLES.search(clause))


# A role one person holds: "Who was the UN High Commissioner for Human Rights?" asks who held it.
PERSON_ROLES = (r"president|chair\w*|head|director|secretary|minister|ambassador|spokes\w+|representative|envoy|leader"
                r"|commissioner|rapporteur|coordinator|executive|officer|advis[eo]r|professor|lawyer|counsel")
# "Who chaired / headed / led / represented …?", "What is the name of …?", "Which official…?" ask for a person, whom a state,
# a group or a body ("the General Assembly", "the Group for Linguistic Consistency") does not name.
_ASKS_PERSON = re.compile(r"\bwho (?:\w+ )?(?:chair|head|lead|led|presid|represent|direct|spoke for|speaks for)\w*"
                          # ("Who signed the convention on behalf of New Zealand?", "…, who signed on its behalf?": one
                          # who acts for a state is a person)
                          r"|\bwho\b[^?]{0,80}\bon (?:\w+ )?behalf\b"
                          rf"|\bwho (?:is|was|were|are) (?:the )?(?:[\w'’-]+ ){{0,3}}?(?:{PERSON_ROLES})\b"
                          r"|\bname (?:of|the)\b|\bwhat (?:is|was) (?:his|her|their) name\b"
                          # "Which Human Rights Watch official…?", one person by a role: a heading's capitalised words
                          # ("The Draft Text's scope…") name no one.
                          # (the words between "which" and the role are its modifiers: "Which articles did the
                          # Chair's proposal touch?" asks for articles, "Which country held the chair…?" a country)
                          # ("Which country's envoy…?" asks whose envoy: a possessive names the owner asked for, not the person.)
                          # ("To which diplomat did they address the letter?": a preposition may lead.)
                          r"|^(?:(?:and|so|then|but) )?(?:(?:to|for|by|from|with) )?which (?:(?!(?:did|does|do|was|were|is|are|has|have|had|will|would|the|a|an|its|their)\b"
                          r"|[\w-]+['’]s\b)"
                          r"[\w'’-]+ ){0,4}?(?:official|ambassador|diplomat"
                          r"|spokes(?:person|man|woman)|director|minister|chair(?:person|man|woman)?|negotiator|envoy|executive|officer"
                          r"|lawyer|professor|scholar|analyst|journalist)\b",
                          re.IGNORECASE)
# A person's name, as news copy gives one: after a title ("President … Philémon Yang", "Ambassador Deborah
# McCarthy"), or before or after "said" ("Deborah Brown said", "said Deborah Brown").
_PERSON_NAME = r"[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?(?:\s+(?:[A-Z]\.\s+)?[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?)+"
_TITLE = (r"(?:President|Ambassador|Amb\.|Director(?:[- ]General)?|Secretary(?:[- ]General)?|Minister|Chair(?:person|woman|man)?"
          r"|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof\.?|Professor|Judge|Spokesperson|Envoy|Commissioner)")
_PERSON = re.compile(rf"\b{_TITLE}\s+(?:\([^)]*\)\s+)?(?:(?:of|for) the (?:[A-Z][\w.]*\s+)+)?(?P<a>{_PERSON_NAME})"
                     rf"|(?P<b>{_PERSON_NAME}),?\s+(?:said|says|told|stated|added|noted|warned|wrote|writes|authored|penned)\b"
                     rf"|\b(?:said|says)\s+(?P<c>{_PERSON_NAME})"
                     # ("Kaja Ciglic, senior director for digital diplomacy at Microsoft, took part…")
                     rf"|(?P<d>{_PERSON_NAME}),\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){{0,3}}(?i:{PERSON_ROLES})\b"
                     # ("Nick Ashton-Hart, representing over 100 tech companies, suggests…": one who acts for others)
                     rf"|(?P<e>{_PERSON_NAME}),\s+(?:representing|speaking for|speaking on behalf of|on behalf of)\b"
                     # ("…development minister Mmamoloko Kubayi, who…", "spokesperson Amy Hogan-Burney wrote": a role in
                     # lower case before the name)
                     rf"|\b(?:{PERSON_ROLES})\s+(?P<f>{_PERSON_NAME})")
_TITLED_PERSON = re.compile(rf"{_TITLE}\s+{_PERSON_NAME}")


def _person_of(m: re.Match) -> str:
    return m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e") or m.group("f")


def people_in(text: str) -> list[str]:
    """The persons a text names as such: with a title or a role, or as who said something ("said Katitza Rodriguez")."""
    return [_person_of(m) for m in _PERSON.finditer(text)]


def is_titled_person(name: str) -> bool:
    """Whether a name is a person's, given with a title ("Ambassador Ana McCarthy", "Dr Lee Park")."""
    return bool(_TITLED_PERSON.fullmatch(name.strip()))


# An office named in capitals answers "Which UN official…?" as a name does: "the UN High Commissioner for Human Rights",
# "the Secretary-General" (one capitalised word, "the Chair", does not: it repeats the question's role).
_OFFICE = re.compile(r"\b(?:(?!(?:The|A|An|This|That|Its|Their|Our|His|Her)\b)[A-Z][\w’'-]*\s+)+(?P<role>Commissioner|Director"
                     r"|President|Minister|Ambassador|Rapporteur|Envoy|Representative|Secretary|Chair)\b|\b(?P<general>[A-Z]\w+-General)\b")
_DEPUTY = re.compile(r"\b(?:vice|deputy|assistant|former|acting|co)[- ]", re.I)
_ROLE_STEMS = frozenset(terms("chair president director secretary minister ambassador head leader lead representative "
                               "envoy commissioner rapporteur"))
# The kinds of actor that are no person, though named by capitalised words: "Human Rights Watch" (a stakeholder)
# does not answer "What is the name of the lawyer who spoke for ARTICLE 19?".
_BODIES = {"state", "observer_state", "group", "organisation", "forum", "stakeholder"}


def asks_person(question: str) -> bool:
    """Does the question ask for a person ("Who headed…?", "What is the name of…?", "Which official…?")?"""
    return bool(_ASKS_PERSON.search(question)) or asks_author(question)


# "Who wrote…?", "Who are the authors of…?": a report's author, whom its byline names.
_ASKS_AUTHOR = re.compile(r"^(?:(?:and|so|then|but) )?(?:who\b[^?]{0,20}?\b(?:wrote|authored|co-?authored|penned"
                          r"|(?:co-?)?authors?)\b|(?:name|list) the (?:co-?)?authors?\b)", re.IGNORECASE)
# A byline: "By Dr Leo S.F. Lin, …", "Written by the Wikimedia Foundation's: Stan Adams, …", "Author: Jane Doe"; or
# an author's note ("Joyce Hakmeh is a senior research fellow with…").
_AUTHOR_NAME = r"[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?(?:\s+(?:[A-Z]\.)+)?\s+[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?"
_BYLINE = re.compile(r"^(?:By|Written by|Authors?:)\s+(?:the\s+[^:]{0,60}:\s+)?(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Hon)\.?\s+)?"
                     rf"{_AUTHOR_NAME}|^(?!(?:The|This|That|These|Its|It|Their|Our)\b){_AUTHOR_NAME} (?:is|was) (?:a|an|the)\b")


def asks_author(question: str) -> bool:
    return bool(_ASKS_AUTHOR.search(question.strip()))


def is_byline(text: str) -> bool:
    return bool(_BYLINE.match(text.strip()))


_ROLE_NOUN = rf"(?:delegation|delegates?|{PERSON_ROLES}|officials?|diplomats?|negotiators?)"


def role_owners(question: str, gazetteer) -> set[str]:
    """The actors whose person the question asks for: "Russia's delegation", "the Kenyan ambassador", "Which
    Microsoft executive…", "the head of the EU delegation"; not an actor the person acted on ("…vetoed by Russia")."""
    owners = set()
    for a, start, end in gazetteer.find_actors(question):
        if re.match(rf"(?:['’]s)?\s+(?:[\w-]+\s+)?{_ROLE_NOUN}\b", question[end:], re.IGNORECASE) or \
                re.search(rf"\b{_ROLE_NOUN}\s+(?:of|for|from)\s+(?:the\s+)?$", question[:start], re.IGNORECASE):
            owners.add(a)
    return owners


def someone_test(question: str, gazetteer):
    """Whether a sentence names someone the question does not: an actor the gazetteer knows or a
    name of two capitalised words that are not all the question's (a person's name, when the question
    asks for a person)."""
    person = asks_person(question)
    asked = {a for a, _, _ in gazetteer.find_actors(question)}
    words = set(re.findall(r"[\w'’-]+", question.casefold()))  # ("Watch?" is the word "watch")
    stems = set(terms(question))

    def names_someone(text: str) -> bool:
        # ("Who chaired the session?" is not answered by "the Chair": the question's own verb names that role.)
        found = gazetteer.find_actors(text)
        # (When a person is asked for, a known actor answers only by a person's name: "Faouzia Boumaiza
        # Mebarki", not "the chairperson" nor a state or a body.)
        if any(a not in asked and not set(terms(text[start:end])) <= stems and not (person and (
                gazetteer.actors[a].kind in _BODIES or not re.fullmatch(_PERSON_NAME, text[start:end])))
               for a, start, end in found):
            return True
        if person and is_byline(text):
            return True
        if person:  # (a title stays in the text: "President of the UN General Assembly Philémon Yang said")
            # (A deputy of the role asked is not its holder: "X, the Africa Group Vice Chair of the Committee" does not
            # answer "Who chaired the Committee?".)
            names = [_person_of(m) for m in _PERSON.finditer(text)
                     if not (_DEPUTY.search(text[max(0, m.start() - 12):m.end()])
                             and set(terms(m.group(0))) & stems & _ROLE_STEMS)]
            return any(not set(re.findall(r"[\w'’-]+", name.casefold())) <= words
                       for name in names) or any(
                not set(terms(m.group("role") or m.group("general"))) <= stems for m in _OFFICE.finditer(text))
        for _, start, end in found:  # (a known actor's name is judged above, not as two capitalised words)
            text = text[:start] + " " * (end - start) + text[end:]
        return any(not set(m.group(0).casefold().split()) <= words for m in _NAME.finditer(text))
    return names_someone


# What a question asks for by name: "What fine does…", "What was the turnout at…", "How many staff…",
# "What is the maximum prison sentence the convention sets…". When the sources never use that word, they
# cannot hold one (a nearby sentence on the topic would be a near miss passed off as an answer). Words
# that name only the type of answer ("what kind", "which body", "on what date") are not such a thing.
AUXILIARIES = r"(?:did|does|do|was|were|is|are|has|have|had|will|would|could|can|should|may|might|must)"
_ASKED_THING = re.compile(
    r"^(?:(?:and|so|then|but|on|in|at|by|for|from|to|since|until) )?(?:"
    r"how (?:many|much) (?P<counted>[a-z][a-z-]*)"  # "How many staff…"
    rf"|(?:what|which) (?:is|was|are|were|will be|would be) the (?P<value>(?:[a-z][a-z-]*\s+){{0,2}}?[a-z][a-z-]*)\s+(?:of|at|in|on|for|to|from|by|with|that|which|the|a|an|behind|about|between|against|over|under|among|into|across|{AUXILIARIES})\b"
    rf"|(?:what|which) (?P<thing>(?:[a-z][a-z-]*\s+){{0,2}}[a-z][a-z-]*)\s+{AUXILIARIES}\b)",  # "What fine does…"
    re.IGNORECASE)
_ANSWER_TYPE_WORDS = frozenset(
    # the type of answer
    "kind kinds type types sort sorts form forms body bodies date dates day days time times year years month months "
    "way ways thing things else part parts point points number numbers amount amounts role roles step steps issue "
    "issues aspect aspects extent degree level levels message messages name names other others percentage share "
    "proportion happened exactly city cities town towns place places venue venues location locations "
    # what an answer makes of something, said in whatever words the sources use ("the downside of…")
    "reason reasons cause causes purpose purposes aim aims goal goals objective objectives motive motives rationale "
    "justification impact impacts effect effects consequence consequences result results outcome outcomes "
    "significance importance meaning implication implications benefit benefits advantage advantages downside "
    "downsides drawback drawbacks disadvantage disadvantages problem problems concern concerns worry worries risk "
    "risks danger dangers criticism criticisms critics objection objections complaint complaints argument arguments "
    "response responses reaction reactions verdict assessment assessments lesson lessons takeaway takeaways "
    "difference differences change changes status situation state context background story priority priorities "
    "focus approach strategy plan plans idea ideas".split())


def asked_thing(clause: str) -> str | None:
    """The words naming what the question asks for ("fine" in "What fine does…?", "turnout" in "What
    was the turnout at…?", "staff" in "How many staff…?"), when its wording shows them: the words between
    the question word and an auxiliary or a preposition. None for a word that names only the type of
    answer ("what kind", "which body") and for other wordings ("What led the Council…?")."""
    m = _ASKED_THING.match(clause.strip())
    if not m:
        return None
    words = []
    for w in (m.group("counted") or m.group("value") or m.group("thing")).split():
        if w.casefold() in stopwords():
            break  # ("the turnout at the vote": the thing ends at its preposition)
        words.append(w)
    if not words or any(w.casefold() in _ANSWER_TYPE_WORDS for w in words):
        return None
    return " ".join(words)


_WHICH_STATES = re.compile(r"^(?:(?:and|so|then|but) )?(?:which|what) (?:other )?(?:countries|states|member states|delegations"
                           r"|governments|nations|blocs|groups)\b", re.I)
_WHICH_STATE = re.compile(r"^(?:(?:and|so|then|but) )?(?:which|what) (?:country|state|member state|delegation|government"
                          r"|nation|bloc)\b", re.I)
_LISTED_KINDS = ("state", "observer_state", "group")


def asked_test(kind: str, asks_date: bool, clause: str = "", gazetteer=None):
    """A test of whether a sentence (an AnnotatedSentence) holds what the question asks for (None:
    nothing in particular)."""
    if asks_date:
        return lambda s: gives_time(s.sentence.text)
    if _ASKS_NEXT.search(clause):
        return lambda s: bool(_AHEAD.search(s.sentence.text))
    if _ASKS_SPAN.search(clause.strip()):
        return lambda s: bool(_SPAN.search(s.sentence.text))
    if kind == "number":
        if gazetteer is None:
            return lambda s: bool(_FIGURE.search(s.sentence.text))
        # (A number in a name is no figure: "ARTICLE 19 delivered a statement", "the Group of 77 said".)
        return lambda s: bool(_FIGURE.search(gazetteer.blanked(s.sentence.text)))
    if kind == "outcome":
        return lambda s: bool(_DECIDED.search(s.sentence.text))
    if _ARTICLES.search(clause):
        return lambda s: bool(s.articles)
    # ("Who …?" is left to sentences.someone_named, which declines when no near sentence names anyone: ranked up
    # here, a sentence naming other delegations would pass that check without answering "Who represented
    # Kenya?")
    if asks_author(clause):
        return lambda s: is_byline(s.sentence.text)
    if gazetteer is not None and _WHICH_PERSON.match(clause):
        names_someone = someone_test(clause, gazetteer)
        return lambda s: names_someone(s.sentence.text)
    if gazetteer is not None and _WHICH_STATES.search(clause):
        # "Which countries voted no?": a sentence naming several states or groups ("58 voted against it, including
        # Canada, the EU, Georgia…") holds a list of them.
        actors = gazetteer.actors
        return lambda s: sum(1 for a in s.actors if a in actors and actors[a].kind in _LISTED_KINDS) >= 2
    if gazetteer is not None and _WHICH_STATE.search(clause):
        # "Which country first proposed the treaty?": a sentence naming a state or group the question does not.
        actors, named = gazetteer.actors, {a for a, _, _ in gazetteer.find_actors(clause)}
        return lambda s: any(a in actors and actors[a].kind in _LISTED_KINDS and a not in named for a in s.actors)
    return None


def part_test(kind: str, asks_date: bool, part: str, gazetteer=None):
    """asked_test for one part of a question of several parts; a part that asks of an act of the treaty ("…, and what
    has to happen before it takes effect?") holds it in a sentence on that act ("It will enter into force…"): its own
    words say little else. (Not so a whole question: in "Who presided when it was adopted?" the act dates what is asked.)"""
    if test := asked_test(kind, asks_date, part, gazetteer):
        return test
    if stage := stage_asked(part):
        return lambda s: stage in stages_in(s.sentence.text)
    return None
