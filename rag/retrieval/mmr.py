"""Maximal marginal relevance: take the most relevant chunk, then prefer
chunks that say something the chosen ones don't, so five results are not
five copies of one popular quote."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .tuning import unit_setting

# Weight of relevance against novelty (1.0 = plain ranking); see docs/EVAL.md.
MMR_LAMBDA = 0.7


def mmr_lambda() -> float:
    """MMR_LAMBDA, or FORUM_RAG_MMR_LAMBDA when set (to measure other values)."""
    return unit_setting("FORUM_RAG_MMR_LAMBDA", MMR_LAMBDA)


def _scaled(values: np.ndarray) -> np.ndarray:
    # Divided by the best, not min-max: the weakest candidate keeps its real
    # relevance instead of dropping to zero.
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 1e-9 else np.ones_like(values)


def mmr(ids: Sequence[int], relevance: Sequence[float], vectors: np.ndarray, k: int, lam: float | None = None) -> list[int]:
    """Up to k of `ids` in MMR order; `vectors` are their unit embeddings, row by row."""
    if not len(ids):
        return []
    lam = mmr_lambda() if lam is None else lam
    rel = _scaled(np.asarray(relevance, dtype=np.float32))
    similarity = vectors @ vectors.T
    chosen: list[int] = []
    closest = np.full(len(ids), -np.inf, dtype=np.float32)  # max similarity to anything chosen
    available = np.ones(len(ids), dtype=bool)
    for _ in range(min(k, len(ids))):
        penalty = np.where(np.isfinite(closest), closest, 0.0)
        score = np.where(available, lam * rel - (1 - lam) * penalty, -np.inf)
        best = int(np.argmax(score))
        chosen.append(best)
        available[best] = False
        closest = np.maximum(closest, similarity[best])
    return [ids[i] for i in chosen]
