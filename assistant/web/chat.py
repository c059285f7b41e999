"""The Ask tab: streaming answers, per-turn sources, citation -> document view.

Every handler returns values for a fixed list of outputs (see `app.py`); the
conversation dict (see conversations.py) is the one source of truth and the
chatbot messages are always re-derived from it, escaped."""

from __future__ import annotations

import logging
import re
import textwrap
import time
from datetime import date

import gradio as gr

from ..answering.compose import answer_sentences
from ..errors import AssistantError
from . import render
from .conversations import ConversationStore, history_of, new_conversation

log = logging.getLogger(__name__)
STREAM_PAUSE = 0.04  # seconds between streamed sentences: visible progress, no real wait
# Seconds the pending bubble stands before the answer replaces it: a warm answer takes some 30 ms, and two updates that
# close together may reach the page in one task, so the bubble was never drawn and the asker saw no sign of work.
PENDING_PAUSE = 0.1

EMPTY_SOURCES = render.placeholder("Sources of an answer appear here. Ask a question, or click an earlier answer.")
LOADING = render.placeholder("Loading the conversation…", "loading")
EMPTY_DOC = render.placeholder("Select a source to read it highlighted in its document.")


def _short(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SCOPE_FIELDS = ("publishers", "documents", "kinds", "since", "until")  # the filter bar's inputs, in this order


def _day(value) -> tuple[str, bool]:
    """(the text, whether it is a real YYYY-MM-DD day); empty text is fine."""
    text = (value or "").strip()
    if not text:
        return "", True
    try:
        return text, bool(_DAY.match(text)) and date.fromisoformat(text) is not None
    except ValueError:
        return text, False


def _listed(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if str(v).strip()]


def scope_of(publishers, documents, kinds, since, until) -> dict | None:
    """The filter bar as the scope `ask_stream` takes, None when no filter is set. A date that is
    not YYYY-MM-DD raises AssistantError (an InputError) naming the box and the expected form."""
    from ..errors import InputError

    scope: dict = {}
    for name, value in (("publishers", publishers), ("documents", documents), ("kinds", kinds)):
        if _listed(value):
            scope[name] = _listed(value)
    for name, value in (("since", since), ("until", until)):
        text, ok = _day(value)
        if not ok:
            raise InputError(f"The “{name}” filter must be a date written YYYY-MM-DD (e.g. 2024-07-29), "
                             f"not “{_short(text, 40)}”. Correct it or clear the filters.")
        if text:
            scope[name] = text
    return scope or None


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

    def messages(self, conv: dict | None) -> list[dict]:
        out = []
        for i, turn in enumerate((conv or {}).get("turns", [])):
            out.append({"role": "user", "content": render.user_message(turn["question"])})
            out.append({"role": "assistant", "content": render.assistant_message(
                turn["answer"], i + 1, scope=self.scope_text(turn.get("scope")))})
        return out

    # -- the filter bar ---------------------------------------------------------
    def documents(self) -> list[dict]:
        try:
            return self.assistant.documents()
        except AssistantError:
            return []

    def scope_choices(self, publishers=None, documents=None, kinds=None):
        """(publisher, document, kind) dropdown updates from the stored documents, keeping the
        selections that still exist (after an upload, or a document's metadata corrected)."""
        docs = self.documents()
        metas = [d.get("meta") or {} for d in docs]
        pubs = sorted({m["publisher"] for m in metas if m.get("publisher")}, key=str.casefold)
        kinds_ = sorted({m["kind"] for m in metas if m.get("kind")}, key=str.casefold)
        doc_choices = [(_short(f"{(d.get('meta') or {}).get('date') or 'undated'} · {d['title']}", 80), d["id"]) for d in docs]
        keep = lambda value, options: [v for v in _listed(value) if v in options]  # noqa: E731
        return (gr.update(choices=pubs, value=keep(publishers, set(pubs))),
                gr.update(choices=doc_choices, value=keep(documents, {i for _, i in doc_choices})),
                gr.update(choices=kinds_, value=keep(kinds, set(kinds_))))

    def titles(self) -> dict[str, str]:
        return {d["id"]: d["title"] for d in self.documents()}

    def scope_text(self, scope: dict | None) -> str:
        """A saved turn's scope in words (shown under its answer)."""
        if not scope:
            return ""
        titles = self.titles() if scope.get("documents") else {}
        parts = [f"publisher {', '.join(scope['publishers'])}" if scope.get("publishers") else "",
                 f"document {', '.join(_short(titles.get(d, d), 50) for d in scope['documents'])}" if scope.get("documents") else "",
                 f"kind {', '.join(scope['kinds'])}" if scope.get("kinds") else "",
                 f"since {scope['since']}" if scope.get("since") else "",
                 f"until {scope['until']}" if scope.get("until") else ""]
        return "; ".join(p for p in parts if p)

    def chips(self, publishers, documents, kinds, since, until) -> str:
        """The active filters as chips, each with a × that removes it."""
        chips = [("publishers", v, f"publisher: {v}") for v in _listed(publishers)]
        titles = self.titles() if _listed(documents) else {}
        chips += [("documents", v, f"document: {_short(titles.get(v, v), 50)}") for v in _listed(documents)]
        chips += [("kinds", v, f"kind: {v}") for v in _listed(kinds)]
        bad = []
        for name, value in (("since", since), ("until", until)):
            text, ok = _day(value)
            if text:
                chips.append((name, text, f"{name}: {text}" + ("" if ok else " (not a YYYY-MM-DD date)")))
                if not ok:
                    bad.append(name)
        return render.scope_chips(chips, bad)

    @staticmethod
    def unchip(publishers, documents, kinds, since, until, evt: gr.EventData):
        """A chip's × removes that one filter: new values for the five inputs."""
        data = getattr(evt, "_data", None) or {}
        field, value = data.get("field"), data.get("value")
        values = {"publishers": _listed(publishers), "documents": _listed(documents), "kinds": _listed(kinds),
                  "since": since or "", "until": until or ""}
        if field in ("publishers", "documents", "kinds"):
            values[field] = [v for v in values[field] if v != value]
        elif field in ("since", "until"):
            values[field] = ""
        else:
            return (gr.skip(),) * 5
        return tuple(values[f] for f in SCOPE_FIELDS)

    @staticmethod
    def clear_scope():
        return [], [], [], "", ""

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
        return dropdown, sources, radio, self.export_markdown(turn)

    def export_markdown(self, turn: dict) -> str:
        """A turn as Markdown: the question, then the filters it was asked within right under it (an
        answer drawn from a few documents must not read, once pasted, as one from the whole archive),
        then the answer with footnoted citations."""
        if not turn.get("markdown"):
            return ""
        head = [f"**Question:** {turn['question']}"]
        scope = self.scope_text(turn.get("scope"))
        if scope:
            head.append(f"*Asked within the filters: {scope}*")
        return "  \n".join(head) + "\n\n" + turn["markdown"]

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

    def respond(self, message: str, conv: dict | None, publishers=None, documents=None, kinds=None,
                since=None, until=None):
        """Stream one answer: a pending bubble, then the answer sentence by sentence, then the sources.
        The filter bar's values scope the question (see `scope_of`)."""
        skip = gr.skip()
        message = (message or "").strip()
        if not message:
            gr.Warning("Type a question first.")
            yield (skip,) * 9
            return
        conv = conv if conv and conv.get("id") else new_conversation()
        shown = self.messages(conv) + [{"role": "user", "content": render.user_message(message)}]
        try:
            scope = scope_of(publishers, documents, kinds, since, until)
        except AssistantError as exc:  # a bad date in the filter bar: say so, keep the question typed
            yield (shown + [{"role": "assistant", "content": render.error_message(str(exc))}],) + (skip,) * 8
            return
        yield (shown + [{"role": "assistant", "content": render.pending_message()}],
               skip, skip, "", skip, skip, skip, skip, skip)
        time.sleep(PENDING_PAUSE)
        number = len(conv["turns"]) + 1
        streamed = ""
        answer = None
        try:
            for chunk in self.assistant.ask_stream(message, history=history_of(conv), scope=scope):
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
        turn = {"question": message, "answer": data, "markdown": answer.to_markdown()}
        if scope:
            turn["scope"] = scope
        conv = {**conv, "turns": [*conv["turns"], turn]}
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
    def api_ask(self, question: str, history: list[dict] | None = None, scope: dict | None = None) -> dict:
        """Answer a question from the sources. `scope` (optional) restricts the documents it may
        draw on: {"documents": [ids], "publishers": [names], "kinds": [kinds], "since":
        "YYYY-MM-DD", "until": "YYYY-MM-DD"}. Returns the answer as a dict: text (with [n]
        citation markers), abstained, citations (number, document_id, title, section, quote,
        start, end, attribution), positions, notes, and markdown (footnoted citations)."""
        question = (question or "").strip()
        if not question:
            raise gr.Error("question is empty")
        try:
            answer = self.assistant.ask(question, history=list(history or []), scope=scope or None)
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc
        return {**answer.to_dict(), "markdown": answer.to_markdown()}
