"""What an index knows about its people, threads and dates: the vocabulary
question understanding matches against. Built once per index generation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from threading import Lock
from weakref import WeakKeyDictionary

from index.store.reader import IndexReader

_ISO_DAY = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"


@dataclass(frozen=True)
class Catalog:
    names: dict[str, int]  # authors and quoted speakers -> chunks carrying the name
    threads: dict[str, str]  # thread id -> title
    first_day: date | None  # earliest and latest post dates; "last week" is relative to these
    last_day: date | None

    @classmethod
    def empty(cls) -> "Catalog":
        return cls({}, {}, None, None)


def _date_span(reader: IndexReader) -> tuple[date | None, date | None]:
    # The posts table has no date method on IndexReader; one read-only query.
    row = reader.conn.execute(
        "SELECT MIN(substr(posted_at, 1, 10)), MAX(substr(posted_at, 1, 10)) FROM posts WHERE posted_at GLOB ?",
        (_ISO_DAY,),
    ).fetchone()
    try:
        return (date.fromisoformat(row[0]), date.fromisoformat(row[1])) if row and row[0] else (None, None)
    except ValueError:
        return None, None


_cache: "WeakKeyDictionary[IndexReader, Catalog]" = WeakKeyDictionary()
_lock = Lock()


def catalog(reader: IndexReader) -> Catalog:
    with _lock:
        found = _cache.get(reader)
        if found is None:
            first, last = _date_span(reader)
            threads = {t.id: t.title for t in reader.threads().values()}
            found = _cache[reader] = Catalog(reader.names(), threads, first, last)
        return found
