"""Open a published index generation for reading, after checking it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..errors import IndexProblem, ManifestMismatch
from ..records import Post, Thread
from . import chunk_days, generations, meta, postings, warm
from .ann import IndexSpec
from .lexical_budget import TermStats
from .manifest import META, VECTORS, Manifest, expect, verify_files
from .vectors import VectorStore

# Allowed-id lists up to this long are looked up id by id in FTS5; longer ones
# filter one MATCH scan (see IndexReader.lexical). Measured at 100k chunks:
# scoring the ~50 dense candidates took 37 ms id by id, 5 ms as a filter.
ROWID_LOOKUPS_UP_TO = 16


@dataclass(frozen=True)
class ChunkRow:
    id: int
    post_id: str
    kind: str
    speaker: str | None
    text: str
    start: int
    end: int
    quoted_post_id: str | None


def _placeholders(values: Sequence) -> str:
    return ",".join("?" * len(values))


class IndexReader:
    def __init__(self, index_dir: Path, expect_model: str | None = None) -> None:
        self.index_dir = index_dir
        generation = generations.current(index_dir)
        if generation is None:
            raise IndexProblem(f"index {index_dir}: not found; build it with: forum-rag ingest PATH --index NAME")
        self.generation = generation
        self.manifest = Manifest.read(generation)
        expect(self.manifest, str(index_dir), "embedding_model", expect_model)
        verify_files(self.manifest, generation, str(index_dir))
        self.vectors = VectorStore.load(generation / VECTORS, IndexSpec.from_dict(self.manifest.vector_index), mmap=True)
        warm.in_background([generation / VECTORS, generation / META])
        self.conn = meta.connect_readonly(generation / META)
        self.term_stats = TermStats(self.conn, int(self.manifest.counts.get("chunks", 0)))
        self._threads: dict[str, Thread] | None = None
        # Indexes written before the posting lists fall back to FTS5's bm25().
        self.postings = postings.Postings(self.conn) if postings.present(self.conn) else None
        # ... and their date filters to SQL.
        self.chunk_days = chunk_days.ChunkDays(self.conn) if chunk_days.present(self.conn) else None
        for field, found in (("dimension", self.vectors.dimension), ("counts.chunks", len(self.vectors))):
            wanted = self.manifest.dimension if field == "dimension" else self.manifest.counts.get("chunks")
            if found != wanted:
                raise ManifestMismatch(str(index_dir), field, wanted, found)

    def is_current(self) -> bool:
        return generations.current(self.index_dir) == self.generation

    def close(self) -> None:
        self.conn.close()

    # -- lookups ---------------------------------------------------------
    def chunks(self, ids: Iterable[int]) -> dict[int, ChunkRow]:
        ids = list(ids)
        out: dict[int, ChunkRow] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            sql = (
                'SELECT id, post_id, kind, speaker, text, start, "end", quoted_post_id FROM chunks '
                f"WHERE id IN ({_placeholders(batch)})"
            )
            for row in self.conn.execute(sql, batch):
                out[row[0]] = ChunkRow(*row)
        return out

    def posts(self, ids: Iterable[str]) -> dict[str, Post]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Post] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            for row in self.conn.execute(f"SELECT * FROM posts WHERE id IN ({_placeholders(batch)})", batch):
                out[row["id"]] = meta.row_to_post(row)
        return out

    def threads(self) -> dict[str, Thread]:
        # A generation never changes, so its threads are read once (at a
        # million chunks, 4,000 threads re-read per search cost 22 ms).
        if self._threads is None:
            rows = self.conn.execute("SELECT id, title, url, source_format FROM threads ORDER BY title")
            self._threads = {row[0]: Thread(*row) for row in rows}
        return dict(self._threads)

    def counts(self) -> dict[str, int]:
        return dict(self.manifest.counts)

    def names(self) -> dict[str, int]:
        """Every author and quoted speaker with how many chunks carry the name."""
        rows = self.conn.execute(
            "SELECT name, COUNT(*) FROM (SELECT speaker AS name FROM chunks WHERE speaker IS NOT NULL "
            "UNION ALL SELECT author FROM posts WHERE author IS NOT NULL) GROUP BY name"
        )
        return {row[0]: int(row[1]) for row in rows}

    # -- the two retrieval legs -----------------------------------------
    def dense(self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None) -> list[tuple[int, float]]:
        return self.vectors.search(query, k, allowed)

    def lexical(self, match: str, k: int, allowed: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """FTS5 BM25 for an FTS5 MATCH expression; higher score is better."""
        if not match:
            return []
        match = self.term_stats.budgeted(match)
        sql = "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ?"
        args: list = [match]
        if allowed is not None:
            if not len(allowed):
                return []
            # FTS5 answers "rowid IN (...)" with one lookup per id (~0.8 ms
            # each: 7 s for a date filter allowing 8,000 of 100k chunks);
            # "+rowid" hides the constraint from it, so SQLite filters the
            # single MATCH scan instead (22 ms there).
            column = "rowid" if len(allowed) <= ROWID_LOOKUPS_UP_TO else "+rowid"
            sql += f" AND {column} IN ({_placeholders(allowed)})"
            args += [int(i) for i in allowed]
        sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, args + [k])]

    def matching(self, match: str, limit: int) -> int:
        """How many chunks an FTS5 MATCH expression finds, counting up to `limit`.

        Unranked: "is this name mentioned anywhere" asked through lexical()
        computed bm25() for every match and sorted them, 46 ms a name at 1M."""
        if not match or limit <= 0:
            return 0
        sql = "SELECT COUNT(*) FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)"
        return int(self.conn.execute(sql, (match, limit)).fetchone()[0])

    def dense_scores(self, query: np.ndarray, ids: Sequence[int]) -> dict[int, float]:
        if not len(ids):
            return {}
        return dict(zip(map(int, ids), (self.vectors.get(ids) @ query.reshape(-1)).tolist()))
