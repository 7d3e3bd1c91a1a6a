"""Abstention: unanswerable questions get "the posts don't say", not a random post."""
from __future__ import annotations

import numpy as np

from rag import ask
from rag.compose import extractive
from rag.types import Hit


def candidate(post_id: str, text: str, score: float, vector) -> extractive.Candidate:
    hit = Hit(chunk_id=1, text=text, kind="own", speaker=None, score=1.0, post_id=post_id, post_number=1,
              thread_id="t", thread_title="T", author=None, posted_at=None, url=None, start=0, end=len(text))
    return extractive.Candidate(hit, 0, len(text), text, score, vector=np.asarray(vector, dtype=np.float32))


def test_select_abstains_below_the_calibrated_threshold():
    low = extractive.ABSTAIN_BELOW - 0.01
    assert extractive.select([candidate("p1", "some words here today", low, [1, 0])]) == []
    assert extractive.select([candidate("p1", "some words here today", extractive.ABSTAIN_BELOW, [1, 0])])


def test_select_cites_a_repeated_quote_once():
    scored = [candidate("p1", "the same popular words", 0.9, [1, 0]),
              candidate("p2", "the same popular words", 0.89, [1, 0]),
              candidate("p3", "something else entirely", 0.8, [0, 1])]
    assert [c.hit.post_id for c in extractive.select(scored)] == ["p1", "p3"]


def test_a_person_no_post_mentions_makes_the_answer_abstain(sample_index):
    answer = ask("What did Jim Farley say about Dojo?")
    assert answer.abstained and not answer.citations
    assert any("Jim Farley" in note for note in answer.notes)


def test_confidence_is_reported_for_answers_and_abstentions(sample_index):
    answered = ask("Who makes Nvidia's chips?")
    refused = ask("How long should I bake banana bread?")
    assert answered.confidence >= extractive.ABSTAIN_BELOW > refused.confidence


def test_a_place_no_post_mentions_makes_the_answer_abstain(sample_index):
    answer = ask("What does a Model Y cost in Germany these days?")
    assert answer.abstained and not answer.citations
    assert any("Germany" in note for note in answer.notes)
