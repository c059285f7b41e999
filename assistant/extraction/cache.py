"""The extraction cache: one machine-written YAML file per document in ``knowledge/extracted/``.

Each file holds what the extractor found in one document (records with confidence and a content
fingerprint, and gazetteer candidates), keyed by the document's fingerprint, the extractor version
and the gazetteer, so a document is re-extracted only when one of those changes. One file per
document, rather than one file for the archive, so that adding, changing or removing a document
reads and writes only its own entry: the single file took seconds to load and save at 1,000
passages and grew with every document.

A ``extracted_positions.yaml`` left by an earlier version is split into per-document files the
first time the cache is read.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import KnowledgeFileError
from ..yamlfile import read_list

EXTRACTED_DIR = "extracted"
LEGACY_FILE = "extracted_positions.yaml"
SUFFIX = ".yaml"

HEADER = """\
# WRITTEN BY THE INDEX BUILD; do not edit (changes are overwritten).
#
# Stances found automatically (assistant/extraction) in this document, which has no curated records
# in positions.yaml. Answers use them at once, labelled "extracted automatically, not yet reviewed".
# To accept, reject or fix a record use `assistant positions review` or edit reviews.yaml; the
# decisions survive re-extraction (they are keyed by the record's fingerprint).
#
# The document's fingerprint, the extractor version, the records (id, fingerprint, confidence 0-1,
# stance, actors, provisions, issue, responds_to, summary, reason, evidence with offsets into the
# cleaned text, notes on how they were found) and the gazetteer candidates (names in stance
# sentences that look like delegations but are not in actors.yaml -- add them there, with aliases,
# and the next build extracts their stances).
"""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: ~10x faster
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
log = logging.getLogger(__name__)
_migrated: set[Path] = set()  # folders whose legacy file could not be removed: tried once per process


@dataclass
class DocumentEntry:
    document: str
    document_fingerprint: str
    extractor: str
    gazetteer: str
    records: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"document": self.document, "document_fingerprint": self.document_fingerprint,
                "extractor": self.extractor, "gazetteer": self.gazetteer,
                "candidates": self.candidates, "records": self.records}

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentEntry":
        return cls(str(data["document"]), str(data.get("document_fingerprint", "")), str(data.get("extractor", "")),
                   str(data.get("gazetteer", "")), list(data.get("records") or []), list(data.get("candidates") or []))


def dump(data) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)


def write_atomic(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def folder(knowledge_dir: Path) -> Path:
    return Path(knowledge_dir) / EXTRACTED_DIR


def entry_path(knowledge_dir: Path, doc_id: str) -> Path:
    return folder(knowledge_dir) / f"{doc_id}{SUFFIX}"


def load_entry(knowledge_dir: Path, doc_id: str) -> DocumentEntry | None:
    """One document's entry; None when there is none, or it cannot be read (it is re-extracted)."""
    migrate(knowledge_dir)
    path = entry_path(knowledge_dir, doc_id)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        return DocumentEntry.from_dict(data)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s cannot be read (%s): the document is extracted again", path, exc)
        return None


def save_entry(knowledge_dir: Path, entry: DocumentEntry):
    write_atomic(entry_path(knowledge_dir, entry.document), HEADER + "\n" + dump(entry.to_dict()))


def drop_entry(knowledge_dir: Path, doc_id: str):
    entry_path(knowledge_dir, doc_id).unlink(missing_ok=True)


def cached_documents(knowledge_dir: Path) -> list[str]:
    migrate(knowledge_dir)
    where = folder(knowledge_dir)
    if not where.is_dir():
        return []
    return sorted(p.name[: -len(SUFFIX)] for p in where.iterdir()
                  if p.name.endswith(SUFFIX) and not p.name.startswith("."))


def load_all(knowledge_dir: Path) -> dict[str, DocumentEntry]:
    out = {}
    for doc_id in cached_documents(knowledge_dir):
        entry = load_entry(knowledge_dir, doc_id)
        if entry is not None:
            out[doc_id] = entry
    return out


def migrate(knowledge_dir: Path):
    """Split the single file of earlier versions into per-document entries (once)."""
    legacy = Path(knowledge_dir) / LEGACY_FILE
    if legacy in _migrated or not legacy.exists():
        return
    entries = []
    for item in read_list(legacy, required=False):
        try:
            entries.append(DocumentEntry.from_dict(item.data))
        except (KeyError, TypeError) as exc:
            raise KnowledgeFileError(legacy, f"each entry needs a 'document' and a list of 'records' ({exc})",
                                     item.line) from exc
    try:
        for entry in entries:
            save_entry(knowledge_dir, entry)
        legacy.unlink()
    except OSError as exc:  # a read-only knowledge folder: the entries are extracted again as needed
        _migrated.add(legacy)
        log.warning("cannot move %s into %s/: %s", legacy, EXTRACTED_DIR, exc)
