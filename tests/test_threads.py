"""BLAS threads: a fixed number when configured, a second one only when idle."""
from __future__ import annotations

import os

from index.embedding import threads


def test_configured_number_wins(monkeypatch):
    monkeypatch.setenv("FORUM_RAG_BLAS_THREADS", "3")
    assert threads.configured() == 3


def test_auto_uses_one_thread_on_a_busy_machine(monkeypatch):
    monkeypatch.delenv("FORUM_RAG_BLAS_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))
    assert threads.configured() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert threads.configured() == 2


def test_limit_applies_inside_the_block_only():
    from threadpoolctl import threadpool_info

    import numpy  # noqa: F401  (its BLAS must be loaded to be limited)

    def blas() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas()
    with threads.blas_threads(1):
        assert set(blas()) == {1}
    assert blas() == before


def test_auto_uses_one_thread_beside_other_work_of_this_process(monkeypatch):
    monkeypatch.delenv("FORUM_RAG_BLAS_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    with threads.beside_other_work():
        assert threads.configured() == 1
        monkeypatch.setenv("FORUM_RAG_BLAS_THREADS", "2")  # a fixed number still wins
        assert threads.configured() == 2
    monkeypatch.delenv("FORUM_RAG_BLAS_THREADS")
    assert threads.configured() == 2
