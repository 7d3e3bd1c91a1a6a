"""Synthetic forum indexes of any size, made from a real one.

Embedding a million chunks takes days on 2 cores, so the large benchmark
indexes are made from a real seed index (the TMC CSV ingest): each synthetic
post joins a few consecutive sentences of one real chunk with one or two of
another, so words, sentence lengths and term frequencies are those of real
posts; its vector mixes the two real chunk vectors with a little noise drawn
from the real vectors' own spread (the difference of two random real
vectors), so the vectors cluster like real embeddings instead of filling the
sphere uniformly, which would make approximate search look worse than it is.

Everything is written through the real IndexWriter (chunker, SQLite, FTS5,
vector index by size), in batches, as a forum would grow.

    python -m eval.bench.synthetic SEED_INDEX OUT_INDEX CHUNKS
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from index.chunking import ChunkerSettings
from index.embedding import get_embedder
from index.records import Block, ParsedThread, Post, Thread
from index.sentences import sentence_spans
from index.store.reader import IndexReader
from index.store.writer import IndexWriter

POSTS_PER_THREAD = 250
BATCH_POSTS = 250_000
MAX_CHARS = 400  # under the chunker's 128-token budget: one chunk a post
SEED = 20190524


@dataclass
class Seed:
    sentences: list[list[str]]  # per real chunk
    vectors: np.ndarray  # row i belongs to sentences[i]
    titles: list[str]
    authors: list[str | None]
    model_id: str


def load_seed(index_dir: Path) -> Seed:
    reader = IndexReader(index_dir)
    ids, vectors = reader.vectors.all()
    chunks = reader.chunks(int(i) for i in ids)
    keep, sentences = [], []
    for row, chunk_id in enumerate(ids):
        text = chunks[int(chunk_id)].text
        parts = [text[s:e] for s, e in sentence_spans(text) if len(text[s:e].split()) >= 3]
        if parts:
            keep.append(row)
            sentences.append(parts)
    titles = [t.title for t in reader.threads().values()]
    authors = [r[0] for r in reader.conn.execute("SELECT DISTINCT author FROM posts WHERE author IS NOT NULL")] or [None]
    return Seed(sentences, vectors[keep], titles, authors, reader.manifest.embedding_model)


class PrecomputedEmbedder:
    """Serves the synthetic vectors; counts tokens with the real model."""

    def __init__(self, seed: Seed) -> None:
        self._real = get_embedder(seed.model_id, backend="numpy")
        self.model_id, self.dimension, self.max_tokens = seed.model_id, self._real.dimension, self._real.max_tokens
        self.table: dict[str, np.ndarray] = {}
        self._seed = seed

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        return np.stack([self.table[t] if t in self.table else self._piece(t) for t in texts])

    def _piece(self, text: str) -> np.ndarray:
        """A vector for a piece of a post the chunker cut (rare: a long post in
        a wordy language), by the same recipe, seeded by the text."""
        rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))
        return _post_text(self._seed, rng)[1]

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)


def _post_text(seed: Seed, rng: np.random.Generator) -> tuple[str, np.ndarray]:
    a, b, c, d = rng.integers(0, len(seed.sentences), 4)
    first, second = seed.sentences[a], seed.sentences[b]
    start = int(rng.integers(0, len(first)))
    taken = first[start : start + int(rng.integers(1, 4))]
    other = int(rng.integers(0, len(second)))
    taken += second[other : other + int(rng.integers(1, 3))]
    text = " ".join(taken)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]
    v = seed.vectors
    vector = 0.6 * v[a] + 0.3 * v[b] + 0.25 * (v[c] - v[d])
    return text, (vector / np.linalg.norm(vector)).astype(np.float32)


def batches(seed: Seed, total: int, prefix: str) -> Iterator[tuple[list[ParsedThread], dict[str, np.ndarray]]]:
    """Deterministic batches of synthetic threads with their vectors."""
    rng = np.random.default_rng(SEED)
    for first in range(0, total, BATCH_POSTS):
        threads, table = [], {}
        count = min(BATCH_POSTS, total - first)
        for t_start in range(first, first + count, POSTS_PER_THREAD):
            number = t_start // POSTS_PER_THREAD
            thread = Thread(f"{prefix}-t{number}", f"{seed.titles[number % len(seed.titles)]} ({number})", None, "synthetic")
            posts = []
            for n in range(t_start, min(t_start + POSTS_PER_THREAD, first + count)):
                text, vector = _post_text(seed, rng)
                table[text] = vector
                day = 1 + n % 28
                posts.append(Post(
                    id=f"{prefix}-{n}", thread_id=thread.id, number=n - t_start + 1, blocks=(Block("own", text),),
                    author=seed.authors[int(rng.integers(0, len(seed.authors)))],
                    posted_at=f"20{19 + n % 6}-{1 + n % 12:02d}-{day:02d}T12:00:00+00:00",
                    permalink=f"https://forum.example/posts/{prefix}-{n}/",
                ))
            threads.append(ParsedThread(thread, posts, []))
        yield threads, table


def _written(writer: IndexWriter, threads: list[ParsedThread]) -> dict:
    started = time.perf_counter()
    report = writer.write(threads)
    return {"posts": sum(len(t.posts) for t in threads), "chunks_added": report.chunks_added,
            "embedded": report.embedded, "changed": report.changed, "totals": report.totals,
            "seconds": round(time.perf_counter() - started, 2),
            "stages": {k: round(v, 2) for k, v in report.seconds.items()}}


def build(seed_dir: Path, out: Path, total: int) -> dict:
    """Build (or keep, when already built with these settings) an index of ~total chunks."""
    marker = out / "synthetic.json"
    settings = {"seed_index": str(seed_dir), "posts": total, "seed": SEED, "max_chars": MAX_CHARS}
    if marker.is_file() and json.loads(marker.read_text()).get("settings") == settings:
        return json.loads(marker.read_text())
    if out.exists():  # built with other settings (or half built): start over
        shutil.rmtree(out)
    seed = load_seed(seed_dir)
    embedder = PrecomputedEmbedder(seed)
    writer = IndexWriter(out, embedder, ChunkerSettings())
    reports, last = [], None
    for last in batches(seed, total, f"syn{total}"):
        threads, embedder.table = last
        reports.append(_written(writer, threads))
        print(f"synthetic {out.name}: {reports[-1]['totals']}", file=sys.stderr, flush=True)
    # The last batch once more, unchanged: it must embed and copy nothing.
    threads, embedder.table = last
    rewrite = _written(writer, threads)
    result = {"settings": settings, "batches": reports, "unchanged_rewrite": rewrite}
    marker.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    seed_index, out_index, size = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(build(seed_index, out_index, size)))
