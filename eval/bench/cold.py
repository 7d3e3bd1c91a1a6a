"""Cold start: process start to first answer for `forum-rag ask` on the
bundled sample, in fresh processes (the OS file cache stays warm, as it
would for someone asking a second question)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .machine import load, percentile

QUESTION = "What did Elon say about Dojo in Q1?"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("forum-rag")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rag.cli"]


def _ask(home: Path) -> float:
    env = {**os.environ, "FORUM_RAG_HOME": str(home)}
    env.pop("FORUM_RAG_INDEX", None)
    started = time.perf_counter()
    done = subprocess.run([*_command(), "ask", QUESTION], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "[1]" not in done.stdout:
        raise RuntimeError(f"forum-rag ask failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return seconds


def run(work: Path, runs: int = 5) -> dict:
    home = work / "cold-home"
    shutil.rmtree(home, ignore_errors=True)
    load_before = load()
    first = _ask(home)  # builds the default index from the bundled sample
    times = [_ask(home) for _ in range(runs)]
    return {
        "first_run_with_index_build_s": round(first, 2),
        "p50_s": round(percentile(times, 50), 2),
        "p95_s": round(percentile(times, 95), 2),
        "runs_s": [round(t, 2) for t in times],
        "load_before": load_before,
        "load_after": load(),
    }
