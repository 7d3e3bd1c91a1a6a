"""The public query API: search() for ranked posts, ask() for a cited answer."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Iterator, Sequence

from index.errors import ForumRagError

from . import followup, session
from .compose import extractive, generated
from .compose.llm_config import LLMConfig
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
    history: Sequence | None = None,
    thread: str | None = None,
    author: str | None = None,
) -> Answer:
    """A cited answer. `model`: a litellm model string (default FORUM_RAG_MODEL;
    none, or "extractive": the offline answer). `history`: earlier (question,
    answer) turns, so a follow-up can be understood."""
    for item in ask_stream(question, index=index, k=k, model=model, history=history, thread=thread, author=author):
        if isinstance(item, Answer):
            return item
    raise AssertionError("ask_stream ended without an Answer")


def ask_stream(
    question: str,
    *,
    index: str | os.PathLike | None = None,
    k: int | None = None,
    model: str | None = None,
    history: Sequence | None = None,
    thread: str | None = None,
    author: str | None = None,
) -> Iterator[str | Answer]:
    """Text deltas, then the final Answer. The Answer is authoritative: when the
    model fails mid-answer its text replaces what streamed (see its notes)."""
    started = time.perf_counter()
    question = _check_question(question)
    config = LLMConfig.from_env(model)
    timings: dict[str, float] = {}
    standalone = question
    if history:
        standalone = followup.standalone(question, history, config)
        timings["rewrite"] = time.perf_counter() - started
    retriever, vector, hits = _retrieve(standalone, index, k, thread, author, timings)

    def offline(note: str | None = None) -> Answer:
        answer = _extractive(question, standalone, vector, hits, retriever, timings)
        timings["total"] = time.perf_counter() - started
        return replace(answer, notes=answer.notes + ((note,) if note else ()))

    if config is None:
        answer = offline()
        yield answer.text
        yield answer
        return
    for item in generated.stream_answer(generated.Request(question, standalone, hits, timings), config, retriever.embedder, offline):
        if isinstance(item, Answer):
            timings["total"] = time.perf_counter() - started
        yield item


def _retrieve(question: str, index, k: int | None, thread: str | None, author: str | None, timings: dict):
    mark = time.perf_counter()
    retriever = session.retriever(index)
    timings["open"] = time.perf_counter() - mark
    mark = time.perf_counter()
    vector = retriever.embed(question)
    ranked = retriever.rank(question, k or DEFAULT_K, _filters(retriever, thread, author), query_vector=vector)
    hits = retriever.hits(ranked)
    timings["retrieve"] = time.perf_counter() - mark
    return retriever, vector, hits


def _extractive(question: str, standalone: str, vector, hits: list[Hit], retriever: Retriever, timings: dict) -> Answer:
    mark = time.perf_counter()
    chosen = extractive.select(extractive.score_candidates(standalone, vector, hits, retriever.embedder)) if hits else []
    citations = extractive.citations_for(chosen)
    timings["compose"] = time.perf_counter() - mark
    rewritten = standalone if standalone != question else None
    if not citations:
        return Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings, standalone_question=rewritten)
    return Answer(question=question, text=extractive.render(citations), citations=tuple(citations), timings=timings, standalone_question=rewritten)
