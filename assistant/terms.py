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
    from pathlib import Path

    import llama_index.core
    from bm25s.stopwords import STOPWORDS_EN

    nltk_file = Path(llama_index.core.__file__).parent / "_static/nltk_cache/corpora/stopwords/english"
    nltk_words = set(nltk_file.read_text(encoding="utf-8").split()) if nltk_file.exists() else set()
    extra = {"s", "t", "did", "does", "say", "said", "what", "which", "who", "why", "how", "could", "would", "also"}
    return frozenset(STOPWORDS_EN) | nltk_words | extra


def terms(text: str) -> list[str]:
    """Lower-cased stems of the content words of a text."""
    words = re.findall(r"[a-z0-9]+(?:[-/][a-z0-9]+)*", text.casefold().replace("’", "'"))
    return stemmer().stemWords([w for w in words if w not in stopwords()])
