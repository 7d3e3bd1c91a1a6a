"""The lexical leg: BM25 over chunk text, from the index's posting lists
(or through FTS5's bm25() on an index written before them)."""
from __future__ import annotations

import re
from typing import Sequence

from index.store.reader import IndexReader

from ..text import content_terms


_POSSESSIVE = re.compile(r"['’]s$")


def lexical_words(question: str) -> list[str]:
    """The question's content words, possessives cut ("EVNow's" is EVNow: FTS5
    would read it as the phrase "evnow s")."""
    return list(dict.fromkeys(_POSSESSIVE.sub("", t).replace('"', "") for t in content_terms(question)))


def match_expression(question: str) -> str:
    """An FTS5 query matching any content word of the question.

    Each term is a quoted string, so FTS5 operators and punctuation in the
    question are taken literally; hyphenated words become phrases.
    """
    return " OR ".join(f'"{t}"' for t in lexical_words(question) if t)


def _terms(reader: IndexReader, question: str) -> list[str]:
    return reader.term_stats.tokens(lexical_words(question))


def lexical_search(reader: IndexReader, question: str, k: int, allowed: Sequence[int] | None = None) -> list[tuple[int, float]]:
    if reader.postings is not None:
        return reader.postings.top(_terms(reader, question), k, allowed)
    return reader.lexical(match_expression(question), k, allowed)


def lexical_scores(reader: IndexReader, question: str, ids: Sequence[int]) -> dict[int, float]:
    """BM25 of exactly these chunks (0 for those matching no term)."""
    if not len(ids):
        return {}
    if reader.postings is not None:
        total = reader.postings.scores(_terms(reader, question))
        return {i: float(total[i]) if 0 <= i < len(total) else 0.0 for i in ids}
    found = dict(reader.lexical(match_expression(question), len(ids), list(ids)))
    return {i: found.get(i, 0.0) for i in ids}
