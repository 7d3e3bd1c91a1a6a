"""Follow-ups without a model: the heuristic rewrite, and ask(history=...)."""
from __future__ import annotations

import pytest

from rag import ask
from rag.followup import heuristic, standalone


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        ("Who makes Nvidia's chips?", "What about AMD?", "Who makes AMD's chips?"),
        ("What did Elon say about Dojo in Q1?", "and what about Q2?", "What did Elon say about Dojo in Q2?"),
        ("What did Elon say about Dojo in Q1?", "How about Optimus?", "What did Elon say about Optimus in Q1?"),
        ("Who makes Nvidia's chips?", "what about the software?", "Who makes Nvidia's chips, and what about the software?"),
        ("What did Elon say about Dojo?", "Why did he say it?", "Why did he say it? (about Elon, Dojo)"),
        ("What did Elon say about Dojo?", "Is CUDA a moat for Nvidia?", "Is CUDA a moat for Nvidia?"),
    ],
)
def test_heuristic_rewrites(previous, question, expected):
    assert heuristic(question, previous) == expected


def test_history_folds_turn_by_turn_and_accepts_chat_messages():
    history = [
        {"role": "user", "content": "Who makes Nvidia's chips?"},
        {"role": "assistant", "content": "TSMC [1]."},
        {"role": "user", "content": "What about AMD?"},
        {"role": "assistant", "content": "..."},
    ]
    assert standalone("and what about Intel?", history) == "Who makes Intel's chips?"
    assert standalone("Who makes chips?", []) == "Who makes chips?"


def test_ask_with_history_retrieves_for_the_standalone_question(sample_index):
    answer = ask("What about AMD?", history=[("Who makes Nvidia's chips?", "TSMC builds them.")])
    assert answer.question == "What about AMD?"
    assert answer.standalone_question == "Who makes AMD's chips?"
    direct = ask("Who makes AMD's chips?")
    assert answer.text == direct.text and answer.citations == direct.citations
    assert answer.to_dict()["standalone_question"] == "Who makes AMD's chips?"
