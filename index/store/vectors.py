"""Chunk vectors in FAISS, keyed by chunk id (inner product on unit vectors
= cosine similarity). Written with faiss.write_index: no pickle."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import MissingDependency


def _faiss():
    try:
        import faiss
    except ImportError:
        raise MissingDependency("faiss-cpu") from None
    return faiss


class VectorStore:
    def __init__(self, index) -> None:  # index: faiss.IndexIDMap2
        self._index = index

    @classmethod
    def empty(cls, dimension: int) -> "VectorStore":
        faiss = _faiss()
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dimension)))

    @classmethod
    def load(cls, path: Path) -> "VectorStore":
        return cls(_faiss().read_index(str(path)))

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)

    def remove(self, ids: Iterable[int]) -> None:
        ids = np.asarray(list(ids), dtype=np.int64)
        if len(ids):
            self._index.remove_ids(_faiss().IDSelectorBatch(ids))

    def get(self, ids: Iterable[int]) -> np.ndarray:
        ids = np.asarray(list(ids), dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._index.reconstruct_batch(ids)

    def search(self, query: np.ndarray, k: int, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk id, cosine); `allowed` restricts the search to those ids."""
        faiss = _faiss()
        k = min(k, len(self))
        if k <= 0:
            return []
        params = None
        if allowed is not None:
            allowed = np.asarray(list(allowed), dtype=np.int64)
            if not len(allowed):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]
