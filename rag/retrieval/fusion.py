"""Combine the dense and lexical legs into one ranking.

Both legs are scored on the same candidate set (the union of each leg's top
results), then mixed linearly after scaling each to [0, 1] within the query.
DENSE_WEIGHT was chosen by measurement on eval/questions (docs/EVAL.md).
"""
from __future__ import annotations

from .tuning import unit_setting

DENSE_WEIGHT = 0.5


def dense_weight() -> float:
    """DENSE_WEIGHT, or FORUM_RAG_DENSE_WEIGHT when set (the eval's weight sweep uses it)."""
    return unit_setting("FORUM_RAG_DENSE_WEIGHT", DENSE_WEIGHT)


def _scaled(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    if span <= 1e-9:
        return {i: (1.0 if high > 0 else 0.0) for i in scores}
    return {i: (s - low) / span for i, s in scores.items()}


def linear(dense: dict[int, float], lexical: dict[int, float], weight: float | None = None) -> dict[int, float]:
    w = dense_weight() if weight is None else weight
    d, l = _scaled(dense), _scaled(lexical)
    ids = set(d) | set(l)
    return {i: w * d.get(i, 0.0) + (1 - w) * l.get(i, 0.0) for i in ids}


def rrf(dense: dict[int, float], lexical: dict[int, float], k: int = 60) -> dict[int, float]:
    fused: dict[int, float] = {}
    for scores in (dense, lexical):
        ranked = sorted((i for i in scores if scores[i] > 0 or scores is dense), key=lambda i: -scores[i])
        for rank, i in enumerate(ranked):
            fused[i] = fused.get(i, 0.0) + 1.0 / (k + rank + 1)
    return fused
