"""Errors a user can act on: each names what is wrong and where."""


class AssistantError(Exception):
    """Base class: the message is shown to the user as it is."""


class InputError(AssistantError):
    """A question, file or folder given by the user cannot be used."""


class DocumentError(InputError):
    """A source document cannot be read or has no usable text."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class DuplicateDocument(InputError):
    """A document with this id is already stored from a file of another format (dupe.txt vs dupe.md)."""


class KnowledgeFileError(InputError):
    """A hand-edited YAML file (actors, articles, positions, metadata) is invalid."""

    def __init__(self, path, reason: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


class StoreUnavailable(AssistantError):
    """The vector store (embedded or server) cannot be reached."""
