"""One run's results, summed up (also for an older run's results.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from index.errors import InputError

from . import metrics as m

RANK_METRICS = ("hit@1", "hit@5", "mrr", "ndcg@10")
# The headline metrics, in report and chart order.
HEADLINE = ("hit@1", "hit@5", "mrr", "ndcg@10", "citation_precision", "keyword_recall", "speaker_accuracy",
            "abstention_accuracy")


def _share(flags) -> float | None:
    flags = [f for f in flags if f is not None]
    return sum(1.0 for f in flags if f) / len(flags) if flags else None


def summarize(rows: Sequence[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    modes = list(rows[0]["retrieval"]) if rows else []
    legs = {mode: {k: m.mean(r["retrieval"][mode].get(k) for r in answerable) for k in RANK_METRICS} for mode in modes}
    latencies = [r["latency"] for r in rows]
    main = legs.get("hybrid") or (legs[modes[0]] if modes else {})
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        **{k: main.get(k) for k in RANK_METRICS},
        "citation_precision": m.mean(r["citation_precision"] for r in answerable),
        "keyword_recall": m.mean(r["keyword_recall"] for r in answerable),
        "speaker_accuracy": _share(r["speaker_correct"] for r in answerable),
        "speaker_questions": sum(1 for r in answerable if r["speaker_correct"] is not None),
        # Older results files have no attribution_correct.
        "attribution_accuracy": _share(r.get("attribution_correct") for r in answerable),
        "attribution_cited": sum(1 for r in answerable if r.get("attribution_correct") is not None),
        "abstention_accuracy": _share(r["abstained"] for r in unanswerable),
        "false_abstention": _share(r["abstained"] for r in answerable),
        "latency_p50": m.percentile(latencies, 50),
        "latency_p95": m.percentile(latencies, 95),
        "legs": legs,
    }


def by_kind(rows: Sequence[dict]) -> dict[str, dict]:
    kinds = sorted({r["kind"] for r in rows})
    return {kind: summarize([r for r in rows if r["kind"] == kind]) for kind in kinds}


def load_results(directory: Path) -> list[dict]:
    path = directory / "results.jsonl"
    if not path.is_file():
        raise InputError(str(directory), "no results.jsonl (not an eval output directory)")
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except ValueError as exc:
        raise InputError(str(path), f"malformed JSON: {exc}") from None


def calibration(rows: Sequence[dict]) -> dict | None:
    """The abstention threshold that best separates answerable from
    unanswerable questions on this set, by the answer's confidence (the best
    supporting sentence's score): balanced accuracy of answering vs abstaining."""
    scored = [(r["confidence"], r["answerable"]) for r in rows if r.get("confidence") is not None]
    pos = [c for c, a in scored if a]
    neg = [c for c, a in scored if not a]
    if not pos or not neg:
        return None
    best = None
    for threshold in sorted({round(c, 3) for c, _ in scored} | {0.0}):
        answered = sum(1 for c in pos if c >= threshold) / len(pos)
        abstained = sum(1 for c in neg if c < threshold) / len(neg)
        score = (answered + abstained) / 2
        if best is None or score > best["balanced_accuracy"]:
            best = {"threshold": threshold, "balanced_accuracy": score, "answered": answered, "abstained": abstained}
    return {**best, "answerable_min": min(pos), "unanswerable_max": max(neg)}
