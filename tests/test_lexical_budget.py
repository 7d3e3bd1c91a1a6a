"""The lexical budget leaves small indexes alone and, on large ones, drops
the most common phrases first (found with the index's own stemming tokenizer)."""
from __future__ import annotations

from index.store import lexical_budget
from index.store.reader import IndexReader


def test_small_index_query_is_unchanged(sample_index):
    reader = IndexReader(sample_index)
    match = '"dojo" OR "nvidia" OR "the"'
    assert reader.term_stats.budgeted(match) == match


def test_over_budget_the_most_common_phrases_go_first(sample_index, monkeypatch):
    reader = IndexReader(sample_index)
    stats = reader.term_stats
    dojo, tsmc, chips = stats.frequencies(["dojo", "tsmc", "chipping"])  # "chipping" stems like "chips"
    assert dojo > tsmc >= 1 and chips >= 1
    monkeypatch.setattr(lexical_budget, "POSTINGS_BUDGET", tsmc)
    assert stats.budgeted('"dojo" OR "tsmc"') == '"tsmc"'
    monkeypatch.setattr(lexical_budget, "POSTINGS_BUDGET", 0)
    assert stats.budgeted('"dojo" OR "tsmc"') == '"tsmc"'  # the rarest phrase always stays
    assert stats.budgeted("dojo AND tsmc") == "dojo AND tsmc"  # only plain OR lists are touched
    hits = reader.lexical('"dojo" OR "tsmc"', 5)
    assert hits and all(score > 0 for _, score in hits)
