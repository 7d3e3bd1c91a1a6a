"""Index kinds by size: the IVF index must behave like the exact one."""
from __future__ import annotations

import json

import numpy as np
import pytest

from index.pipeline import ingest
from index.store import ann, generations
from index.store.ann import IndexSpec
from index.store.reader import IndexReader
from index.store.vectors import VectorStore

from conftest import SAMPLE


def clustered(n: int, d: int = 32, centres: int = 20, seed: int = 3) -> np.ndarray:
    """Unit vectors around a few centres, like sentence embeddings."""
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, d))
    x = means[rng.integers(0, centres, n)] + 0.6 * rng.normal(size=(n, d))
    x = x.astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(ids[j]) for j in np.argsort(-(vectors @ query), kind="stable")[:k]]


@pytest.fixture
def ivf():
    vectors = clustered(3000)
    ids = np.arange(10, 3010)
    flat = VectorStore.empty(32)
    flat.add(ids, vectors)
    spec = IndexSpec("ivf", nlist=32, nprobe=8, trained_on=3000)
    return flat.reshaped(spec), vectors, ids


def test_ivf_keeps_every_vector_under_its_id(ivf):
    store, vectors, ids = ivf
    assert len(store) == 3000 and store.spec.kind == "ivf"
    assert np.array_equal(store.get(ids[[5, 0, 2999]]), vectors[[5, 0, 2999]])
    all_ids, all_vectors = store.all()
    order = np.argsort(all_ids)
    assert np.array_equal(all_ids[order], ids) and np.array_equal(all_vectors[order], vectors)


def test_ivf_recall_against_exact_search(ivf):
    store, vectors, ids = ivf
    queries = clustered(50, seed=9)
    found = [len(set(i for i, _ in store.search(q, 10)) & set(brute(vectors, ids, q, 10))) for q in queries]
    assert sum(found) / (10 * len(queries)) >= 0.9


def test_ivf_search_restricted_to_a_small_set_is_exact(ivf):
    store, vectors, ids = ivf
    allowed = ids[::7]
    assert store.filtered_nprobe(len(allowed)) == 32  # every list
    for query in clustered(20, seed=11):
        expected = brute(vectors[::7], allowed, query, 10)
        assert [i for i, _ in store.search(query, 10, allowed)] == expected


def test_ivf_search_restricted_to_a_large_set_keeps_recall(ivf):
    """Half the ids allowed: twice the lists of an open search, not all of them."""
    store, vectors, ids = ivf
    keep = np.arange(len(ids)) % 2 == 0
    allowed = ids[keep]
    assert store.filtered_nprobe(len(allowed)) == 16
    queries = clustered(50, seed=9)
    found = [[i for i, _ in store.search(q, 10, allowed)] for q in queries]
    assert all(len(f) == 10 and set(f) <= set(allowed.tolist()) for f in found)
    exact = [brute(vectors[keep], allowed, q, 10) for q in queries]
    assert sum(len(set(f) & set(e)) for f, e in zip(found, exact)) / (10 * len(queries)) >= 0.9


def test_flat_restricted_search_equals_brute_force():
    vectors = clustered(500)
    ids = np.arange(3, 503)
    store = VectorStore.empty(32)
    store.add(ids, vectors)
    allowed = np.array([4, 9, 200, 201, 502, 10_000])  # 10,000: no such id
    chosen = np.isin(ids, allowed)
    for query in clustered(5, seed=4):
        assert [i for i, _ in store.search(query, 3, allowed)] == brute(vectors[chosen], ids[chosen], query, 3)
    assert store.search(clustered(1)[0], 3, np.array([], dtype=np.int64)) == []


def test_ivf_remove_and_add(ivf, tmp_path):
    store, vectors, ids = ivf
    store.remove(ids[:100])
    store.add(np.arange(5000, 5010), vectors[:10])
    assert len(store) == 2910
    assert np.array_equal(store.get([5003]), vectors[3:4])
    store.save(tmp_path / "v.faiss")
    loaded = VectorStore.load(tmp_path / "v.faiss", store.spec, mmap=True)
    assert len(loaded) == 2910 and loaded.search(vectors[3], 1)[0][0] in (13, 5003)


def test_back_to_flat_round_trips(ivf):
    store, vectors, ids = ivf
    flat = store.reshaped(ann.FLAT)
    query = vectors[42]
    assert [i for i, _ in flat.search(query, 10)] == brute(vectors, ids, query, 10)


def test_spec_by_size(monkeypatch):
    assert ann.spec_for(ann.EXACT_BELOW - 1, ann.FLAT) == ann.FLAT
    big = ann.spec_for(1_000_000, ann.FLAT)
    assert big.kind == "ivf" and big.trained_on == 1_000_000 and 1 <= big.nprobe <= big.nlist
    assert ann.spec_for(1_500_000, big) == big  # no retraining for modest growth
    older = ann.IndexSpec("ivf", nlist=big.nlist, nprobe=1, trained_on=big.trained_on)
    assert ann.spec_for(1_000_001, older) == big  # a new nprobe rule applies without retraining
    assert ann.spec_for(5_000_000, big).trained_on == 5_000_000
    quarter = ann.spec_for(250_000, ann.FLAT)
    assert ann.spec_for(300_000, quarter) == quarter  # same list count: the centroids stay
    grown = ann.spec_for(999_000, quarter)  # under 4x, but into the next list count
    assert grown.nlist > quarter.nlist and grown.trained_on == 999_000
    assert IndexSpec.from_dict({}) == ann.FLAT and IndexSpec.from_dict(big.to_dict()) == big


def test_writer_switches_kind_at_the_threshold_and_records_it(tmp_path, monkeypatch):
    directory = tmp_path / "idx"
    monkeypatch.setattr(ann, "EXACT_BELOW", 10)
    ingest([SAMPLE], directory)
    manifest = json.loads((generations.current(directory) / "manifest.json").read_text())
    assert manifest["vector_index"]["kind"] == "ivf"
    reader = IndexReader(directory)
    ids, vectors = reader.vectors.all()
    query = vectors[3]
    assert [i for i, _ in reader.dense(query, 5)] == brute(vectors, ids, query, 5)  # one list: exact
    monkeypatch.setattr(ann, "EXACT_BELOW", 100_000)
    (tmp_path / "more.txt").write_text("Another thread\n\nThis site may earn commission on affiliate links.\nA new post about range.\n")
    ingest([tmp_path / "more.txt"], directory)
    manifest = json.loads((generations.current(directory) / "manifest.json").read_text())
    assert manifest["vector_index"] == {"kind": "flat"}
    assert len(IndexReader(directory).vectors) == len(ids) + 1
