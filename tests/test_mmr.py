"""MMR: five results should not be five copies of one quote."""
from __future__ import annotations

import numpy as np

from rag.retrieval.mmr import mmr


def unit(*xs: float) -> np.ndarray:
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_near_copies_give_way_to_something_new():
    vectors = np.stack([unit(1, 0, 0), unit(1, 0.01, 0), unit(1, 0.02, 0), unit(0.6, 0.8, 0)])
    ids, relevance = [10, 11, 12, 13], [1.0, 0.99, 0.98, 0.85]
    assert mmr(ids, relevance, vectors, k=2) == [10, 13]
    assert mmr(ids, relevance, vectors, k=2, lam=1.0) == [10, 11]  # relevance only: the copies win


def test_mmr_returns_each_id_once_and_handles_small_inputs():
    vectors = np.stack([unit(1, 0), unit(0, 1), unit(1, 1)])
    picked = mmr([1, 2, 3], [0.5, 0.4, 0.9], vectors, k=10)
    assert sorted(picked) == [1, 2, 3] and picked[0] == 3
    assert mmr([], [], np.zeros((0, 2), dtype=np.float32), k=3) == []
    assert mmr([7], [0.1], vectors[:1], k=3) == [7]
