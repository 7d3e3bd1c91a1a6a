"""The public query API: search() for ranked posts, ask() for a cited answer."""
from __future__ import annotations

import os
import time
from typing import Iterator, Sequence

from index.errors import ForumRagError

from . import session
from .compose import extractive
from .retrieval import Mode
from .types import Answer, Hit
from .understand.plan import plan as plan_query

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
    plan = plan_query(question, retriever, thread, author)
    if plan.abstain_reason:
        return []
    ranked = retriever.rank(plan.text, k, plan.filters, mode=mode, boost=plan.boost)
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
    plan = plan_query(question, retriever, thread, author)
    if plan.abstain_reason:
        timings["total"] = time.perf_counter() - started
        return Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings, notes=(plan.abstain_reason,))
    vector = retriever.embed(plan.text)
    ranked = retriever.rank(plan.text, k or DEFAULT_K, plan.filters, query_vector=vector,
                            boost=plan.boost, diverse=True)
    hits = retriever.hits(ranked)
    timings["retrieve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    wants = extractive.Wants(words=plan.understanding.wants_words, people=plan.people)
    composed = extractive.compose(plan.text, vector, hits, retriever, wants, plan.understanding.wants_reactions)
    timings["compose"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    notes = plan.understanding.notes
    if not composed.citations:
        return Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings, notes=notes,
                      confidence=composed.confidence)
    return Answer(question=question, text=composed.text, citations=composed.citations, timings=timings,
                  notes=notes, confidence=composed.confidence)


def ask_stream(question: str, **options) -> Iterator[str | Answer]:
    """Text deltas, then the final Answer (the extractive answer arrives whole)."""
    answer = ask(question, **options)
    yield answer.text
    yield answer
