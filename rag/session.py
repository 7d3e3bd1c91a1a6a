"""Open indexes once per process and notice when a newer generation lands."""
from __future__ import annotations

import os
from pathlib import Path
from threading import Lock

from index.embedding import get_embedder
from index.pipeline import ensure_index
from index.store.reader import IndexReader

from .retrieval import Retriever

_retrievers: dict[Path, Retriever] = {}
_lock = Lock()


def retriever(index: str | os.PathLike | None = None) -> Retriever:
    directory = ensure_index(index)
    with _lock:
        current = _retrievers.get(directory)
        if current is None or not current.reader.is_current():
            reader = IndexReader(directory)
            embedder = get_embedder(reader.manifest.embedding_model)
            if current is not None:
                current.reader.close()
            current = _retrievers[directory] = Retriever(reader, embedder)
        return current
