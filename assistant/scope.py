"""Which documents a question may draw on: ids, publishers, kinds and a date range.

The same Scope is given by the CLI (--doc, --publisher, --kind, --since, --until), the Python
API (ask(..., scope=...)) and the HTTP API (a `scope` object on /v1/ask). It is resolved to
document ids in the catalog with one SQL query and then runs as a metadata filter inside both
retrievers, so a narrow scope never comes back empty because its passages were cut from a
global top-k.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import InputError


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[str] = Field(default_factory=list, max_length=200, description="document ids")
    publishers: list[str] = Field(default_factory=list, max_length=50,
                                  description="publishers, by full name, acronym or leading words")
    kinds: list[str] = Field(default_factory=list, max_length=20, description="document kinds, e.g. news")
    since: date | None = Field(None, description="documents dated on or after (YYYY-MM-DD)")
    until: date | None = Field(None, description="documents dated on or before (YYYY-MM-DD)")

    @model_validator(mode="before")
    @classmethod
    def _singular(cls, data):
        # {"doc": "x"} and {"publisher": "WAM"} read as the CLI flags do; a single string is a list of one.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for one, many in (("doc", "documents"), ("document", "documents"), ("publisher", "publishers"), ("kind", "kinds")):
            if one in data:
                value = data.pop(one)
                data[many] = list(data.get(many) or []) + (value if isinstance(value, list) else [value])
        for many in ("documents", "publishers", "kinds"):
            if isinstance(data.get(many), str):
                data[many] = [data[many]]
        return data

    @field_validator("documents", "publishers", "kinds")
    @classmethod
    def _clean(cls, values: list[str]) -> list[str]:
        out = [v.strip() for v in values if v and v.strip()]
        for v in out:
            if len(v) > 200:
                raise ValueError("each entry is at most 200 characters")
        return out

    @model_validator(mode="after")
    def _order(self):
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    @property
    def empty(self) -> bool:
        return not (self.documents or self.publishers or self.kinds or self.since or self.until)

    def describe(self) -> str:
        parts = []
        if self.documents:
            parts.append("documents " + ", ".join(self.documents))
        if self.publishers:
            parts.append("publishers " + ", ".join(self.publishers))
        if self.kinds:
            parts.append("kinds " + ", ".join(self.kinds))
        if self.since or self.until:
            parts.append(f"dated {self.since or '…'} to {self.until or '…'}")
        return "; ".join(parts)


def make_scope(value) -> Scope | None:
    """A Scope from a Scope, a dict (the HTTP body) or None; a clear InputError when malformed."""
    if value is None or isinstance(value, Scope):
        return None if value is None or value.empty else value
    try:
        scope = Scope.model_validate(value)
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [])()
        where = ".".join(str(x) for x in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else str(exc)
        raise InputError(f"scope{'.' + where if where else ''}: {message}") from exc
    return None if scope.empty else scope
