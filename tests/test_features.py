"""The features of a candidate sentence (answering/features.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from assistant.answering.features import Features


def _sentence(terms: set[str]):
    return SimpleNamespace(vector=np.ones(4, np.float32) / 2, terms=terms, articles=set(),
                           sentence=SimpleNamespace(text="A sentence.", document_id="d"))


def test_the_overlap_weighs_each_question_word_by_its_rarity():
    question = {"convent", "cybercrim", "victim", "support"}
    rarity = {"convent": 0.1, "cybercrim": 0.1, "victim": 2.0, "support": 1.8}
    features = Features(question, np.ones(4, np.float32) / 2, rarity=rarity)
    common = features.of(_sentence({"convent", "cybercrim", "adopt"}), set(), set(), set(), [0], False)
    rare = features.of(_sentence({"victim", "support", "state"}), set(), set(), set(), [0], False)
    assert rare["overlap"] > 0.9 > 0.1 > common["overlap"]
    # without rarities (or when every word is in most passages) each word counts the same
    plain = Features(question, np.ones(4, np.float32) / 2)
    assert plain.of(_sentence({"convent", "cybercrim"}), set(), set(), set(), [0], False)["overlap"] == 0.5
    zero = Features(question, np.ones(4, np.float32) / 2, rarity=dict.fromkeys(question, 0.0))
    assert zero.of(_sentence({"convent", "cybercrim"}), set(), set(), set(), [0], False)["overlap"] == 0.5
