"""BM25 over posting lists kept as NumPy arrays, for the lexical leg at any size.

FTS5's bm25() decodes every posting of every query term and scores each
matching row through SQL: at a million chunks a question holding a common
word took 0.2-0.5 s, and leaving the common words out (the old postings
budget) kept only about half of the true BM25 top 10 (docs/PERFORMANCE.md).
Here each term's postings are two blobs (chunk ids as uint32, in-chunk counts
as uint16) and a query is a few blob reads and vectorised arithmetic.

Tokens come from FTS5's own tokenizer over the same text, so each score
equals FTS5's bm25() for a query of single words (tests/test_postings.py
checks it); a hyphenated word counts as its parts, not as a phrase. FTS5
stays the index for phrase lookups ("is this name mentioned anywhere").
Updated in place with each ingest: new chunks are appended to their terms'
lists, removed chunks are filtered out of theirs; nothing is rebuilt.
"""
from __future__ import annotations

import sqlite3
from typing import Iterable, Sequence

import numpy as np

from . import chunk_arrays
from .lexical_budget import TOKENIZER

SCHEMA = """
CREATE TABLE IF NOT EXISTS postings (term TEXT PRIMARY KEY, ids BLOB NOT NULL, counts BLOB NOT NULL) WITHOUT ROWID;
""" + chunk_arrays.schema("chunk_lengths", "lengths")
# FTS5's bm25() defaults.
K1, B = 1.2, 0.75
IDF_FLOOR = 1e-6
_IDS, _COUNTS, _LENGTHS = np.dtype("<u4"), np.dtype("<u2"), np.dtype("<u4")


def present(conn: sqlite3.Connection) -> bool:
    """Whether this index has posting lists (indexes written before them do not)."""
    return chunk_arrays.present(conn, "chunk_lengths")


def tokens(conn: sqlite3.Connection, texts: Iterable[tuple[int, str]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """term -> (row ids, counts), by FTS5's tokenizer (a temp table in this connection)."""
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.tokenizing USING fts5(text, tokenize='{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.tokenized USING fts5vocab(temp, tokenizing, instance)")
    conn.execute("DELETE FROM temp.tokenizing")
    conn.executemany("INSERT INTO temp.tokenizing(rowid, text) VALUES (?, ?)", texts)
    found: dict[str, tuple[list[int], list[int]]] = {}
    for term, row, count in conn.execute("SELECT term, doc, COUNT(*) FROM temp.tokenized GROUP BY term, doc"):
        ids, counts = found.setdefault(term, ([], []))
        ids.append(row)
        counts.append(min(count, 65535))
    conn.execute("DELETE FROM temp.tokenizing")
    return {term: (np.array(ids, _IDS), np.array(counts, _COUNTS)) for term, (ids, counts) in found.items()}


def _read(conn: sqlite3.Connection, term: str) -> tuple[np.ndarray, np.ndarray]:
    row = conn.execute("SELECT ids, counts FROM postings WHERE term = ?", (term,)).fetchone()
    if row is None:
        return np.zeros(0, _IDS), np.zeros(0, _COUNTS)
    return np.frombuffer(row[0], _IDS), np.frombuffer(row[1], _COUNTS)


def _write(conn: sqlite3.Connection, term: str, ids: np.ndarray, counts: np.ndarray) -> None:
    if len(ids):
        conn.execute("INSERT OR REPLACE INTO postings(term, ids, counts) VALUES (?, ?, ?)",
                     (term, ids.astype(_IDS).tobytes(), counts.astype(_COUNTS).tobytes()))
    else:
        conn.execute("DELETE FROM postings WHERE term = ?", (term,))


def _lengths(conn: sqlite3.Connection) -> np.ndarray:
    return chunk_arrays.read(conn, "chunk_lengths", "lengths", _LENGTHS)


def _write_lengths(conn: sqlite3.Connection, lengths: np.ndarray) -> None:
    chunk_arrays.write(conn, "chunk_lengths", "lengths", lengths, _LENGTHS)


def _add_lengths(lengths: np.ndarray, new: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    lengths = chunk_arrays.covering(lengths, max((int(ids.max()) for ids, _ in new.values()), default=-1))
    for ids, counts in new.values():
        lengths[ids] += counts  # ids are distinct within one term's list
    return lengths


def update(conn: sqlite3.Connection, added: Sequence[tuple[int, str]], removed: Sequence[tuple[int, str]]) -> None:
    """Apply one ingest: `added` and `removed` are (chunk id, text) pairs.
    Runs inside the writer's transaction, on a connection that ran SCHEMA."""
    lengths = _lengths(conn)
    if removed:
        dropped = np.array(sorted({chunk_id for chunk_id, _ in removed}), _IDS)
        for term in tokens(conn, removed):
            ids, counts = _read(conn, term)
            keep = ~np.isin(ids, dropped)
            _write(conn, term, ids[keep], counts[keep])
        lengths[dropped[dropped < len(lengths)]] = 0
    if added:
        new = tokens(conn, added)
        lengths = _add_lengths(lengths, new)
        for term, (more_ids, more_counts) in new.items():
            ids, counts = _read(conn, term)
            _write(conn, term, np.concatenate([ids, more_ids]), np.concatenate([counts, more_counts]))
    _write_lengths(conn, lengths)


def build(conn: sqlite3.Connection, batch: int = 50_000) -> None:
    """Postings for every chunk of an index written before they existed:
    tokenised in batches, each term's list written once."""
    conn.execute("DELETE FROM postings")
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    lengths = np.zeros(0, _LENGTHS)
    last = -1
    while rows := conn.execute("SELECT id, text FROM chunks WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall():
        new = tokens(conn, [(int(r[0]), r[1]) for r in rows])
        lengths = _add_lengths(lengths, new)
        for term, pair in new.items():
            parts.setdefault(term, []).append(pair)
        last = int(rows[-1][0])
    for term, pairs in parts.items():
        _write(conn, term, np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs]))
    _write_lengths(conn, lengths)


class Postings:
    """Read side: BM25 scores of a query's terms over one immutable generation."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._norm: np.ndarray | None = None
        self.rows = 0
        # The retriever asks twice per question (its top list, then scores for
        # the dense leg's candidates): the last answer is kept.
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None

    def _length_norm(self) -> np.ndarray:
        """k1 * (1 - b + b * length / average length), per chunk id."""
        if self._norm is None:
            lengths = _lengths(self.conn).astype(np.float64)
            self.rows = int(np.count_nonzero(lengths))
            average = lengths.sum() / self.rows if self.rows else 1.0
            self._norm = (K1 * (1 - B + B * lengths / average)).astype(np.float32)
        return self._norm

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 by chunk id (0 where no term occurs)."""
        last = self._last
        if last is not None and last[0] == tuple(terms):
            return last[1]
        norm = self._length_norm()
        total = np.zeros(len(norm), np.float32)
        for term in terms:
            ids, counts = _read(self.conn, term)
            if not len(ids):
                continue
            idf = max(float(np.log((self.rows - len(ids) + 0.5) / (len(ids) + 0.5))), IDF_FLOOR)
            tf = counts.astype(np.float32)
            # A term's ids are distinct, so the buffered += adds each once.
            total[ids] += np.float32(idf * (K1 + 1)) * tf / (tf + norm[ids])
        self._last = (tuple(terms), total)
        return total

    def top(self, terms: Sequence[str], k: int, allowed: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The k best-scoring chunks holding any term (among `allowed`, when given)."""
        total = self.scores(terms)
        if allowed is not None:
            ids = np.asarray(allowed, dtype=np.int64)
            ids = ids[(ids >= 0) & (ids < len(total))]
            ids = ids[total[ids] > 0]
        else:
            ids = np.flatnonzero(total)
        if len(ids) > k:  # partition the matches only: a million zeros made numpy's select crawl
            ids = ids[np.argpartition(total[ids], len(ids) - k)[len(ids) - k :]]
        order = np.lexsort((ids, -total[ids]))
        return [(int(ids[i]), float(total[ids[i]])) for i in order]
