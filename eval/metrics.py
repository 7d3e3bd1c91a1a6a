"""Metrics over one question's results; summaries over a run. Pure functions
of plain dicts, so a stored results.jsonl can be re-summarised (--compare)."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

from .questions import Question


def _contains(text: str, needles: Sequence[str]) -> bool:
    folded = text.casefold()
    return any(n.casefold() in folded for n in needles)


def is_gold(post_id: str, text: str, q: Question) -> bool:
    """A chunk (or a cited excerpt) is gold when it is in a gold post and, if
    the question names gold substrings, holds one of them."""
    if q.gold_post_ids and post_id not in q.gold_post_ids:
        return False
    return not q.gold_substrings or _contains(text, q.gold_substrings)


def post_flags(hits: Iterable[dict], q: Question, depth: int = 10) -> list[bool]:
    """Relevance of the first `depth` distinct posts in ranked chunk hits."""
    flags: dict[str, bool] = {}
    for hit in hits:
        relevant = is_gold(hit["post_id"], hit["text"], q)
        if hit["post_id"] in flags:
            flags[hit["post_id"]] = flags[hit["post_id"]] or relevant
        elif len(flags) < depth:
            flags[hit["post_id"]] = relevant
    return list(flags.values())


def hit_at(flags: Sequence[bool], k: int) -> float:
    return 1.0 if any(flags[:k]) else 0.0


def reciprocal_rank(flags: Sequence[bool]) -> float:
    return next((1.0 / rank for rank, f in enumerate(flags, start=1) if f), 0.0)


def ndcg_at(flags: Sequence[bool], k: int, n_relevant: int) -> float:
    dcg = sum(1.0 / math.log2(rank + 1) for rank, f in enumerate(flags[:k], start=1) if f)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(max(n_relevant, 1), k) + 1))
    return dcg / ideal


def average_precision(flags: Sequence[bool], n_relevant: int) -> float:
    found, total = 0, 0.0
    for rank, f in enumerate(flags, start=1):
        if f:
            found += 1
            total += found / rank
    return total / n_relevant if n_relevant else 0.0


def recall_at(flags: Sequence[bool], k: int, n_relevant: int) -> float:
    return sum(flags[:k]) / n_relevant if n_relevant else 0.0


def citation_precision(citations: Sequence[dict], q: Question) -> float | None:
    """Share of citations that are gold or hold an answer keyword (None: no citations)."""
    if not citations:
        return None
    good = sum(
        1 for c in citations
        if is_gold(c["post_id"], c["quote"], q) or (q.answer_keywords and _contains(c["quote"], q.answer_keywords))
    )
    return good / len(citations)


def keyword_recall(answer: str, keywords: Sequence[str]) -> float | None:
    if not keywords:
        return None
    return sum(1 for k in keywords if k.casefold() in answer.casefold()) / len(keywords)


def same_speaker(credited: str | None, asked: str) -> bool:
    """One name is the other or part of it: words relayed as "Musk said" or
    "Elon in the call:" are Elon Musk's. Case-insensitive; "Deb Smith" is
    not "Eno Deb"."""
    a, b = set((credited or "").casefold().split()), set(asked.casefold().split())
    return bool(a) and bool(b) and (a <= b or b <= a)


def speaker_correct(citations: Sequence[dict], speaker: str | None) -> bool | None:
    """The first citation is credited to the asked speaker (None: no speaker asked)."""
    if not speaker:
        return None
    return bool(citations) and same_speaker(citations[0].get("speaker"), speaker)


def attribution_correct(citations: Sequence[dict], q: Question) -> bool | None:
    """Every citation of the gold words is credited to the asked speaker (None:
    no speaker asked, or the gold words were not cited). Apart from
    speaker_correct, this separates crediting the wrong person from finding
    the wrong post."""
    if not q.speaker:
        return None
    gold = [c for c in citations if is_gold(c["post_id"], c["quote"], q)]
    if not gold:
        return None
    return all(same_speaker(c.get("speaker"), q.speaker) for c in gold)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
