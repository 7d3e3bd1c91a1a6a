"""How many threads the NumPy encoder's BLAS may use.

Measured on the 2-core target machine (docs/PERFORMANCE.md): as soon as
another process wants a core, OpenBLAS with 2 threads waits for the busy one
and a question took 8x longer to encode than with 1 thread (12 answer
sentences 3.5x longer). So the default ("auto") uses a second thread only
while the machine is idle (1-minute load average below cores - 0.5) and no
other thread of this process is at work beside the encoder (the search's
lexical leg: a question then took 28 ms to encode on 2 threads, 19 ms on 1),
and 1 otherwise; FORUM_RAG_BLAS_THREADS=N fixes it (0 leaves BLAS alone).
"""
from __future__ import annotations

import os
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from functools import lru_cache
from typing import ContextManager, Iterator

MAX_AUTO_THREADS = 2
_beside_other_work: ContextVar[bool] = ContextVar("beside_other_work", default=False)


def configured() -> int:
    value = os.environ.get("FORUM_RAG_BLAS_THREADS", "auto").strip()
    if value.isdigit():
        return int(value)
    cores = os.cpu_count() or 1
    idle = os.getloadavg()[0] < cores - 0.5 and not _beside_other_work.get()
    return min(cores, MAX_AUTO_THREADS) if idle else 1


@contextmanager
def beside_other_work() -> Iterator[None]:
    """Encode on one thread in this block ("auto" only): another thread of
    this process keeps the other core busy meanwhile."""
    token = _beside_other_work.set(True)
    try:
        yield
    finally:
        _beside_other_work.reset(token)


@lru_cache(maxsize=1)
def _controller():  # -> threadpoolctl.ThreadpoolController | None
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it BLAS keeps its own default
        return None
    return ThreadpoolController()


def blas_threads(limit: int | None = None) -> ContextManager:
    """Limit BLAS threads while the block runs (the previous limit returns after)."""
    limit = configured() if limit is None else limit
    controller = _controller() if limit > 0 else None
    if controller is None:
        return nullcontext()
    return controller.limit(limits=limit, user_api="blas")
