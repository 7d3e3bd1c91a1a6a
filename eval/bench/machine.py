"""What the machine was doing while a figure was measured, and small stats."""
from __future__ import annotations

import os
import platform
import resource
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable


def load() -> dict:
    """uptime's load averages (1, 5, 15 min) beside every figure: on a shared
    2-core machine they say how far a timing can be trusted."""
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def describe() -> dict:
    return {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **load(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: an observed value, never an interpolation."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: list[float], cpu_seconds: list[float] | None = None) -> dict:
    """p50/p95/max of wall times, and of the CPU time the calling thread
    spent: on a busy machine the wall time measures the scheduler as much as
    the code, while the CPU time of single-threaded work (every query path
    here runs in one thread) is close to what an idle machine's wall time is."""
    ms = [s * 1000 for s in seconds]
    out = {
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "n": len(ms),
    }
    if cpu_seconds is not None:
        cpu = [s * 1000 for s in cpu_seconds]
        out.update({"cpu_p50_ms": round(percentile(cpu, 50), 1), "cpu_p95_ms": round(percentile(cpu, 95), 1)})
    return out


def timed(fn: Callable[[Any], Any], items: Iterable[Any]) -> dict:
    """Call fn on each item; the summary of wall and thread-CPU times."""
    wall, cpu = [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn(item)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return summary_ms(wall, cpu)


class Stopwatch:
    def __enter__(self) -> "Stopwatch":
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.started
