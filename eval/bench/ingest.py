"""Ingest throughput on real forum exports, next to the embedding model's own
throughput on the very same chunk texts (the ceiling the pipeline can reach),
then an unchanged re-ingest (must embed nothing, and be quick).

    python -m eval.bench.ingest WORK_DIR CSV... [--limit N]
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from pathlib import Path

from index.embedding import bulk_backend, get_embedder
from index.pipeline import ingest
from index.store.reader import IndexReader
from index.store.writer import BULK_THRESHOLD

from .machine import Stopwatch, load, peak_rss_mb


def limited_copies(sources: list[Path], work: Path, limit: int | None) -> list[Path]:
    """The first `limit` rows of each CSV (for quick runs); the files themselves without a limit."""
    if not limit:
        return sources
    out = []
    csv.field_size_limit(sys.maxsize)
    for source in sources:
        target = work / "sources" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with source.open(newline="", encoding="utf-8") as src, target.open("w", newline="", encoding="utf-8") as dst:
            rows = csv.reader(src)
            writer = csv.writer(dst)
            for number, row in enumerate(rows):
                if number > limit:
                    break
                writer.writerow(row)
        out.append(target)
    return out


def _embedder_like_the_pipeline(count: int):
    """The backend ingest() picks for this many new texts (see writer.BULK_THRESHOLD)."""
    if count >= BULK_THRESHOLD and bulk_backend() != "auto":
        return get_embedder(backend=bulk_backend())
    return get_embedder()


def run(work: Path, sources: list[Path], limit: int | None = None) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    sources = limited_copies(sources, work, limit)
    index = work / "tmc"
    shutil.rmtree(index, ignore_errors=True)
    load_before = load()
    with Stopwatch() as first:
        report = ingest(sources, index)
    reader = IndexReader(index)
    texts = [row[0] for row in reader.conn.execute("SELECT DISTINCT text FROM chunks")]
    embedder = _embedder_like_the_pipeline(len(texts))
    with Stopwatch() as raw:
        embedder.encode(texts)  # one call: the backend orders all of them by length
    with Stopwatch() as again:
        second = ingest(sources, index)
    pipeline_rate = report.embedded / first.seconds
    raw_rate = len(texts) / raw.seconds
    return {
        "sources": [s.name for s in sources],
        "posts": report.posts_added,
        "chunks": report.chunks_added,
        "embedded": report.embedded,
        "first_ingest_s": round(first.seconds, 2),
        "stages_s": {k: round(v, 2) for k, v in report.seconds.items()},
        "posts_per_s": round(report.posts_added / first.seconds, 2),
        "chunks_per_s": round(report.chunks_added / first.seconds, 2),
        "embedded_per_s": round(pipeline_rate, 2),
        "raw_embed_texts": len(texts),
        "raw_embed_s": round(raw.seconds, 2),
        "raw_embed_per_s": round(raw_rate, 2),
        "backend": type(embedder).__name__,
        "pipeline_vs_raw": round(pipeline_rate / raw_rate, 3),
        "reingest_embedded": second.embedded,
        "reingest_s": round(again.seconds, 2),
        "reingest_vs_first": round(again.seconds / first.seconds, 4),
        "load_before": load_before,
        "load_after": load(),
        "peak_rss_mb": peak_rss_mb(),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path)
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(run(args.work, args.sources, args.limit)))
