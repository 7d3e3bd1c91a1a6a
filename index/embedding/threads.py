"""How many threads the NumPy encoder's BLAS may use.

Measured on the 2-core target machine (docs/PERFORMANCE.md): as soon as
another process wants a core, OpenBLAS with 2 threads spins and waits on the
busy one, and a 15-wordpiece query took 8x longer than with 1 thread; on an
idle machine the second thread gains little for matrices this small. So the
default is 1; FORUM_RAG_BLAS_THREADS overrides it (0 = leave BLAS alone).
"""
from __future__ import annotations

import os
from contextlib import nullcontext
from functools import lru_cache
from typing import ContextManager

DEFAULT_BLAS_THREADS = 1


def configured() -> int:
    value = os.environ.get("FORUM_RAG_BLAS_THREADS", "")
    return int(value) if value.strip().isdigit() else DEFAULT_BLAS_THREADS


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
