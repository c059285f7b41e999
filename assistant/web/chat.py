"""The Ask tab: streaming answers, per-turn sources, citation -> document view.

Every handler returns values for a fixed list of outputs (see `app.py`); the
conversation dict (see conversations.py) is the one source of truth and the
chatbot messages are always re-derived from it, escaped."""

from __future__ import annotations

import logging
import textwrap
import time

import gradio as gr

from ..answering.compose import answer_sentences
from ..errors import AssistantError
from . import render
from .conversations import ConversationStore, history_of, new_conversation

log = logging.getLogger(__name__)
STREAM_PAUSE = 0.04  # seconds between streamed sentences: visible progress, no real wait

EMPTY_SOURCES = render.placeholder("Sources of an answer appear here. Ask a question, or click an earlier answer.")
LOADING = render.placeholder("Loading the conversation…", "loading")
EMPTY_DOC = render.placeholder("Select a source to read it highlighted in its document.")


def _short(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


class ChatController:
    def __init__(self, assistant, store: ConversationStore):
        self.assistant = assistant
        self.store = store

    # -- helpers --------------------------------------------------------------
    def lookup(self, doc_id: str):
        try:
            return self.assistant.document(doc_id)
        except AssistantError:
            return None

    @staticmethod
    def messages(conv: dict | None) -> list[dict]:
        out = []
        for i, turn in enumerate((conv or {}).get("turns", [])):
            out.append({"role": "user", "content": render.user_message(turn["question"])})
            out.append({"role": "assistant", "content": render.assistant_message(turn["answer"], i + 1)})
        return out

    @staticmethod
    def _turn(conv: dict | None, index) -> tuple[int, dict] | None:
        turns = (conv or {}).get("turns", [])
        if not turns:
            return None
        if index is None or not isinstance(index, int) or not 0 <= index < len(turns):
            index = len(turns) - 1
        return index, turns[index]

    def _panel(self, conv: dict | None, index, selected: int | None = None):
        """(turn dropdown, sources html, citation radio, markdown) for one turn."""
        found = self._turn(conv, index)
        if found is None:
            return (gr.update(choices=[], value=None), EMPTY_SOURCES,
                    gr.update(choices=[], value=None), "")
        index, turn = found
        turns = conv["turns"]
        dropdown = gr.update(choices=[(f"{i + 1}. {_short(t['question'], 70)}", i) for i, t in enumerate(turns)],
                             value=index)
        citations = turn["answer"].get("citations") or []
        radio = gr.update(
            choices=[(f"[{c['number']}] {_short(c['title'], 48)}", c["number"]) for c in citations],
            value=selected,
        )
        sources = render.sources_panel(turn["answer"], index + 1, self.lookup, selected)
        return dropdown, sources, radio, turn.get("markdown", "")

    def full_view(self, conv: dict, index=None):
        """Values for CHAT_OUTPUTS: chatbot, conversation, browser id, textbox, turn, sources, radio, markdown, doc."""
        dropdown, sources, radio, markdown = self._panel(conv, index)
        return (self.messages(conv), conv, conv["id"], gr.update(), dropdown, sources, radio, markdown, EMPTY_DOC)

    # -- events ---------------------------------------------------------------
    def restore(self, stored_id, request: gr.Request | None = None):
        """On page load: the conversation named in the URL (?c=id), else the one the browser remembers."""
        wanted = None
        if request is not None:
            wanted = request.query_params.get("c")
        conv = (wanted and self.store.load(wanted)) or (stored_id and self.store.load(stored_id)) or new_conversation()
        return self.full_view(conv)

    def new(self):
        return self.full_view(new_conversation())

    def respond(self, message: str, conv: dict | None):
        """Stream one answer: a pending bubble, then the answer sentence by sentence, then the sources."""
        skip = gr.skip()
        message = (message or "").strip()
        if not message:
            gr.Warning("Type a question first.")
            yield (skip,) * 9
            return
        conv = conv if conv and conv.get("id") else new_conversation()
        shown = self.messages(conv) + [{"role": "user", "content": render.user_message(message)}]
        yield (shown + [{"role": "assistant", "content": render.pending_message()}],
               skip, skip, "", skip, skip, skip, skip, skip)
        number = len(conv["turns"]) + 1
        streamed = ""
        answer = None
        try:
            for chunk in self.assistant.ask_stream(message, history=history_of(conv)):
                if not isinstance(chunk, str):
                    answer = chunk  # authoritative: a fallback's text replaces what was streamed
                    break
                # Extractive answers arrive whole; show them a sentence at a time so progress is visible.
                # Generated answers arrive a verified sentence at a time already.
                sentences = answer_sentences(chunk)
                for i, sentence in enumerate(sentences):
                    streamed = f"{streamed} {sentence}".strip()
                    partial = render.assistant_message({}, number, streaming_text=streamed)
                    yield (shown + [{"role": "assistant", "content": partial}],) + (skip,) * 8
                    if len(sentences) > 1 and i < len(sentences) - 1:
                        time.sleep(STREAM_PAUSE)
        except AssistantError as exc:
            yield (shown + [{"role": "assistant", "content": render.error_message(str(exc))}],) + (skip,) * 8
            return
        except Exception as exc:  # keep the page usable; the detail goes to the server log
            log.exception("ask failed")
            yield (shown + [{"role": "assistant", "content": render.error_message(f"internal error ({type(exc).__name__}).")}],) + (skip,) * 8
            return
        if answer is None:
            log.error("ask_stream ended without an answer")
            yield (shown + [{"role": "assistant", "content": render.error_message("no answer was produced.")}],) + (skip,) * 8
            return
        data = answer.to_dict()
        conv = {**conv, "turns": [*conv["turns"], {"question": message, "answer": data, "markdown": answer.to_markdown()}]}
        try:
            self.store.save(conv)
        except OSError as exc:
            gr.Warning(f"The conversation could not be saved: {exc}")
        view = self.full_view(conv)
        yield view[:3] + ("",) + view[4:]

    def select_turn(self, index, conv):
        _, sources, radio, markdown = self._panel(conv, index)
        return sources, radio, markdown, EMPTY_DOC

    def select_message(self, conv, evt: gr.SelectData):
        """Clicking an answer (or its question) in the chat shows that turn's sources."""
        index = evt.index if isinstance(evt.index, int) else (evt.index or [0])[0]
        dropdown, sources, radio, markdown = self._panel(conv, int(index) // 2)
        return dropdown, sources, radio, markdown, EMPTY_DOC

    def show_citation(self, number, index, conv):
        """(sources html with the card selected, document view scrolled to the quote)."""
        found = self._turn(conv, index)
        if found is None or number is None:
            return gr.skip(), EMPTY_DOC
        index, turn = found
        citation = next((c for c in turn["answer"].get("citations") or [] if c["number"] == int(number)), None)
        if citation is None:
            return gr.skip(), EMPTY_DOC
        sources = render.sources_panel(turn["answer"], index + 1, self.lookup, citation["number"])
        doc = self.lookup(citation["document_id"])
        if doc is None:
            return sources, render.placeholder(f"Document {citation['document_id']} is no longer stored.", "error")
        span = render.locate(doc.text, citation["quote"], citation.get("start"), citation.get("end"))
        caption = f"Citation [{citation['number']}] of answer {index + 1}"
        if span is None:
            caption += " — the quoted passage is no longer in this document"
        return sources, render.document_view(doc, span, caption)

    def click_citation(self, index, conv, evt: gr.EventData):
        number = getattr(evt, "_data", {}).get("number") if evt is not None else None
        if number is None:
            return gr.skip(), gr.skip(), gr.skip()
        sources, doc = self.show_citation(number, index, conv)
        return gr.update(value=int(number)), sources, doc

    # -- API ------------------------------------------------------------------
    def api_ask(self, question: str, history: list[dict] | None = None) -> dict:
        """Answer a question from the sources. Returns the answer as a dict: text (with [n]
        citation markers), abstained, citations (number, document_id, title, section, quote,
        start, end, attribution), positions, notes, and markdown (footnoted citations)."""
        question = (question or "").strip()
        if not question:
            raise gr.Error("question is empty")
        try:
            answer = self.assistant.ask(question, history=list(history or []))
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc
        return {**answer.to_dict(), "markdown": answer.to_markdown()}
