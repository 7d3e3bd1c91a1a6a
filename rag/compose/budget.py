"""Fit the best excerpts into the model's context window, leaving room for the answer.

Counts are tiktoken's (the encodings litellm ships; index/env.py points
tiktoken at them). Other providers tokenize differently, so a margin is kept.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from index.tokens import token_counter

from .llm_config import LLMConfig
from .prompt import Excerpt, excerpt_block, messages

DEFAULT_WINDOW = 8192  # for models litellm doesn't know (local servers): a common small window
SAFETY = 0.9  # other tokenizers count up to ~10% more than tiktoken on English text
MESSAGE_OVERHEAD = 16  # role markers and separators per chat message
_O200K = re.compile(r"(^|/)(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)", re.IGNORECASE)


def encoding_for(model: str) -> str:
    return "o200k_base" if _O200K.search(model) else "cl100k_base"


def context_window(config: LLMConfig) -> int:
    if config.context_tokens:
        return config.context_tokens
    import litellm

    try:
        info = litellm.get_model_info(config.model)
    except Exception:  # noqa: BLE001 - unknown to litellm's local map (custom or local models)
        return DEFAULT_WINDOW
    return int(info.get("max_input_tokens") or info.get("max_tokens") or DEFAULT_WINDOW)


def fit(question: str, excerpts: Sequence[Excerpt], config: LLMConfig, window: int | None = None) -> list[Excerpt]:
    """The excerpts, in rank order, that fit; renumbered 1..n as the model will see them."""
    count = token_counter(encoding_for(config.model))
    window = window or context_window(config)
    fixed = sum(count(m["content"]) + MESSAGE_OVERHEAD for m in messages(question, []))
    room = int(window * SAFETY) - config.answer_tokens - fixed
    kept: list[Excerpt] = []
    for e in excerpts:
        cost = count(excerpt_block(e, "0" * 8)) + 2
        if cost <= room:
            kept.append(e)
            room -= cost
    return [replace(e, n=n) for n, e in enumerate(kept, start=1)]
