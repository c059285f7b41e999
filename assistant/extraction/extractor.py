"""Rule-based stance extraction: who took which stance on which article, with verbatim evidence.

Offline and deterministic: the gazetteer finds the actors and articles, the
cue lexicon (lexicon.py) finds the verbs that attribute a stance, and a small
amount of discourse state carries what a sentence leaves implicit:

* the article in focus ("this article", "those articles", "paragraph 3(h)"
  of the article discussed just before, the provision a paragraph is about);
* the record a reaction answers ("X supported this", "opposed such a
  proposal", "supported the US", "Brazil's proposal");
* the actors behind "They" / "These states", and a following sentence by the
  same actor that gives a reason ("Egypt pointed out ...").

A sentence is split into clauses at "while", "whereas", "but", ";" and where a
new list of actors starts with its own verb ("Pakistan supported Egypt and
Brazil suggested ..."). Each clause with a subject and a stance cue yields a
record. Quoted material is masked first, so words inside a quote of the
treaty text are never read as a delegation's own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..cleaning import Paragraph
from ..gazetteer import Gazetteer, article_of, find_provisions
from ..instructions import is_instruction
from ..passages import Sentence, split_sentences
from ..positions import Evidence, Position
from . import lexicon as L

EXTRACTOR_VERSION = "1"

_STANCE_VERB = {
    "supports": "supported", "opposes": "opposed", "proposes": "proposed", "calls_for_deletion": "called for deleting",
    "withdraws": "withdrew", "prefers": "preferred", "questions": "questioned",
    "expresses_concern": "expressed concern about", "offers": "offered",
}
_NO_OBJECT = {
    "supports": "expressed support", "opposes": "objected", "proposes": "made a proposal",
    "calls_for_deletion": "called for a deletion", "withdraws": "withdrew a proposal", "prefers": "stated a preference",
    "questions": "raised questions", "expresses_concern": "expressed concern", "offers": "made an offer",
}
_REFERENT_NOUN = {"proposes": "proposal", "calls_for_deletion": "call for deletion", "supports": "position",
                  "opposes": "objection", "prefers": "preference", "offers": "offer", "questions": "question",
                  "expresses_concern": "concern", "withdraws": "withdrawal"}
_PARAGRAPH_REF = re.compile(r"\b(?:sub)?paragraphs?\s+(\d{1,2})\s*(?:\(\s*([a-z])\s*\)|\.([a-z])\b)?", re.IGNORECASE)
_PURPOSE = re.compile(r"\b(?:in\s+order\s+to|so\s+as\s+to|to)\s+(?:ensure|prevent|allow|avoid|guarantee|protect|promote|reach|"
                      r"give|provide|safeguard|preserve|limit)\b", re.IGNORECASE)
_ELABORATION = re.compile(r"^\W*(?:the|this|that|their|its|such\s+an?)\s+(?:\w+\s+)?(?:proposal|suggestion|amendment|initiative)s?\b",
                          re.IGNORECASE)
_QUOTED = re.compile(r"[‘“]([^‘“’”]*?(?:[’”](?=[A-Za-z])[^‘“’”]*?)*)[’”](?![A-Za-z])|\"[^\"]*\"")
_LEADING = re.compile(r"^[\s,;:]*(?:(?:while|whereas|but|though|although|yet|and)\s+)?", re.IGNORECASE)
_CONNECTIVE = r"(?:however|additionally|moreover|also|further(?:more)?|in\s+addition|in\s+particular|similarly|likewise|instead|" \
              r"meanwhile|then|finally|notably|on\s+the\s+other\s+hand|in\s+the\s+end|in\s+turn|for\s+instance|for\s+example|though|" \
              r"although|while|whereas|but|and|yet)"
_OBJECT_GAP = re.compile(r"^\s*(?:the\s+)?(?:(?:proposal|position|suggestion|amendment|idea)s?\s+(?:of|by)\s+(?:the\s+)?)?$", re.I)
_SAME_SUBJECT = re.compile(r"^\s*(?:(?:also|then|later|still|nonetheless|nevertheless|again|strongly|firmly|repeatedly)\s+)*$", re.I)
_PASSIVE_SUBJECT = re.compile(r"^\W*(?:(?i:however|but|yet|and),?\s+)?(?i:this|that|it|these|those)\b", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:\s|,|\(|\))*(?:(?:in\s+particular|among\s+others|and\s+others|and\s+other\s+\w+|as\s+well|also|too|strongly|firmly|"
    r"jointly|both|all|together|further|again|initially|later|then|instead|however|therefore|in\s+turn|for\s+(?:its|their)\s+part|"
    r"(?:with\s+support|supported|backed)\s+(?:from|by)\s+[^,;]{1,60}|[’']s?\s+(?:representatives?|delegations?|delegates?)|"
    r"delegations?|representatives?|delegates?|states|countries|themselves|itself|had|have|has|were|was|then|subsequently|"
    r"immediately|quickly|clearly|explicitly|repeatedly|once\s+more|on\s+\w+\s+\d{1,2}(?:\s+\w+)?)(?:\s|,|\(|\))*)*$",
    re.IGNORECASE,
)
_RUN_AFTER_GAP = re.compile(r"^(?:\s|,)*(?:(?:the|several|some|many|other|a\s+number\s+of|a\s+group\s+of|states|delegations|"
                            r"countries|members|such\s+as|like|including|notably|among\s+them)(?:\s|,)+)*$", re.IGNORECASE)
_CAP_NAME = r"[A-Z][\w’'-]+(?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w’'-]+){0,3}"
_LIST_GLUE_NAMED = re.compile(
    rf"^\s*(?:,\s*)?(?:(?:and|or|&|as\s+well\s+as|plus)\s+)?(?:the\s+)?(?P<unknown>{_CAP_NAME})\s*(?:,\s*)?(?:(?:and|or|&|as\s+well\s+as)\s+)?(?:the\s+)?$"
)
_LIST_GLUE_WORD = re.compile(r"^\s*(?:,\s*)?(?:and|or|&|as\s+well\s+as|plus|together\s+with|along\s+with)\s+(?:the\s+)?[a-z]+\s+$", re.I)


# -- data ----------------------------------------------------------------------
@dataclass
class Mention:
    actor: str
    start: int
    end: int
    role: str  # subject | ref (author of "X's proposal") | pobj (object of a preposition) | none
    consumed: bool = False


@dataclass
class Cue:
    start: int
    end: int
    stance: str | None
    kind: str
    weak: bool
    subject: list[Mention] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return L.PRIORITY.index(self.stance) if self.stance in L.PRIORITY else len(L.PRIORITY)


@dataclass
class Clause:
    start: int
    subject: list[Mention]
    cues: list[Cue]
    how: str = "named"  # named | anaphora | passive
    objects: list[Mention] = field(default_factory=list)
    end: int = 0


@dataclass
class Draft:
    actors: list[str]
    stance: str
    provisions: list[str]
    sentence: Sentence
    paragraph: Paragraph
    start: int  # quote span in the document
    end: int
    confidence: float
    responds_to: "Draft | None" = None
    doc: object = None
    weak: bool = False
    core: str = ""  # the source words from the cue on, for the summary
    reason: str | None = None
    extra: list[tuple[int, int]] = field(default_factory=list)  # further evidence (reason sentences)
    notes: list[str] = field(default_factory=list)
    index: int = 0
    id: str = ""


@dataclass
class Candidate:
    """A name that reads like a delegation in a stance sentence but is not in actors.yaml."""

    name: str
    document: str
    start: int
    end: int
    quote: str
    stance: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "document": self.document, "start": self.start, "end": self.end,
                "stance": self.stance, "quote": self.quote}


@dataclass
class ExtractedRecord:
    position: Position
    confidence: float
    fingerprint: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = self.position.model_dump()
        data["confidence"] = self.confidence
        data["fingerprint"] = self.fingerprint
        if self.notes:
            data["notes"] = list(self.notes)
        return data


@dataclass
class Extraction:
    document: str
    records: list[ExtractedRecord]
    candidates: list[Candidate]


def record_fingerprint(document: str, quote: str, stance: str, actors, provisions) -> str:
    """Content key of an extracted record: survives offsets moving when the document is edited."""
    payload = "\x1f".join([document, " ".join(quote.split()), stance, ",".join(sorted(actors)), ",".join(provisions)])
    return hashlib.sha1(payload.encode()).hexdigest()[:12]


def mask_quotes(text: str) -> str:
    """Blank out quoted material (treaty text, speech) keeping every offset."""
    out = list(text)
    for m in _QUOTED.finditer(text):
        for i in range(m.start() + 1, m.end() - 1):
            if not out[i].isspace():
                out[i] = "x"
    return "".join(out)


def provision_key(p: str):
    parts = re.findall(r"\d+|[a-z]", p)
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in parts)


def sort_provisions(provisions) -> list[str]:
    return sorted(dict.fromkeys(provisions), key=provision_key)


# -- the extractor -------------------------------------------------------------
class Extractor:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        names: dict[str, str] = {}
        for article in gazetteer.articles.values():
            for name in [article.title, *article.names]:
                # Single common words ("safeguards", "fraud", "extradition") name a topic more often than the article.
                if len(name.split()) >= 2 or re.search(r"\d", name):
                    names.setdefault(name.casefold(), str(article.number))
        alternatives = sorted(names, key=len, reverse=True)
        self._names = names
        self._name_re = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
                                   + r")(?![\w])", re.IGNORECASE) if alternatives else None

    # -- articles --------------------------------------------------------------
    def named_articles(self, text: str) -> list[str]:
        """Articles referred to by name, not when the name only modifies a noun ('human rights treaty')."""
        if not self._name_re:
            return []
        out = []
        for m in self._name_re.finditer(text):
            after = text[m.end():m.end() + 30]
            if after.startswith("-"):
                continue
            nxt = re.match(r"\s+([a-z]+)", after)
            if nxt and nxt.group(1) in L.MODIFIER_HEADS:
                continue
            out.append(self._names[" ".join(m.group(0).split()).casefold()])
        return list(dict.fromkeys(out))

    def numbered_provisions(self, text: str, focus: list[str]) -> list[str]:
        """'Article 6(2), 7(2), and 12' and 'paragraph 3(h)' of the article in the sentence or in focus."""
        provisions = find_provisions(text)
        articles = list(dict.fromkeys(article_of(p) for p in provisions))
        focus_articles = list(dict.fromkeys(article_of(p) for p in focus))
        for m in _PARAGRAPH_REF.finditer(text):
            if re.search(r"Articles?\s+\d{1,3}\s*,?\s*$", text[:m.start()], re.IGNORECASE):
                continue  # "Article 1, paragraph 3": already read by find_provisions
            if len(articles) == 1:
                article = articles[0]
            elif not articles and len(focus_articles) == 1:
                article = focus_articles[0]
            else:
                continue
            letter = m.group(2) or m.group(3)
            provision = f"{article}({m.group(1)})" + (f"({letter.lower()})" if letter else "")
            provisions = [p for p in provisions if p != article] + [provision]
        return list(dict.fromkeys(provisions))

    # -- mentions and cues -----------------------------------------------------
    def _mentions(self, masked: str) -> list[Mention]:
        out = []
        for actor, start, end in self.gazetteer.find_actors(masked):
            after, before = masked[end:end + 60], masked[max(0, start - 60):start]
            if L.POSSESSIVE_SPEAKER.match(after):
                role = "subject"
            elif L.POSSESSIVE_REF.match(after):
                role = "ref"
            elif L.POSSESSIVE_OTHER.match(after):
                role = "none"
            elif L.SPEAKER_BEFORE.search(before):
                role = "subject"
            elif L.PREPOSITION_BEFORE.search(before):
                role = "pobj"
            else:
                role = "subject"
            out.append(Mention(actor, start, end, role))
        return out

    @staticmethod
    def _cues(masked: str) -> list[Cue]:
        hits = []
        for pattern in L.CUES:
            for m in pattern.regex.finditer(masked):
                hits.append(Cue(m.start(), m.end(), pattern.stance, pattern.kind, pattern.weak))
        # Keep the most specific reading of overlapping words: "didn't support" over "support",
        # "proposed the deletion" over "proposed"; a reason verb never hides a stance cue.
        hits.sort(key=lambda c: (c.kind == "reason", c.rank, -(c.end - c.start), c.start))
        kept: list[Cue] = []
        for c in hits:
            if any(c.start < k.end and k.start < c.end for k in kept):
                continue
            kept.append(c)
        return sorted(kept, key=lambda c: c.start)

    @staticmethod
    def _glued(masked: str, left: Mention, right: Mention, cues: list[Cue]) -> tuple[bool, str | None]:
        gap = masked[left.end:right.start]
        if any(left.end <= c.start < right.start for c in cues if c.kind != "reason"):
            return False, None
        if L.LIST_GLUE.match(gap) or _LIST_GLUE_WORD.match(gap):
            return True, None
        m = _LIST_GLUE_NAMED.match(gap)
        if m and len(gap) < 60:
            return True, m.group("unknown")
        return False, None

    def _run_from(self, masked, mentions, first: int, cues, limit: int, unknown: list) -> list[Mention]:
        run = [mentions[first]]
        for m in mentions[first + 1:]:
            if m.start >= limit or m.consumed or m.role not in ("subject", "pobj"):
                break
            ok, name = self._glued(masked, run[-1], m, cues)
            if not ok:
                break
            if name:
                unknown.append(name)
            run.append(m)
        return run

    # -- clauses ---------------------------------------------------------------
    def _clauses(self, masked: str, mentions: list[Mention], cues: list[Cue], unknown: list) -> list[Clause]:
        splits = list(L.CLAUSE_BOUNDARY.finditer(masked))
        spans = list(zip([0] + [m.end() for m in splits], [m.start() for m in splits] + [len(masked)]))
        out: list[Clause] = []
        last_subject: list[Mention] = []
        for a, b in spans:
            stance_cues = [c for c in cues if a <= c.start < b and c.kind != "reason"]
            ms = [m for m in mentions if a <= m.start < b]
            lead_subject = next((m for m in ms if m.role == "subject"), None)
            # Passive cues take the actors right after them ("with support from Chile and Peru").
            for c in [c for c in stance_cues if c.kind == "passive"]:
                after = [i for i, m in enumerate(ms) if m.start >= c.end and not m.consumed]
                if not after or not _RUN_AFTER_GAP.match(masked[c.end:ms[after[0]].start]):
                    stance_cues.remove(c)  # "with support from several delegations": nobody named
                    continue
                c.subject = self._run_from(masked, ms, after[0], cues, b, unknown)
                for m in c.subject:
                    m.consumed = True
            current: Clause | None = None
            for c in stance_cues:
                if c.kind == "passive":
                    out.append(Clause(c.start, c.subject, [c], "passive"))
                    continue
                if current is None:
                    subject, how = self._first_subject(masked, ms, a, c.start, cues, unknown)
                    if not subject and how == "none" and last_subject and _SAME_SUBJECT.match(masked[a:c.start]):
                        subject, how = list(last_subject), "named"  # "Iran expressed gratitude but raised concerns ..."
                    current = Clause(a, subject, [c], how)
                    out.append(current)
                    continue
                run = self._run_before(masked, ms, c, current.cues[-1].end, cues, unknown)
                if run:
                    objects: list[Mention] = []
                    if _OBJECT_GAP.match(masked[current.cues[-1].end:run[0].start]):
                        if len(run) < 2 or not re.search(r"\band\s+(?:the\s+)?$", masked[run[-2].end:run[-1].start]):
                            current.cues.append(c)  # "supported Egypt" then more words: no new subject
                            continue
                        objects, run = run[:-1], run[-1:]
                    current.objects += objects
                    start = run[0].start
                    back = max(masked.rfind(", ", current.cues[-1].end, start), masked.rfind(" and ", current.cues[-1].end, start))
                    start = back + 1 if back >= 0 else start
                    current = Clause(start, run, [c], "named")
                    out.append(current)
                else:
                    current.cues.append(c)
            if current is not None and current.subject:
                last_subject = current.subject
            elif lead_subject is not None:
                i = ms.index(lead_subject)
                last_subject = self._run_from(masked, ms, i, cues, b, [])
            # regions: each clause runs to the start of the next one of the same span
            span = [cl for cl in out if a <= cl.start < b or (cl.how == "passive" and a <= cl.cues[0].start < b)]
            active = sorted([cl for cl in span if cl.how != "passive"], key=lambda cl: cl.start)
            for i, cl in enumerate(active):
                cl.end = active[i + 1].start if i + 1 < len(active) else b
            for cl in span:
                if cl.how == "passive":
                    cl.end = b
        return [cl for cl in out if cl.subject or cl.how == "anaphora"]

    def _first_subject(self, masked, ms, a, cue_start, cues, unknown) -> tuple[list[Mention], str]:
        for i, m in enumerate(ms):
            if m.start >= cue_start:
                break
            if m.role == "subject" and not m.consumed:
                run = self._run_from(masked, ms, i, cues, cue_start, unknown)
                return run, "named"
        lead = masked[a:cue_start]
        if L.ANAPHORIC_SUBJECT.match(lead):
            return [], "anaphora"
        return [], "none"

    def _run_before(self, masked, ms, cue: Cue, after: int, cues, unknown) -> list[Mention]:
        before = [i for i, m in enumerate(ms) if after <= m.start and m.end <= cue.start and m.role in ("subject", "pobj")
                  and not m.consumed]
        if not before:
            return []
        last = before[-1]
        if not _FILLER.match(masked[ms[last].end:cue.start]) or len(masked[ms[last].end:cue.start]) > L.SUBJECT_FILLER_MAX:
            return []
        first = last
        while first - 1 in before:
            ok, name = self._glued(masked, ms[first - 1], ms[first], cues)
            if not ok:
                break
            if name:
                unknown.append(name)
            first -= 1
        return ms[first:last + 1]

    # -- candidates ------------------------------------------------------------
    def _candidates(self, masked: str, unknown: list[str], mentions: list[Mention], cues: list[Cue]) -> list[tuple[str, int]]:
        names: list[tuple[str, int]] = [(n, masked.find(n)) for n in unknown]
        for pattern in L.CANDIDATE_PATTERNS:
            for m in pattern.finditer(masked):
                names.append((m.group("name"), m.start("name")))
        # "Freedonia opposed ..." / "Freedonia and Canada supported ...": a capitalised subject nobody knows
        lead = re.match(rf"^\W*(?:(?i:{_CONNECTIVE}),?\s+)*(?:[Tt]he\s+)?(?P<name>{_CAP_NAME})(?P<tail>\s*,\s*(?:the\s+)?[A-Z]|\s+and\s+(?:the\s+)?[A-Z]|\s+(?:also\s+|further\s+)?)",
                        masked)
        if lead and not lead.group("tail").strip(" ,") and not any(c.start == lead.end() and c.kind != "reason" for c in cues):
            lead = None  # a capitalised first word followed by anything but a stance verb or a list: not a name
        if lead and not any(m.start <= lead.start("name") < m.end for m in mentions):
            names.append((lead.group("name"), lead.start("name")))
        out = []
        for name, where in names:
            name = re.sub(r"^(?:the|The)\s+", "", name.strip(" ,’'"))
            name = re.sub(r"[’']s$", "", name)
            words = name.split()
            if not words or not name[0].isupper() or words[0] in L.NOT_A_NAME or all(w in L.NOT_A_NAME for w in words):
                continue
            if len(name) < 3 or re.search(r"\d", name) or self.gazetteer.resolve_actor(name):
                continue
            if any(m.start <= where < m.end for m in mentions):
                continue
            if self._name_re and self._name_re.fullmatch(name):
                continue
            out.append((name, where))
        return list(dict.fromkeys(out))

    # -- the document ----------------------------------------------------------
    def extract(self, doc) -> Extraction:
        sentences = split_sentences(doc)
        state = _State(doc)
        for sentence in sentences:
            if is_instruction(sentence.text):  # planted for the assistant, not a report of anyone's position
                continue
            paragraph = doc.paragraphs[sentence.paragraph]
            self._sentence(state, sentence, paragraph)
        return self._finish(state)

    def _heading_provisions(self, paragraph: Paragraph, doc) -> list[str]:
        if not paragraph.section or paragraph.section == doc.title:
            return []
        return find_provisions(paragraph.section) or self.named_articles(paragraph.section)

    def _sentence(self, st: "_State", sentence: Sentence, paragraph: Paragraph):
        text = sentence.text
        quote_paragraph = paragraph.kind == "quote"
        masked = text if quote_paragraph else mask_quotes(text)
        pindex = sentence.paragraph
        cues = self._cues(masked)
        numbered = self.numbered_provisions(masked, st.focus)
        if L.SAME_ARTICLE.search(masked) and st.focus and not numbered:
            numbered = list(st.focus)
        named = self.named_articles(masked) if not numbered else []
        stance_cues = [c for c in cues if c.kind != "reason"]
        created: list[Draft] = []
        unknown: list[str] = []

        if quote_paragraph:
            speakers = self.gazetteer.actor_ids(paragraph.attribution or "")
            if speakers and stance_cues:
                cue = min(stance_cues, key=lambda c: c.rank)
                provisions = numbered or named or self._heading_provisions(paragraph, st.doc)
                draft = self._draft(st, sentence, paragraph, speakers, cue.stance, provisions, 0, len(text), 0.6,
                                    core=text[cue.start:].strip())
                draft.notes.append("quoted speaker (attribution)")
                created.append(draft)
        else:
            mentions = self._mentions(masked)
            clauses = self._clauses(masked, mentions, cues, unknown)
            clauses.sort(key=lambda cl: cl.how == "passive")  # "X, with support from Y, proposed": X's record first
            for clause in clauses:
                draft = self._clause_draft(st, sentence, paragraph, masked, clause, clauses, created, mentions, numbered, named)
                if draft:
                    created.append(draft)
            if not created:
                self._without_cue(st, sentence, paragraph, masked, mentions, cues, numbered, named)
            if stance_cues:
                for name, where in self._candidates(masked, unknown, mentions, cues):
                    cue = next((c for c in stance_cues if c.start >= where), stance_cues[-1])
                    st.candidates.append(Candidate(name, st.doc.id, sentence.start, sentence.end, text, cue.stance))

        if len(created) == 1 or any(len(text[d.start - sentence.start:d.end - sentence.start].split()) < 6 for d in created):
            for d in created:
                d.start, d.end = _trim(text, sentence.start, 0, len(text))
        for i, d in enumerate(created):
            d.index = i
        st.drafts += created
        if numbered:  # a name ("the scope of the convention") is too loose to carry to the next sentence
            st.focus, st.focus_paragraph = sort_provisions(numbered), pindex
        st.last_paragraph = pindex

    def _draft(self, st, sentence, paragraph, actors, stance, provisions, a, b, confidence, core="") -> Draft:
        start, end = _trim(sentence.text, sentence.start, a, b)
        return Draft(list(dict.fromkeys(actors)), stance, sort_provisions(provisions), sentence, paragraph, start, end,
                     confidence, doc=st.doc, core=core)

    def _clause_draft(self, st, sentence, paragraph, masked, clause: Clause, clauses, created, mentions, numbered, named):
        text = sentence.text
        primary = min(clause.cues, key=lambda c: c.rank)
        confidence = 0.9 - (0.2 if primary.weak else 0.0)
        notes: list[str] = []
        region = masked[clause.start:clause.end] if clause.how != "passive" else masked[primary.start:clause.end]
        previous = st.drafts[-1] if st.drafts else None
        # who
        if clause.how == "anaphora":
            prior = created[-1] if created else previous
            if prior is None or st.last_paragraph is None or sentence.paragraph - prior.sentence.paragraph > 1:
                return None
            word = L.ANAPHORIC_SUBJECT.match(masked[clause.start:]).group("word").lower()
            if word in ("it", "he", "she") and len(prior.actors) != 1:
                return None
            actors = list(prior.actors)
            confidence -= 0.15
            notes.append(f"actors from '{word}'")
        else:
            actors = [m.actor for m in clause.subject]
        # The Chair's proposals are procedural or compromise texts: editors record them as outcomes, not stances.
        actors = [a for a in actors if getattr(self.gazetteer.actors.get(a), "kind", None) != "chair"]
        # what
        stance = primary.stance
        referent: Draft | None = None
        if primary.kind == "ellipsis":
            before = [d for d in created]
            if not before or before[-1].stance not in L.NEGATE:
                return None
            stance = L.NEGATE[before[-1].stance]
            referent = before[-1].responds_to or before[-1]
            confidence -= 0.1
            notes.append("elliptical ('... didn't')")
        elif clause.how == "passive":
            main = [d for d in created if d.sentence is sentence]
            referent = main[-1] if main else None
            lead = masked[:primary.start]
            if referent is None and (_PASSIVE_SUBJECT.match(lead) or L.REFERENT.search(lead)):
                pool = [d for d in st.drafts if d.responds_to is None] or st.drafts  # "This was met with opposition from ..."
                if pool and sentence.paragraph - pool[-1].sentence.paragraph <= 2:
                    referent = pool[-1]
        if referent is None and primary.kind != "ellipsis":
            referent = self._referent(st, masked, clause, primary, mentions, created, actors, sentence, paragraph,
                                      numbered, named)
        if referent is not None and set(referent.actors) == set(actors) and stance not in ("withdraws",):
            referent = None  # an actor does not answer itself
        # which provisions
        region_numbered = self.numbered_provisions(region, st.focus)
        plural = re.search(r"\b(?:both|those|these|the\s+two)\s+articles\b", region, re.I)
        if L.ARTICLE_ANAPHOR.search(region) and st.focus and (plural or not region_numbered) and (
                _same_paragraph(st, sentence) or L.SAME_ARTICLE.search(region) or plural):
            # "those articles", "the provision": the articles in focus ("paragraph 4(b) of the same article" is resolved already)
            region_numbered = sort_provisions(region_numbered + st.focus)
        region_named = self.named_articles(region) if not region_numbered else []
        if referent is not None:
            provisions, source = sort_provisions(referent.provisions + region_numbered), "referent"
        elif region_numbered:
            provisions, source = region_numbered, "explicit"
        elif clause.how == "anaphora" and (created or previous):
            provisions, source = list((created[-1] if created else previous).provisions), "anaphora"
        elif numbered:
            provisions, source = numbered, "sentence"
        elif region_named or named:
            provisions, source = region_named or named, "name"
        elif L.SAME_VEIN.search(masked) and (previous or st.focus):
            provisions, source = list(previous.provisions if previous else st.focus), "same vein"
        elif st.focus and st.focus_paragraph == sentence.paragraph:
            provisions, source = list(st.focus), "paragraph focus"
        else:
            provisions, source = self._heading_provisions(paragraph, st.doc), "heading"
        if source in ("paragraph focus", "heading", "same vein") and provisions:
            confidence -= 0.15
            notes.append(f"articles from {source}")
        elif source == "referent":
            confidence -= 0.05
        if not actors:
            return None
        a, b = (clause.start, clause.end) if clause.how != "passive" else (0, len(text))  # a passive clause needs its sentence
        draft = self._draft(st, sentence, paragraph, actors, stance, provisions, a, b, confidence,
                            core=text[primary.start:clause.end].strip(" ,;"))
        draft.responds_to = referent
        draft.weak = primary.weak
        draft.notes += notes
        if clause.how == "passive":
            draft.core = ""
        if clause.how != "passive":
            tail = masked[primary.end:clause.end]
            reason = L.REASON_IN_CLAUSE.search(tail) or _PURPOSE.search(tail)
            if reason:
                off = primary.end + reason.start()
                r = text[off:clause.end].strip(" ,;.")
                if len(r.split()) >= 3:
                    draft.reason = r[0].upper() + r[1:] + "."
                    draft.core = text[primary.start:off].strip(" ,;")
        return draft

    def _referent(self, st, masked, clause, primary, mentions, created, actors, sentence, paragraph, numbered, named):
        earlier = st.drafts + created
        region_end = clause.end
        # "supported Egypt", "supported the US"
        objects = list(clause.objects)
        for m in mentions:
            if primary.end <= m.start < region_end and m not in clause.subject and m.role in ("subject", "pobj") \
                    and _OBJECT_GAP.match(masked[primary.end:m.start]):
                objects.append(m)
        for m in objects:
            found = [d for d in earlier if m.actor in d.actors]
            if found:
                return found[-1]
        # "Brazil's proposal"
        for m in mentions:
            if m.role == "ref" and clause.start <= m.start < region_end:
                found = [d for d in earlier if m.actor in d.actors and d.stance in ("proposes", "calls_for_deletion", "prefers", "supports")]
                if found:
                    return found[-1]
                implied = self._implied(st, sentence, paragraph, masked, m, numbered, named)
                created.append(implied)
                return implied
        region = masked[clause.start:region_end]
        tail = masked[primary.end:region_end]
        own = re.search(r"\b(?:its|their|his|her)\s+(?:own\s+)?(?:proposals?|suggestions?|amendments?|ideas?|requests?|positions?)\b", region, re.I)
        if own:
            found = [d for d in earlier if set(d.actors) & set(actors)]
            if found:
                return found[-1]
        if L.REFERENT.search(region) or L.BARE_REFERENT.match(tail):
            pool = [d for d in st.drafts if d.responds_to is None] + [d for d in created if d.responds_to is None]
            pool = pool or earlier
            if pool and sentence.paragraph - pool[-1].sentence.paragraph <= 2:
                return pool[-1]
        return None

    def _implied(self, st, sentence, paragraph, masked, mention: Mention, numbered, named) -> Draft:
        """'delegations discussed Canada's proposal': Canada proposed something."""
        provisions = numbered or named
        if not provisions and st.focus and st.focus_paragraph == sentence.paragraph:
            provisions = list(st.focus)
        if not provisions:
            provisions = self._heading_provisions(paragraph, st.doc)
        actors = [] if getattr(self.gazetteer.actors.get(mention.actor), "kind", None) == "chair" else [mention.actor]
        draft = self._draft(st, sentence, paragraph, actors, "proposes", provisions, 0, len(sentence.text), 0.6)
        draft.notes.append("implied by a possessive ('X's proposal')")  # the Chair's texts: a referent, not a record
        return draft

    def _without_cue(self, st, sentence, paragraph, masked, mentions, cues, numbered, named):
        """A sentence with no stance verb can still give a reason, single out an actor, or add to a proposal."""
        text = sentence.text
        previous = st.drafts[-1] if st.drafts else None
        reason_verb = any(c.kind == "reason" for c in cues)
        subject_mentions = [m for m in mentions if m.role == "subject"]
        anaphora = L.ANAPHORIC_SUBJECT.match(masked)
        close = previous is not None and sentence.paragraph - previous.sentence.paragraph <= 1
        if close and reason_verb:
            first = subject_mentions[0] if subject_mentions else None
            actors = []
            if first is not None:
                i = mentions.index(first)
                actors = [m.actor for m in self._run_from(masked, mentions, i, cues, len(masked), [])]
            if (anaphora and not subject_mentions) or (actors and set(actors) == set(previous.actors)):
                previous.extra.append((sentence.start, sentence.end))
                if previous.reason is None:
                    previous.reason = text.strip()
                return
            if actors and L.IN_PARTICULAR.search(masked) and previous.sentence.paragraph == sentence.paragraph:
                draft = self._draft(st, sentence, paragraph, actors, previous.stance, previous.provisions, 0, len(text),
                                    0.55, core="")
                draft.responds_to = previous.responds_to
                draft.notes.append("stance of the previous sentence ('in particular')")
                draft.reason = text.strip()
                st.drafts.append(draft)
                return
        if close and not subject_mentions and _ELABORATION.match(masked) and previous.stance == "proposes" \
                and previous.sentence.paragraph == sentence.paragraph and numbered:
            previous.provisions = sort_provisions(previous.provisions + numbered)
            previous.extra.append((sentence.start, sentence.end))
            return
        for m in mentions:
            if m.role == "ref" and re.match(r"^[’']s?\s+(?:\w+\s+)?(?:proposals?|suggestions?|amendments?|initiatives?)\b",
                                            masked[m.end:m.end + 40], re.I):
                if not any(m.actor in d.actors and d.stance == "proposes" for d in st.drafts):
                    st.drafts.append(self._implied(st, sentence, paragraph, masked, m, numbered, named))

    # -- output ----------------------------------------------------------------
    def _finish(self, st: "_State") -> Extraction:
        doc = st.doc
        # one record per (actors, stance, provisions) and sentence
        seen: dict[tuple, Draft] = {}
        drafts: list[Draft] = []
        kept: dict[int, Draft] = {}  # id(draft) -> the draft that stands for it
        for d in st.drafts:
            if not d.actors:
                continue
            key = (d.sentence.start, tuple(sorted(d.actors)), d.stance, tuple(d.provisions))
            if key in seen:
                kept[id(d)] = seen[key]
                continue
            seen[key] = kept[id(d)] = d
            drafts.append(d)
        for d in drafts:
            d.id = f"x-{doc.id}-{d.start}-{d.index}"
        ids = {}
        for d in drafts:
            while d.id in ids:
                d.id += "b"
            ids[d.id] = d
        records = []
        for d in drafts:
            quote = doc.text[d.start:d.end]
            evidence = [Evidence(document=doc.id, quote=quote, start=d.start, end=d.end)]
            for a, b in d.extra:
                s, e = _trim(doc.text, 0, a, b)
                if e - s >= 8:
                    evidence.append(Evidence(document=doc.id, quote=doc.text[s:e], start=s, end=e))
            referent = kept.get(id(d.responds_to)) if d.responds_to is not None else None
            position = Position(
                id=d.id, actors=d.actors, provisions=d.provisions, issue=self._issue(d, doc), stance=d.stance,
                responds_to=referent.id if referent else None, summary=self._summary(d, referent),
                reason=d.reason, evidence=evidence, origin="extracted",
            )
            confidence = round(max(0.05, min(0.99, d.confidence - (0.05 if len(d.actors) == 0 else 0))), 2)
            records.append(ExtractedRecord(position, confidence,
                                           record_fingerprint(doc.id, quote, d.stance, d.actors, d.provisions), d.notes))
        return Extraction(doc.id, records, _unique_candidates(st.candidates))

    def _issue(self, d: Draft, doc) -> str:
        section = d.paragraph.section
        if section and section != doc.title and not section.endswith("?"):
            return section[0].lower() + section[1:] if not section[:2].isupper() else section
        if d.provisions:
            article = self.gazetteer.articles.get(article_of(d.provisions[0]))
            if article:
                return article.title[0].lower() + article.title[1:]
        return "general"

    def display(self, actor_id: str) -> str:
        actor = self.gazetteer.actors.get(actor_id)
        if actor is None:
            return actor_id
        name = re.sub(r"\s*\(.*?\)", "", actor.name).strip() or actor.name
        if len(name.split()) >= 2:  # "Russian Federation" -> "Russia", "United States of America" -> "United States"
            shorter = [a for a in actor.aliases if not re.fullmatch(r"[A-Z.]{2,6}", a) and len(a) < len(name)
                       and a[:4].casefold() == name[:4].casefold() and (" and " not in name or len(a.split()) >= 2)]
            name = shorter[0] if shorter else name
        if actor.kind == "stakeholder":
            return name[0].lower() + name[1:] if not name[:2].isupper() else name
        if actor.kind in ("group", "organisation", "forum", "chair") and not name.isupper() or name.startswith("United "):
            return "the " + name
        return name

    def _who(self, actors: list[str], capital: bool = True) -> str:
        names = [self.display(a) for a in actors]
        text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return text[0].upper() + text[1:] if capital else text

    @staticmethod
    def _articles(provisions: list[str]) -> str:
        if not provisions:
            return ""
        if len(provisions) == 1:
            return f"Article {provisions[0]}"
        return "Articles " + ", ".join(provisions[:-1]) + " and " + provisions[-1]

    def _summary(self, d: Draft, referent: Draft | None) -> str:
        who = self._who(d.actors) if d.actors else "Delegations"
        target = self._articles(d.provisions)
        core = _past(" ".join(d.core.split()).rstrip(" :;,"))
        anaphoric = not core or re.match(r"^\S+(?:\s+\S+)?\s+(?:this|that|it|them|these|those|such(?!\s+as))\b", core, re.I) \
            or re.search(r"\b(?:this|that|such\s+an?)\s+(?:proposal|change|idea|suggestion)\b", core, re.I)
        if len(core.split()) <= 3 or d.weak:
            core = ""
        if referent is not None and (anaphoric or not core or d.stance in ("supports", "opposes", "withdraws")):
            author = self._who(referent.actors, capital=False) if referent.actors else "an earlier"
            noun = _REFERENT_NOUN.get(referent.stance, "position")
            if d.stance == "withdraws" and set(referent.actors) & set(d.actors):
                text = f"{who} withdrew its proposal"
            else:
                text = f"{who} {_STANCE_VERB[d.stance]} {_possessive(author)} {noun}"
            if target:
                text += f" on {target}"
        elif core and not anaphoric:
            words = core.split()
            if len(words) > 30:
                core = " ".join(words[:30]) + " …"
            text = f"{who} {core}".rstrip(" .")
            if target and not all(p.split("(")[0] in core for p in d.provisions):
                text += f" ({target})"
        elif target:
            text = f"{who} {_STANCE_VERB[d.stance]} {target}"
        else:
            text = f"{who} {_NO_OBJECT[d.stance]}"
            issue = self._issue(d, d.doc)
            if issue != "general":
                text += f" on {issue}"
        return text.rstrip(" .,;:") + "."


# -- helpers -------------------------------------------------------------------
@dataclass
class _State:
    doc: object
    drafts: list[Draft] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    focus_paragraph: int | None = None
    last_paragraph: int | None = None


def _same_paragraph(st: _State, sentence: Sentence) -> bool:
    return st.focus_paragraph == sentence.paragraph


def _trim(text: str, base: int, a: int, b: int) -> tuple[int, int]:
    """Document offsets of text[a:b] without leading connectives and trailing punctuation-space."""
    piece = text[a:b]
    lead = _LEADING.match(piece)
    a += lead.end() if lead else 0
    piece = text[a:b]
    stripped = piece.rstrip(" ,;:")
    b = a + len(stripped)
    if b - a < 8:  # too short to stand alone: the whole sentence
        a, b = 0, len(text.rstrip())
    return base + a, base + b


def _past(core: str) -> str:
    """'preferring to retain' -> 'preferred to retain': the summary reads as a finished act."""
    m = re.match(r"^([a-z]+)ing\b", core)
    if not m:
        return core
    stem = m.group(1)
    irregular = {"withdraw": "withdrew", "put": "put", "seek": "sought", "tak": "took", "mak": "made", "say": "said"}
    if stem in irregular:
        past = irregular[stem]
    elif stem.endswith("e") or stem.endswith("y") and not stem.endswith(("ay", "ey", "oy")):
        past = stem + "d" if stem.endswith("e") else stem[:-1] + "ied"
    elif re.search(r"(?:at|os|iz|is|ur|ag|uc|ot|ut|ov|ir|iv|ar)$", stem):
        past = stem + "ed"  # advocat-ing, propos-ing, emphasis-ing: the silent e was dropped
    else:
        past = stem + "ed"
    return past + core[m.end():]


def _possessive(name: str) -> str:
    return name + ("’" if name.endswith("s") else "’s")


def _unique_candidates(candidates: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in candidates:
        key = (c.name, c.start)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def extract_document(doc, gazetteer: Gazetteer) -> Extraction:
    return Extractor(gazetteer).extract(doc)
