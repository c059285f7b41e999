"""The sentence strategy on small corpora written for the test: what an answer of the asked type must hold."""

from __future__ import annotations

from .test_sources import _world


def test_which_country_needs_a_sentence_that_names_one(tmp_path):
    assistant = _world(tmp_path, [
        ("signing", "Kestrel Wire (KW)",
         "Signing\n\nOn the last evening a reception with music, dancing and food from the region was held for the "
         "visiting journalists in Vietnam. It will enter into force ninety days after the fortieth ratification. "
         "Ratification is expected to be slow. Observers doubt that forty states will ratify the convention soon.\n"),
        ("wire", "Harbour Times",
         "Session wrap-up\n\nDelegates met for two weeks in New York and adopted the text. "
         "Ghana will host the signing ceremony for the convention next year.\n"),
    ])
    hosts = assistant.ask("Which country will host the signing ceremony for the convention?")
    assert not hosts.abstained, hosts.text
    assert "Ghana will host" in hosts.citations[0].quote, hosts.text
    # "It will enter into force…" carries Vietnam over from the sentence before, but names no country.
    fortieth = assistant.ask("Which country became the fortieth to ratify the convention?")
    assert fortieth.abstained, fortieth.text
    assert "names a country" in fortieth.text
