"""Which chunks a question may draw from: threads, people, speakers, dates."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.store.reader import IndexReader


@dataclass(frozen=True)
class Filters:
    thread_ids: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # authors or quoted speakers (the --author option)
    speakers: tuple[str, ...] = ()  # whose words only: the chunk's speaker
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None

    def __bool__(self) -> bool:
        return bool(self.thread_ids or self.people or self.speakers or self.since or self.until)


@dataclass(frozen=True)
class Boost:
    """Soft preferences: rank these higher without excluding the rest."""

    names: tuple[str, ...] = ()  # reported speakers ("Elon"): chunks naming them, more so quoting them
    since: str | None = None  # a relative period ("last week"): posts inside it
    until: str | None = None

    def __bool__(self) -> bool:
        return bool(self.names or self.since or self.until)

    def covers(self, posted_at: str | None) -> bool:
        if not (self.since or self.until) or not posted_at:
            return False
        day = posted_at[:10]
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _by_sql(reader: IndexReader, filters: Filters, dates: bool) -> np.ndarray | None:
    """Ids passing the filters SQL answers (dates too when `dates`); None when
    none of them is set."""
    clauses: list[str] = []
    args: list = []
    if filters.thread_ids:
        clauses.append(f"p.thread_id IN ({_marks(filters.thread_ids)})")
        args += filters.thread_ids
    if filters.people:
        marks = _marks(filters.people)
        clauses.append(f"(c.speaker COLLATE NOCASE IN ({marks}) OR p.author COLLATE NOCASE IN ({marks}))")
        args += list(filters.people) * 2
    if filters.speakers:
        clauses.append(f"c.speaker COLLATE NOCASE IN ({_marks(filters.speakers)})")
        args += filters.speakers
    if dates and filters.since:
        clauses.append("substr(p.posted_at, 1, 10) >= ?")
        args.append(filters.since)
    if dates and filters.until:
        clauses.append("substr(p.posted_at, 1, 10) <= ?")
        args.append(filters.until)
    if not clauses:
        return None
    sql = f"SELECT c.id FROM chunks c JOIN posts p ON p.id = c.post_id WHERE {' AND '.join(clauses)} ORDER BY c.id"
    return np.fromiter((row[0] for row in reader.conn.execute(sql, args)), np.int64)


def allowed_chunks(reader: IndexReader, filters: Filters | None) -> np.ndarray | None:
    """Ids (sorted) of the chunks passing every filter; None when nothing is filtered."""
    if not filters:
        return None
    days = reader.chunk_days
    dated = bool(filters.since or filters.until)
    found = _by_sql(reader, filters, dates=dated and days is None)
    if not dated or days is None:
        return found
    in_period = days.between(filters.since, filters.until)
    return in_period if found is None else np.intersect1d(found, in_period, assume_unique=True)
