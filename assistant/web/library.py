"""The Documents tab: list what is stored, read a document in cleaned form,
add documents by upload (indexed with a progress bar, askable at once)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import gradio as gr

from ..errors import AssistantError
from ..formats import SUPPORTED_SUFFIXES
from ..guard import clean_message
from . import render

UPLOAD_TYPES = list(SUPPORTED_SUFFIXES)
EMPTY_READER = render.placeholder("Select a document to read it.")


def safe_name(name: str) -> str:
    """A file name the knowledge folder accepts as a document id (letters, digits, _ - .)."""
    path = Path(name)
    suffix = path.suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", path.name[: -len(path.suffix)] if path.suffix else path.name)
    stem = stem.lstrip("._-")[:100] or "document"
    return stem + suffix


class LibraryController:
    """`access`: the API's key settings (assistant.guard.Settings). When it holds keys, adding a
    document needs a write key, checked here on the server like the API does."""

    def __init__(self, assistant, access=None):
        self.assistant = assistant
        self.access = access

    @property
    def needs_key(self) -> bool:
        return bool(self.access is not None and self.access.keys)

    def documents(self) -> list[dict]:
        try:
            return self.assistant.documents()
        except AssistantError:
            return []

    def choices(self, documents=None):
        return [(d["title"], d["id"]) for d in (documents if documents is not None else self.documents())]

    def reader(self, doc_id, span=None, caption="") -> str:
        if not doc_id:
            return EMPTY_READER
        try:
            doc = self.assistant.document(doc_id)
        except AssistantError as exc:
            return render.placeholder(str(exc), "error")
        return render.document_view(doc, span, caption)

    # -- events ---------------------------------------------------------------
    def refresh(self, selected=None):
        documents = self.documents()
        return render.documents_table(documents, selected), gr.update(choices=self.choices(documents), value=selected)

    def open(self, doc_id):
        """(table with the row marked, reader)."""
        return render.documents_table(self.documents(), doc_id), self.reader(doc_id)

    def click_row(self, evt: gr.EventData):
        doc_id = (getattr(evt, "_data", None) or {}).get("doc")
        if not doc_id:
            return gr.skip(), gr.skip(), gr.skip()
        table, reader = self.open(doc_id)
        return doc_id, table, reader

    def open_quote(self, evt: gr.EventData):
        """From a quote in the Positions tab to the Documents tab, the quote highlighted."""
        data = getattr(evt, "_data", None) or {}
        doc_id = data.get("doc")
        if not doc_id:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            doc = self.assistant.document(doc_id)
            start, end = int(data.get("start")), int(data.get("end"))
            span = render.locate(doc.text, doc.text[start:end], start, end)
        except (AssistantError, TypeError, ValueError):
            span = None
        reader = self.reader(doc_id, span, "Quoted in the Positions tab" if span else "")
        return gr.Tabs(selected="documents"), doc_id, render.documents_table(self.documents(), doc_id), reader

    def add(self, files, key=None, progress=gr.Progress()):
        """(status, table, dropdown, reader, cleared file input)."""
        if self.needs_key and not self.access.allows((key or "").strip(), "write"):
            return (render.status("Not added: enter a valid write key (the same keys as the HTTP API).", "error"),
                    gr.skip(), gr.skip(), gr.skip(), gr.skip())
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return render.status("Choose a file first (.md, .txt, .html or .pdf).", "error"), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        bad = [p.name for p in paths if p.suffix.lower() not in SUPPORTED_SUFFIXES]
        if bad:
            return (render.status(f"Not a supported document type: {', '.join(bad)}. Use {', '.join(UPLOAD_TYPES)}.", "error"),
                    gr.skip(), gr.skip(), gr.skip(), gr.skip())

        def report(done, total, message):
            progress((done, total) if total else 0, desc=message or "Indexing")

        with tempfile.TemporaryDirectory(prefix="upload-") as folder:
            # Uploads arrive under random temp names' folders with the user's file name, which may
            # hold spaces: copy them under names the knowledge folder accepts as document ids.
            names = []
            for p in paths:
                target = Path(folder) / safe_name(p.name)
                shutil.copyfile(p, target)
                names.append(target.name)
            progress(0, desc="Reading the document")
            try:
                result = self.assistant.ingest(folder if len(names) > 1 else Path(folder) / names[0], progress=report)
            except AssistantError as exc:
                message = clean_message(str(exc).replace(folder + "/", "").replace(folder, "upload"))
                return render.status(f"Not added: {message}", "error"), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        changed = list(getattr(result, "added", []) or []) + list(getattr(result, "updated", []) or [])
        if not changed and isinstance(result, dict):
            changed = list(result.get("added", [])) + list(result.get("updated", []))
        documents = self.documents()
        titles = {d["id"]: d["title"] for d in documents}
        selected = changed[0] if changed else Path(names[0]).stem
        done = ", ".join(f"“{titles.get(i, i)}” ({i})" for i in changed) or ", ".join(names) + " (unchanged)"
        message = f"Added and indexed: {done}. It can be asked about in the Ask tab now."
        return (render.status(message), render.documents_table(documents, selected),
                gr.update(choices=self.choices(documents), value=selected), self.reader(selected), None)
