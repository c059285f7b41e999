"""Grounded question answering over the UN cybercrime-treaty negotiations."""

from . import offline  # noqa: F401  (must run before any library that calls home)
from .answer import Answer, Citation
from .core import Assistant, IndexReport

__all__ = ["Assistant", "Answer", "Citation", "IndexReport"]
