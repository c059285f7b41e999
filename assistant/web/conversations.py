"""Conversations saved on the server, one JSON file each, keyed by a random id.

The browser keeps only the id (gr.BrowserState), so a reload -- or a link with
?c=<id> -- brings back every turn with its own citations. Each turn stores the
answer dict as `ask` returned it, so old citations keep working without
asking again."""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
import time
from pathlib import Path

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_conversation() -> dict:
    return {"id": secrets.token_urlsafe(12), "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "turns": []}


def history_of(conversation: dict | None) -> list[dict]:
    """The turns as the role/content history that `Assistant.ask` takes."""
    out: list[dict] = []
    for turn in (conversation or {}).get("turns", []):
        out.append({"role": "user", "content": turn["question"]})
        out.append({"role": "assistant", "content": turn["answer"].get("text", "")})
    return out


class ConversationStore:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def _path(self, conversation_id: str) -> Path | None:
        # The id comes from the browser or the URL: only a plain token may become a file name.
        if not isinstance(conversation_id, str) or not _ID.match(conversation_id):
            return None
        return self.folder / f"{conversation_id}.json"

    def load(self, conversation_id) -> dict | None:
        path = self._path(conversation_id)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
            return None
        return data

    def save(self, conversation: dict) -> None:
        path = self._path(conversation.get("id"))
        if path is None:
            raise ValueError("conversation has no valid id")
        with self._lock:  # write then rename, so a reader never sees half a file
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(conversation, fh, ensure_ascii=False)
            os.replace(tmp, path)

    def browser_secret(self) -> str:
        """A key kept beside the conversations, so the id stored (encrypted) in
        the browser still opens after the server restarts."""
        path = self.folder / ".browser-secret"
        with self._lock:
            if not path.exists():
                path.write_text(secrets.token_urlsafe(24), encoding="utf-8")
                path.chmod(0o600)
            return path.read_text(encoding="utf-8").strip()
