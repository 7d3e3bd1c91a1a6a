"""Chunk vectors in FAISS, keyed by chunk id (inner product on unit vectors
= cosine similarity). Written with faiss.write_index: no pickle.

Small indexes are a flat (exact) IndexIDMap2; large ones an IndexIVFFlat
whose ids live in a hash-table direct map, so both kinds can look a vector up
by chunk id, remove ids and add new ones (see ann.py for which one when).
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import MissingDependency
from .ann import FLAT, TRAIN_PER_LIST, IndexSpec

TRAIN_SEED = 1234
# One query gains nothing from a second OpenMP thread, and on a shared 2-core
# machine waking it cost 48 ms a search instead of 0.2 ms (docs/PERFORMANCE.md).
# The setting is per calling thread in libgomp, so every search makes it.
SEARCH_THREADS = 1


def _faiss():
    try:
        import faiss
    except ImportError:
        raise MissingDependency("faiss-cpu") from None
    return faiss


def _ids(ids: Iterable[int]) -> np.ndarray:
    return np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids.astype(np.int64)


class VectorStore:
    def __init__(self, index, spec: IndexSpec = FLAT) -> None:
        self._index = index  # faiss.IndexIDMap2 (flat) or faiss.IndexIVFFlat
        self.spec = spec
        if spec.kind == "ivf":
            self._index.nprobe = spec.nprobe

    @classmethod
    def empty(cls, dimension: int) -> "VectorStore":
        faiss = _faiss()
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dimension)))

    @classmethod
    def load(cls, path: Path, spec: IndexSpec = FLAT, mmap: bool = False) -> "VectorStore":
        """mmap: map the file instead of reading it (for readers, which never
        modify it): opening is then nearly free at any size."""
        faiss = _faiss()
        flags = faiss.IO_FLAG_MMAP_IFC if mmap else 0
        return cls(faiss.read_index(str(path), flags), spec)

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        ids = _ids(ids)
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)

    def remove(self, ids: Iterable[int]) -> None:
        ids = _ids(ids)
        if len(ids):
            # The IVF hash-table direct map accepts only an IDSelectorArray.
            self._index.remove_ids(_faiss().IDSelectorArray(ids))

    def get(self, ids: Iterable[int]) -> np.ndarray:
        ids = _ids(ids)
        if not len(ids):
            return np.zeros((0, self.dimension), dtype=np.float32)
        _faiss().omp_set_num_threads(SEARCH_THREADS)
        return self._index.reconstruct_batch(ids)

    def search(self, query: np.ndarray, k: int, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk id, cosine); `allowed` restricts the search to those ids."""
        faiss = _faiss()
        k = min(k, len(self))
        if k <= 0:
            return []
        params = None
        if allowed is not None:
            allowed = _ids(allowed)
            if not len(allowed):
                return []
            # A bitmap over chunk ids: built from a million ids in ~1 ms and
            # tested in a shift and a mask, where IDSelectorBatch hashes each.
            mask = np.zeros(int(allowed.max()) + 1, dtype=bool)
            mask[allowed] = True
            selector = faiss.IDSelectorBitmap(np.packbits(mask, bitorder="little"))
            if self.spec.kind == "ivf":
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.filtered_nprobe(len(allowed)))
            else:
                params = faiss.SearchParameters(sel=selector)
        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        faiss.omp_set_num_threads(SEARCH_THREADS)
        scores, ids = self._index.search(query, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]

    def filtered_nprobe(self, allowed: int) -> int:
        """Lists an IVF search restricted to `allowed` ids scans: enough that
        it meets about as many allowed vectors as an unrestricted search
        meets vectors (a filter keeping a tenth scans ten times the lists), so
        recall holds; every list, an exact search, for a small allowed set."""
        nlist = int(self._index.nlist)
        return min(nlist, math.ceil(self.spec.nprobe * len(self) / max(allowed, 1)))

    def probing(self, nprobe: int) -> "VectorStore":
        """This IVF index searching `nprobe` lists (for measurements; shares the index)."""
        return VectorStore(self._index, replace(self.spec, nprobe=nprobe))

    # -- changing the index kind -----------------------------------------
    def all(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (id, vector) in the store."""
        faiss = _faiss()
        if self.spec.kind == "flat":
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            return ids, self._index.index.reconstruct_n(0, len(ids))
        invlists = self._index.invlists
        id_parts, vector_parts = [], []
        for number in range(self._index.nlist):
            size = invlists.list_size(number)
            if size:
                id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(number), size).copy())
                codes = faiss.rev_swig_ptr(invlists.get_codes(number), size * self.dimension * 4)
                vector_parts.append(codes.view(np.float32).reshape(size, self.dimension).copy())
        if not id_parts:
            return np.zeros(0, np.int64), np.zeros((0, self.dimension), np.float32)
        return np.concatenate(id_parts).astype(np.int64), np.concatenate(vector_parts)

    def reshaped(self, spec: IndexSpec) -> "VectorStore":
        """The same vectors in an index of kind `spec` (self when it has it)."""
        if spec == self.spec:
            return self
        ids, vectors = self.all()
        if spec.kind == "flat":
            store = VectorStore.empty(self.dimension)
        else:
            store = VectorStore(_trained_ivf(vectors, self.dimension, spec), spec)
        store.add(ids, vectors)
        return store


def _trained_ivf(vectors: np.ndarray, dimension: int, spec: IndexSpec):
    faiss = _faiss()
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, spec.nlist, faiss.METRIC_INNER_PRODUCT)
    sample = vectors
    wanted = spec.nlist * TRAIN_PER_LIST
    if len(vectors) > wanted:
        rows = np.random.default_rng(TRAIN_SEED).choice(len(vectors), wanted, replace=False)
        sample = vectors[np.sort(rows)]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    return index
