"""Read a generation's files once in the background after opening it.

Readers map the vector file instead of reading it, and skip re-hashing a
generation they have checked before, so opening a million-chunk index takes
0.4 s. But a file that is not in the page cache then faults in 4 KB at a
time under the first searches: measured at 1M chunks after dropping the
cache, the dense leg took 220 ms p50 and 0.9 s p95 over its first 40
questions, where one sequential pass over the 1.5 GB vector file took 2.2 s
and left every later search at 9 ms (docs/PERFORMANCE.md). The pass runs in
a daemon thread (file reads release the GIL) and only warms the cache.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

BLOCK = 8 << 20


def read_through(paths: Sequence[Path]) -> int:
    """Read each file to its end (into one reused buffer); bytes read.
    A file that vanished or cannot be read is skipped: this only warms."""
    buffer = bytearray(BLOCK)
    total = 0
    for path in paths:
        try:
            with open(path, "rb", buffering=0) as handle:
                while count := handle.readinto(buffer):
                    total += count
        except OSError:
            continue
    return total


def in_background(paths: Sequence[Path]) -> threading.Thread:
    thread = threading.Thread(target=read_through, args=(list(paths),), name="index-warm", daemon=True)
    thread.start()
    return thread
