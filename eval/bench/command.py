"""`forum-rag bench`: every figure of docs/PERFORMANCE.md from one command.

Each part runs in its own process, so timings and peak memory are that
part's alone. Built indexes are kept under the work directory and reused by
the next run with the same settings.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Callable

import click

from index.errors import ForumRagError

from . import cold, report
from .machine import describe

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "tmc_posts_csv"
QUESTIONS = Path(__file__).with_name("queries.txt")
PARTS = ("ingest", "vectors", "sizes", "cold")


def _child(module: str, *args: str) -> dict:
    """Run one part in a fresh interpreter; its last stdout line is JSON."""
    done = subprocess.run([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, text=True, cwd=REPO)
    if done.returncode != 0:
        raise ForumRagError(f"bench: {module} failed with exit status {done.returncode} (its error is above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sources(corpus: tuple[str, ...]) -> list[str]:
    if corpus:
        return list(corpus)
    found = sorted(str(p) for p in DEFAULT_CORPUS.glob("*.csv"))
    if not found:
        raise ForumRagError(f"bench: no CSV exports in {DEFAULT_CORPUS}; give some with --corpus")
    return found


def _seed(work: Path) -> Path:
    seed = work / "tmc"
    if not (seed / "CURRENT").is_file():
        raise ForumRagError(f"bench: no seed index at {seed}; run the ingest part first (--only ingest)")
    return seed


def _sizes(work: Path, sizes: list[int], save: Callable[[dict], object]) -> dict:
    seed = _seed(work)
    out: dict = {}
    for size in sizes:
        target = work / f"synthetic-{size}"
        build = _child("eval.bench.synthetic", str(seed), str(target), str(size))
        out[str(size)] = {**_child("eval.bench.latency", str(target), str(QUESTIONS)), "build": build,
                          "lexical_engines": _child("eval.bench.lexical", str(target), str(QUESTIONS))}
        save(out)
        click.echo(f"bench: {size:,} chunks measured", err=True)
    return out


@click.command()
@click.option("-s", "--sizes", envvar="FORUM_RAG_BENCH_SIZES", default="10000,100000,1000000", show_default=True,
              help="Synthetic index sizes in chunks (one per post), comma-separated. [env FORUM_RAG_BENCH_SIZES]")
@click.option("-o", "--only", type=click.Choice(PARTS), multiple=True, envvar="FORUM_RAG_BENCH_ONLY",
              help="Run only these parts (repeatable; default all). [env FORUM_RAG_BENCH_ONLY]")
@click.option("-c", "--corpus", multiple=True, envvar="FORUM_RAG_BENCH_CORPUS",
              help="CSV exports to ingest (repeatable). [env FORUM_RAG_BENCH_CORPUS; default ../shared/corpora/tmc_posts_csv/*.csv]")
@click.option("-l", "--ingest-limit", type=int, envvar="FORUM_RAG_BENCH_INGEST_LIMIT", default=None,
              help="Ingest only the first N rows of each CSV (quick runs). [env FORUM_RAG_BENCH_INGEST_LIMIT]")
@click.option("-w", "--work", type=click.Path(path_type=Path), envvar="FORUM_RAG_BENCH_WORK", default=None,
              help="Where built indexes are kept between runs. [env FORUM_RAG_BENCH_WORK; default FORUM_RAG_HOME/bench]")
@click.option("-O", "--out", type=click.Path(path_type=Path), envvar="FORUM_RAG_BENCH_OUT", default=Path("bench-results"),
              show_default=True, help="Directory for bench.json and bench.md. [env FORUM_RAG_BENCH_OUT]")
def bench(sizes: str, only: tuple[str, ...], corpus: tuple[str, ...], ingest_limit: int | None, work: Path | None, out: Path) -> None:
    """Measure ingest throughput, search/ask latency by index size, and cold start."""
    from index.home import home

    parts = set(only or PARTS)
    work = (work or home() / "bench").resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": describe(), "work": str(work)}
    out = out.resolve()
    size_list = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    if "ingest" in parts:
        limit = ["--limit", str(ingest_limit)] if ingest_limit else []
        results["ingest"] = _child("eval.bench.ingest", str(work), *_sources(corpus), *limit)
        report.write(results, out)  # each part's figures are kept even if a later part fails
        click.echo("bench: ingest measured", err=True)
    if "vectors" in parts:
        results["vectors"] = _child("eval.bench.vectors", str(_seed(work)), str(QUESTIONS), ",".join(map(str, size_list)))
        report.write(results, out)
        click.echo("bench: vector index kinds measured", err=True)
    if "sizes" in parts:
        results["sizes"] = _sizes(work, size_list, lambda partial: report.write({**results, "sizes": partial}, out))
    if "cold" in parts:
        results["cold"] = cold.run(work)
    json_path, md_path = report.write(results, out)
    click.echo(md_path.read_text(encoding="utf-8"))
    click.echo(f"bench: wrote {json_path} and {md_path}", err=True)
