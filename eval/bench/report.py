"""The benchmark's results as JSON and as the Markdown table in docs/PERFORMANCE.md."""
from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "pipeline_vs_raw": 0.85,
    "reingest_vs_first": 0.10,
    "search_p95_ms_1m": 50.0,
    "recall_1m": 0.95,
    "ask_p95_ms_100k": 150.0,
    "cold_start_s": 6.0,
}


def _load(data: dict | None) -> str:
    if not data:
        return "?"
    return f"{data['load_1m']:.1f}"


def ingest_lines(r: dict) -> list[str]:
    return [
        "| ingest (TMC CSV) | value | load (1 min) |",
        "| --- | --- | --- |",
        f"| posts / chunks / embedded | {r['posts']} / {r['chunks']} / {r['embedded']} | {_load(r['load_before'])} → {_load(r['load_after'])} |",
        f"| first ingest | {r['first_ingest_s']} s: {r['posts_per_s']} posts/s, {r['chunks_per_s']} chunks/s, {r['embedded_per_s']} embedded/s | |",
        f"| raw embedding ({r['backend']}) | {r['raw_embed_per_s']} texts/s on the same {r['raw_embed_texts']} chunk texts | |",
        f"| pipeline / raw | **{r['pipeline_vs_raw']:.2f}** (target ≥ {TARGETS['pipeline_vs_raw']}) | |",
        f"| unchanged re-ingest | {r['reingest_embedded']} embedded, {r['reingest_s']} s = **{r['reingest_vs_first']:.1%}** of the first (target 0, ≤ 10%) | |",
        f"| peak RSS | {r['peak_rss_mb']} MB | |",
    ]


def size_lines(sizes: dict) -> list[str]:
    lines = [
        "| chunks | index | search p50 / p95 ms | ask p50 / p95 ms | dense leg p95 | lexical leg p95 | embed query p95 | recall@10 | exact scan p95 | peak RSS MB | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        spec = r["vector_index"]
        kind = spec["kind"] if spec["kind"] == "flat" else f"ivf {spec['nlist']}/{spec['nprobe']}"
        lines.append(
            f"| {r['chunks']:,} | {kind} | {r['search']['p50_ms']} / {r['search']['p95_ms']} | "
            f"{r['ask']['p50_ms']} / {r['ask']['p95_ms']} | {r['dense_leg']['p95_ms']} | {r['lexical_leg']['p95_ms']} | "
            f"{r['embed_query']['p95_ms']} | {r['recall']['index']:.3f} | {r['recall']['exact_scan']['p95_ms']} | "
            f"{r['peak_rss_mb']} | {_load(r['load_before'])} → {_load(r['load_after'])} |"
        )
    return lines


def build_lines(sizes: dict) -> list[str]:
    lines = ["| chunks | build batches (s) | last batch stages (s) | unchanged re-write |", "| --- | --- | --- | --- |"]
    for _, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        b = r.get("build")
        if not b:
            continue
        last = b["batches"][-1]["stages"] if b["batches"] else {}
        again = b["unchanged_rewrite"]
        lines.append(
            f"| {r['chunks']:,} | {', '.join(str(x['seconds']) for x in b['batches'])} | "
            f"{', '.join(f'{k} {v}' for k, v in last.items())} | {again['embedded']} embedded, {again['seconds']} s |"
        )
    return lines


def cold_lines(r: dict) -> list[str]:
    return [
        "| cold start (`forum-rag ask` on the sample) | value | load (1 min) |",
        "| --- | --- | --- |",
        f"| process start → first answer | p50 {r['p50_s']} s, p95 {r['p95_s']} s (runs: {r['runs_s']}) | {_load(r['load_before'])} → {_load(r['load_after'])} |",
        f"| first run ever (builds the sample index) | {r['first_run_with_index_build_s']} s | |",
    ]


def markdown(results: dict) -> str:
    parts = [f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, started {results['machine']['started_at']}."]
    if "ingest" in results:
        parts.append("\n".join(ingest_lines(results["ingest"])))
    if results.get("sizes"):
        parts.append("\n".join(size_lines(results["sizes"])))
        parts.append("\n".join(build_lines(results["sizes"])))
    if "cold" in results:
        parts.append("\n".join(cold_lines(results["cold"])))
    return "\n\n".join(parts) + "\n"


def write(results: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "bench.json", out / "bench.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results), encoding="utf-8")
    return json_path, md_path
