"""Which FAISS index holds the vectors, by index size.

Below EXACT_BELOW vectors the search is exact (a flat scan). Above it an
inverted file (IVF): the vectors are grouped around `nlist` centroids and a
query scans only the `nprobe` nearest groups. Both thresholds were chosen by
measurement (`forum-rag bench`, docs/PERFORMANCE.md): the flat scan's p95
against the latency target, and nprobe as the smallest that keeps recall@10
against exact search at or above 0.95 on realistic queries.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

EXACT_BELOW = 100_000
# Retrain the centroids once the index has grown this much since training,
# so the groups stay small enough to scan quickly.
RETRAIN_GROWTH = 4
# FAISS warns below 39 training points per centroid; more costs training time.
TRAIN_PER_LIST = 64
PROBE_FRACTION = 1 / 32
MIN_NPROBE = 16


@dataclass(frozen=True)
class IndexSpec:
    kind: str = "flat"  # "flat" (exact) | "ivf"
    nlist: int = 0
    nprobe: int = 0
    trained_on: int = 0  # vectors in the index when the centroids were trained

    def to_dict(self) -> dict:
        return {"kind": "flat"} if self.kind == "flat" else asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "IndexSpec":
        # Manifests written before index types existed hold only flat indexes.
        data = data or {}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


FLAT = IndexSpec()


def nlist_for(total: int) -> int:
    """A power of two near 4·sqrt(total): lists of ~sqrt(total)/4 vectors
    (never more lists than the vectors can train)."""
    nlist = 2 ** max(4, round(math.log2(4 * math.sqrt(max(total, 1)))))
    return max(1, min(nlist, total // 39))


def nprobe_for(nlist: int) -> int:
    return min(nlist, max(MIN_NPROBE, round(nlist * PROBE_FRACTION)))


def spec_for(total: int, current: IndexSpec) -> IndexSpec:
    """The index an index of `total` vectors should have, given the one it has."""
    if total < EXACT_BELOW:
        return FLAT
    if current.kind == "ivf" and total <= RETRAIN_GROWTH * current.trained_on:
        return current
    nlist = nlist_for(total)
    return IndexSpec("ivf", nlist=nlist, nprobe=nprobe_for(nlist), trained_on=total)
