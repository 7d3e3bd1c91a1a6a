"""Search and offline-ask latency on one index, peak memory, and how the
dense leg's approximate search compares with exact search (recall@10).

Runs in its own process per index size, so the peak RSS is that size's.

    python -m eval.bench.latency INDEX_DIR QUESTIONS_FILE
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from .machine import Stopwatch, load, peak_rss_mb, summary_ms, timed

WARMUP = 3
POOL = 50  # candidates each retrieval leg fetches (retriever.MIN_POOL)
NPROBES = (8, 16, 32, 64, 128)
FILTER_SHARES = (0.1, 0.5)


def questions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def serving(index: Path, qs: list[str]) -> dict:
    from rag import session
    from rag.api import ask, search
    from rag.retrieval.lexical import lexical_search

    with Stopwatch() as opened:
        retriever = session.retriever(index)
    for q in qs[:WARMUP]:
        ask(q, index=index)
    reader = retriever.reader
    vectors = {q: retriever.embed(q) for q in qs}
    result = {
        "chunks": len(reader.vectors),
        "vector_index": reader.vectors.spec.to_dict(),
        "open_s": round(opened.seconds, 3),
        "load_before": load(),
        "embed_query": timed(retriever.embed, qs),
        "dense_leg": timed(lambda q: reader.dense(vectors[q], POOL), qs),
        "lexical_leg": timed(lambda q: lexical_search(reader, q, POOL), qs),
        "search": timed(lambda q: search(q, index=index, k=10), qs),
    }
    answers = []
    result["ask"] = timed(lambda q: answers.append(ask(q, index=index)), qs)
    stages = {name: [a.timings.get(name, 0.0) for a in answers] for name in ("retrieve", "compose")}
    result["ask_stages"] = {name: summary_ms(values) for name, values in stages.items()}
    result["abstained"] = sum(a.abstained for a in answers)
    result["load_after"] = load()
    result["peak_rss_mb"] = peak_rss_mb()
    result["recall"] = dense_recall(reader, [vectors[q] for q in qs])
    return result


def _recall(found: list[list[int]], exact: list[tuple[float, dict[int, float]]]) -> float:
    """Share of the found ids that belong in the exact top k; an id tied
    with the k-th exact score counts (duplicate texts have equal vectors)."""
    hits = [sum(1 for i in f if scores.get(i, -2.0) >= kth - 1e-5) / len(f) for f, (kth, scores) in zip(found, exact)]
    return round(float(np.mean(hits)), 4)


def dense_recall(reader, query_vectors: list[np.ndarray], k: int = 10) -> dict:
    """recall@k of the index's dense search against brute force over every
    vector, plus the exact scan's own latency (the alternative at this size)
    and, for an IVF index, recall and latency at other nprobe values."""
    from index.store.vectors import VectorStore

    ids, vectors = reader.vectors.all()
    exact = []
    for q in query_vectors:
        scores = vectors @ q
        kth = float(np.partition(-scores, k)[k - 1]) * -1
        near = np.nonzero(scores >= kth - 1e-5)[0]
        exact.append((kth, {int(ids[i]): float(scores[i]) for i in near}))
    filtered = filtered_recall(reader, query_vectors, ids, vectors, k)
    flat = VectorStore.empty(vectors.shape[1])
    flat.add(ids, vectors)
    flat_times = timed(lambda q: flat.search(q, POOL), query_vectors)
    out = {"k": k, "index": _recall([[i for i, _ in reader.dense(q, k)] for q in query_vectors], exact),
           "exact_scan": flat_times, "date_filtered": filtered}
    if reader.vectors.spec.kind == "ivf":
        sweep = {}
        for nprobe in NPROBES:
            probing = reader.vectors.probing(nprobe)
            found = [[i for i, _ in probing.search(q, k)] for q in query_vectors]
            times = timed(lambda q: probing.search(q, POOL), query_vectors)
            sweep[str(nprobe)] = {"recall": _recall(found, exact), **times}
        out["nprobe_sweep"] = sweep
        reader.vectors.probing(reader.vectors.spec.nprobe)  # back to the index's own setting
    return out


def filtered_recall(reader, query_vectors: list[np.ndarray], ids: np.ndarray, vectors: np.ndarray, k: int) -> dict:
    """The dense leg restricted to a date range holding about 10 % and 50 %
    of the posts (the middle of the index's time span): recall@k against
    brute force over the allowed vectors, and the leg's latency with the filter."""
    from rag.retrieval.scope import Filters, allowed_chunks

    days = [row[0] for row in reader.conn.execute(
        "SELECT substr(posted_at, 1, 10) AS day FROM posts WHERE posted_at IS NOT NULL ORDER BY day")]
    out = {}
    for share in FILTER_SHARES:
        if not days:
            break
        since, until = (days[min(len(days) - 1, int(len(days) * (0.5 + side * share / 2)))] for side in (-1, 1))
        allowed = allowed_chunks(reader, Filters(since=since, until=until))
        chosen = np.isin(ids, allowed)
        exact = []
        for q in query_vectors:
            scores = np.where(chosen, vectors @ q, -2.0)
            kth = float(-np.partition(-scores, k)[k - 1])
            near = np.nonzero(scores >= kth - 1e-5)[0]
            exact.append((kth, {int(ids[i]): float(scores[i]) for i in near}))
        found = [[i for i, _ in reader.dense(q, k, allowed)] for q in query_vectors]
        out[f"{share:.0%}"] = {"since": since, "until": until, "allowed": int(chosen.sum()),
                              "recall": _recall(found, exact),
                              **timed(lambda q: reader.dense(q, POOL, allowed_chunks(reader, Filters(since=since, until=until))), query_vectors)}
    return out


if __name__ == "__main__":
    index_dir, questions_file = Path(sys.argv[1]), Path(sys.argv[2])
    print(json.dumps(serving(index_dir, questions(questions_file))))
