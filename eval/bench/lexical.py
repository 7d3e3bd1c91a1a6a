"""The lexical leg's engines side by side on one index: the posting lists
(what the retriever uses), FTS5's bm25() over every query word (the exact
reference), and FTS5 with the common words left out (the postings budget an
index without posting lists still uses). For each: latency of a top-50
search and the share of the exact top 10 it returns.

    python -m eval.bench.lexical INDEX_DIR QUESTIONS_FILE
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .latency import POOL, questions
from .machine import timed

TOP = 10
UNLIMITED = 10**15


def _kept(found: dict[str, list[int]], exact: dict[str, list[int]]) -> float:
    shares = [len(set(found[q][:TOP]) & set(ids)) / len(ids) for q, ids in exact.items() if ids]
    return round(sum(shares) / len(shares), 4) if shares else 1.0


def compare(index: Path, qs: list[str]) -> dict:
    from index.store import lexical_budget
    from index.store.reader import IndexReader
    from rag.retrieval.lexical import lexical_search, match_expression

    reader = IndexReader(index)
    configured = lexical_budget.POSTINGS_BUDGET

    def fts(budget: int):
        def run(q: str) -> list[int]:
            lexical_budget.POSTINGS_BUDGET = budget
            try:
                return [i for i, _ in reader.lexical(match_expression(q), POOL)]
            finally:
                lexical_budget.POSTINGS_BUDGET = configured
        return run

    engines = {"fts5_exact": fts(UNLIMITED), f"fts5_budget_{configured}": fts(configured)}
    if reader.postings is not None:
        postings = reader.postings

        def run_postings(q: str) -> list[int]:
            postings._last = None  # time a fresh computation, not the retriever's one-question cache
            return [i for i, _ in lexical_search(reader, q, POOL)]
        engines = {"postings": run_postings, **engines}
    exact = {q: engines["fts5_exact"](q)[:TOP] for q in qs}
    out: dict = {"chunks": reader.counts().get("chunks"), "engines": {}}
    for name, run in engines.items():
        found = {q: run(q) for q in qs}
        out["engines"][name] = {"search_top50": timed(run, qs), "exact_top10_kept": _kept(found, exact)}
    return out


if __name__ == "__main__":
    index_dir, questions_file = Path(sys.argv[1]), Path(sys.argv[2])
    print(json.dumps(compare(index_dir, questions(questions_file))))
