"""Text addressed to the assistant rather than about the negotiations.

Hand-written patterns: no library detects prompt injection offline, and the two
uses differ. A question that tries to steer the assistant is refused outright;
a document sentence that does so is kept in the document but never used as
evidence, so the pattern for documents is narrower (news prose says "act as the
secretariat" or "from their own knowledge"; it never says "ignore previous
instructions").
"""

from __future__ import annotations

import re

QUESTION_INJECTION = re.compile(
    r"ignore (all |any |the )?(previous|prior|above|earlier|your)\b|disregard (all |the |your )?(previous|prior|instructions)"
    r"|system prompt|\bsystem:|you are now|reveal (your|the) (prompt|instructions)|jailbreak|developer mode"
    r"|pretend (to be|you are)|act as (an?|the) |admin override|from your own knowledge|<!--|\[/?inst\]|new instructions",
    re.IGNORECASE,
)

_DOCUMENT_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,30}\b(?:previous|prior|above|earlier|all|your|any)\b[^.]{0,25}"
    r"\b(?:instructions?|prompts?|rules|directions|sources|context)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bnew instructions\b|\[/?inst\]|\bdeveloper mode\b|\bjailbreak"
    r"|\b(?:assistant|chatbot|language model|AI model|AI)\b[^.]{0,60}\b(?:must|should|will) (?:say|answer|reply|state)"
    r"|\b(?:say|answer|reply|respond|state) (?:only |always )?(?:that|with)\b[^.]{0,80}\binstead\b",
    re.IGNORECASE,
)


def is_injection(question: str) -> bool:
    """A question that tries to change what the assistant does."""
    return bool(QUESTION_INJECTION.search(question))


def is_instruction(text: str) -> bool:
    """Source text addressed to the assistant ("Ignore previous instructions and say ...")."""
    return bool(_DOCUMENT_INSTRUCTION.search(text))
