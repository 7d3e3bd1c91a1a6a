"""Which FAISS index holds the vectors, by index size.

Below EXACT_BELOW vectors the search is exact (a flat scan). Above it an
inverted file (IVF): the vectors are grouped around `nlist` centroids and a
query scans only the `nprobe` nearest groups (1/16 of them, at least 64).
Both were chosen by measurement (`forum-rag bench --only vectors`,
docs/PERFORMANCE.md): the exact scan costs ~0.2 ms of CPU per 1,000 vectors
(23 ms at 100k, 167 ms at 1M), so it stops where it would take a fifth of
the 50 ms search budget; with lists of ~sqrt(N) vectors, 64 of 256 lists
gave recall@10 0.98 at 100k and 64 of 1024 gave 0.97 at 1M (20 ms CPU).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

EXACT_BELOW = 50_000
# Retrain the centroids once the index has grown this much since training, or
# into the next list count (a million vectors grown from 250,000 in batches
# kept 512 lists and scanned twice the vectors a query: 31 ms CPU p95 against
# 20 ms with 1024), so the groups stay small enough to scan quickly.
RETRAIN_GROWTH = 4
# FAISS warns below 39 training points per centroid; more costs training time.
TRAIN_PER_LIST = 64
PROBE_FRACTION = 1 / 16
MIN_NPROBE = 64


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
    """A power of two near sqrt(total): lists of ~sqrt(total) vectors (never
    more lists than the vectors can train). More lists would scan fewer
    vectors a query, but k-means training grows with nlist², and on 2 cores
    training 4096 centroids for a million vectors took too long to redo as the
    index grows."""
    nlist = 2 ** max(4, round(math.log2(math.sqrt(max(total, 1)))))
    return max(1, min(nlist, total // 39))


def nprobe_for(nlist: int) -> int:
    return min(nlist, max(MIN_NPROBE, round(nlist * PROBE_FRACTION)))


def spec_for(total: int, current: IndexSpec) -> IndexSpec:
    """The index an index of `total` vectors should have, given the one it has."""
    if total < EXACT_BELOW:
        return FLAT
    grown = total > RETRAIN_GROWTH * current.trained_on or nlist_for(total) > current.nlist
    if current.kind == "ivf" and not grown:
        return replace(current, nprobe=nprobe_for(current.nlist))  # the centroids stay
    nlist = nlist_for(total)
    return IndexSpec("ivf", nlist=nlist, nprobe=nprobe_for(nlist), trained_on=total)
