"""Date filters from the per-chunk day array: the same chunks as the SQL
filter (the reference, and the fallback for older indexes), kept right
through incremental ingests."""
from __future__ import annotations

import numpy as np
import pytest

from index.pipeline import ingest
from index.store import chunk_days, generations, meta
from index.store.manifest import META
from index.store.reader import IndexReader
from rag.retrieval.scope import Filters, allowed_chunks

from test_postings import _drop_tables, _write

FILTERS = [
    Filters(since="2021-02-10"),
    Filters(until="2021-01-31"),
    Filters(since="2021-01-15", until="2021-02-15"),
    Filters(since="2021-02-01", until="2021-02-01"),
    Filters(since="2021-01-20", people=("user2",)),
    Filters(until="2021-02-20", thread_ids=("t1", "t3")),
    Filters(since="2030-01-01"),
    Filters(people=("user1",)),
]


def _posts(count: int, seed: int, prefix: str = "p") -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for n in range(count):
        day = int(rng.integers(1, 60))
        posted = None if n % 9 == 0 else f"2021-{1 + day // 31:02d}-{1 + day % 31 if day < 31 else day - 30:02d}T10:00:00"
        words = " ".join(rng.choice(["range", "winter", "charge", "service", "door", "update"], size=int(rng.integers(3, 300))))
        out.append({"thread_id": f"t{n % 4}", "thread_title": f"Thread {n % 4}", "post_id": f"{prefix}{n}",
                    "post_number": n + 1, "author": f"user{n % 5}", "posted_at": posted, "text": words + "."})
    return out


def _by_sql(reader: IndexReader, filters: Filters) -> list[int]:
    days, reader.chunk_days = reader.chunk_days, None
    try:
        return allowed_chunks(reader, filters).tolist()
    finally:
        reader.chunk_days = days


@pytest.fixture
def corpus(tmp_path, home):
    source = tmp_path / "posts.jsonl"
    _write(source, _posts(90, seed=5))
    ingest([source], tmp_path / "idx")
    return tmp_path / "idx"


def test_day_numbers():
    assert chunk_days.day_number("2019-03-31T23:59:00+00:00") == 20190331
    assert chunk_days.day_number("2019-03-31") == 20190331
    assert chunk_days.day_number(None) == chunk_days.NO_DAY == chunk_days.day_number("yesterday")


def test_date_filters_from_the_day_array_equal_the_sql_filter(corpus):
    reader = IndexReader(corpus)
    assert reader.chunk_days is not None
    undated = {row[0] for row in reader.conn.execute(
        "SELECT c.id FROM chunks c JOIN posts p ON p.id = c.post_id WHERE p.posted_at IS NULL")}
    assert undated  # posts without a date pass no date filter
    for filters in FILTERS:
        found = allowed_chunks(reader, filters)
        assert found.dtype == np.int64 and list(found) == sorted(found)
        assert found.tolist() == _by_sql(reader, filters), filters
        if filters.since or filters.until:
            assert not undated & set(found.tolist())
    assert 0 < len(allowed_chunks(reader, FILTERS[2])) < len(reader.vectors)


def test_incremental_ingests_keep_the_days_a_fresh_build_would_make(tmp_path, home):
    first, second = _posts(60, seed=1), _posts(30, seed=2, prefix="q")
    redated = [dict(p, text=p["text"] + " Edited.", posted_at="2021-03-05T08:00:00") if n % 5 == 0 else p
               for n, p in enumerate(first)]
    source = tmp_path / "posts.jsonl"
    _write(source, first)
    ingest([source], tmp_path / "grown")
    _write(source, redated[:50] + second)  # 10 edited (and re-dated), 10 gone (pruned), 30 new
    ingest([source], tmp_path / "grown", prune=True)
    copy = tmp_path / "rebuilt.sqlite"  # the published generation stays untouched
    copy.write_bytes((generations.current(tmp_path / "grown") / META).read_bytes())
    conn = meta.connect_writable(copy)
    kept = chunk_days._read(conn)
    chunk_days.build(conn)
    rebuilt = chunk_days._read(conn)
    conn.close()
    assert np.array_equal(kept[: len(rebuilt)], rebuilt) and not kept[len(rebuilt):].any()
    reader = IndexReader(tmp_path / "grown")
    march = allowed_chunks(reader, Filters(since="2021-03-05", until="2021-03-05"))
    assert len(march) and march.tolist() == _by_sql(reader, Filters(since="2021-03-05", until="2021-03-05"))


def test_an_index_without_the_days_filters_through_sql_then_gains_them(corpus, tmp_path):
    expected = [allowed_chunks(IndexReader(corpus), f).tolist() for f in FILTERS]
    _drop_tables(corpus, "chunk_days")
    old = IndexReader(corpus)
    assert old.chunk_days is None
    assert [allowed_chunks(old, f).tolist() for f in FILTERS] == expected
    source = tmp_path / "more.jsonl"
    _write(source, _posts(3, seed=8, prefix="z"))
    ingest([source], corpus)
    new = IndexReader(corpus)
    assert new.chunk_days is not None
    assert [allowed_chunks(new, f).tolist() for f in FILTERS] == [_by_sql(new, f) for f in FILTERS]
