"""Generative answers with verified citations (optional; off unless ASSISTANT_LLM_BASE_URL is set).

    from assistant import Assistant
    from assistant.generation import LLMConfig
    a = Assistant.load("knowledge", generator=LLMConfig(base_url="http://127.0.0.1:8080/v1"))
    a.ask("Why did Egypt object to Article 24?").mode      # "generative", or "extractive" + .fallback
    for item in a.ask_stream("..."): ...                    # verified sentences as str, then the Answer

Importing this package is cheap: the LlamaIndex OpenAI-like client loads on the first call.
"""

from .answerer import GenerationFailed, GenerativeAnswerer, Trace, resolve_generator, without_instructions
from .config import LLMConfig, make_llm
from .prompt import SYSTEM_PROMPT, build_messages, evidence_passages
from ..instructions import is_instruction
from .verify import Verdict, Verifier, split_sentences

__all__ = [
    "GenerationFailed", "GenerativeAnswerer", "LLMConfig", "SYSTEM_PROMPT", "Trace", "Verdict", "Verifier",
    "build_messages", "evidence_passages", "is_instruction", "make_llm", "resolve_generator", "split_sentences",
    "without_instructions",
]
