"""Which model answers, where it lives, and how long we wait for it.

Read from arguments and FORUM_RAG_* variables without importing litellm: a
process with no model configured never pays for that import.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from index.errors import ForumRagError

from .llm_errors import LLMError

# model values that ask for the offline answer even when FORUM_RAG_MODEL is set
OFFLINE = frozenset({"", "extractive", "none", "offline"})


def _number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ForumRagError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ForumRagError(f"{name}={raw!r} must be at least {minimum:g}")
    return value


@dataclass(frozen=True)
class LLMConfig:
    model: str  # any litellm model string: gpt-4o-mini, anthropic/claude-..., ollama/llama3, openai/<name>
    api_base: str | None = None
    api_key: str | None = None
    timeout: float = 60.0  # overall seconds for one model call, retries included
    first_token_timeout: float = 20.0  # seconds from sending a request to the first words
    retries: int = 2  # extra attempts after a 429 or 5xx, only before any words arrived
    context_tokens: int | None = None  # None: the model's window as litellm knows it
    answer_tokens: int = 700

    @classmethod
    def from_env(cls, model: str | None = None) -> "LLMConfig | None":
        """The configuration for `model` (else FORUM_RAG_MODEL); None means offline."""
        chosen = (os.environ.get("FORUM_RAG_MODEL", "") if model is None else model).strip()
        if chosen.lower() in OFFLINE:
            return None
        context = _number("FORUM_RAG_CONTEXT_TOKENS", 0, 0)
        return cls(
            model=chosen,
            api_base=os.environ.get("FORUM_RAG_API_BASE", "").strip() or None,
            api_key=os.environ.get("FORUM_RAG_API_KEY", "").strip() or None,
            timeout=_number("FORUM_RAG_LLM_TIMEOUT", cls.timeout, 0.1),
            first_token_timeout=_number("FORUM_RAG_LLM_FIRST_TOKEN_TIMEOUT", cls.first_token_timeout, 0.1),
            retries=int(_number("FORUM_RAG_LLM_RETRIES", cls.retries, 0)),
            context_tokens=int(context) or None,
            answer_tokens=int(_number("FORUM_RAG_ANSWER_TOKENS", cls.answer_tokens, 16)),
        )


@dataclass(frozen=True)
class Route:
    """Where litellm sends a request: the provider and the arguments that pick it."""

    provider: str
    kwargs: dict

    def describe(self, config: LLMConfig) -> str:
        where = f" at {config.api_base}" if config.api_base else ""
        return f"model {config.model!r} via {self.provider}{where}"


def route(config: LLMConfig) -> Route:
    """litellm's provider for the model; a bare name with an API base is taken
    to be served by an OpenAI-compatible server (llama.cpp, vLLM, LM Studio)."""
    import litellm

    kwargs: dict = {"model": config.model}
    try:
        provider = litellm.get_llm_provider(config.model, api_base=config.api_base)[1]
    except Exception:  # noqa: BLE001 - litellm raises BadRequestError for unknown providers
        if not config.api_base:
            raise LLMError(
                f"model {config.model!r}",
                "unknown provider: litellm cannot tell who serves this model; "
                "prefix it (openai/..., anthropic/..., ollama/...) or set FORUM_RAG_API_BASE",
            ) from None
        provider = "openai"
        kwargs["custom_llm_provider"] = "openai"
    if config.api_base:
        kwargs["api_base"] = config.api_base
    if config.api_key:
        kwargs["api_key"] = config.api_key
    elif config.api_base and provider == "openai" and not os.environ.get("OPENAI_API_KEY"):
        # Local servers ignore the key, but the OpenAI client refuses to send none.
        kwargs["api_key"] = "no-key"
    return Route(provider, kwargs)
