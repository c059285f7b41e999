"""Staged uploads: a document waits in knowledge/.staging while it is indexed and
moves into knowledge/documents only once it is. A folder left in staging by a
process that died mid-upload is removed at the next start and reported, never
indexed."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .documents import META_SUFFIX, document_id
from .formats import SUPPORTED_SUFFIXES

STAGING = ".staging"


def staging_root(knowledge_dir: Path) -> Path:
    root = Path(knowledge_dir) / STAGING
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def staging_folder(knowledge_dir: Path, prefix: str = "ingest"):
    """A private folder in staging, named after this process (so a live one is never cleared)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=staging_root(knowledge_dir)))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stage_files(files: list[Path], staged: Path) -> None:
    """Copy each document (and its metadata file) into the staging folder."""
    for source in files:
        for src in (source, source.with_name(source.name[: -len(source.suffix)] + META_SUFFIX)):
            if src.exists():
                shutil.copyfile(src, staged / src.name)


def move_into(staged: Path, target: Path, superseded: list[Path]) -> None:
    """Move indexed documents into the documents folder, then drop the files they replace."""
    for path in sorted(staged.iterdir()):
        os.replace(path, target / path.name)
    for old in superseded:
        old.unlink(missing_ok=True)


def other_formats(files: list[Path], target: Path) -> dict[Path, list[Path]]:
    """For each file, the stored files with the same document id but another name (dupe.txt for dupe.md)."""
    found: dict[Path, list[Path]] = {}
    if not target.is_dir():
        return found
    stored: dict[str, list[Path]] = {}
    for path in target.iterdir():
        if path.is_file() and not path.name.endswith(META_SUFFIX) and path.suffix.lower() in SUPPORTED_SUFFIXES:
            stored.setdefault(path.name[: -len(path.suffix)], []).append(path)
    for source in files:
        others = [p for p in stored.get(document_id(source), []) if p.name != source.name]
        if others:
            found[source] = sorted(others)
    return found


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(knowledge_dir: Path) -> list[Path]:
    """Staging folders whose process is gone: uploads that were never indexed."""
    root = Path(knowledge_dir) / STAGING
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        parts = path.name.split("-")
        pid = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
        if pid is None or not _alive(pid):
            found.append(path)
    return found


def clear_staging(knowledge_dir: Path) -> list[dict]:
    """Remove what interrupted uploads left behind; one problem entry per file removed."""
    problems = []
    for path in leftovers(knowledge_dir):
        names = [p.name for p in path.iterdir()] if path.is_dir() else [path.name]
        for name in names or [path.name]:
            problems.append({"file": name, "id": None,
                             "reason": "an upload interrupted before it was indexed; removed, not indexed"})
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return problems


def folder_problems(knowledge_dir: Path) -> list[dict]:
    """What the next start would set aside or remove, found without changing anything
    (`assistant documents --problems`)."""
    from .documents import scan_folder

    found = [{"file": path.name, "id": None, "reason": "an upload interrupted before it was indexed; "
                                                      "the next start removes it"} for path in leftovers(knowledge_dir)]
    return found + scan_folder(Path(knowledge_dir) / "documents")[1]
