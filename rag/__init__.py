"""Query side of forum-rag: `from rag import ask, search`."""
from __future__ import annotations

from index import env as _env  # noqa: F401  (offline defaults before any library import)

from .types import Answer, Citation, Hit

__all__ = ["Answer", "Citation", "Hit", "ask", "ask_stream", "search"]


def __getattr__(name: str):
    if name in ("ask", "ask_stream", "search"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
