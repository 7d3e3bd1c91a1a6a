"""Build side of forum-rag: forum sources -> posts -> chunks -> vectors -> index."""
from __future__ import annotations

from . import env as _env  # noqa: F401  (before NumPy or any model library loads)
from .errors import ForumRagError, IndexProblem, InputError, ManifestMismatch
from .records import Block, Chunk, ParsedThread, Post, Thread

__all__ = [
    "Block",
    "Chunk",
    "ForumRagError",
    "IndexProblem",
    "InputError",
    "ManifestMismatch",
    "ParsedThread",
    "Post",
    "Thread",
    "ingest",
    "ensure_index",
    "open_index",
]


def __getattr__(name: str):
    # Keep `import index` cheap: the pipeline pulls in NumPy, tiktoken, FAISS.
    if name in ("ingest", "ensure_index"):
        from . import pipeline as module

        return getattr(module, name)
    if name == "open_index":
        from .store.reader import IndexReader

        return IndexReader
    raise AttributeError(name)
