"""The benchmark harness, run end to end at toy sizes (no timing is asserted:
only that every figure is measured and the invariants behind it hold)."""
from __future__ import annotations

import csv
import json

from eval.bench import ingest as ingest_bench
from eval.bench import latency, lexical, report, synthetic
from eval.bench.machine import percentile, summary_ms
from index.store import lexical_budget
from index.store.reader import IndexReader

QUESTIONS = ["What did Elon say about Dojo in Q1?", "Who makes Nvidia's chips?", "How much cheaper is Dojo?"]


def test_percentile_is_an_observed_value():
    values = list(range(1, 41))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 100)) == (20, 38, 40)
    assert summary_ms([0.001, 0.002, 0.003])["p50_ms"] == 2.0


def test_synthetic_index_and_latency_at_a_toy_size(built_sample, tmp_path):
    out = tmp_path / "synthetic"
    built = synthetic.build(built_sample, out, 300)
    reader = IndexReader(out)
    assert reader.counts()["posts"] == 300 and reader.counts()["chunks"] == 300  # one chunk a post
    assert built["unchanged_rewrite"]["embedded"] == 0 and not built["unchanged_rewrite"]["changed"]
    assert synthetic.build(built_sample, out, 300) == built  # kept, not rebuilt
    ids, vectors = reader.vectors.all()
    assert np_allclose_unit(vectors)

    result = latency.serving(out, QUESTIONS)
    assert result["chunks"] == 300 and result["vector_index"] == {"kind": "flat"}
    assert result["recall"]["index"] == 1.0  # the flat index is exact
    filtered = result["recall"]["date_filtered"]
    assert set(filtered) == {"10%", "50%"}
    for v in filtered.values():
        assert 0 < v["allowed"] < 300 and v["since"] <= v["until"] and v["recall"] == 1.0
    for part in ("embed_query", "dense_leg", "lexical_leg", "search", "ask"):
        assert result[part]["n"] == len(QUESTIONS) and result[part]["p95_ms"] >= result[part]["p50_ms"] > 0
    assert result["peak_rss_mb"] > 0

    engines = lexical.compare(out, QUESTIONS)["engines"]
    assert set(engines) == {"postings", "fts5_exact", f"fts5_budget_{lexical_budget.POSTINGS_BUDGET}"}
    assert engines["fts5_exact"]["exact_top10_kept"] == 1.0  # the reference
    assert engines["postings"]["exact_top10_kept"] == 1.0  # no hyphenated words in QUESTIONS: the same BM25
    assert lexical_budget.POSTINGS_BUDGET == 60_000  # restored after the FTS5 runs

    text = report.markdown({"machine": {"cpus": 2, "python": "3", "started_at": "now"},
                            "sizes": {"300": {**result, "build": built, "lexical_engines": {"engines": engines}}}})
    assert "| 300 | flat |" in text
    assert "| 300 | postings |" in text
    assert "(~50% of posts) |" in text


def np_allclose_unit(vectors) -> bool:
    import numpy as np

    return bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5))


def test_ingest_part_on_a_small_export(tmp_path):
    source = tmp_path / "export.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "thread_title", "username", "posted_at", "message"])
        for n in range(12):
            writer.writerow([str(100 + n), f"Thread {n % 3}", f"user{n}", "2019-05-24 19:46:00",
                             f"Post {n} says the Model 3 range in winter drops by {n + 10} percent."])
    result = ingest_bench.run(tmp_path / "work", [source], limit=8)
    assert (result["posts"], result["embedded"], result["reingest_embedded"]) == (8, 8, 0)
    assert result["raw_embed_texts"] == 8 and result["pipeline_vs_raw"] > 0
    json.dumps(result)  # all plain data
