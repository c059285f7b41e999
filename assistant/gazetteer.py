"""Who and which article a text names: actors with their aliases, articles with their names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import KnowledgeFileError
from .yamlfile import read_list


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: Literal["state", "observer_state", "group", "organisation", "forum", "stakeholder", "chair"]
    aliases: list[str] = []
    demonyms: list[str] = []  # "Syrian": the state, before a word such as "delegation" (DEMONYM_NOUNS)
    capital: str | None = None  # "Pretoria": the government, where it speaks (CAPITAL_SPEAKS)
    # The community a named organisation speaks within: Human Rights Watch is civil society, Microsoft the private
    # sector. A question about the community hears its members ("What did rights groups say…?" is answered by what
    # HRW said); a question about a member does not hear the rest of its community.
    within: str | None = None


# A demonym names the state only where it qualifies one of these: "the Syrian delegation", "the American
# proposal"; "Russian hackers" and "a Chinese company" are not the state speaking.
DEMONYM_NOUNS = ("delegation", "delegations", "delegate", "delegates", "government", "representative",
                 "representatives", "ambassador", "envoy", "diplomat", "diplomats", "mission", "minister", "ministry",
                 "authorities", "official", "officials", "spokesperson", "spokesman", "spokeswoman",
                 "negotiator", "negotiators", "position", "proposal", "proposals", "statement",
                 "side", "view", "amendment")
# Words that may stand between the demonym and its noun: "the Kenyan permanent representative", "the Chinese deputy
# foreign minister".
DEMONYM_QUALIFIERS = "foreign|permanent|deputy|chief|top|senior|lead|former|vice|acting"

# A name joined to the act it did names who did it: "the Russia-sponsored resolution", "a Russian-led text" (not "a
# UK-based firm", "non-EU states", a place or a kind).
ACTED_BY = "(?i:led|sponsored|backed|initiated|drafted|proposed|authored|championed|brokered|tabled)"

# Bumped whenever how the gazetteer finds names in a text changes (a new pattern, a new reading of a capital): an index
# whose documents were annotated with an older reading reads them again at its next full index (core.gazetteer_digest).
READING_VERSION = "1"

# A capital names its government only where it speaks or holds a view: "in Pretoria's view", "Pretoria argued"; "the
# Harare Herald" and "a workshop in Abuja" are a newspaper and a place. (Capitals that news copy uses for their
# governments in any sentence, "Moscow", "Beijing", are aliases.)
CAPITAL_SPEAKS = (r"['’]s\b|\s+(?:said|says|say|argued|argues|insisted|insists|wants|wanted|objected|objects|opposed|opposes"
                  r"|supported|supports|proposed|proposes|rejected|rejects|backed|backs|pushed|pushes|claimed|claims|warned"
                  r"|warns|welcomed|welcomes|believes|believed|maintains|maintained|stressed|stresses|urged|urges"
                  r"|accused|accuses|announced|announces|signed|signs)\b")

# ... or where a question makes it the one that acts: "What had Manila championed…?", "Why did Pretoria sign?" ("Was
# Abuja chosen…?" is a place: only an auxiliary of the active voice makes it the subject.)
CAPITAL_ASKED = "(?:" + "|".join(rf"(?<=\b{aux} )" for aux in ("did", "does", "do", "had", "has", "have", "would", "will",
                                                                  "could", "should", "might")) + ")"
# ... or where it is listed with a delegation ("the stance of Ottawa and Wellington"): what lies between two names of a list
_LISTED_WITH = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)")


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=200)
    title: str
    names: list[str] = []


def _pydantic_reason(exc: ValidationError) -> tuple[str, str | None]:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err["loc"])
    return f"field '{where}': {err['msg']}", str(err["loc"][0]) if err["loc"] else None


def load_models(path: Path, model, required: bool = True):
    out = []
    for item in read_list(path, required):
        try:
            out.append((model(**item.data), item))
        except ValidationError as exc:
            reason, name = _pydantic_reason(exc)
            raise KnowledgeFileError(path, reason, item.line_of(name) if name else item.line) from exc
        except TypeError as exc:
            raise KnowledgeFileError(path, str(exc), item.line) from exc
    return out


# "Article 6(2), 7(2), and 12", "Articles 45 and 46", "Article 35 (1) c", "Article 3.3",
# "Article 1, paragraph 3", "Art. 24", "Art 24" (not "the state of the art 5G network")
_PROVISION = r"\d{1,3}(?:\s?\(\s?\d{1,2}\s?\))?(?:\s?\(?[a-z]\)?(?![a-z]))?(?:\.\d{1,2})?"
_ARTICLE_REF = re.compile(
    rf"\b(?:Articles?|Art\.|Art(?=\s+\d{{1,3}}\b))\s+(?P<list>{_PROVISION}(?:\s*(?:,\s*(?:and|or)?|and|&|or)\s*(?:Articles?\s+)?(?:\(\d{{1,2}}\)|{_PROVISION}))*)"
    r"(?:,?\s+paragraph\s+(?P<para>\d{1,2}))?",
    re.IGNORECASE,
)
_ITEM = re.compile(r"(\d{1,3})?\s?(?:\(\s?(\d{1,2})\s?\))?(?:\s?\(?([a-z])\)?(?![a-z]))?(?:\.(\d{1,2}))?")


def initials(name: str) -> str:
    """The initials of a name of two capitalised words or more ("South Africa" -> "SA"), else ""."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def normalise_provision(text: str) -> str | None:
    """'35 (3)' -> '35(3)', '3.3' -> '3(3)', '35 (1) c' -> '35(1)(c)', '24' -> '24'."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*(?:\(\s*(\d{1,2})\s*\)|\.(\d{1,2}))?\s*(?:\(?([a-z])\)?)?\s*", text)
    if not m:
        return None
    number, para, dotted, letter = m.groups()
    out = number
    if para or dotted:
        out += f"({para or dotted})"
    if letter:
        out += f"({letter})"
    return out


def article_of(provision: str) -> str:
    return provision.split("(", 1)[0]


def find_provisions(text: str) -> list[str]:
    """Normalised provisions in order of mention; a bare '(4)' after '35 (3)' is paragraph 4 of 35."""
    found: list[str] = []
    for match in _ARTICLE_REF.finditer(text):
        if _names_organisation(text, match):
            continue
        last_article = None
        for piece in re.split(r"\s*(?:,\s*(?:and\b|or\b)?|\band\b|&|\bor\b)\s*(?:Articles?\s+)?", match.group("list"), flags=re.IGNORECASE):
            piece = piece.strip()
            if not piece:
                continue
            if re.fullmatch(r"\(\d{1,2}\)", piece) and last_article:
                provision = f"{last_article}{piece}"
            else:
                provision = normalise_provision(piece)
            if provision:
                last_article = article_of(provision)
                found.append(provision)
        if match.group("para") and found:
            found[-1] = f"{article_of(found[-1])}({match.group('para')})"
    return list(dict.fromkeys(found))


def _cased(alias: str) -> bool:
    """Whether a name is matched in capitals only: an acronym ("US", not "us"), or a name written in capitals with a
    number ("ARTICLE 19" the organisation, not Article 19 of the treaty)."""
    return bool(re.fullmatch(r"[A-Z.]{2,6}", alias)) or alias.isupper() and any(c.isdigit() for c in alias)


def _alias_pattern(alias: str) -> str:
    escaped = re.escape(alias).replace(r"\ ", r"\s+")
    return f"(?-i:{escaped})" if _cased(alias) else escaped


def _names_organisation(text: str, m: re.Match) -> bool:
    """Whether "ARTICLE 19", in capitals, is the organisation's name: a treaty's article is written "Article 19" in
    running text, in capitals only as a heading, alone on its line or before its title ("ARTICLE 19 – Illegal access",
    "ARTICLE 19 ILLEGAL ACCESS")."""
    if not m.group(0).startswith("ARTICLE "):
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    rest = text[m.end():line_end if line_end >= 0 else len(text)]
    heading = not text[line_start:m.start()].strip() and (
        not rest.strip() or re.match(r"\s*[:—–.-]", rest) is not None or rest.strip().isupper())
    return not heading


@dataclass
class Gazetteer:
    actors: dict[str, Actor] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)

    def __post_init__(self):
        names: dict[str, str] = {}
        for actor in self.actors.values():
            for name in [actor.name, actor.id.replace("_", " "), *actor.aliases]:
                names.setdefault(name if _cased(name) else name.casefold(), actor.id)
        self._actor_names = names
        alternatives = sorted({n for n in names}, key=len, reverse=True)
        self._actor_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(_alias_pattern(a) for a in alternatives) + rf")(?![\w]|-(?!{ACTED_BY}\b))", re.IGNORECASE
        ) if alternatives else None
        self._demonyms = {d: actor.id for actor in self.actors.values() for d in actor.demonyms}
        self._members: dict[str, set[str]] = {}
        for actor in self.actors.values():
            if actor.within:
                self._members.setdefault(actor.within, set()).add(actor.id)
        self._name_words = {w.casefold() for a in self.actors.values()
                            for n in [a.name, *a.aliases, *a.demonyms] for w in re.findall(r"[\w-]+", n)}
        self._demonym_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(d) for d in sorted(self._demonyms, key=len, reverse=True))
            + r")(?=\s+(?i:(?:" + DEMONYM_QUALIFIERS + r")[\s-]+){0,2}(?i:" + "|".join(DEMONYM_NOUNS) + rf")\b|-{ACTED_BY}\b)"
            # ("the Australian Mission", capitalised as a name; "the Russian foreign minister", "a Mexican
            # foreign-ministry official": a rank or a ministry between them)
        ) if self._demonyms else None
        self._capitals = {a.capital: a.id for a in self.actors.values() if a.capital}
        # Initials of the organisations and groups, of names of plain words: a state is named by its own short name
        # ("SAR" is Hong Kong's as often as Syria's), and initials of a name that holds an abbreviation already ("USG"
        # of "UN Secretary-General") are more often another's ("US Government"). (annotate.local_abbreviations)
        self.organisation_initials: dict[str, set[str]] = {}
        for actor in self.actors.values():
            if actor.kind in ("organisation", "stakeholder", "group") and not re.search(r"\b[A-Z]{2,}\b", actor.name):
                if short := initials(actor.name):
                    self.organisation_initials.setdefault(short, set()).add(actor.id)
        capitals = "|".join(re.escape(c) for c in sorted(self._capitals, key=len, reverse=True))
        self._capital_word_re = re.compile(rf"(?<![\w-])(?:{capitals})(?![\w-])") if self._capitals else None
        self._capital_re = re.compile(
            rf"(?<![\w-])(?:{capitals})(?={CAPITAL_SPEAKS})|{CAPITAL_ASKED}(?:{capitals})(?=\s+[a-z])") if self._capitals else None
        article_names: dict[str, str] = {}
        for article in self.articles.values():
            for name in [article.title, *article.names]:
                article_names.setdefault(name.casefold(), str(article.number))
        self._article_names = article_names
        alts = sorted(article_names, key=len, reverse=True)
        self._article_name_re = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)", re.IGNORECASE
        ) if alts else None

    @classmethod
    def load(cls, knowledge_dir: Path) -> "Gazetteer":
        actors_path, articles_path = Path(knowledge_dir) / "actors.yaml", Path(knowledge_dir) / "articles.yaml"
        actors: dict[str, Actor] = {}
        loaded = load_models(actors_path, Actor, required=False)
        for actor, item in loaded:
            if actor.id in actors:
                raise KnowledgeFileError(actors_path, f"duplicate actor id '{actor.id}'", item.line)
            actors[actor.id] = actor
        for actor, item in loaded:
            if actor.within is not None and actor.within not in actors:
                raise KnowledgeFileError(actors_path, f"actor '{actor.id}' is within '{actor.within}', "
                                                      "which is no actor's id", item.line_of("within"))
        articles: dict[str, Article] = {}
        for article, item in load_models(articles_path, Article, required=False):
            if str(article.number) in articles:
                raise KnowledgeFileError(articles_path, f"duplicate article number {article.number}", item.line)
            articles[str(article.number)] = article
        return cls(actors, articles)

    def resolve_actor(self, name: str) -> str | None:
        name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
        if name in self.actors:
            return name
        return self._actor_names.get(name) or self._actor_names.get(name.casefold())

    def find_actors(self, text: str) -> list[tuple[str, int, int]]:
        """(actor id, start, end) of every actor named in the text."""
        if not self._actor_re:
            return []
        out = []
        for m in self._actor_re.finditer(text):
            actor_id = self.resolve_actor(m.group(0)) or self._actor_names.get(" ".join(m.group(0).split()).casefold())
            if (article := _ARTICLE_REF.match(text, m.start())) and not _names_organisation(text, article):
                continue  # a heading, "ARTICLE 19 – Illegal access", names the treaty's article
            if actor_id:
                out.append((actor_id, m.start(), m.end()))
        for pattern, ids in ((self._demonym_re, self._demonyms), (self._capital_re, self._capitals)):
            if pattern:
                taken = [(a, b) for _, a, b in out]
                out += [(ids[m.group(0)], m.start(), m.end()) for m in pattern.finditer(text)
                        if not any(a < m.end() and m.start() < b for a, b in taken)]
        if self._capital_word_re:
            # A capital listed with a delegation is one too: "the stance of Ottawa and Wellington", "Canberra, London and
            # Wellington". (Elsewhere it is a place: "the talks in Wellington".)
            # (down the list, each capital found joining it: "Kenya, Pretoria and Accra")
            while states := [(a, b) for actor, a, b in out if self.actors[actor].kind in ("state", "observer_state")]:
                taken = [(a, b) for _, a, b in out]
                listed = [(self._capitals[m.group(0)], m.start(), m.end()) for m in self._capital_word_re.finditer(text)
                          if not any(a < m.end() and m.start() < b for a, b in taken)
                          and any(_LISTED_WITH.fullmatch(text[b:m.start()]) or _LISTED_WITH.fullmatch(text[m.end():a])
                                  for a, b in states)]
                if not listed:
                    break
                out += listed
        out.sort(key=lambda found: found[1])
        return out

    def blanked(self, text: str) -> str:
        """The text with the actors it names blanked out, offsets kept."""
        for _, start, end in self.find_actors(text):
            text = text[:start] + " " * (end - start) + text[end:]
        return text

    def is_role(self, actor_id: str) -> bool:
        """An office held in turn (the Chair): a question may name it while the sources name only who held it."""
        actor = self.actors.get(actor_id)
        return actor is not None and actor.kind == "chair"

    def is_forum(self, actor_id: str) -> bool:
        """A body where delegations meet and decide (the General Assembly): where things happen, not who speaks."""
        actor = self.actors.get(actor_id)
        return actor is not None and actor.kind == "forum"

    def may_publish(self, actor_id: str) -> bool:
        """An organisation that puts out reports of its own (an NGO, a company, an agency), not a delegation, a
        group of them, a forum or an office: a report saved without its publisher may be its own."""
        actor = self.actors.get(actor_id)
        return actor is not None and actor.kind in ("organisation", "stakeholder")

    def with_members(self, actors) -> set[str]:
        """The actors with the organisations within them (civil society with Human Rights Watch, the EFF…)."""
        actors = set(actors)
        return actors.union(*(self._members.get(a, ()) for a in actors))

    def with_communities(self, actors) -> set[str]:
        """The actors with the communities they are within (Human Rights Watch with civil society)."""
        actors = set(actors)
        return actors | {w for a in actors if (actor := self.actors.get(a)) and (w := actor.within)}

    def is_demonym(self, word: str) -> bool:
        return word in self._demonyms

    def names_word(self, word: str) -> bool:
        """Is the word part of an actor's name or one of its aliases ("European" of the European Union)?"""
        return word.casefold() in self._name_words

    def actor_ids(self, text: str) -> list[str]:
        return list(dict.fromkeys(a for a, _, _ in self.find_actors(text)))

    def find_articles(self, text: str, by_name: bool = False) -> list[str]:
        """Article numbers named in the text; with by_name, also those named by title ('24/7 network')."""
        found = [article_of(p) for p in find_provisions(text)]
        if by_name and self._article_name_re:
            found += [self._article_names[m.group(0).casefold()] for m in self._article_name_re.finditer(text)]
        return list(dict.fromkeys(found))

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id
