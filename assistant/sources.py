"""Which publishers a question names ("according to WAM", "in BOOM's summary").

A publisher is named the way journalists name it: in full ("Emirates News Agency"), by its
acronym ("WAM", "GI-TOC"), by its initials ("HRW"), by one part of a compound name ("Digital Watch" for "Diplo,
Digital Watch observatory") or by the leading words of its name ("BOOM" for "BOOM Live").
The names come from each document's own metadata, so a new publisher needs no code.
Hand-written because no library matches short-form organisation names against free text.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PARENS = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"[\w][\w&.-]*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.-]{1,9}$")
_GENERIC = {"the", "of", "and", "for", "on", "in", "to", "a", "an", "unknown", "copy"}


def _tokens(text: str) -> list[str]:
    return [t[:-2] if t.endswith(("'s", "’s")) else t for t in _TOKEN.findall(text.replace("’s", "'s"))]


@lru_cache(maxsize=1024)
def name_variants(publisher: str) -> tuple[tuple[str, ...], ...]:
    """The token sequences a publisher may be named by."""
    parts = [p.strip() for p in _PARENS.findall(publisher)]
    outside = _PARENS.sub(" ", publisher)
    parts += [outside] + [p for p in re.split(r"[,;/]", outside)]
    variants = set()
    for part in parts:
        tokens = tuple(_tokens(part))
        if tokens and tokens[0].casefold() not in _GENERIC:
            variants.add(tokens)
            capitals = [t for t in tokens if t[:1].isupper() and t.casefold() not in _GENERIC]
            if len(capitals) >= 3 and len(capitals) == len([t for t in tokens if t.casefold() not in _GENERIC]):
                variants.add(("".join(t[0] for t in capitals),))  # "Human Rights Watch" is also "HRW"
    return tuple(sorted(variants))


def _prefix_names(variant: tuple[str, ...]) -> set[tuple[str, ...]]:
    """A variant and its leading runs that still name something: an acronym, or two words or more."""
    out = {variant}
    for n in range(1, len(variant)):
        head = variant[:n]
        if head[-1].casefold() in _GENERIC:
            continue
        if (n == 1 and _ACRONYM.match(head[0])) or n >= 2:
            out.add(head)
    return out


def _same(word: str, token: str) -> bool:
    # An acronym is matched in capitals only: "ARTICLE 19" the NGO is not "Article 19" of the treaty.
    return word == token if _ACRONYM.match(token) else word.casefold() == token.casefold()


def _embedded(words: list[str], i: int) -> bool:
    """Whether the words from i on continue a longer capitalised name: "Human Rights" in "the UN High
    Commissioner for Human Rights" is no short form of "Human Rights Watch"."""
    at = i - 1
    if at >= 1 and words[at].casefold() in {"for", "of", "on", "and"}:
        at -= 1
    # (The question's first word is capitalised whatever it is: "Did Digital Watch…".)
    return at >= 1 and words[at][:1].isupper() and words[at].casefold() not in _GENERIC and not _ACRONYM.match(words[at])


def _contains(words: list[str], name: tuple[str, ...], short: bool = False) -> bool:
    n = len(name)
    for i in range(len(words) - n + 1):
        window = words[i:i + n]
        if window[0][:1].isupper() and all(_same(w, t) for w, t in zip(window, name)) and not (
                short and (_embedded(words, i) or (i + n < len(words) and words[i + n][:1].isupper()))):
            return True
    return False


def publishers_named(question: str, publishers: set[str]) -> set[str]:
    """The publishers (as written in document metadata) that the question names. A short form (the leading
    words of a name) counts only where it stands alone, not inside a longer capitalised name."""
    words = _tokens(question)
    found = set()
    for publisher in publishers:
        if any(_contains(words, name, short=name != v) for v in name_variants(publisher) for name in _prefix_names(v)):
            found.add(publisher)
    return found


def publisher_spans(question: str, publishers: set[str]) -> list[tuple[int, int]]:
    """Where the question names these publishers: (start, end) of each mention."""
    spans = []
    for publisher in publishers:
        for variant in name_variants(publisher):
            for name in _prefix_names(variant):
                tokens = [rf"(?-i:{re.escape(t)})" if _ACRONYM.match(t) else re.escape(t) for t in name]
                pattern = r"(?<![\w])" + r"\s+".join(tokens) + r"(?:['’]s)?(?![\w])"
                spans += [m.span() for m in re.finditer(pattern, question, re.IGNORECASE)
                          if question[m.start()].isupper()]
    return spans


def without_publishers(question: str, publishers: set[str]) -> str:
    """The question with the names of these publishers blanked out, offsets kept: "ARTICLE 19"
    the organisation must not be read as Article 19 of the treaty."""
    for start, end in publisher_spans(question, publishers):
        question = question[:start] + " " * (end - start) + question[end:]
    return question



def filed_under(name: str, documents: set[str]) -> set[str]:
    """Of these documents (those without a publisher in their metadata), the ones whose file name opens with the
    name, run together or as its initials ("ecofin-2025-….txt" for Ecofin, "cfr-2020-….html" for the Council on
    Foreign Relations): a newsroom names its files after who published them, and a page saved without a masthead
    says so nowhere else."""
    every = re.findall(r"[\w&]+", re.sub(r"['’]s$", "", name))
    words = [w for w in every if w.casefold() not in _GENERIC]  # (as a publisher's initials skip them)
    keys = {"".join(every).casefold(), "".join(words).casefold()}
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        keys.add("".join(w[0] for w in words).casefold())
    keys = {k for k in keys if len(k) >= 3}  # (two letters would match files by chance)
    return {d for d in documents if next((t for t in re.split(r"[\W_]+", d.casefold()) if not t.isdigit()), "") in keys}
