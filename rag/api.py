"""The public query API: search() for ranked posts, ask() for a cited answer."""
from __future__ import annotations

import os
import time
from typing import Iterator, Sequence

from index.errors import ForumRagError

from . import session
from .compose import extractive
from .retrieval import Filters, Mode, Retriever
from .types import Answer, Hit

DEFAULT_K = 8
MAX_QUESTION_CHARS = 2000
NO_ANSWER = "The indexed posts don't answer that."


def _check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise ForumRagError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise ForumRagError(f"question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question


def _filters(retriever: Retriever, thread: str | None, author: str | None) -> Filters | None:
    if not thread and not author:
        return None
    thread_ids: tuple[str, ...] = ()
    if thread:
        wanted = thread.casefold()
        threads = retriever.reader.threads()
        thread_ids = tuple(t.id for t in threads.values() if t.id == thread or wanted in t.title.casefold())
        if not thread_ids:
            raise ForumRagError(f"no thread in the index matches {thread!r}")
    return Filters(thread_ids=thread_ids, people=(author,) if author else ())


def search(
    question: str,
    *,
    index: str | os.PathLike | None = None,
    k: int = 10,
    thread: str | None = None,
    author: str | None = None,
    mode: Mode = "hybrid",
) -> list[Hit]:
    question = _check_question(question)
    retriever = session.retriever(index)
    ranked = retriever.rank(question, k, _filters(retriever, thread, author), mode=mode)
    return retriever.hits(ranked)


def ask(
    question: str,
    *,
    index: str | os.PathLike | None = None,
    k: int | None = None,
    model: str | None = None,
    history: Sequence[tuple[str, str]] | None = None,
    thread: str | None = None,
    author: str | None = None,
) -> Answer:
    if model:
        raise ForumRagError(f"model {model!r}: generated answers are not available yet; omit the model")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    question = _check_question(question)
    retriever = session.retriever(index)
    timings["open"] = time.perf_counter() - started
    mark = time.perf_counter()
    vector = retriever.embed(question)
    ranked = retriever.rank(question, k or DEFAULT_K, _filters(retriever, thread, author), query_vector=vector)
    hits = retriever.hits(ranked)
    timings["retrieve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    chosen = extractive.select(extractive.score_candidates(question, vector, hits, retriever.embedder)) if hits else []
    citations = extractive.citations_for(chosen)
    timings["compose"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    if not citations:
        return Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings)
    return Answer(question=question, text=extractive.render(citations), citations=tuple(citations), timings=timings)


def ask_stream(question: str, **options) -> Iterator[str | Answer]:
    """Text deltas, then the final Answer (the extractive answer arrives whole)."""
    answer = ask(question, **options)
    yield answer.text
    yield answer
