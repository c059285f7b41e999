"""Which language model writes generative answers, read from the environment.

Any OpenAI-compatible chat endpoint works: a llama.cpp server, vLLM, Ollama's
`/v1` endpoint or a hosted API. Nothing here imports the client library; that
happens on the first call (`make_llm`), so an Assistant without a configured
model never loads it.

    ASSISTANT_LLM_BASE_URL   e.g. http://127.0.0.1:8080/v1   (unset: extractive answers only)
    ASSISTANT_LLM_MODEL      the model name the endpoint expects (single-model servers
                             such as llama.cpp ignore it; default "default")
    ASSISTANT_LLM_API_KEY    sent as a bearer token when set
    ASSISTANT_LLM_TIMEOUT    seconds before the extractive answer is used instead (default 20)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from ..errors import InputError

DEFAULT_TIMEOUT = 20.0
DEFAULT_MODEL = "default"


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str = DEFAULT_MODEL
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT  # per request, and for the whole generation
    max_tokens: int = 160
    temperature: float = 0.0
    context_window: int = 4096

    def __post_init__(self):
        if not isinstance(self.base_url, str) or not self.base_url.strip().startswith(("http://", "https://")):
            raise InputError(f"ASSISTANT_LLM_BASE_URL must be an http(s) URL, not {self.base_url!r}")
        if not self.timeout or self.timeout <= 0:
            raise InputError(f"ASSISTANT_LLM_TIMEOUT must be a positive number of seconds, not {self.timeout!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "LLMConfig | None":
        """The configured endpoint, or None when ASSISTANT_LLM_BASE_URL is not set."""
        env = os.environ if env is None else env
        base_url = (env.get("ASSISTANT_LLM_BASE_URL") or "").strip()
        if not base_url:
            return None
        raw_timeout = (env.get("ASSISTANT_LLM_TIMEOUT") or "").strip()
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT
        except ValueError:
            raise InputError(f"ASSISTANT_LLM_TIMEOUT must be a number of seconds, not {raw_timeout!r}") from None
        return cls(base_url=base_url.rstrip("/"), model=(env.get("ASSISTANT_LLM_MODEL") or "").strip() or DEFAULT_MODEL,
                   api_key=(env.get("ASSISTANT_LLM_API_KEY") or "").strip() or None, timeout=timeout)

    def describe(self) -> str:
        return f"{self.model} at {self.base_url}"


def make_llm(config: LLMConfig, http_client=None):
    """A LlamaIndex LLM for the endpoint: no retries (a failure falls back at once), the
    configured timeout on every request, over `http_client` when given."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        http_client=http_client,
        model=config.model,
        api_base=config.base_url,
        api_key=config.api_key or "not-needed",  # local servers accept any key; the client insists on one
        timeout=config.timeout,
        max_retries=0,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=config.context_window,
    )
