"""Position records: who took which stance on which provision, with verbatim evidence."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import KnowledgeFileError
from .gazetteer import Gazetteer, _pydantic_reason, article_of, normalise_provision
from .yamlfile import read_list

Stance = Literal[
    "supports", "opposes", "proposes", "calls_for_deletion", "withdraws", "prefers",
    "questions", "expresses_concern", "offers", "outcome",
]
STANCES: tuple[str, ...] = Stance.__args__

STANCE_LABELS = {
    "supports": "supported", "opposes": "opposed", "proposes": "proposed",
    "calls_for_deletion": "called for deletion", "withdraws": "withdrew", "prefers": "preferred",
    "questions": "questioned", "expresses_concern": "expressed concern", "offers": "offered",
    "outcome": "outcome",
}


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: str
    quote: str = Field(min_length=8)
    start: int | None = None
    end: int | None = None


class Position(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    actors: list[str] = []
    provisions: list[str] = []
    issue: str
    stance: Stance
    responds_to: str | None = None
    summary: str
    reason: str | None = None
    evidence: list[Evidence] = Field(min_length=1)
    origin: Literal["curated", "extracted"] = "curated"
    confidence: float | None = Field(None, ge=0, le=1)  # the extractor's, for records not yet reviewed

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(article_of(p) for p in self.provisions))

    def record(self) -> dict:
        """The form stored in the index and returned by the API."""
        data = self.model_dump()
        data["articles"] = self.articles
        data["search_text"] = f"{self.summary} {self.reason or ''} {self.evidence[0].quote}"
        return data


def load_positions(path: Path, gazetteer: Gazetteer, documents: dict) -> list[Position]:
    """Validate a positions file against the actors, articles and cleaned documents.

    `documents` maps document id to an object with a `.text` (the cleaned text).
    Raises KnowledgeFileError naming the file, the line and the reason.
    """
    path = Path(path)
    positions: list[Position] = []
    seen: dict[str, int] = {}
    for item in read_list(path, required=False):
        try:
            position = Position(**item.data)
        except ValidationError as exc:
            reason, name = _pydantic_reason(exc)
            raise KnowledgeFileError(path, f"record '{item.data.get('id', '?')}': {reason}", item.line_of(name or "id")) from exc
        except TypeError as exc:
            raise KnowledgeFileError(path, str(exc), item.line) from exc
        where = f"record '{position.id}'"
        if position.id in seen:
            raise KnowledgeFileError(path, f"duplicate id '{position.id}' (first used on line {seen[position.id]})", item.line_of("id"))
        seen[position.id] = item.line
        for actor in position.actors:
            if actor not in gazetteer.actors:
                hint = gazetteer.resolve_actor(actor)
                suggestion = f" (did you mean '{hint}'?)" if hint else ""
                raise KnowledgeFileError(path, f"{where}: unknown actor '{actor}'{suggestion}", item.line_of("actors"))
        normalised = []
        for provision in position.provisions:
            norm = normalise_provision(str(provision))
            if norm is None:
                raise KnowledgeFileError(path, f"{where}: provision '{provision}' is not like '24', '35(3)' or '53(3)(h)'", item.line_of("provisions"))
            if gazetteer.articles and article_of(norm) not in gazetteer.articles:
                raise KnowledgeFileError(path, f"{where}: article {article_of(norm)} is not in articles.yaml", item.line_of("provisions"))
            normalised.append(norm)
        position.provisions = normalised
        for evidence in position.evidence:
            document = documents.get(evidence.document)
            if document is None:
                raise KnowledgeFileError(path, f"{where}: unknown document '{evidence.document}'", item.line_of("evidence"))
            start = document.text.find(evidence.quote)
            if start < 0:
                raise KnowledgeFileError(
                    path, f"{where}: quote not found verbatim in the cleaned text of '{evidence.document}': "
                    f"\"{evidence.quote[:80]}{'…' if len(evidence.quote) > 80 else ''}\"", item.line_of("evidence"))
            evidence.start, evidence.end = start, start + len(evidence.quote)
        positions.append(position)
    for position in positions:
        if position.responds_to and position.responds_to not in seen:
            raise KnowledgeFileError(path, f"record '{position.id}': responds_to '{position.responds_to}' is not a record id", seen[position.id])
    return positions


def fingerprint(positions: list[Position]) -> str:
    payload = json.dumps([p.record() for p in positions], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
