"""The lexical leg: BM25 over chunk text through SQLite FTS5."""
from __future__ import annotations

from typing import Sequence

from index.store.reader import IndexReader

from ..text import content_terms


def match_expression(question: str) -> str:
    """An FTS5 query matching any content word of the question.

    Each term is a quoted string, so FTS5 operators and punctuation in the
    question are taken literally; hyphenated words become phrases.
    """
    terms = [t.replace('"', "") for t in content_terms(question)]
    return " OR ".join(f'"{t}"' for t in terms if t)


def lexical_search(reader: IndexReader, question: str, k: int, allowed: Sequence[int] | None = None) -> list[tuple[int, float]]:
    return reader.lexical(match_expression(question), k, allowed)


def lexical_scores(reader: IndexReader, question: str, ids: Sequence[int]) -> dict[int, float]:
    """BM25 of exactly these chunks (0 for those matching no term)."""
    if not ids:
        return {}
    found = dict(reader.lexical(match_expression(question), len(ids), list(ids)))
    return {i: found.get(i, 0.0) for i in ids}
