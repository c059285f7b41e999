"""HTTP API for newsroom tools: versioned under /v1, OpenAPI at /openapi.json.

Writes need an API key; reads are open unless configured otherwise. Errors are
JSON {"error": message} with a 4xx status for bad input and 503 when the
vector store cannot be reached; the handlers never let a 500 out for those.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import tempfile
import threading
from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from . import offline  # noqa: F401
from .answering.compose import answer_sentences
from .errors import AssistantError, InputError, StoreUnavailable
from .scope import Scope
from .formats import MAX_DOCUMENT_BYTES, SUPPORTED_SUFFIXES
from .answering.query import MAX_QUESTION_CHARS

_DOC_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[Turn] = Field(default_factory=list, max_length=50)
    scope: Scope | None = Field(None, description="only these documents, publishers, kinds or dates")


class CitationOut(BaseModel):
    number: int
    document_id: str
    title: str
    section: str
    quote: str
    start: int
    end: int
    attribution: str | None = None


class AnswerOut(BaseModel):
    question: str
    text: str
    abstained: bool
    citations: list[CitationOut]
    positions: list[dict]
    notes: list[str]
    seconds: float
    mode: Literal["extractive", "generative"] = "extractive"
    fallback: str | None = Field(default=None, description="Why a generative answer was not used, when one was tried")


class DocumentIn(BaseModel):
    id: str = Field(pattern=_DOC_ID, description="Document id; becomes the file name")
    text: str = Field(min_length=1, max_length=MAX_DOCUMENT_BYTES)
    format: Literal["txt", "md", "html"] = "txt"
    title: str | None = Field(default=None, max_length=500)
    publisher: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, max_length=50)


class Settings(BaseModel):
    write_keys: list[str] = Field(default_factory=list)
    read_keys_required: bool = False
    cors_origins: list[str] = Field(default_factory=list)

    @classmethod
    def from_env(cls) -> "Settings":
        keys = [k.strip() for k in os.environ.get("ASSISTANT_API_KEYS", "").split(",") if k.strip()]
        origins = [o.strip() for o in os.environ.get("ASSISTANT_CORS_ORIGINS", "").split(",") if o.strip()]
        return cls(write_keys=keys, read_keys_required=os.environ.get("ASSISTANT_API_READS", "open") == "closed",
                   cors_origins=origins)


def _presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def create_app(assistant_factory, settings: Settings | None = None) -> FastAPI:
    """`assistant_factory()` returns the Assistant; it is called once, lazily, so the
    process answers /healthz while the model and index load."""
    settings = settings or Settings.from_env()
    app = FastAPI(title="Treaty assistant API", version="1.0.0",
                  description="Cited answers about the UN cybercrime-treaty negotiations.")
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])
    state = {"assistant": None}
    lock = threading.Lock()

    def assistant():
        if state["assistant"] is None:
            with lock:
                if state["assistant"] is None:
                    state["assistant"] = assistant_factory()
        return state["assistant"]

    def _check(key: str | None, keys: list[str]):
        if not keys or not key or not any(secrets.compare_digest(key, k) for k in keys):
            raise HTTPException(401, "a valid API key is required (Authorization: Bearer KEY or X-API-Key)")

    def require_write(authorization: str | None = Header(None), x_api_key: str | None = Header(None)):
        _check(_presented_key(authorization, x_api_key), settings.write_keys)

    def require_read(authorization: str | None = Header(None), x_api_key: str | None = Header(None)):
        if settings.read_keys_required:
            _check(_presented_key(authorization, x_api_key), settings.write_keys)

    @app.exception_handler(StoreUnavailable)
    async def _store_down(request: Request, exc: StoreUnavailable):
        return JSONResponse({"error": str(exc)}, status_code=503)

    @app.exception_handler(AssistantError)
    async def _bad_input(request: Request, exc: AssistantError):
        status = 404 if str(exc).startswith("no document with id") else 400
        return JSONResponse({"error": str(exc)}, status_code=status)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], responses={503: {"description": "index or vector store unreachable"}})
    def readyz():
        try:
            generation = assistant().store.current_generation()
        except AssistantError as exc:
            return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
        if generation is None:
            return JSONResponse({"status": "unavailable", "error": "the index is empty"}, status_code=503)
        return {"status": "ready", "generation": generation}

    @app.post("/v1/ask", response_model=AnswerOut, tags=["answers"], dependencies=[Depends(require_read)])
    def ask(body: AskRequest):
        answer = assistant().ask(body.question, [t.model_dump() for t in body.history], body.scope)
        return answer.to_dict()

    @app.post("/v1/ask/stream", tags=["answers"], dependencies=[Depends(require_read)],
              response_class=StreamingResponse,
              responses={200: {"content": {"text/event-stream": {}}, "description": "server-sent events"}})
    def ask_stream(body: AskRequest):
        """Server-sent events: `sentence` events as the answer is written (verified sentences, when a
        language model writes it), then `answer` with everything. The `answer` event is authoritative:
        when its `fallback` is set, its text replaces the sentences streamed before it."""
        chunks = assistant().ask_stream(body.question, [t.model_dump() for t in body.history], body.scope)
        first = next(chunks)  # bad questions and an unavailable store fail here, as a 4xx/503, not mid-stream

        def events():
            for chunk in itertools.chain([first], chunks):
                if isinstance(chunk, str):
                    for sentence in answer_sentences(chunk):
                        yield f"event: sentence\ndata: {json.dumps({'text': sentence}, ensure_ascii=False)}\n\n"
                else:
                    yield f"event: answer\ndata: {json.dumps(chunk.to_dict(), ensure_ascii=False)}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/v1/documents", tags=["documents"], dependencies=[Depends(require_read)])
    def list_documents() -> list[dict]:
        return assistant().documents()

    @app.get("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(require_read)],
             responses={404: {"description": "no such document"}})
    def get_document(doc_id: str) -> dict:
        if not re.match(_DOC_ID, doc_id):
            raise HTTPException(400, "document ids use only letters, digits, '_', '-' and '.'")
        doc = assistant().document(doc_id)
        return {"id": doc.id, "title": doc.title, "meta": doc.meta, "text": doc.text,
                "paragraphs": [vars(p) for p in doc.paragraphs]}

    @app.post("/v1/documents", status_code=201, tags=["documents"], dependencies=[Depends(require_write)])
    async def add_document(request: Request):
        """Upload a file (multipart field `file`) or send JSON {id, text, format, title}. Indexed before the call returns."""
        content_type = request.headers.get("content-type", "")
        with tempfile.TemporaryDirectory() as folder:
            if content_type.startswith("multipart/form-data"):
                form = await request.form()
                upload = form.get("file")
                if upload is None or not hasattr(upload, "filename"):
                    raise HTTPException(422, "multipart upload needs a 'file' field")
                name = Path(upload.filename or "").name
                if not re.match(_DOC_ID, name.rsplit(".", 1)[0] if "." in name else name) or not name:
                    raise HTTPException(400, f"file name '{upload.filename}' is not allowed")
                if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    raise HTTPException(415, f"unsupported file type '{Path(name).suffix}'; use one of {', '.join(SUPPORTED_SUFFIXES)}")
                data = await upload.read(MAX_DOCUMENT_BYTES + 1)
                if len(data) > MAX_DOCUMENT_BYTES:
                    raise HTTPException(413, f"the file is larger than {MAX_DOCUMENT_BYTES} bytes")
                path = Path(folder) / name
                path.write_bytes(data)
            else:
                try:
                    body = DocumentIn.model_validate_json(await request.body())
                except ValueError as exc:
                    raise HTTPException(422, f"invalid JSON body: {exc}") from exc
                path = Path(folder) / f"{body.id}.{body.format}"
                path.write_text(body.text, encoding="utf-8")
                meta = {k: v for k, v in (("title", body.title), ("publisher", body.publisher), ("date", body.date)) if v}
                if meta:
                    import yaml

                    (Path(folder) / f"{body.id}.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
            report = assistant().ingest(path)
        return {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                "generation": report.generation}

    @app.delete("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(require_write)])
    def delete_document(doc_id: str) -> dict:
        if not re.match(_DOC_ID, doc_id):
            raise HTTPException(400, "document ids use only letters, digits, '_', '-' and '.'")
        report = assistant().delete(doc_id)
        return {"removed": report.removed, "generation": report.generation}

    @app.get("/v1/positions", tags=["positions"], dependencies=[Depends(require_read)])
    def positions(actor: str | None = Query(None, max_length=200), article: str | None = Query(None, max_length=20),
                  stance: str | None = Query(None, max_length=40),
                  timeline: bool = Query(False, description="in date order")) -> list[dict]:
        """Position records, each with the `date` of the document that holds its evidence."""
        from .positions import STANCES

        if stance and stance not in STANCES:
            raise HTTPException(400, f"unknown stance '{stance}'; use one of {', '.join(STANCES)}")
        return assistant().positions(actor, article, stance, timeline=timeline)

    return app


def default_app() -> FastAPI:
    """The app `assistant serve` runs, configured from the environment."""
    from .core import Assistant

    knowledge = os.environ.get("ASSISTANT_KNOWLEDGE_DIR", "knowledge")
    persist = os.environ.get("ASSISTANT_PERSIST_DIR") or None
    return create_app(lambda: Assistant.load(knowledge, persist))
