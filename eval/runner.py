"""Run a question set through the public API: search() in each retrieval
mode for the ranking metrics, ask() for the answer metrics."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from rag import ask, search

from . import metrics as m
from .questions import Question

MODES = ("hybrid", "dense", "lexical")
# Chunks fetched per search: enough to fill 10 distinct posts in practice.
SEARCH_DEPTH = 30
RANK_DEPTH = 10
WARMUP_QUESTION = "warm-up: open the index and load the model"


def retrieval_metrics(flags: Sequence[bool], n_relevant: int) -> dict[str, float]:
    return {
        "hit@1": m.hit_at(flags, 1),
        "hit@5": m.hit_at(flags, 5),
        "mrr": m.reciprocal_rank(flags),
        "ndcg@10": m.ndcg_at(flags, 10, n_relevant),
    }


def _n_relevant(q: Question) -> int:
    return len(q.gold_post_ids) or 1


def rank(q: Question, index, mode: str) -> dict:
    hits = [h.to_dict() for h in search(q.question, index=index, k=SEARCH_DEPTH, mode=mode)]
    flags = m.post_flags(hits, q, RANK_DEPTH)
    posts = list(dict.fromkeys(h["post_id"] for h in hits))[:RANK_DEPTH]
    return {"posts": posts, "flags": flags, **(retrieval_metrics(flags, _n_relevant(q)) if q.answerable else {})}


def answer_metrics(q: Question, answer: dict) -> dict:
    citations = answer["citations"]
    return {
        "abstained": answer["abstained"],
        "citation_precision": m.citation_precision(citations, q) if q.answerable else None,
        "keyword_recall": m.keyword_recall(answer["answer"] if not answer["abstained"] else "", q.answer_keywords)
        if q.answerable else None,
        "speaker_correct": m.speaker_correct(citations, q.speaker) if q.answerable else None,
        "attribution_correct": m.attribution_correct(citations, q) if q.answerable else None,
    }


def run_question(q: Question, index, modes: Sequence[str] = MODES) -> dict:
    retrieval = {mode: rank(q, index, mode) for mode in modes}
    started = time.perf_counter()
    answer = ask(q.question, index=index)
    latency = time.perf_counter() - started
    data = answer.to_dict()
    return {
        "id": q.id, "kind": q.kind, "question": q.question, "answerable": q.answerable,
        "gold_post_ids": list(q.gold_post_ids), "gold_substrings": list(q.gold_substrings),
        "answer_keywords": list(q.answer_keywords), "speaker": q.speaker,
        "retrieval": retrieval, "answer": data, "confidence": answer.confidence, "latency": latency,
        **answer_metrics(q, data),
    }


def run(questions: Sequence[Question], index, modes: Sequence[str] = MODES,
        progress: Callable[[int, int, str], None] | None = None) -> list[dict]:
    search(WARMUP_QUESTION, index=index, k=1)  # the first call opens the index; keep it out of latency
    rows = []
    for n, q in enumerate(questions, start=1):
        rows.append(run_question(q, index, modes))
        if progress:
            progress(n, len(questions), q.id)
    return rows


@contextmanager
def dense_weight(weight: float) -> Iterator[None]:
    previous = os.environ.get("FORUM_RAG_DENSE_WEIGHT")
    os.environ["FORUM_RAG_DENSE_WEIGHT"] = str(weight)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("FORUM_RAG_DENSE_WEIGHT", None)
        else:
            os.environ["FORUM_RAG_DENSE_WEIGHT"] = previous


def sweep(questions: Sequence[Question], index, weights: Sequence[float]) -> list[dict]:
    """Hybrid ranking metrics at each dense weight (0 = lexical only, 1 = dense only)."""
    answerable = [q for q in questions if q.answerable]
    table = []
    for weight in weights:
        with dense_weight(weight):
            per_q = [rank(q, index, "hybrid") for q in answerable]
        table.append({"dense_weight": weight, **{k: m.mean(r[k] for r in per_q) for k in ("hit@1", "hit@5", "mrr", "ndcg@10")}})
    return table
