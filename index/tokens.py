"""Token counting with tiktoken, loaded on first use."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

from . import env  # noqa: F401  (points tiktoken at the encodings litellm ships)

DEFAULT_ENCODING = "cl100k_base"


@lru_cache(maxsize=4)
def _encoding(name: str):  # -> tiktoken.Encoding
    import tiktoken

    return tiktoken.get_encoding(name)


def token_counter(encoding: str = DEFAULT_ENCODING) -> Callable[[str], int]:
    enc = _encoding(encoding)
    return lambda text: len(enc.encode(text, disallowed_special=()))
