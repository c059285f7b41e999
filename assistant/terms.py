"""Content words, stemmed: the one tokeniser for lexical search and word overlap."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def stemmer():
    # PyStemmer is the Snowball stemmer in C; NLTK's copy costs seconds of import at start-up.
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """bm25s's 33 words plus NLTK's English list ("were", "about", "could" are no evidence of a match).
    NLTK's list is read from the copy llama-index-core ships, as a file: importing NLTK costs seconds."""
    import importlib.util
    from pathlib import Path

    nltk_file = Path(importlib.util.find_spec("llama_index.core").origin).parent / "_static/nltk_cache/corpora/stopwords/english"
    nltk_words = set(nltk_file.read_text(encoding="utf-8").split()) if nltk_file.exists() else set()
    extra = {"s", "t", "did", "does", "say", "said", "what", "which", "who", "why", "how", "could", "would", "also"}
    return frozenset(_bm25s_stopwords()) | nltk_words | extra


def _bm25s_stopwords() -> tuple[str, ...]:
    # bm25s/stopwords.py is a plain list; importing it through the package would import bm25s (and
    # SciPy) first, a fifth of a second of every start-up, so the file is loaded on its own.
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("bm25s")  # finds it without importing it
    spec = importlib.util.spec_from_file_location("_bm25s_stopwords", Path(package.origin).parent / "stopwords.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STOPWORDS_EN


def terms(text: str) -> list[str]:
    """Lower-cased stems of the content words of a text."""
    words = re.findall(r"[a-z0-9]+(?:[-/][a-z0-9]+)*", text.casefold().replace("’", "'"))
    return stemmer().stemWords([w for w in words if w not in stopwords()])


def with_parts(text: str) -> set[str]:
    """A text's stems, each compound's also taken apart: "a five-year process" and "five years of talks",
    "human-rights safeguards" and "human rights safeguards" share their words. (For word overlap, in memory:
    the catalog's search terms keep compounds whole, as they were indexed.)"""
    found = set(terms(text))
    return found | set(terms(apart(text))) if "-" in text or "/" in text else found


def apart(text: str) -> str:
    """The text with its compounds taken apart: "ICT-crime" -> "ICT crime"."""
    return re.sub(r"[-/]", " ", text)
