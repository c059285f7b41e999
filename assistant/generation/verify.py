"""Checking a generated answer sentence by sentence against the passages it cites.

A sentence is kept only if all of these hold:

1. It cites at least one passage, every cited number exists, and no cited passage
   reads as an instruction to the assistant (such a passage supports nothing).
2. Everything that can make a claim false on its own is in the cited passages
   exactly: every actor it names (gazetteer, aliases resolved), every article or
   provision ("Article 35(3)" needs 35(3), not just 35), every number (digits or
   number words, "six" = "6"), every capitalised name or acronym, and every
   stance word (supported, opposed, proposed, deletion, withdrew, offered, ...).
3. Who did what to whom: the sentence's actors and stance words, in order
   ("Pakistan | supported | Egypt"), occur in that order in one cited statement
   (a quote led by its speaker, a record summary, a reason) or in the cited
   statements read one after the other. "Egypt supported Pakistan" against
   "Pakistan supported Egypt" fails; so does a passive rewording, which is the
   price of catching swapped roles with a lexical check.
4. Negation agrees: a term the sentence negates must be negated in the passages,
   and a term the passages only ever negate cannot be asserted.
5. At least three quarters of its remaining content words (stems, after the
   words checked in 2 and a list of function and reporting words) occur in the
   cited passages. The slack is for paraphrase glue ("because", "during"); the
   words that carry the claim are all checked in 2 to 4.
6. It says something checkable (two or more content words or names), is not cut
   off ("... was supported by [1]."), and does not itself read as an instruction.

"The cited passages" means, for each cited number: the verbatim quote, its
speaker (attribution) and section heading, the curated position records resting
on that quote (the summary of the stance it shows, or the reason it gives, with
the record's actors and provisions: as the extractive answer uses them), and the actors and
articles the corpus annotates the quoted sentences with (a "They ..." sentence
carries the previous sentence's speaker, a paragraph under "Article 24" is
about Article 24). All of it is either the source's own text or data validated
against it when the index was built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..answer import Citation
from ..corpus import Corpus, terms
from ..gazetteer import _ARTICLE_REF, article_of, find_provisions
from ..instructions import is_instruction
from .prompt import Passage

MIN_TERM_COVERAGE = 0.75
MIN_CHECKABLE = 2

# A citation marker as models write them: [1], [1, 2], [1][2], [passage 1].
MARKER = re.compile(r"\[\s*(?:passages?|sources?|evidence)?\s*(\d{1,3}(?:\s*[,;&]\s*(?:and\s*)?\d{1,3})*)\s*\]", re.I)
_LEADING_MARKERS = re.compile(r"^(?:\s*\[[^\]\n]{0,40}\])+\s*[.!?]?")
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’'\)]))\s+(?=[\[A-Z\"“‘'(])|\s*\n\s*")
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)])\s+")
_LETTER = re.compile(r"[^\W\d_]")
_CUT_OFF = re.compile(r"\b(?:by|of|to|and|or|the|a|an|with|from|for|in|on|at|as|that|which|such as|than|like|including)"
                      r"\s*[.!?:,;]?\s*$", re.IGNORECASE)


# Function and reporting words: they glue a paraphrase together and claim nothing.
_GLUE = set(terms(
    "according said says say stated states state noted notes mentioned mentions reported reports also passage "
    "passages evidence source sources further furthermore additionally however moreover therefore thus hence "
    "delegation delegations country countries member members representative representatives party parties "
    "has have had having been being were would could should might may must can shall which whom whose where "
    "when while whereas there here their theirs them themselves its itself his her hers him he she we our us "
    "you your i me my from about above after before during because since through throughout over under "
    "between among against within upon onto toward towards via per than too very more most much many some "
    "any all each every both either other others another such same so only just even still yet again ever "
    "do done doing make made get got go went way ways thing things one's also well like include includes "
    "including included regarding concerning relation respect terms part side order case point points "
    "stress stressed emphasise emphasised emphasize emphasized highlight highlighted explain explained "
    "express expressed argue argued claim claimed point pointed indicate indicated"
))
# Words that state whose side someone took: never paraphrased away.
_STANCE = set(terms(
    "support supported supporting backing backed favour favor endorse oppose opposed opposing object objected "
    "objection reject rejected disagree agree agreed propose proposed proposal suggest suggested call called "
    "delete deleted deletion remove removed drop dropped withdraw withdrew prefer preferred retain retained "
    "keep kept offer offered fund funded funding pay paid concern concerned worried question questioned "
    "criticise criticised criticize welcome welcomed adopt adopted approve approved accept accepted refuse "
    "refused block blocked veto insist insisted consensus"
))
_NEGATORS = {"not", "no", "never", "neither", "nor", "without", "cannot", "none", "nobody", "nothing", "lack",
             "lacks", "lacked", "fail", "failed", "fails"}
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
    "dozen": "12", "twice": "2", "once": "1", "half": "0.5",
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)*|[A-Z]{2,}[a-z]?)\b")
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "It", "Its", "They", "Their", "This", "These", "Those", "That",
              "Article", "Articles", "Art", "According", "Some", "Several", "Many", "Other", "Others", "Both",
              "And", "But", "However", "While", "As", "For", "With", "Also", "He", "She", "We", "I", "Yes", "No"}


def markers(sentence: str) -> list[int]:
    out: list[int] = []
    for m in MARKER.finditer(sentence):
        out += [int(n) for n in re.findall(r"\d+", m.group(1))]
    return list(dict.fromkeys(out))


def strip_markers(sentence: str) -> str:
    text = MARKER.sub(" ", sentence)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str, final: bool = True) -> list[str]:
    """The sentences of generated text, each with the markers that follow it.

    Markers written after the full stop ("... Egypt. [1] Pakistan ...") belong to the
    sentence before. With final=False (text still streaming in) the last sentence is
    withheld: more markers, or more words, may still arrive for it."""
    pieces = [p for p in _BOUNDARY.split(text) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        piece = _BULLET.sub("", piece.strip())
        lead = _LEADING_MARKERS.match(piece)
        if lead and sentences and MARKER.search(lead.group(0)):
            sentences[-1] = f"{sentences[-1]} {lead.group(0).strip()}"
            piece = piece[lead.end():].strip()
        if not piece:
            continue
        if not _LETTER.search(MARKER.sub("", piece)) and sentences:
            sentences[-1] = f"{sentences[-1]} {piece}"
            continue
        sentences.append(piece)
    if not final and sentences:
        sentences.pop()
    return sentences


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['][a-z]+)?", text.casefold().replace("’", "'"))


_AUXILIARIES = {"be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "do", "does", "did",
                "able", "yet", "fully", "also", "only", "even", "always", "necessarily", "so", "to", "any", "a", "the"}


def polarity(text: str) -> tuple[set[str], set[str]]:
    """(stems said plainly, stems negated): a negator ('not', "didn't", 'no', 'without', ...)
    negates the first content word after it, past auxiliaries ('has not been reached' -> reach)."""
    plain, negated = set(), set()
    pending = False
    for token in _tokens(text):
        if token in _NEGATORS or token.endswith("n't"):
            pending = True
            continue
        if pending and token in _AUXILIARIES:
            continue
        stems = terms(token)
        if not stems:
            continue
        (negated if pending else plain).update(stems)
        pending = False
    return plain, negated


def numbers_in(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        value = m.group(0).casefold()
        out.add(_NUMBER_WORDS.get(value, value.replace(",", "")))
    return out


@dataclass
class Support:
    """What a set of cited passages states."""

    text: str = ""
    terms: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    provisions: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)
    negated: set[str] = field(default_factory=set)
    sequences: list[list] = field(default_factory=list)  # who-took-which-stance order, one per statement

    def __or__(self, other: "Support") -> "Support":
        return Support(f"{self.text}\n{other.text}", self.terms | other.terms, self.actors | other.actors,
                       self.provisions | other.provisions, self.articles | other.articles,
                       self.numbers | other.numbers, self.plain | other.plain, self.negated | other.negated,
                       self.sequences + other.sequences)


_LIST_GAP = re.compile(r"^[\s,;]*(?:(?:and|or|&|as well as|together with)\s+)?(?:the\s+)?$", re.IGNORECASE)


def _matches(unit, against) -> bool:
    if isinstance(unit, frozenset):
        return isinstance(against, frozenset) and unit <= against
    return unit == against


def is_subsequence(units: list, sequence: list) -> bool:
    """Whether the units occur in this order in the sequence (an actor group matches any
    group that contains it). Greedy earliest matching decides subsequence exactly."""
    position = 0
    for unit in units:
        while position < len(sequence) and not _matches(unit, sequence[position]):
            position += 1
        if position == len(sequence):
            return False
        position += 1
    return True


@dataclass
class Verdict:
    sentence: str  # as the model wrote it
    claim: str  # without its markers
    numbers: list[int]  # the passage numbers it cites
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Verifier:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.gazetteer = corpus.gazetteer

    # -- what a passage supports ----------------------------------------------
    def _annotations(self, citation: Citation):
        """The corpus's annotated sentences inside a cited span."""
        return self.corpus.sentences_in_spans([(citation.document_id, citation.start, citation.end)])

    def anchors(self, text: str) -> list:
        """Who took which stance, in order: actor groups ('China and the US' is one group)
        and stance stems, as they occur in the text."""
        events: list[tuple[int, int, object]] = [(a, b, actor) for actor, a, b in self.gazetteer.find_actors(text)]
        for m in re.finditer(r"[A-Za-z]+", text):
            stem = terms(m.group(0))
            if stem and stem[0] in _STANCE:
                events.append((m.start(), m.end(), stem[0]))
        events.sort(key=lambda e: e[0])
        units: list = []
        last_end = None
        for start, end, item in events:
            if isinstance(item, str):
                if not (units and units[-1] == item):
                    units.append(item)
            elif units and isinstance(units[-1], frozenset) and _LIST_GAP.match(text[last_end:start]):
                units[-1] = units[-1] | {item}
            else:
                units.append(frozenset({item}))
            last_end = end
        return units

    def support(self, passage: Passage) -> Support:
        c = passage.citation
        annotated = self._annotations(c)
        quote_actors = set(self.gazetteer.actor_ids(c.quote))
        # the speaker of a quote, and whoever a "They ..." sentence refers to, lead its statement
        speaker = (set(self.gazetteer.actor_ids(c.attribution or "")) |
                   {a for s in annotated for a in s.actors}) - quote_actors
        statements: list[tuple[set[str], str]] = [(speaker, c.quote)]
        actors = set(speaker) | quote_actors
        provisions: set[str] = set()
        articles: set[str] = {a for s in annotated for a in s.articles}
        for record in passage.records:  # the stance this quote shows
            statements.append((set(record.get("actors", [])), record.get("summary") or ""))
        for record in passage.reasons:  # the reason this quote gives
            statements.append((set(record.get("actors", [])), record.get("reason") or ""))
        for record in passage.records + passage.reasons:
            actors |= set(record.get("actors", []))
            provisions |= set(record.get("provisions", []))
        parts = [text for _, text in statements] + [c.attribution or "", c.section or ""]
        parts += [self.gazetteer.name(a) for a in actors]
        text = "\n".join(p for p in parts if p)
        actors |= set(self.gazetteer.actor_ids(text))
        provisions |= set(find_provisions(text))
        articles |= {article_of(p) for p in provisions} | set(self.gazetteer.find_articles(text, by_name=True))
        plain, negated = polarity(text)
        numbers = numbers_in(text) | {n for p in provisions for n in re.findall(r"\d+", p)}
        sequences = []
        for lead, statement in statements:
            units = self.anchors(statement)
            named = {a for u in units if isinstance(u, frozenset) for a in u}
            lead = frozenset(lead - named)
            sequences.append(([lead] if lead else []) + units)
        return Support(text, set(terms(text)), actors, provisions, articles, numbers, plain, negated, sequences)

    # -- one sentence -----------------------------------------------------------
    def verify(self, sentence: str, passages: dict[int, Passage], supports: dict[int, Support] | None = None) -> Verdict:
        numbers = markers(sentence)
        claim = strip_markers(sentence)
        verdict = Verdict(sentence, claim, numbers)
        problems = verdict.problems
        if not numbers:
            problems.append("cites no passage")
            return verdict
        unknown = [n for n in numbers if n not in passages]
        if unknown:
            problems.append(f"cites passages that do not exist: {unknown}")
            return verdict
        if is_instruction(claim):
            problems.append("reads as an instruction, not a claim")
            return verdict
        if _CUT_OFF.search(claim):
            problems.append("is cut off before it says who or what")
            return verdict
        poisoned = [n for n in numbers if is_instruction(passages[n].quote)]
        if poisoned:
            problems.append(f"cites passages that read as instructions to the assistant: {poisoned}")
            return verdict
        supports = supports if supports is not None else {}
        support = Support()
        for n in numbers:
            if n not in supports:
                supports[n] = self.support(passages[n])
            support = support | supports[n]

        # names, articles, numbers: exactly as in the passages
        actor_spans = self.gazetteer.find_actors(claim)
        missing_actors = sorted({a for a, _, _ in actor_spans} - support.actors)
        if missing_actors:
            problems.append("names actors the passages do not: " + ", ".join(self.gazetteer.name(a) for a in missing_actors))
        for provision in find_provisions(claim):
            if "(" in provision:
                ok = any(p == provision or p.startswith(provision + "(") for p in support.provisions)
            else:
                ok = provision in support.articles
            if not ok:
                problems.append(f"Article {provision} is not in the passages")
        for article in self.gazetteer.find_articles(claim, by_name=True):
            if article not in support.articles and f"Article {article} is not in the passages" not in problems:
                problems.append(f"Article {article} (named by its title) is not in the passages")
        rest = claim
        for _, start, end in sorted(actor_spans, key=lambda x: -x[1]):
            rest = rest[:start] + " " + rest[end:]
        rest = _ARTICLE_REF.sub(" ", rest)  # checked above
        unsupported_numbers = sorted(numbers_in(rest) - support.numbers)
        if unsupported_numbers:
            problems.append(f"numbers not in the passages: {', '.join(unsupported_numbers)}")
        names = {m.group(0) for m in _NAME.finditer(rest) if m.start() > 0 or m.group(0).isupper()}
        names = {n for n in names if n not in _NOT_NAMES}
        missing_names = sorted(n for n in names if not set(terms(n)) <= support.terms)
        if missing_names:
            problems.append(f"names not in the passages: {', '.join(missing_names)}")

        # stance words, who took them (in the order a cited statement gives), and negation
        words = set(terms(re.sub(r"\d+(?:[.,]\d+)*", " ", rest)))
        missing_stance = sorted((words & _STANCE) - support.terms)
        if missing_stance:
            problems.append(f"stance words not in the passages: {', '.join(missing_stance)}")
        units = self.anchors(claim)
        if len(units) > 1 and not missing_actors and not missing_stance:
            combined = [u for sequence in support.sequences for u in sequence]
            if not any(is_subsequence(units, seq) for seq in [*support.sequences, combined]):
                problems.append("actors and stances are not in the order a cited passage gives them "
                                "(who did what to whom)")
        plain, negated = polarity(rest)
        if negated - support.negated:
            problems.append(f"negates what the passages do not: {', '.join(sorted(negated - support.negated))}")
        flipped = (plain & support.negated) - support.plain
        if flipped:
            problems.append(f"asserts what the passages negate: {', '.join(sorted(flipped))}")

        # the rest of the content words: mostly the passages' own
        content = words - _GLUE
        checkable = len(content) + len(actor_spans) + len(find_provisions(claim)) + len(numbers_in(rest))
        if checkable < MIN_CHECKABLE:
            problems.append("says nothing that can be checked")
        elif content:
            covered = content & support.terms
            if len(covered) / len(content) < MIN_TERM_COVERAGE:
                problems.append(f"words not in the passages: {', '.join(sorted(content - support.terms))}")
        return verdict
