"""The lexical leg's own posting lists: BM25 equal to FTS5's bm25() (the
reference), kept right through incremental ingests, and built for indexes
written before they existed."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from index.pipeline import ingest
from index.store import generations, meta, postings
from index.store.manifest import META
from index.store.reader import IndexReader
from rag.retrieval.lexical import lexical_scores, lexical_search

WORDS = ("battery range winter heater charge cold motor warranty drive unit service paint door "
         "seat tire wiper screen update firmware autopilot highway lane brake regen mile").split()
QUESTIONS = ["winter range", "battery heater cold", "drive unit warranty service", "autopilot highway lane",
             "firmware update screen", "paint door seat", "regen brake mile", "tire wiper"]


def _posts(count: int, seed: int, prefix: str = "p") -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for n in range(count):
        text = " ".join(rng.choice(WORDS, size=int(rng.integers(3, 40))))
        out.append({"thread_id": f"t{n % 4}", "thread_title": f"Thread {n % 4}", "post_id": f"{prefix}{n}",
                    "post_number": n + 1, "author": f"user{n % 5}", "posted_at": "2021-05-01T10:00:00",
                    "text": text.capitalize() + "."})
    return out


def _write(path, posts: list[dict]) -> None:
    path.write_text("\n".join(json.dumps(p) for p in posts), encoding="utf-8")


def _fts_top(reader: IndexReader, question: str, k: int) -> list[tuple[int, float]]:
    match = " OR ".join(f'"{w}"' for w in question.split())
    sql = "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts), rowid LIMIT ?"
    return [(int(r[0]), float(r[1])) for r in reader.conn.execute(sql, (match, k))]


def _table(index_dir) -> tuple[dict, np.ndarray]:
    conn = sqlite3.connect(generations.current(index_dir) / META)
    lists = {}
    for term, ids, counts in conn.execute("SELECT term, ids, counts FROM postings"):
        order = np.argsort(np.frombuffer(ids, "<u4"))
        lists[term] = (np.frombuffer(ids, "<u4")[order].tolist(), np.frombuffer(counts, "<u2")[order].tolist())
    lengths = np.frombuffer(conn.execute("SELECT lengths FROM chunk_lengths").fetchone()[0], "<u4")
    conn.close()
    return lists, lengths


@pytest.fixture
def corpus(tmp_path, home):
    source = tmp_path / "posts.jsonl"
    _write(source, _posts(120, seed=7))
    ingest([source], tmp_path / "idx")
    return tmp_path / "idx"


def test_bm25_from_postings_equals_fts5_bm25(corpus):
    reader = IndexReader(corpus)
    assert reader.postings is not None
    for question in QUESTIONS:
        mine = lexical_search(reader, question, 10)
        reference = _fts_top(reader, question, 10)
        assert [i for i, _ in mine] == [i for i, _ in reference], question
        assert np.allclose([s for _, s in mine], [s for _, s in reference], rtol=1e-4)
        ids = [i for i, _ in reference] + [10_000]  # one id that does not exist
        scored = lexical_scores(reader, question, ids)
        assert scored[10_000] == 0.0 and np.allclose([scored[i] for i, _ in reference], [s for _, s in reference], rtol=1e-4)


def test_allowed_ids_restrict_the_postings_search(corpus):
    reader = IndexReader(corpus)
    allowed = list(range(1, 121, 3))
    found = lexical_search(reader, "winter range", 10, allowed)
    assert found and all(i in allowed for i, _ in found)
    assert [i for i, _ in found] == [i for i, _ in lexical_search(reader, "winter range", 200) if i in allowed][:10]


def test_incremental_ingests_leave_the_lists_a_fresh_build_would_make(tmp_path, home):
    first, second = _posts(60, seed=1), _posts(40, seed=2, prefix="q")
    edited = [dict(p, text=p["text"] + " Heater warranty update.") if n % 4 == 0 else p for n, p in enumerate(first)]
    source = tmp_path / "posts.jsonl"
    _write(source, first)
    ingest([source], tmp_path / "grown")
    _write(source, edited[:50] + second)  # 15 edited posts, 10 gone (pruned), 40 new
    ingest([source], tmp_path / "grown", prune=True)
    lists, lengths = _table(tmp_path / "grown")

    # A fresh build of the same final chunks: the same lists under the grown index's chunk ids.
    stage = generations.current(tmp_path / "grown") / META
    copy = tmp_path / "rebuilt.sqlite"
    copy.write_bytes(stage.read_bytes())
    conn = meta.connect_writable(copy)
    conn.execute("BEGIN")
    postings.build(conn)
    conn.execute("COMMIT")
    rebuilt = {}
    for term, ids, counts in conn.execute("SELECT term, ids, counts FROM postings"):
        order = np.argsort(np.frombuffer(ids, "<u4"))
        rebuilt[term] = (np.frombuffer(ids, "<u4")[order].tolist(), np.frombuffer(counts, "<u2")[order].tolist())
    rebuilt_lengths = np.frombuffer(conn.execute("SELECT lengths FROM chunk_lengths").fetchone()[0], "<u4")
    live = [row[0] for row in conn.execute("SELECT id FROM chunks")]
    conn.close()
    assert lists == rebuilt
    assert np.array_equal(lengths[: len(rebuilt_lengths)], rebuilt_lengths) and not lengths[len(rebuilt_lengths):].any()
    assert np.count_nonzero(lengths) == len(live) == 90


def test_an_index_from_before_the_postings_falls_back_to_fts5_then_gains_them(corpus, tmp_path):
    _drop_tables(corpus, "postings", "chunk_lengths")
    old = IndexReader(corpus)
    assert old.postings is None
    assert [i for i, _ in lexical_search(old, "winter range", 5)] == [i for i, _ in _fts_top(old, "winter range", 5)]
    source = tmp_path / "more.jsonl"
    _write(source, _posts(5, seed=9, prefix="z"))
    ingest([source], corpus)
    new = IndexReader(corpus)
    assert new.postings is not None
    assert [i for i, _ in lexical_search(new, "winter range", 10)] == [i for i, _ in _fts_top(new, "winter range", 10)]


def _drop_tables(index_dir, *tables: str) -> None:
    """Make the published generation look like one written before these tables existed."""
    gen = generations.current(index_dir)
    conn = sqlite3.connect(gen / META)
    conn.executescript("".join(f"DROP TABLE {table};" for table in tables))
    conn.close()
    _refresh_manifest(gen)


def _refresh_manifest(gen) -> None:
    """Keep the manifest's checksum true after editing the generation by hand."""
    from index.store.manifest import Manifest, sha256_file

    manifest = Manifest.read(gen)
    data = json.loads(manifest.to_json())
    data["checksums"][META] = sha256_file(gen / META)
    data["sizes"][META] = (gen / META).stat().st_size
    (gen / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def test_the_lexical_leg_run_beside_the_embedding_ranks_the_same(corpus):
    from rag import session

    retriever = session.retriever(corpus)
    for question in QUESTIONS:
        overlapped = retriever.rank(question, 10)  # lexical leg in its worker while the question is embedded
        given = retriever.rank(question, 10, query_vector=retriever.embedder.encode([question])[0])
        # The overlapped embedding runs on one BLAS thread: its floats may differ in the last bits.
        assert [r.chunk_id for r in overlapped] == [r.chunk_id for r in given]
        assert np.allclose([r.score for r in overlapped], [r.score for r in given], rtol=1e-5)
        assert [r.lexical for r in overlapped] == [r.lexical for r in given]
        assert retriever.rank(question, 10, mode="lexical") == retriever.rank(question, 10, mode="lexical",
                                                                               query_vector=retriever.embed(question))


def test_matching_counts_chunks_up_to_a_limit_without_ranking(corpus):
    reader = IndexReader(corpus)
    every = len(reader.lexical('"winter"', 1000))
    assert every > 3
    assert reader.matching('"winter"', 3) == 3 and reader.matching('"winter"', 10_000) == every
    assert reader.matching('"nosuchword"', 5) == 0 and reader.matching("", 5) == 0
