"""HTTP API for newsroom tools: versioned under /v1, OpenAPI at /openapi.json.

Writes need a write key; reads are open unless configured otherwise (keys and
limits: assistant/guard.py). Errors are JSON {"error": {"code", "message"}} with
a 4xx status for bad input and 503 when the vector store cannot be reached; the
handlers never let a 500 out for those.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import AfterValidator, BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import offline  # noqa: F401
from .answering.compose import answer_sentences
from .scope import Scope
from .answering.query import MAX_QUESTION_CHARS
from .errors import AssistantError, DuplicateDocument, StoreUnavailable
from .formats import MAX_DOCUMENT_BYTES, SUPPORTED_SUFFIXES
from .guard import Guard, Settings, clean_message, error_body, redact_access_log

_DOC_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"  # matched whole (re.fullmatch): no newline slips past the end


def _valid_id(value: str) -> bool:
    return bool(re.fullmatch(_DOC_ID, value))


def _error(status: int, message: str, code: str | None = None) -> Response:
    return Response(error_body(status, message, code), status_code=status, media_type="application/json")


def _unicode_text(value: str) -> str:
    """Refuse lone surrogates ("\\ud800"): JSON lets them through, UTF-8 cannot carry them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate, which is not a character") from None
    return value


Text = Annotated[str, AfterValidator(_unicode_text)]


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: Text = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: Text = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
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


class DocumentIn(BaseModel):  # pydantic's regex is Rust's: there `$` is the very end, newline or not
    id: str = Field(pattern=rf"^{_DOC_ID}$", description="Document id; becomes the file name")
    text: str = Field(min_length=1, max_length=MAX_DOCUMENT_BYTES)
    format: Literal["txt", "md", "html"] = "txt"
    title: str | None = Field(default=None, max_length=500)
    publisher: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, max_length=50)


def _presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": DocumentIn.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                           "properties": {"file": {"type": "string", "format": "binary"}}}},
    },
}


def _links(field: str) -> dict:
    """OpenAPI links from a written document to reading, replacing and deleting it (stateful fuzzing)."""
    target = {"doc_id": f"$response.body#/{field}"}
    return {"GetDocument": {"operationId": "get_document", "parameters": target},
            "ReplaceDocument": {"operationId": "replace_document", "parameters": target},
            "DeleteDocument": {"operationId": "delete_document", "parameters": target}}


def _status_of(exc: AssistantError) -> int:
    if isinstance(exc, StoreUnavailable):
        return 503
    if isinstance(exc, DuplicateDocument):
        return 409
    return 404 if str(exc).startswith("no document with id") else 400


def create_app(assistant_factory, settings: Settings | None = None) -> FastAPI:
    """`assistant_factory()` returns the Assistant; it is called once, lazily, so the
    process answers /healthz while the model and index load."""
    settings = settings or Settings.from_env()
    redact_access_log()

    @asynccontextmanager
    async def lifespan(app):
        # Asks and ingests are mostly CPU-bound Python: on a small machine fewer worker threads queue less
        # for the GIL, so the event loop (/healthz) waits less, at some cost in ask throughput.
        import anyio.to_thread

        if settings.worker_threads:
            anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield

    app = FastAPI(title="Treaty assistant API", version="1.0.0", lifespan=lifespan,
                  description="Cited answers about the UN cybercrime-treaty negotiations.")
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])
    app.add_middleware(Guard, settings=settings)  # outermost: limits apply before anything reads the body
    state = {"assistant": None}
    lock = threading.Lock()

    def assistant():
        if state["assistant"] is None:
            with lock:
                if state["assistant"] is None:
                    state["assistant"] = assistant_factory()
        return state["assistant"]

    def _need(role: str):
        def check(authorization: str | None = Header(None), x_api_key: str | None = Header(None)):
            if role == "read" and not settings.read_keys_required:
                return
            if not settings.allows(_presented_key(authorization, x_api_key), role):
                raise HTTPException(401, f"a valid API key with the {role} role is required "
                                         "(Authorization: Bearer KEY or X-API-Key)")
        return check

    require_read, require_write = _need("read"), _need("write")

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError):
        return _error(_status_of(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # Never the input itself: it may be huge or not even encodable (a lone surrogate).
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
            problems.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
        return _error(422, "invalid request: " + "; ".join(problems))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        return _error(500, "internal error")

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict:
        """On the event loop itself: no wait for a worker thread while asks and ingests fill the pool."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], responses={503: {"description": "index or vector store unreachable"}})
    def readyz():
        """Ready when the index can be read. `problems` lists documents set aside at start (with the
        reason) and interrupted uploads that were removed; everything else is served."""
        try:
            instance = assistant()
            generation = instance.store.current_generation()
        except AssistantError as exc:
            return JSONResponse({"status": "unavailable", "error": {"code": "unavailable", "message": clean_message(exc)}},
                                status_code=503)
        problems = [{"file": p["file"], "reason": clean_message(p["reason"])} for p in getattr(instance, "problems", [])]
        if generation is None:
            return JSONResponse({"status": "unavailable", "error": {"code": "unavailable", "message": "the index is empty"},
                                 "problems": problems}, status_code=503)
        return {"status": "ready", "generation": generation, "problems": problems}

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
                        yield f"event: sentence\ndata: {json.dumps({'text': sentence})}\n\n"
                else:
                    yield f"event: answer\ndata: {json.dumps(chunk.to_dict())}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/v1/documents", tags=["documents"], dependencies=[Depends(require_read)])
    def list_documents() -> list[dict]:
        return assistant().documents()

    @app.get("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(require_read)], operation_id="get_document",
             responses={404: {"description": "no such document"}})
    def get_document(doc_id: str) -> dict:
        if not _valid_id(doc_id):
            raise HTTPException(400, "document ids use only letters, digits, '_', '-' and '.'")
        doc = assistant().document(doc_id)
        return {"id": doc.id, "title": doc.title, "meta": doc.meta, "text": doc.text,
                "paragraphs": [vars(p) for p in doc.paragraphs]}

    async def _store_upload(request: Request, replace_id: str | None = None) -> dict:
        """Read a multipart `file` or a JSON document into a private folder, then index it in a
        worker thread: the event loop keeps answering /healthz and asks meanwhile."""
        from .staging import staging_folder

        instance = await run_in_threadpool(assistant)
        with staging_folder(instance.knowledge_dir, "upload") as folder:  # inside knowledge/, cleared if we die
            path = await _receive(request, folder)
            if replace_id is not None and path.name[: -len(path.suffix)] != replace_id:
                raise HTTPException(400, f"the document sent is '{path.name[: -len(path.suffix)]}', "
                                         f"not '{replace_id}' as in the URL")
            report = await run_in_threadpool(instance.ingest, path, None, replace_id is not None)
        return {"id": path.name[: -len(path.suffix)], "added": report.added, "updated": report.updated,
                "unchanged": report.unchanged, "removed": report.removed, "generation": report.generation}

    @app.post("/v1/documents", status_code=201, tags=["documents"], dependencies=[Depends(require_write)],
              openapi_extra={"requestBody": _UPLOAD_BODY},
              responses={201: {"description": "indexed", "links": _links("id")},
                         409: {"description": "a document with this id exists in another format (replace it with PUT)"},
                         413: {"description": "larger than the size limit"}, 415: {"description": "unsupported file type"}})
    async def add_document(request: Request):
        """Upload a file (multipart field `file`) or send JSON {id, text, format, title}. Indexed before the
        call returns. A document whose id exists in another format (dupe.md when dupe.txt is stored) is
        refused with 409; replace it with PUT /v1/documents/{id}."""
        return await _store_upload(request)

    @app.put("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(require_write)], operation_id="replace_document",
             openapi_extra={"requestBody": _UPLOAD_BODY},
             responses={200: {"description": "indexed", "links": _links("id")},
                        413: {"description": "larger than the size limit"}, 415: {"description": "unsupported file type"}})
    async def replace_document(doc_id: str, request: Request):
        """Add or replace document `doc_id` (same body as POST), whatever format the stored one has."""
        if not _valid_id(doc_id):
            raise HTTPException(400, "document ids use only letters, digits, '_', '-' and '.'")
        return await _store_upload(request, doc_id)

    @app.delete("/v1/documents/{doc_id}", tags=["documents"], dependencies=[Depends(require_write)], operation_id="delete_document")
    def delete_document(doc_id: str) -> dict:
        if not _valid_id(doc_id):
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
            raise HTTPException(400, f"unknown stance '{clean_message(stance, 60)}'; use one of {', '.join(STANCES)}")
        return assistant().positions(actor, article, stance, timeline=timeline)

    return app


async def _receive(request: Request, folder: Path) -> Path:
    """Write the uploaded document (and its metadata) into `folder`; refuse bad names and types."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or not hasattr(upload, "filename"):
            raise HTTPException(422, "multipart upload needs a 'file' field")
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        stem, suffix = (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]) if "." in name else (name, "")
        if not name or not _valid_id(stem):
            raise HTTPException(400, f"file name {clean_message(repr(name), 160)} is not allowed: use letters, "
                                     "digits, '_', '-' and '.', starting with a letter or digit")
        if suffix.lower() not in SUPPORTED_SUFFIXES:
            raise HTTPException(415, f"unsupported file type '{clean_message(suffix, 20)}'; use one of "
                                     f"{', '.join(SUPPORTED_SUFFIXES)}")
        data = await upload.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise HTTPException(413, f"the file is larger than {MAX_DOCUMENT_BYTES} bytes")
        path = folder / name
        await run_in_threadpool(path.write_bytes, data)
        return path
    try:
        body = DocumentIn.model_validate_json(await request.body())
    except ValueError as exc:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in getattr(exc, "errors", lambda: [])()[:5]]
        raise HTTPException(422, "invalid JSON document: " + ("; ".join(problems) or "not JSON")) from exc
    path = folder / f"{body.id}.{body.format}"
    path.write_text(body.text, encoding="utf-8")
    meta = {k: v for k, v in (("title", body.title), ("publisher", body.publisher), ("date", body.date)) if v}
    if meta:
        import yaml

        (folder / f"{body.id}.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return path


def default_app() -> FastAPI:
    """The app `assistant serve` runs, configured from the environment; an unknown value of a
    security setting stops it here, with the reason."""
    from .core import Assistant

    settings = Settings.from_env()
    knowledge = os.environ.get("ASSISTANT_KNOWLEDGE_DIR", "knowledge")
    persist = os.environ.get("ASSISTANT_PERSIST_DIR") or None
    return create_app(lambda: Assistant.load(knowledge, persist), settings)
