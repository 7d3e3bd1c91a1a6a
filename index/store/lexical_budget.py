"""Bound the lexical leg's work on large indexes.

FTS5's bm25() reads the whole posting list of every phrase in the query (to
count the rows holding it) and scores every matching row, so on a million
chunks a question holding "get" or "model" (each in 14-18% of the rows)
took 1-5 s. Like a common-terms cutoff, the most frequent phrases are left out
of the MATCH expression once the posting lists kept reach POSTINGS_BUDGET
rows: they carry the least IDF weight, and the rarest phrase always stays.
Below the budget nothing changes; for ordinary questions that is every index
up to ~100k chunks (docs/PERFORMANCE.md has the measurements).
"""
from __future__ import annotations

import re
import sqlite3
from threading import Lock

POSTINGS_BUDGET = 60_000
_PLAIN_OR = re.compile(r'^"[^"]*"(?: OR "[^"]*")*$')
_PHRASE = re.compile(r'"([^"]*)"')
TOKENIZER = "porter unicode61 remove_diacritics 2"  # as meta.SCHEMA's chunks_fts


class TermStats:
    """Document frequencies of query phrases in one immutable generation."""

    def __init__(self, conn: sqlite3.Connection, rows: int) -> None:
        self.conn, self.rows = conn, rows
        self._df: dict[str, int] = {}
        self._lock = Lock()
        self._ready = False

    def _prepare(self) -> None:
        # Temp tables live in the connection's own memory: fine on a read-only index.
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, chunks_fts, row)")
        self.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_terms USING fts5(text, tokenize='{TOKENIZER}')")
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_tokens USING fts5vocab(temp, query_terms, instance)")
        self._ready = True

    def _tokens(self, phrases: list[str]) -> dict[int, list[str]]:
        """Each phrase's index tokens, by the index's own tokenizer (stemmed)."""
        self.conn.execute("DELETE FROM temp.query_terms")
        self.conn.executemany("INSERT INTO temp.query_terms(rowid, text) VALUES (?, ?)", list(enumerate(phrases)))
        out: dict[int, list[str]] = {}
        for token, row in self.conn.execute("SELECT term, doc FROM temp.query_tokens"):
            out.setdefault(int(row), []).append(token)
        return out

    def _token_df(self, token: str) -> int:
        if token not in self._df:
            row = self.conn.execute("SELECT doc FROM temp.chunks_vocab WHERE term = ?", (token,)).fetchone()
            self._df[token] = int(row[0]) if row else 0
        return self._df[token]

    def tokens(self, phrases: list[str]) -> list[str]:
        """The index tokens of these phrases, each once, in order."""
        with self._lock:
            if not self._ready:
                self._prepare()
            found = self._tokens(phrases)
        return list(dict.fromkeys(t for i in range(len(phrases)) for t in found.get(i, [])))

    def frequencies(self, phrases: list[str]) -> list[int]:
        """Rows holding each phrase (for several tokens: the rarest token's, an upper bound)."""
        with self._lock:
            if not self._ready:
                self._prepare()
            tokens = self._tokens(phrases)
            return [min((self._token_df(t) for t in tokens.get(i, [])), default=0) for i in range(len(phrases))]

    def budgeted(self, match: str) -> str:
        """The MATCH expression, less its most common phrases if it is over budget."""
        if not _PLAIN_OR.match(match):
            return match
        phrases = _PHRASE.findall(match)
        if self.rows * len(phrases) <= POSTINGS_BUDGET:
            return match
        frequencies = self.frequencies(phrases)
        if sum(frequencies) <= POSTINGS_BUDGET:
            return match
        kept, total = set(), 0
        for df, i in sorted((df, i) for i, df in enumerate(frequencies)):
            if kept and total + df > POSTINGS_BUDGET:
                break
            kept.add(i)
            total += df
        return " OR ".join(f'"{p}"' for i, p in enumerate(phrases) if i in kept)
