"""Eval metrics on hand-made results."""
from __future__ import annotations

import math

import pytest

from eval import metrics as m
from eval.questions import Question
from eval.summary import summarize

Q = Question("q1", "Who makes the chips?", "fact", gold_post_ids=("p2", "p5"), gold_substrings=("TSMC",),
             answer_keywords=("TSMC", "Taiwan"))


def hit(post_id: str, text: str) -> dict:
    return {"post_id": post_id, "text": text}


def test_gold_needs_the_post_and_the_substring():
    assert m.is_gold("p2", "chips made by tsmc", Q)
    assert not m.is_gold("p2", "chips made by Samsung", Q)
    assert not m.is_gold("p9", "made by TSMC", Q)
    only_text = Question("q2", "?", "fact", gold_substrings=("TSMC",))
    assert m.is_gold("anything", "TSMC", only_text)


def test_post_flags_collapse_chunks_to_distinct_posts():
    hits = [hit("p1", "x"), hit("p2", "intro"), hit("p1", "y"), hit("p2", "made by TSMC"), hit("p5", "TSMC")]
    assert m.post_flags(hits, Q) == [False, True, True]
    assert m.post_flags(hits, Q, depth=1) == [False]


def test_rank_metrics():
    flags = [False, True, False, True]
    assert m.hit_at(flags, 1) == 0.0 and m.hit_at(flags, 2) == 1.0
    assert m.reciprocal_rank(flags) == 0.5 and m.reciprocal_rank([False]) == 0.0
    ideal = 1 + 1 / math.log2(3)
    assert m.ndcg_at(flags, 10, 2) == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / ideal)
    assert m.ndcg_at([True, True], 10, 2) == pytest.approx(1.0)
    assert m.average_precision(flags, 2) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert m.recall_at(flags, 2, 4) == 0.25


def test_answer_metrics():
    cites = [{"post_id": "p2", "quote": "made by TSMC", "speaker": "mspohr"},
             {"post_id": "p7", "quote": "Taiwan builds them", "speaker": "Elon"},
             {"post_id": "p8", "quote": "nothing relevant", "speaker": None}]
    assert m.citation_precision(cites, Q) == pytest.approx(2 / 3)
    assert m.citation_precision([], Q) is None
    assert m.keyword_recall("They are made by TSMC.", Q.answer_keywords) == 0.5
    assert m.speaker_correct(cites, "MSPOHR") is True
    assert m.speaker_correct(cites[1:], "mspohr") is False
    assert m.speaker_correct([], "mspohr") is False and m.speaker_correct(cites, None) is None
    said = Question("q3", "What did mspohr say?", "who-said", gold_substrings=("TSMC",), speaker="mspohr")
    assert m.attribution_correct(cites, said) is True
    assert m.attribution_correct([{**cites[0], "speaker": "quoting member"}], said) is False
    assert m.attribution_correct(cites[1:], said) is None  # the gold words were not cited: a retrieval miss
    assert m.attribution_correct(cites, Q) is None
    assert m.speaker_correct(cites[1:], "Elon Musk") is True  # "Elon" relayed is Elon Musk
    assert m.speaker_correct([{**cites[0], "speaker": "Deb Smith"}], "Eno Deb") is False
    assert m.percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.0 and m.percentile([3.0, 1.0, 2.0, 4.0], 95) == 4.0


def row(kind: str, abstained: bool, hybrid_hit1: float, dense_hit1: float, latency: float, speaker=None) -> dict:
    answerable = kind != "unanswerable"
    legs = {"hit@1": hybrid_hit1, "hit@5": 1.0, "mrr": hybrid_hit1, "ndcg@10": hybrid_hit1} if answerable else {}
    dense = {"hit@1": dense_hit1, "hit@5": 1.0, "mrr": dense_hit1, "ndcg@10": dense_hit1} if answerable else {}
    return {"kind": kind, "answerable": answerable, "abstained": abstained, "latency": latency,
            "retrieval": {"hybrid": legs, "dense": dense}, "citation_precision": 1.0 if answerable else None,
            "keyword_recall": 0.5 if answerable else None, "speaker_correct": speaker}


def test_summary_over_rows():
    rows = [row("fact", False, 1.0, 0.0, 1.0), row("who-said", True, 0.0, 1.0, 3.0, speaker=False),
            row("unanswerable", True, 0, 0, 2.0), row("unanswerable", False, 0, 0, 4.0)]
    s = summarize(rows)
    assert (s["questions"], s["answerable"], s["unanswerable"]) == (4, 2, 2)
    assert s["hit@1"] == 0.5 and s["legs"]["dense"]["hit@1"] == 0.5
    assert s["abstention_accuracy"] == 0.5 and s["false_abstention"] == 0.5
    assert s["speaker_accuracy"] == 0.0 and s["speaker_questions"] == 1
    assert (s["latency_p50"], s["latency_p95"]) == (2.0, 4.0)
