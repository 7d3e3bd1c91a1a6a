"""What the lexical leg's postings budget costs and buys on one index: the
leg's latency at each budget, and how much of the unbudgeted top 10 it
keeps, for the lexical leg alone and for the hybrid ranking (which the
dense leg steadies).

    python -m eval.bench.budget INDEX_DIR QUESTIONS_FILE
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .latency import POOL, questions
from .machine import timed

BUDGETS = (None, 60_000, 40_000, 30_000, 20_000, 10_000)  # None: no budget
TOP = 10


def _overlap(found: dict[str, list[int]], reference: dict[str, list[int]]) -> float:
    shares = [len(set(found[q]) & set(ref)) / len(ref) for q, ref in reference.items() if ref]
    return round(sum(shares) / len(shares), 4) if shares else 1.0


def sweep(index: Path, qs: list[str]) -> dict:
    from index.store import lexical_budget
    from rag import session
    from rag.retrieval.lexical import lexical_search

    retriever = session.retriever(index)
    reader = retriever.reader
    vectors = {q: retriever.embed(q) for q in qs}
    configured = lexical_budget.POSTINGS_BUDGET
    out: dict = {"configured": configured, "budgets": {}}
    reference: tuple[dict, dict] | None = None
    try:
        for budget in BUDGETS:
            lexical_budget.POSTINGS_BUDGET = budget if budget is not None else 10**15
            lexical = {q: [i for i, _ in lexical_search(reader, q, TOP)] for q in qs}
            hybrid = {q: [r.chunk_id for r in retriever.rank(q, TOP, query_vector=vectors[q])] for q in qs}
            reference = reference or (lexical, hybrid)
            out["budgets"][str(budget or "none")] = {
                "lexical_leg": timed(lambda q: lexical_search(reader, q, POOL), qs),
                "lexical_top10_kept": _overlap(lexical, reference[0]),
                "hybrid_top10_kept": _overlap(hybrid, reference[1]),
            }
    finally:
        lexical_budget.POSTINGS_BUDGET = configured
    return out


if __name__ == "__main__":
    index_dir, questions_file = Path(sys.argv[1]), Path(sys.argv[2])
    print(json.dumps(sweep(index_dir, questions(questions_file))))
