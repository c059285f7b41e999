"""Lays out the three tabs and wires their events; the behaviour lives in
chat.py, explorer.py and library.py."""

from __future__ import annotations

from functools import partial

import gradio as gr

from . import assets, render
from .chat import EMPTY_DOC, LOADING, ChatController
from .conversations import ConversationStore
from .explorer import ALL, PositionsController
from .library import EMPTY_READER, UPLOAD_TYPES, LibraryController

TITLE = "UN cybercrime treaty — ask the sources"
EXAMPLES = [
    "Why did Egypt object to Article 24?",
    "Which states called for deleting Article 35(3)?",
    "Compare Russia and the US on the 24/7 network",
    "What did Egypt object to?",
]
HEADER = (
    '<div class="app-header"><h1>UN cybercrime treaty negotiations — ask the sources</h1>'
    "<p>Answers come only from the stored documents, and every sentence carries numbered citations. "
    "Click an answer to list its sources; select a source to read it highlighted in its document. "
    "When the sources don't say, the answer says so.</p></div>"
)
PRIVATE = {"api_visibility": "private"}


def _example(question: str) -> str:
    return question


def build_app(assistant, conversations_dir, access=None, read_only: bool = False) -> gr.Blocks:
    """`access`: the HTTP API's key settings (assistant.guard.Settings); with keys in it, adding a
    document asks for a write key. `read_only`: no way to add documents at all."""
    store = ConversationStore(conversations_dir)
    chat = ChatController(assistant, store)
    positions = PositionsController(assistant)
    library = LibraryController(assistant, access)

    with gr.Blocks(title=TITLE, fill_width=True) as demo:
        conversation = gr.State(None)
        remembered = gr.BrowserState(None, storage_key="cybertreaty-assistant-conversation",
                                     secret=store.browser_secret())
        gr.HTML(HEADER, js_on_load=None)
        with gr.Tabs(elem_id="tabs") as tabs:
            # -- Ask ---------------------------------------------------------
            with gr.Tab("Ask", id="ask", elem_id="tab-ask") as ask_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            elem_id="chat", label="Conversation", height=520, latex_delimiters=[], buttons=[],
                            placeholder="Ask about the UN cybercrime-treaty negotiations, or try an example below.",
                        )
                        # The filter bar: a question asked with filters draws only on the documents they match.
                        with gr.Row(elem_id="scope-bar", equal_height=True):
                            s_pub = gr.Dropdown(label="Publisher", choices=[], value=[], multiselect=True,
                                                elem_id="scope-publisher", scale=2, min_width=160)
                            s_doc = gr.Dropdown(label="Document", choices=[], value=[], multiselect=True,
                                                elem_id="scope-document", scale=3, min_width=180)
                            s_kind = gr.Dropdown(label="Kind", choices=[], value=[], multiselect=True,
                                                 elem_id="scope-kind", scale=1, min_width=120)
                            s_since = gr.Textbox(label="Since", placeholder="YYYY-MM-DD", elem_id="scope-since",
                                                 scale=1, min_width=110, max_length=40)
                            s_until = gr.Textbox(label="Until", placeholder="YYYY-MM-DD", elem_id="scope-until",
                                                 scale=1, min_width=110, max_length=40)
                        with gr.Row(equal_height=True):
                            chips = gr.HTML(render.scope_chips([]), elem_id="scope-chips", js_on_load=assets.CHIPS_JS)
                            clear_scope = gr.Button("Clear filters", size="sm", elem_id="scope-clear", scale=0,
                                                    min_width=110)
                        with gr.Row():
                            # No max_length: a box limit cuts a paste silently, and the question's own limit
                            # (query.MAX_QUESTION_CHARS) would then report the cut length, not the pasted one.
                            question = gr.Textbox(show_label=False, placeholder="Ask a question about the negotiations…",
                                                  elem_id="question", scale=5, autofocus=True)
                            ask = gr.Button("Ask", variant="primary", elem_id="ask-btn", scale=1, min_width=80)
                        gr.Markdown("Try:")
                        with gr.Row(elem_classes="example-row"):
                            examples = [gr.Button(q, size="sm", elem_classes="example") for q in EXAMPLES]
                        with gr.Row():
                            new = gr.Button("New conversation", size="sm", elem_id="new-conv")
                            copy = gr.Button("Copy answer as Markdown", size="sm", elem_id="copy-md")
                        with gr.Accordion("Answer as Markdown (footnoted citations)", open=False):
                            markdown = gr.Code(language="markdown", buttons=["copy"], interactive=False,
                                               elem_id="answer-md", lines=6, wrap_lines=True, show_line_numbers=False)
                    with gr.Column(scale=2):
                        turn = gr.Dropdown(label="Sources of answer", choices=[], elem_id="turn-picker",
                                           interactive=True)
                        sources = gr.HTML(LOADING, elem_id="sources", js_on_load=assets.SOURCES_JS)
                        citation = gr.Radio(label="Show a source in its document", choices=[], elem_id="cite-picker")
                        document = gr.HTML(EMPTY_DOC, elem_id="chat-doc", js_on_load=assets.DOC_JS)

            # -- Positions ---------------------------------------------------
            with gr.Tab("Positions", id="positions", elem_id="tab-positions"):
                gr.Markdown("Stances the sources report, by actor and article. Filter, or select a cell for its evidence; "
                            "pick an actor to see their stances along the dates.")
                with gr.Row():
                    actor = gr.Dropdown(label="Actor", choices=[("All actors", ALL)], value=ALL, elem_id="f-actor")
                    article = gr.Dropdown(label="Article", choices=[("All articles", ALL)], value=ALL, elem_id="f-article")
                    stance = gr.Dropdown(label="Stance", choices=[("All stances", ALL)], value=ALL, elem_id="f-stance")
                    clear = gr.Button("Clear filters", size="sm", elem_id="f-clear", scale=0, min_width=120)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        line = gr.HTML(elem_id="timeline", js_on_load=assets.TIMELINE_JS)
                        matrix = gr.HTML(elem_id="matrix", js_on_load=assets.MATRIX_JS)
                    with gr.Column(scale=2):
                        evidence = gr.HTML(elem_id="evidence", js_on_load=assets.EVIDENCE_JS)

            # -- Documents ---------------------------------------------------
            with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2):
                        table = gr.HTML(elem_id="doc-table", js_on_load=assets.DOCLIST_JS)
                        picker = gr.Dropdown(label="Read a document", choices=[], elem_id="doc-picker")
                        # No file_types filter: an unsupported file must reach the handler and be named in its
                        # message, not vanish into "Choose a file first".
                        with gr.Group(visible=not read_only, elem_id="add-section"):
                            upload = gr.File(label="Add documents (" + ", ".join(UPLOAD_TYPES) + ")",
                                             file_count="multiple", elem_id="upload")
                            key = gr.Textbox(label="Write key", type="password", elem_id="write-key",
                                             visible=library.needs_key, placeholder="the same key as the HTTP API")
                            add = gr.Button("Add and index", variant="primary", elem_id="add-doc")
                        added = gr.HTML(elem_id="add-status", js_on_load=None, min_height=60)
                    with gr.Column(scale=3):
                        reader = gr.HTML(EMPTY_READER, elem_id="doc-reader", js_on_load=assets.DOC_JS)

        # -- Ask events ------------------------------------------------------
        chat_outputs = [chatbot, conversation, remembered, question, turn, sources, citation, markdown, document]
        scope_inputs = [s_pub, s_doc, s_kind, s_since, s_until]
        answer = {"fn": chat.respond, "inputs": [question, conversation, *scope_inputs], "outputs": chat_outputs,
                  "show_progress": "hidden", **PRIVATE}
        question.submit(**answer)
        ask.click(**answer)
        for button, text in zip(examples, EXAMPLES):
            button.click(partial(_example, text), None, question, **PRIVATE).then(**answer)
        turn.input(chat.select_turn, [turn, conversation], [sources, citation, markdown, document], **PRIVATE)
        chatbot.select(chat.select_message, [conversation], [turn, sources, citation, markdown, document], **PRIVATE)
        citation.input(chat.show_citation, [citation, turn, conversation], [sources, document], **PRIVATE)
        sources.cite(chat.click_citation, [turn, conversation], [citation, sources, document], **PRIVATE)
        new.click(chat.new, None, chat_outputs, **PRIVATE)
        copy.click(_copied, [markdown], None, js=assets.COPY_JS, **PRIVATE)
        demo.load(chat.restore, [remembered], chat_outputs, **PRIVATE)
        for box in scope_inputs:
            box.change(chat.chips, scope_inputs, chips, show_progress="hidden", **PRIVATE)
        chips.unchip(chat.unchip, scope_inputs, scope_inputs, **PRIVATE)
        clear_scope.click(chat.clear_scope, None, scope_inputs, **PRIVATE)
        scope_lists = [s_pub, s_doc, s_kind]
        demo.load(chat.scope_choices, scope_lists, scope_lists, **PRIVATE)
        # Back on the Ask tab, the choices follow the documents (added here, or edited with the CLI meanwhile).
        ask_tab.select(chat.scope_choices, scope_lists, scope_lists, show_progress="hidden", **PRIVATE)

        # -- Positions events ------------------------------------------------
        filters = [actor, article, stance]
        views = [matrix, evidence, line]
        for box in filters:
            box.input(positions.update, filters, views, **PRIVATE)
        clear.click(lambda: (ALL, ALL, ALL), None, filters, **PRIVATE).then(positions.update, filters, views, **PRIVATE)
        matrix.cell(positions.select_cell, [stance], [actor, article, *views], **PRIVATE)
        line.mark(positions.select_mark, filters, [line, evidence], **PRIVATE)
        demo.load(positions.refresh, filters, [*filters, *views], **PRIVATE)

        # -- Documents events ------------------------------------------------
        picker.input(library.open, [picker], [table, reader], **PRIVATE)
        table.open(library.click_row, None, [picker, table, reader], **PRIVATE)
        evidence.quote(library.open_quote, None, [tabs, picker, table, reader], **PRIVATE)
        if not read_only:  # read-only: the event does not exist, so nothing can call it
            add.click(library.add, [upload, key], [added, table, picker, reader, upload], show_progress_on=added,
                      **PRIVATE).then(
                positions.refresh, filters, [*filters, *views], **PRIVATE).then(
                chat.scope_choices, scope_lists, scope_lists, **PRIVATE)
        demo.load(library.refresh, None, [table, picker], **PRIVATE)

        # -- API: the one public endpoint -------------------------------------
        gr.api(chat.api_ask, api_name="ask")
    return demo


def _copied(markdown: str):
    if markdown:
        gr.Info("Answer copied as Markdown, with footnoted citations.")
    else:
        gr.Warning("No answer to copy yet.")


def launch(demo: gr.Blocks, host: str, port: int, **options):
    """Start serving; css goes to launch() in Gradio 6."""
    demo.queue(default_concurrency_limit=2)
    return demo.launch(server_name=host, server_port=port, css=assets.CSS, show_error=True,
                       footer_links=["api"], **options)
