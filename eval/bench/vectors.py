"""The dense leg alone, at sizes too large to build a whole index for here:
exact (flat) scan latency against IVF latency and recall@10 per nprobe, on
synthetic vectors made as in synthetic.py and real question embeddings.
This is the measurement behind ann.EXACT_BELOW and ann.nprobe_for.

    python -m eval.bench.vectors SEED_INDEX QUESTIONS_FILE SIZE[,SIZE...]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from index.embedding import get_embedder
from index.store import ann
from index.store.vectors import VectorStore

from .latency import NPROBES, POOL, questions
from .machine import Stopwatch, load, peak_rss_mb, timed
from .synthetic import SEED, load_seed

K = 10


def mixed_vectors(seed: np.ndarray, n: int, rng: np.random.Generator, block: int = 100_000) -> np.ndarray:
    """synthetic.py's recipe, vectorised: 0.6·a + 0.3·b + 0.25·(c − d), unit length."""
    out = np.empty((n, seed.shape[1]), dtype=np.float32)
    for start in range(0, n, block):
        a, b, c, d = rng.integers(0, len(seed), (4, min(block, n - start)))
        v = 0.6 * seed[a] + 0.3 * seed[b] + 0.25 * (seed[c] - seed[d])
        out[start : start + len(a)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _exact(vectors: np.ndarray, q: np.ndarray) -> tuple[float, set[int]]:
    scores = vectors @ q
    kth = -float(np.partition(-scores, K)[K - 1])
    return kth, set(np.nonzero(scores >= kth - 1e-5)[0].tolist())


def one_size(seed: np.ndarray, queries: np.ndarray, size: int) -> dict:
    vectors = mixed_vectors(seed, size, np.random.default_rng(SEED + size))
    ids = np.arange(size, dtype=np.int64)
    exact = [_exact(vectors, q) for q in queries]
    flat = VectorStore.empty(vectors.shape[1])
    flat.add(ids, vectors)
    result = {"vectors": size, "load_before": load(), "exact_scan": timed(lambda q: flat.search(q, POOL), queries)}
    spec = ann.spec_for(size, ann.FLAT)
    if spec.kind == "flat":  # what the writer would build; show IVF anyway for the comparison
        spec = ann.IndexSpec("ivf", ann.nlist_for(size), ann.nprobe_for(ann.nlist_for(size)), size)
    with Stopwatch() as built:
        ivf = flat.reshaped(spec)
    del flat
    sweep = {}
    for nprobe in sorted({*NPROBES, spec.nprobe}):
        probing = ivf.probing(nprobe)
        found = [[i for i, _ in probing.search(q, K)] for q in queries]
        recall = np.mean([sum(1 for i in f if i in near) / K for f, (_, near) in zip(found, exact)])
        sweep[str(nprobe)] = {"recall": round(float(recall), 4), **timed(lambda q: probing.search(q, POOL), queries)}
    result.update({"ivf": spec.to_dict(), "ivf_build_s": round(built.seconds, 1), "nprobe_sweep": sweep,
                   "chosen_kind": ann.spec_for(size, ann.FLAT).kind, "load_after": load(), "peak_rss_mb": peak_rss_mb()})
    return result


def run(seed_dir: Path, questions_file: Path, sizes: list[int]) -> dict:
    seed = load_seed(seed_dir)
    queries = get_embedder(seed.model_id).encode(questions(questions_file))
    return {str(size): one_size(seed.vectors, queries, size) for size in sizes}


if __name__ == "__main__":
    sizes = [int(s) for s in sys.argv[3].split(",")]
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]), sizes)))
