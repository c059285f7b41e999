"""Position data: validated at load, indexed in Chroma, used for exact answers."""

import re

import pytest

from assistant import Assistant
from assistant.errors import KnowledgeFileError
from assistant.gazetteer import Gazetteer
from assistant.positions import load_positions

from .conftest import REPO


def test_curated_file_is_valid_and_large(assistant):
    records = assistant.positions()
    assert len(records) >= 55
    for r in records:
        ev = r["evidence"][0]
        assert assistant.document(ev["document"]).text[ev["start"]:ev["end"]] == ev["quote"]


def test_positions_are_in_chroma_with_filterable_metadata(assistant):
    collection = assistant.store.collection("positions")
    got = collection.get(where={"$and": [{"actors": {"$contains": "egypt"}}, {"stance": "calls_for_deletion"}]})
    assert got["ids"]


@pytest.mark.parametrize("name", ["US", "USA", "United States", "United States of America", "the US"])
def test_alias_filters(assistant, name):
    assert {r["id"] for r in assistant.positions(actor=name)} == {r["id"] for r in assistant.positions(actor="usa")}


def test_article_and_stance_filters(assistant):
    deletion = assistant.positions(article="35(3)", stance="calls_for_deletion")
    actors = {a for r in deletion for a in r["actors"]}
    assert {"egypt", "saudi_arabia", "iran", "iraq", "mauritania", "oman"} <= actors


BAD_CASES = [
    ("unknown actor", "actors: [egypt]", "actors: [atlantis]", "unknown actor 'atlantis'"),
    ("quote not in document", "quote: \"Egypt raised concerns", "quote: \"Egypt warmly welcomed", "quote not found verbatim"),
]


def _first_record_with(text, needle):
    return text.index(needle)


@pytest.mark.parametrize("case,old,new,message", BAD_CASES)
def test_malformed_positions_are_refused_with_line(fresh_knowledge, tmp_path, case, old, new, message):
    assistant = Assistant.load(fresh_knowledge, tmp_path / "index")
    generation = assistant.store.current_generation()
    path = fresh_knowledge / "positions.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    path.write_text(broken, encoding="utf-8")
    line = broken[: broken.index(new)].count("\n") + 1
    with pytest.raises(KnowledgeFileError) as info:
        assistant.index()
    err = info.value
    assert message in str(err) and "positions.yaml" in str(err)
    assert err.line is not None and abs(err.line - line) <= 12
    assert assistant.store.current_generation() == generation
    assert "Ecuador" not in assistant.ask("Which states called for deleting Article 35(3)?").text
    assert not assistant.ask("Why did Egypt object to Article 24?").abstained


def test_duplicate_id_is_refused(fresh_knowledge):
    path = fresh_knowledge / "positions.yaml"
    text = path.read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)", text, flags=re.M)
    path.write_text(text.replace(f"- id: {ids[1]}", f"- id: {ids[0]}", 1), encoding="utf-8")
    gazetteer = Gazetteer.load(fresh_knowledge)
    from assistant.documents import load_folder

    docs = {d.id: d for d in load_folder(fresh_knowledge / "documents")}
    with pytest.raises(KnowledgeFileError, match=f"duplicate id '{ids[0]}'") as info:
        load_positions(path, gazetteer, docs)
    assert info.value.line == text.count("\n", 0, text.index(f"- id: {ids[1]}")) + 1


def test_gazetteer_covers_un_members_and_source_spellings():
    g = Gazetteer.load(REPO / "knowledge")
    states = [a for a in g.actors.values() if a.kind == "state"]
    assert len(states) == 193
    for name, actor in [("Lichtenstein", "liechtenstein"), ("Mauretania", "mauritania"), ("Cape Verde", "cabo_verde"),
                        ("UK", "uk"), ("the Russian Federation", "russia"), ("USA", "usa")]:
        assert g.resolve_actor(name) == actor, name
    assert g.find_articles("the 24/7 network proposal", by_name=True) == ["41"]


def test_an_organisation_within_an_unknown_community_is_refused_with_its_line(fresh_knowledge):
    path = fresh_knowledge / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("  within: civil_society\n", "  within: civil_societies\n", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="within 'civil_societies', which is no actor's id") as info:
        Gazetteer.load(fresh_knowledge)
    assert info.value.line == broken[: broken.index("within: civil_societies")].count("\n") + 1


def test_a_community_holds_the_organisations_within_it():
    g = Gazetteer.load(REPO / "knowledge")
    assert {"hrw", "eff", "article19"} <= g.with_members({"civil_society"})
    assert "microsoft" in g.with_members({"private_sector"}) and "microsoft" not in g.with_members({"civil_society"})
    assert g.with_communities({"hrw"}) == {"hrw", "civil_society"}
    assert g.with_members({"egypt"}) == {"egypt"}  # a state is within no community
    for name in ("rights groups", "nongovernmental organizations", "press-freedom groups"):
        assert g.resolve_actor(name) == "civil_society", name
    assert "cpj" in g.with_members({"civil_society"})


def test_a_name_joined_to_the_act_it_did_names_who_did_it():
    g = Gazetteer.load(REPO / "knowledge")
    for text in ("the Russia-sponsored resolution", "a Russian-led text", "a US-backed amendment"):
        assert g.actor_ids(text) in (["russia"], ["usa"]), text
    for text in ("a UK-based firm", "non-EU states", "the EU-funded project"):
        assert g.actor_ids(text) == [], text
