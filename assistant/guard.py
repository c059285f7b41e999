"""What the HTTP API lets in: keys with roles, body size limits, keys refused in
the query string (and kept out of the access log), and the one error shape.

Every refusal is JSON {"error": {"code": ..., "message": ...}}. Messages never
repeat a request body back and never show a server path.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from .errors import AssistantError
from .formats import MAX_DOCUMENT_BYTES

ROLES = ("read", "write", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
READS = ("open", "closed")
QUERY_KEY_NAMES = ("api_key", "apikey", "api-key", "key", "token", "access_token")
DEFAULT_MAX_JSON_BYTES = 1024 * 1024
UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # multipart framing and JSON escapes around a document at the size limit

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
         500: "internal_error", 503: "unavailable"}


class ConfigError(AssistantError):
    """A security setting has a value the service does not know: it refuses to start."""


def error_body(status: int, message: str, code: str | None = None) -> bytes:
    return json.dumps({"error": {"code": code or CODES.get(status, "error"), "message": clean_message(message)}},
                      ensure_ascii=True).encode()


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s'\":]+)+[\\/]")


def clean_message(message: str, limit: int = 500) -> str:
    """A message safe to send: directories of server paths removed, lone surrogates and
    control characters replaced, and cut to `limit` characters."""
    text = _PATH.sub("", str(message))
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(ch if ch.isprintable() or ch == " " else "\ufffd" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Settings:
    """Who may do what, and how large a request may be.

    keys: key -> role (read, write or admin). write_keys is the older form: each is a write key.
    """

    write_keys: list[str] = field(default_factory=list)
    read_keys_required: bool = False
    cors_origins: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    max_json_bytes: int = DEFAULT_MAX_JSON_BYTES
    max_upload_bytes: int = MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD_BYTES
    worker_threads: int | None = None  # None: anyio's default (40)

    def __post_init__(self):
        for key in self.write_keys:
            self.keys.setdefault(key, "write")
        for key, role in self.keys.items():
            if role not in ROLES:
                raise ConfigError(f"API key role '{role}' is unknown; use one of {', '.join(ROLES)}")

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        reads = env.get("ASSISTANT_API_READS", "open").strip() or "open"
        if reads not in READS:
            raise ConfigError(f"ASSISTANT_API_READS is '{clean_message(reads, 40)}'; use 'open' or 'closed'")
        keys = parse_keys(env.get("ASSISTANT_API_KEYS", ""))
        origins = [o.strip() for o in env.get("ASSISTANT_CORS_ORIGINS", "").split(",") if o.strip()]
        limit = env.get("ASSISTANT_MAX_JSON_BYTES", "").strip()
        try:
            max_json = int(limit) if limit else DEFAULT_MAX_JSON_BYTES
            if max_json < 1024:
                raise ValueError
        except ValueError:
            raise ConfigError(f"ASSISTANT_MAX_JSON_BYTES is '{clean_message(limit, 40)}'; use a number of bytes, at least 1024") from None
        threads = env.get("ASSISTANT_API_THREADS", "").strip()
        if threads and not (threads.isdigit() and 1 <= int(threads) <= 256):
            raise ConfigError(f"ASSISTANT_API_THREADS is '{clean_message(threads, 40)}'; use a number from 1 to 256")
        return cls(keys=keys, read_keys_required=reads == "closed", cors_origins=origins, max_json_bytes=max_json,
                   worker_threads=int(threads) if threads else None)

    def role_of(self, presented: str | None) -> str | None:
        """The role of a presented key, or None. Compared as bytes in constant time, so a
        key with characters outside ASCII is simply a wrong key."""
        if not presented:
            return None
        try:
            given = presented.encode("latin-1")  # headers arrive decoded as latin-1: these are the bytes sent
        except UnicodeEncodeError:
            given = presented.encode("utf-8", "surrogatepass")
        found = None
        for key, role in self.keys.items():
            if secrets.compare_digest(given, key.encode("utf-8")) and found is None:
                found = role
        return found

    def allows(self, presented: str | None, needed: str) -> bool:
        role = self.role_of(presented)
        return role is not None and _RANK[role] >= _RANK[needed]


def parse_keys(value: str) -> dict[str, str]:
    """`key:role` pairs, comma-separated; a bare key (no colon) is a write key."""
    keys: dict[str, str] = {}
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, role = item.rpartition(":")
        if not sep:
            key, role = item, "write"
        key, role = key.strip(), role.strip()
        if role not in ROLES:
            raise ConfigError(f"ASSISTANT_API_KEYS: role '{clean_message(role, 40)}' is unknown; "
                              f"write key:role with a role of {', '.join(ROLES)} (a bare key is a write key)")
        if not key:
            raise ConfigError("ASSISTANT_API_KEYS: a key:role pair has an empty key")
        keys[key] = role
    return keys


def is_upload_path(path: str) -> bool:
    return path.rstrip("/") == "/v1/documents" or path.startswith("/v1/documents/")


class Guard:
    """ASGI middleware, outermost: refuses keys in the query string, and bodies over the limit,
    by Content-Length before anything is read and by counting bytes as they stream in."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        query = scope.get("query_string", b"").decode("latin-1")
        if query and any(name.lower() in QUERY_KEY_NAMES for name, _ in parse_qsl(query, keep_blank_values=True)):
            return await _respond(send, 400, "API keys are not accepted in the query string; "
                                             "send them as Authorization: Bearer KEY or X-API-Key")
        limit = self.settings.max_upload_bytes if is_upload_path(scope["path"]) else self.settings.max_json_bytes
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return await _respond(send, 400, "Content-Length is not a number")
            if declared > limit:
                return await _respond(send, 413, f"the request body is larger than {limit} bytes")
        state = {"seen": 0, "started": False, "refused": False}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                if state["seen"] > limit:
                    state["refused"] = True
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message):
            if state["refused"]:  # whatever the app made of the cut-off body, the answer is 413
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await _respond(send, 413, f"the request body is larger than {limit} bytes")
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not state["started"]:
                await _respond(send, 413, f"the request body is larger than {limit} bytes")


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the request body is larger than {limit} bytes")


async def _respond(send, status: int, message: str):
    body = error_body(status, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


_QUERY_SECRET = re.compile(r"(?i)([?&](?:" + "|".join(re.escape(n) for n in QUERY_KEY_NAMES) + r")=)[^&\s]*")


class RedactKeys(logging.Filter):
    """Keeps keys sent in a query string out of the access log (the request is refused anyway)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY_SECRET.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = _QUERY_SECRET.sub(r"\1[redacted]", record.msg)
        return True


def redact_access_log():
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactKeys) for f in logger.filters):
        logger.addFilter(RedactKeys())
