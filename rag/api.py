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
from .retrieval import Mode, Retriever
from .types import Answer, Hit
from .understand.plan import Plan, Scope
from .understand.plan import plan as plan_query

DEFAULT_K = 8
MAX_QUESTION_CHARS = 2000
NO_ANSWER = "The indexed posts don't answer that."
# A reported speaker's best own quote is offered to the composer even when it
# ranks low (the composer still decides whether it answers).
OWN_WORDS_OFFERED = 1


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
    since: str | None = None,
    until: str | None = None,
    mode: Mode = "hybrid",
) -> list[Hit]:
    """Ranked chunks. `since`/`until`: ISO dates (inclusive) bounding when posts were made."""
    question = _check_question(question)
    retriever = session.retriever(index)
    # Ranking never abstains (a name no post mentions still has nearest posts);
    # abstaining is the answer's call.
    plan = plan_query(question, retriever, Scope.of(thread, author, since, until))
    ranked = retriever.rank(plan.text, k, plan.filters, mode=mode, boost=plan.boost)
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
    since: str | None = None,
    until: str | None = None,
) -> Answer:
    """A cited answer. `model`: a litellm model string (default FORUM_RAG_MODEL;
    none, or "extractive": the offline answer). `history`: earlier (question,
    answer) turns, so a follow-up can be understood. `since`/`until`: ISO dates."""
    for item in ask_stream(question, index=index, k=k, model=model, history=history, thread=thread, author=author,
                           since=since, until=until):
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
    since: str | None = None,
    until: str | None = None,
) -> Iterator[str | Answer]:
    """Text deltas, then the final Answer. The Answer is authoritative: when the
    model fails mid-answer its text replaces what streamed (see its notes)."""
    started = time.perf_counter()
    question = _check_question(question)
    scope = Scope.of(thread, author, since, until)
    config = LLMConfig.from_env(model)
    timings: dict[str, float] = {}
    standalone = question
    if history:
        standalone = followup.standalone(question, history, config)
        timings["rewrite"] = time.perf_counter() - started
    retriever, plan = _open(standalone, index, scope, timings)
    rewritten = standalone if standalone != question else None
    if plan.abstain_reason:
        timings["total"] = time.perf_counter() - started
        yield NO_ANSWER
        yield Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings,
                     notes=(plan.abstain_reason,), standalone_question=rewritten)
        return
    vector, hits = _retrieve(retriever, plan, k, timings)

    def offline(note: str | None = None) -> Answer:
        answer = _extractive(question, plan, vector, hits, retriever, timings)
        timings["total"] = time.perf_counter() - started
        return replace(answer, notes=answer.notes + ((note,) if note else ()), standalone_question=rewritten)

    if config is None:
        answer = offline()
        yield answer.text
        yield answer
        return
    request = generated.Request(question, standalone, hits, timings)
    for item in generated.stream_answer(request, config, retriever.embedder, offline):
        if isinstance(item, Answer):
            timings["total"] = time.perf_counter() - started
            item = replace(item, notes=plan.understanding.notes + item.notes)
        yield item


def _open(question: str, index, scope: Scope, timings: dict) -> tuple[Retriever, Plan]:
    mark = time.perf_counter()
    retriever = session.retriever(index)
    timings["open"] = time.perf_counter() - mark
    mark = time.perf_counter()
    plan = plan_query(question, retriever, scope)
    timings["understand"] = time.perf_counter() - mark
    return retriever, plan


def _retrieve(retriever: Retriever, plan: Plan, k: int | None, timings: dict):
    mark = time.perf_counter()
    ranked = retriever.rank(plan.text, k or DEFAULT_K, plan.filters, boost=plan.boost, diverse=True)
    vector = retriever.embed(plan.text)  # kept from rank(), not computed again
    found = {r.chunk_id for r in ranked}
    own = retriever.own_words(plan.text, vector, plan.boost.names, OWN_WORDS_OFFERED, plan.filters)
    hits = retriever.hits(ranked + [r for r in own if r.chunk_id not in found])
    timings["retrieve"] = time.perf_counter() - mark
    return vector, hits


def _extractive(question: str, plan: Plan, vector, hits: list[Hit], retriever: Retriever, timings: dict) -> Answer:
    mark = time.perf_counter()
    wants = extractive.Wants(words=plan.understanding.wants_words, people=plan.people)
    composed = extractive.compose(plan.text, vector, hits, retriever, wants, plan.understanding.wants_reactions)
    timings["compose"] = time.perf_counter() - mark
    notes = plan.understanding.notes
    if not composed.citations:
        return Answer(question=question, text=NO_ANSWER, abstained=True, timings=timings, notes=notes,
                      confidence=composed.confidence)
    return Answer(question=question, text=composed.text, citations=composed.citations, timings=timings,
                  notes=notes, confidence=composed.confidence)
