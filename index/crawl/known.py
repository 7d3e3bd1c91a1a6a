"""What the index already holds of a thread: the crawl state, read from the
index itself, so a re-run fetches only what is new and no state file can
drift from the index it describes."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..store import generations, meta
from ..store.manifest import META


@dataclass(frozen=True)
class KnownThread:
    numbers: dict[int, str] = field(default_factory=dict)  # post number -> post id
    permalinks: dict[str, str] = field(default_factory=dict)  # post id -> permalink

    @property
    def post_ids(self) -> frozenset[str]:
        return frozenset(self.numbers.values())

    def last_permalink(self) -> str | None:
        """The permalink of the highest-numbered post, if it has one."""
        if not self.numbers:
            return None
        return self.permalinks.get(self.numbers[max(self.numbers)])


def known_thread(index_dir: Path | None, thread_id: str) -> KnownThread:
    generation = generations.current(index_dir) if index_dir is not None else None
    if generation is None:
        return KnownThread()
    conn = meta.connect_readonly(generation / META)
    try:
        rows = conn.execute("SELECT id, number, permalink FROM posts WHERE thread_id = ?", (thread_id,)).fetchall()
    except sqlite3.DatabaseError:
        return KnownThread()  # a damaged index: crawl everything; the writer will report the damage
    finally:
        conn.close()
    return KnownThread(
        numbers={int(r["number"]): r["id"] for r in rows},
        permalinks={r["id"]: r["permalink"] for r in rows if r["permalink"]},
    )
