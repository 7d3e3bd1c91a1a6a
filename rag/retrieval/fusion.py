"""Combine the dense and lexical legs into one ranking.

Both legs are scored on the same candidate set (the union of each leg's top
results), then mixed linearly after scaling each to [0, 1] within the query.
DENSE_WEIGHT was chosen by measurement on eval/questions (docs/EVAL.md).
"""
from __future__ import annotations

DENSE_WEIGHT = 0.7


def _scaled(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    if span <= 1e-9:
        return {i: (1.0 if high > 0 else 0.0) for i in scores}
    return {i: (s - low) / span for i, s in scores.items()}


def linear(dense: dict[int, float], lexical: dict[int, float], dense_weight: float = DENSE_WEIGHT) -> dict[int, float]:
    d, l = _scaled(dense), _scaled(lexical)
    ids = set(d) | set(l)
    return {i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * l.get(i, 0.0) for i in ids}


def rrf(dense: dict[int, float], lexical: dict[int, float], k: int = 60) -> dict[int, float]:
    fused: dict[int, float] = {}
    for scores in (dense, lexical):
        ranked = sorted((i for i in scores if scores[i] > 0 or scores is dense), key=lambda i: -scores[i])
        for rank, i in enumerate(ranked):
            fused[i] = fused.get(i, 0.0) + 1.0 / (k + rank + 1)
    return fused
