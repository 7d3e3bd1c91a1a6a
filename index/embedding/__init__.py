"""Embedding backends behind one small factory; a model loads once per process."""
from __future__ import annotations

import os
from pathlib import Path
from threading import Lock

from .base import DEFAULT_MODEL, Embedder, ModelSource, resolve_model

BACKENDS = ("auto", "numpy", "sentence-transformers")
_loaded: dict[tuple[str, str], Embedder] = {}
_lock = Lock()


def _choose_backend(source: ModelSource, backend: str) -> str:
    if backend != "auto":
        return backend
    from .numpy_bert import supports

    return "numpy" if supports(Path(source.location)) else "sentence-transformers"


def get_embedder(model: str | None = None, backend: str | None = None) -> Embedder:
    """The embedder for `model` (default: the bundled all-MiniLM-L6-v2).

    backend: "numpy" (fast start, for BERT-family models), "sentence-transformers"
    (any model), or "auto" (numpy where it applies); FORUM_RAG_EMBED_BACKEND
    sets the default.
    """
    source = resolve_model(model)
    requested = backend or os.environ.get("FORUM_RAG_EMBED_BACKEND", "auto")
    if requested not in BACKENDS:
        raise ValueError(f"unknown embedding backend {requested!r}; choose one of {', '.join(BACKENDS)}")
    chosen = _choose_backend(source, requested)
    key = (source.location, chosen)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(source, chosen)
        return _loaded[key]


def bulk_backend() -> str:
    """The backend for large ingests (FORUM_RAG_BULK_BACKEND, default "auto":
    the same as for queries).

    Measured here (docs/PERFORMANCE.md): the NumPy backend's packed forward
    pass on 1 thread embeds TMC chunks as fast as torch on 1 thread and ~2x
    faster than torch on 2 threads whenever another process wants a core, and
    it spares the ~10 s torch import; "sentence-transformers" may still win
    on an idle machine.
    """
    chosen = os.environ.get("FORUM_RAG_BULK_BACKEND", "auto")
    if chosen not in BACKENDS:
        raise ValueError(f"unknown bulk embedding backend {chosen!r}; choose one of {', '.join(BACKENDS)}")
    return chosen


def _load(source: ModelSource, backend: str) -> Embedder:
    if backend == "numpy":
        from .numpy_bert import NumpyBertEmbedder

        return NumpyBertEmbedder(source)
    from .st_backend import SentenceTransformerEmbedder

    # 1 thread by default: torch with 2 threads ran 2-25x slower as soon as
    # another process used a core of this 2-core machine (docs/PERFORMANCE.md).
    threads = int(os.environ.get("FORUM_RAG_TORCH_THREADS", "1")) or None
    return SentenceTransformerEmbedder(source, threads=threads)


__all__ = ["DEFAULT_MODEL", "Embedder", "bulk_backend", "get_embedder", "resolve_model"]
