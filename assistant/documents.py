"""Source documents: a file, its metadata beside it, and its cleaned text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cleaning import CleanText, Paragraph, clean
from .errors import DocumentError, InputError, KnowledgeFileError
from .formats import SUPPORTED_SUFFIXES, read_blocks
from .metadata import from_file as file_metadata
from .metadata import merge as merge_metadata

# Bumped whenever cleaning or splitting changes, so stored passages are rebuilt.
PIPELINE_VERSION = "16"
META_SUFFIX = ".meta.yaml"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")  # matched whole: a trailing newline is not a name


@dataclass
class SourceDocument:
    id: str
    title: str
    text: str  # cleaned text: every citation offset points into it
    paragraphs: list[Paragraph]
    meta: dict = field(default_factory=dict)
    source_name: str = ""
    removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(f"{PIPELINE_VERSION}\0{self.title}\0{sorted(self.meta.items())}\0{self.text}".encode())
        return digest.hexdigest()[:16]

    def paragraph_at(self, offset: int) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return paragraph
        return self.paragraphs[-1]


def document_id(path: Path) -> str:
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    if not _ID.fullmatch(stem):
        raise DocumentError(path, "file name must start with a letter or digit and use only letters, digits, '_', '-' and '.'")
    return stem


def read_meta(path: Path) -> dict:
    meta_path = path.with_name(document_id(path) + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise KnowledgeFileError(meta_path, f"is not valid YAML ({getattr(exc, 'problem', exc)})", line) from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeFileError(meta_path, "is not UTF-8 text") from exc
    if not isinstance(meta, dict):
        raise KnowledgeFileError(meta_path, "must be a mapping of field: value")
    return {str(k): str(v) for k, v in meta.items() if v is not None}


def load_document(path: Path, meta: dict | None = None, corrections: dict | None = None) -> SourceDocument:
    """A file's cleaned text and metadata: an editor's corrections, then what the file itself
    says (HTML meta tags, PDF information, Markdown front matter), then `meta` (by default the
    .meta.yaml beside it), then a date in the text's first lines (see metadata.py)."""
    path = Path(path)
    doc_id = document_id(path)
    beside = dict(read_meta(path) if meta is None else meta)
    blocks, raw = read_blocks(path, with_text=True)
    found = file_metadata(path, raw)
    title_hint = (corrections or {}).get("title") or (found.get("title") or (None,))[0] or beside.get("title")
    cleaned: CleanText = clean(blocks, title_hint)
    if not cleaned.text.strip() or all(p.kind in ("title", "heading") for p in cleaned.paragraphs):
        raise DocumentError(path, "has no readable text after cleaning")
    if cleaned.title and "title" not in found and not beside.get("title"):  # a weak title: after .meta.yaml
        found["title"] = (cleaned.title, "the text's first line")
    meta = merge_metadata(found, beside, corrections or {}, cleaned.text, path.stem)
    title = meta.get("title") or doc_id
    return SourceDocument(doc_id, title, cleaned.text, cleaned.paragraphs, meta, path.name, cleaned.removed)


def document_files(folder: Path) -> list[Path]:
    """The source files of a documents folder, refusing ambiguous ids."""
    if not folder.is_dir():
        raise InputError(f"{folder}: documents folder not found")
    files = sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(META_SUFFIX)
    )
    unknown = [p.name for p in files if p.suffix.lower() not in SUPPORTED_SUFFIXES]
    if unknown:
        raise InputError(
            f"{folder}: unsupported file type for {', '.join(unknown)}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    seen: dict[str, Path] = {}
    for path in files:
        doc_id = document_id(path)
        if doc_id in seen:
            raise InputError(f"{folder}: {seen[doc_id].name} and {path.name} would both be document '{doc_id}'")
        seen[doc_id] = path
    return files


def load_folder(folder: Path, corrections: dict[str, dict] | None = None) -> list[SourceDocument]:
    files = document_files(folder)
    if not files:
        raise InputError(f"{folder}: no documents to index (add .txt, .md, .html or .pdf files)")
    corrections = corrections or {}
    return [load_document(p, corrections=corrections.get(document_id(p))) for p in files]


def scan_folder(folder: Path, corrections: dict[str, dict] | None = None) -> tuple[list[SourceDocument], list[dict]]:
    """Every document of a folder that can be loaded, and the files set aside with the reason
    ({"file", "id", "reason"}): one bad file never keeps the others from being served.

    Of two files with one id (dupe.txt and dupe.md) the older one is served."""
    if not folder.is_dir():
        raise InputError(f"{folder}: documents folder not found")
    problems: list[dict] = []
    by_id: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir()
                       if p.is_file() and not p.name.startswith(".") and not p.name.endswith(META_SUFFIX)):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append({"file": path.name, "id": None, "reason": f"unsupported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}"})
            continue
        try:
            by_id.setdefault(document_id(path), []).append(path)
        except DocumentError as exc:
            problems.append({"file": path.name, "id": None, "reason": exc.reason})
    documents = []
    for doc_id, paths in by_id.items():
        paths.sort(key=lambda p: (p.stat().st_mtime, p.name))
        for other in paths[1:]:
            problems.append({"file": other.name, "id": doc_id, "duplicate": True,
                             "reason": f"{paths[0].name} and {other.name} would both be document '{doc_id}'; "
                                       f"{paths[0].name} is served (replace it with PUT or `assistant ingest --replace`)"})
        try:
            documents.append(load_document(paths[0], corrections=(corrections or {}).get(doc_id)))
        except InputError as exc:
            problems.append({"file": paths[0].name, "id": doc_id,
                             "reason": exc.reason if isinstance(exc, (DocumentError, KnowledgeFileError)) else str(exc)})
        except Exception as exc:  # a reader bug on one odd file must not stop the rest
            problems.append({"file": paths[0].name, "id": doc_id, "reason": f"cannot be read ({type(exc).__name__})"})
    return documents, problems
