"""The web chat's Markdown export of a turn: the question, the filters it was asked within right
under it, then the answer with footnoted citations (the real assistant, no browser)."""

from __future__ import annotations

from assistant.web.chat import ChatController
from assistant.web.conversations import ConversationStore

from .conftest import SEED_ID

QUESTION = "Why did Egypt object to Article 24?"


def _last(generator):
    out = None
    for out in generator:
        pass
    return out


def test_a_scoped_question_exports_its_scope_under_the_question(assistant, tmp_path):
    chat = ChatController(assistant, ConversationStore(tmp_path / "conversations"))
    view = _last(chat.respond(QUESTION, None, documents=[SEED_ID], since="2020-01-01"))
    conv, markdown = view[1], view[7]
    lines = markdown.splitlines()
    assert lines[0].startswith(f"**Question:** {QUESTION}"), markdown
    assert lines[1] == f"*Asked within the filters: {chat.scope_text(conv['turns'][0]['scope'])}*", markdown
    assert "document " in lines[1] and "since 2020-01-01" in lines[1]
    assert "[^1]" in markdown and '\n[^1]: "' in markdown  # the answer follows, footnoted
    assert conv["turns"][0]["scope"] == {"documents": [SEED_ID], "since": "2020-01-01"}
    # the same export when the turn is picked again from a saved conversation
    assert chat.select_turn(0, chat.store.load(conv["id"]))[2] == markdown

    unscoped = _last(chat.respond(QUESTION, conv))[7]
    assert unscoped.startswith(f"**Question:** {QUESTION}") and "Asked within the filters" not in unscoped
