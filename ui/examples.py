"""Example questions for the index on screen.

The bundled sample thread gets questions known to have answers in it; any
other index gets questions built from its own thread titles and most active
members, so a click always asks about something the index holds.
"""
from __future__ import annotations

from typing import Sequence

SAMPLE_THREAD_TITLE = "Project Dojo - the SaaS Product?"
SAMPLE_QUESTIONS = (
    "What did Elon say about Dojo in Q1?",
    "Who actually manufactures Nvidia's chips?",
    "What gives Nvidia its advantage beyond the silicon?",
)
LIMIT = 4


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"


def questions(thread_titles: Sequence[str], authors: Sequence[str]) -> list[str]:
    out: list[str] = []
    if SAMPLE_THREAD_TITLE in thread_titles:
        out += SAMPLE_QUESTIONS
    others = [t for t in thread_titles if t != SAMPLE_THREAD_TITLE]
    if others:
        out.append(f"What is the thread “{_short(others[0])}” about?")
    for name in authors[:2]:
        out.append(f"What did {name} say?")
    return list(dict.fromkeys(out))[:LIMIT]
