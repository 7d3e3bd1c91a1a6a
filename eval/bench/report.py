"""The benchmark's results as JSON and as the Markdown table in docs/PERFORMANCE.md."""
from __future__ import annotations

import json
from pathlib import Path

TARGETS = {"pipeline_vs_raw": 0.85}


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


def _ms(r: dict) -> str:
    """wall p50 / p95 (thread CPU p95)"""
    cpu = f" (cpu {r['cpu_p95_ms']})" if "cpu_p95_ms" in r else ""
    return f"{r['p50_ms']} / {r['p95_ms']}{cpu}"


def size_lines(sizes: dict) -> list[str]:
    lines = [
        "| chunks | index | search ms | ask ms | dense leg ms | lexical leg ms | embed query ms | recall@10 | exact scan ms | open s | peak RSS MB | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        spec = r["vector_index"]
        kind = spec["kind"] if spec["kind"] == "flat" else f"ivf {spec['nlist']}/{spec['nprobe']}"
        lines.append(
            f"| {r['chunks']:,} | {kind} | {_ms(r['search'])} | {_ms(r['ask'])} | {_ms(r['dense_leg'])} | "
            f"{_ms(r['lexical_leg'])} | {_ms(r['embed_query'])} | {r['recall']['index']:.3f} | "
            f"{_ms(r['recall']['exact_scan'])} | {r['open_s']} | {r['peak_rss_mb']} | "
            f"{_load(r['load_before'])} → {_load(r['load_after'])} |"
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


def lexical_lines(sizes: dict) -> list[str]:
    lines = ["| chunks | lexical engine | top-50 search ms | exact BM25 top 10 kept |", "| --- | --- | --- | --- |"]
    for _, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        engines = r.get("lexical_engines")
        for name, v in (engines or {}).get("engines", {}).items():
            lines.append(f"| {r['chunks']:,} | {name} | {_ms(v['search_top50'])} | {v['exact_top10_kept']:.3f} |")
    return lines


def filter_lines(sizes: dict) -> list[str]:
    lines = ["| chunks | date filter | chunks allowed | dense leg ms (filter included) | recall@10 among allowed |",
             "| --- | --- | --- | --- | --- |"]
    for _, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        for share, v in r["recall"].get("date_filtered", {}).items():
            lines.append(f"| {r['chunks']:,} | {v['since']} … {v['until']} (~{share} of posts) | {v['allowed']:,} | "
                         f"{_ms(v)} | {v['recall']:.3f} |")
    return lines


def vector_lines(sizes: dict) -> list[str]:
    lines = ["| vectors | exact scan ms | IVF nlist | build s | nprobe: recall@10, ms | writer picks | load (1 min) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for size, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        sweep = "; ".join(f"{n}: {v['recall']:.3f}, {_ms(v)}" for n, v in r["nprobe_sweep"].items())
        lines.append(
            f"| {int(size):,} | {_ms(r['exact_scan'])} | {r['ivf']['nlist']} | "
            f"{r['ivf_build_s']} | {sweep} | {r['chosen_kind']} | {_load(r['load_before'])} → {_load(r['load_after'])} |"
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
    """Times are "wall p50 / wall p95 (thread-CPU p95)" in ms unless marked s."""
    parts = [f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, started {results['machine']['started_at']}."]
    if "ingest" in results:
        parts.append("\n".join(ingest_lines(results["ingest"])))
    if results.get("vectors"):
        parts.append("\n".join(vector_lines(results["vectors"])))
    if results.get("sizes"):
        parts.append("\n".join(size_lines(results["sizes"])))
        parts.append("\n".join(filter_lines(results["sizes"])))
        parts.append("\n".join(build_lines(results["sizes"])))
        parts.append("\n".join(lexical_lines(results["sizes"])))
    if "cold" in results:
        parts.append("\n".join(cold_lines(results["cold"])))
    return "\n\n".join(parts) + "\n"


def write(results: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "bench.json", out / "bench.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results), encoding="utf-8")
    return json_path, md_path
