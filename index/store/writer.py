"""Build the next generation of an index from parsed threads.

Only new or edited posts are chunked again, and a chunk whose text is
already in the index reuses its vector: the same text is never embedded
twice. Nothing is published unless the whole write succeeds.
"""
from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .. import linking
from ..merge import merge_threads
from ..chunking import Chunker, ChunkerSettings
from ..embedding import Embedder
from ..errors import ManifestMismatch
from ..records import Chunk, ParsedThread, Post
from ..tokens import token_counter
from . import chunk_days, generations, meta, postings
from .ann import IndexSpec, spec_for
from .manifest import META, VECTORS, Manifest, expect, sha256_file
from .vectors import VectorStore

Progress = Callable[[str, int, int], None]  # (stage, done, total)
EMBED_BATCH = 64
# From this many new texts on, a separately chosen bulk backend (if any, see
# embedding.bulk_backend) is worth loading.
BULK_THRESHOLD = 512


@dataclass
class IngestReport:
    index: str
    threads: int = 0
    posts_added: int = 0
    posts_updated: int = 0
    posts_unchanged: int = 0
    posts_removed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    reused_vectors: int = 0
    totals: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generation: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.posts_added or self.posts_updated or self.posts_removed)


@dataclass
class _Plan:
    threads: list[ParsedThread]
    changed_posts: list[Post] = field(default_factory=list)
    removed_post_ids: list[str] = field(default_factory=list)
    chunks: dict[str, list[Chunk]] = field(default_factory=dict)


def _previous_meta(previous: Path | None) -> sqlite3.Connection:
    """What the index holds now, read-only (an empty schema for a new index)."""
    if previous is None:
        return meta.connect_writable(Path(":memory:"))
    return meta.connect_readonly(previous / META)


def _copy_previous(previous: Path | None, stage: Path, dimension: int) -> VectorStore:
    if previous is None:
        return VectorStore.empty(dimension)
    # A published generation never changes (and keeps no journal), so a plain
    # file copy is a consistent snapshot; it runs in the kernel, several
    # times faster than SQLite's page-by-page backup on a large index.
    shutil.copyfile(previous / META, stage / META)
    spec = IndexSpec.from_dict(Manifest.read(previous).vector_index)
    return VectorStore.load(previous / VECTORS, spec)


def check_compatible(index_dir: Path, embedder: Embedder, chunker: ChunkerSettings) -> None:
    previous = generations.current(index_dir)
    if previous is None:
        return
    manifest = Manifest.read(previous)
    expect(manifest, str(index_dir), "embedding_model", embedder.model_id)
    expect(manifest, str(index_dir), "dimension", embedder.dimension)
    if manifest.chunker != chunker.to_dict():
        raise ManifestMismatch(str(index_dir), "chunker", manifest.chunker, chunker.to_dict())


class IndexWriter:
    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        settings: ChunkerSettings,
        bulk_embedder: Callable[[], Embedder] | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.bulk_embedder = bulk_embedder
        self.settings = settings
        limit = embedder.max_tokens
        self.chunker = Chunker(settings, token_counter(settings.encoding), lambda t: embedder.count_tokens(t) <= limit)

    def write(self, threads: Sequence[ParsedThread], prune: bool = False, progress: Progress | None = None) -> IngestReport:
        # Pages of one thread arrive apart, overlapping files repeat posts:
        # the plan needs each thread whole and each post id once.
        threads, notes = merge_threads(list(threads))
        report = IngestReport(index=str(self.index_dir), threads=len(threads), warnings=notes)
        with generations.writer_lock(self.index_dir):
            check_compatible(self.index_dir, self.embedder, self.settings)
            previous = generations.current(self.index_dir)
            # Plan against the published generation first: an unchanged
            # corpus then costs a parse and a hash compare, with no copy of
            # the index (at a million chunks that copy alone takes seconds).
            conn = _previous_meta(previous)
            try:
                linked, redundant = linking.link_quotes(conn, list(threads))
                plan = self._plan(conn, linked, prune, report, redundant)
                if not report.changed and not _threads_changed(conn, plan.threads):
                    # The manifest's counts: COUNT(*) scans at a million rows.
                    report.totals = dict(Manifest.read(previous).counts) if previous else meta.counts(conn)
                    report.generation = generations.generation_number(previous)
                    return report
            finally:
                conn.close()
            with generations.staging(self.index_dir) as stage:
                self._build(previous, stage, plan, report, progress)
        return report

    def _build(self, previous: Path | None, stage: Path, plan: _Plan, report: IngestReport, progress: Progress | None) -> None:
        started = time.perf_counter()
        vectors = _copy_previous(previous, stage, self.embedder.dimension)
        report.seconds["copy"] = time.perf_counter() - started
        conn = meta.connect_writable(stage / META)
        try:
            self._apply(conn, vectors, plan, report, progress)
            report.totals = meta.counts(conn)
        finally:
            conn.close()
        started = time.perf_counter()
        vectors = vectors.reshaped(spec_for(len(vectors), vectors.spec))
        report.seconds["vector_index"] = time.perf_counter() - started
        self._publish(stage, vectors, report)

    def _plan(
        self, conn: sqlite3.Connection, threads: list[ParsedThread], prune: bool, report: IngestReport,
        redundant: linking.Redundant = frozenset(),
    ) -> _Plan:
        started = time.perf_counter()
        plan = _Plan(threads=threads)
        for parsed in threads:
            known = meta.post_hashes(conn, parsed.thread.id)
            for post in parsed.posts:
                old_hash = known.pop(post.id, None)
                if old_hash == post.content_hash:
                    report.posts_unchanged += 1
                    continue
                report.posts_added += old_hash is None
                report.posts_updated += old_hash is not None
                plan.changed_posts.append(post)
                plan.chunks[post.id] = linking.drop_redundant(post, self.chunker.chunk_post(post), redundant)
            if prune:
                plan.removed_post_ids += list(known)
            report.warnings += list(parsed.warnings)
        report.posts_removed = len(plan.removed_post_ids)
        report.seconds["chunk"] = time.perf_counter() - started
        return plan

    def _apply(self, conn, vectors: VectorStore, plan: _Plan, report: IngestReport, progress: Progress | None) -> None:
        all_chunks = [c for post in plan.changed_posts for c in plan.chunks[post.id]]
        known_vectors = _vectors_by_hash(conn, vectors, {c.hash for c in all_chunks})
        removed: list[tuple[int, str]] = []
        new_ids: list[tuple[int, Chunk]] = []
        started = time.perf_counter()
        conn.execute("BEGIN")
        if not postings.present(conn):  # an index from before the posting lists
            postings.build(conn)
        if not chunk_days.present(conn):  # ... or before the chunk days
            chunk_days.build(conn)
        for parsed in plan.threads:
            meta.upsert_thread(conn, parsed.thread)
        for post in plan.changed_posts:
            removed += meta.replace_post(conn, post)
            new_ids += [(meta.insert_chunk(conn, chunk), chunk) for chunk in plan.chunks[post.id]]
        for post_id in plan.removed_post_ids:
            removed += meta.delete_post(conn, post_id)
        report.seconds["metadata"] = time.perf_counter() - started
        started = time.perf_counter()
        postings.update(conn, [(i, c.text) for i, c in new_ids], removed)
        posted_at = {post.id: post.posted_at for post in plan.changed_posts}
        chunk_days.update(conn, [(i, posted_at[c.post_id]) for i, c in new_ids], [i for i, _ in removed])
        report.seconds["postings"] = time.perf_counter() - started
        fresh = self._embed_missing([c for _, c in new_ids], known_vectors, report, progress)
        vectors.remove([i for i, _ in removed])
        if new_ids:
            vectors.add([i for i, _ in new_ids], np.stack([fresh[c.hash] for _, c in new_ids]))
        conn.execute("COMMIT")
        report.chunks_added, report.chunks_removed = len(new_ids), len(removed)

    def _embed_missing(self, chunks, known: dict[str, np.ndarray], report: IngestReport, progress) -> dict[str, np.ndarray]:
        started = time.perf_counter()
        text_of = {c.hash: c.text for c in chunks}
        # Texts of similar length share a batch, so little compute goes to
        # padding (the backends sort only within the batch they are given).
        todo = sorted((h for h in text_of if h not in known), key=lambda h: len(text_of[h]))
        embedder = self.embedder
        if self.bulk_embedder is not None and len(todo) >= BULK_THRESHOLD:
            embedder = self.bulk_embedder()
        for start in range(0, len(todo), EMBED_BATCH):
            batch = todo[start : start + EMBED_BATCH]
            for h, vector in zip(batch, embedder.encode([text_of[h] for h in batch])):
                known[h] = vector
            if progress:
                progress("embed", min(start + EMBED_BATCH, len(todo)), len(todo))
        report.embedded = len(todo)
        report.reused_vectors = len(chunks) - len(todo)
        report.seconds["embed"] = time.perf_counter() - started
        return known

    def _publish(self, stage: Path, vectors: VectorStore, report: IngestReport) -> None:
        started = time.perf_counter()
        vectors.save(stage / VECTORS)
        if len(vectors) != report.totals.get("chunks"):
            raise RuntimeError(f"internal: {len(vectors)} vectors for {report.totals.get('chunks')} chunks")
        number = generations.generation_number(generations.current(self.index_dir)) + 1
        files = (META, VECTORS)
        manifest = Manifest(
            embedding_model=self.embedder.model_id,
            dimension=self.embedder.dimension,
            chunker=self.settings.to_dict(),
            counts=report.totals,
            checksums={name: sha256_file(stage / name) for name in files},
            sizes={name: (stage / name).stat().st_size for name in files},
            vector_index=vectors.spec.to_dict(),
            generation=number,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        (stage / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        generations.publish(self.index_dir, stage, number)
        report.generation = number
        report.seconds["write"] = time.perf_counter() - started


def _vectors_by_hash(conn, vectors: VectorStore, hashes: set[str]) -> dict[str, np.ndarray]:
    found: dict[str, int] = {}
    wanted = list(hashes)
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        marks = ",".join("?" * len(batch))
        for h, chunk_id in conn.execute(f"SELECT hash, MIN(id) FROM chunks WHERE hash IN ({marks}) GROUP BY hash", batch):
            found[h] = chunk_id
    if not found:
        return {}
    rows = vectors.get(found.values())
    return dict(zip(found.keys(), rows))


def _threads_changed(conn, threads: list[ParsedThread]) -> bool:
    for parsed in threads:
        row = conn.execute("SELECT title, url, source_format FROM threads WHERE id = ?", (parsed.thread.id,)).fetchone()
        t = parsed.thread
        if row is None or tuple(row) != (t.title, row[1] if t.url is None else t.url, t.source_format):
            return True
    return False
