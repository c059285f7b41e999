"""Citation markers on answer sentences (answering/compose.py)."""

from __future__ import annotations

from assistant.answering.compose import answer_sentences, with_markers


def test_markers_end_every_sentence_of_a_quote():
    assert with_markers("The text was agreed. It goes to the Assembly.", [2]) == \
        "The text was agreed [2]. It goes to the Assembly [2]."
    assert with_markers("Second session, Vienna, 30 May-10 June 2022", [1, 3]) == \
        "Second session, Vienna, 30 May-10 June 2022 [1][3]."


def test_a_sources_own_footnote_references_are_not_shown_as_citations():
    assert with_markers("Joint Statement on the Proposed Cybercrime Treaty Ahead of the Concluding Session [1]", [4]) == \
        "Joint Statement on the Proposed Cybercrime Treaty Ahead of the Concluding Session [4]."
    assert with_markers("Recommendation 1: Delete Article 17 in its entirety. [6-14]", [2]) == \
        "Recommendation 1: Delete Article 17 in its entirety [2]."
    # brackets that are no footnote stay
    assert with_markers("Article 6 [as drafted] protects rights.", [1]) == "Article 6 [as drafted] protects rights [1]."
    assert answer_sentences(with_markers("It was adopted in 2024 [3], after five years.", [1])) == \
        ["It was adopted in 2024, after five years [1]."]
