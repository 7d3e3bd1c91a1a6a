"""One question in, a streamed and cited answer out, as chat messages.

The conversation lives in two places per browser session: the chat messages
(HTML this app rendered) and `turns`, the plain (question, answer) pairs
that go back to ask() as history for follow-up questions.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterator

import rag
from index.errors import ForumRagError
from rag.types import Answer

from . import render
from .catalog import Catalog

log = logging.getLogger(__name__)
HISTORY_TURNS = 6  # follow-ups see this many earlier exchanges
THINKING = '<div class="fr-thinking">Searching the posts…</div>'


@dataclass(frozen=True)
class Query:
    """What the controls beside the chat say."""

    index: str | None = None
    thread: str | None = None
    author: str | None = None
    k: int | None = None
    model: str | None = None
    since: str | None = None
    until: str | None = None


def ask_options(catalog: Catalog, query: Query, turns: list[dict] | None = None) -> dict:
    options: dict = {"index": catalog.path(query.index), "k": query.k or None}
    for name in ("thread", "author", "model", "since", "until"):
        if getattr(query, name):
            options[name] = getattr(query, name)
    if turns:
        options["history"] = [(t["question"], t["answer"]) for t in turns[-HISTORY_TURNS:]]
    return options


def answer_html(catalog: Catalog, query: Query, answer: Answer, turn: int) -> str:
    if answer.abstained:
        return render.abstention(answer.text) + render.notes(answer.notes)
    texts = catalog.post_texts(query.index, [c.post_id for c in answer.citations]) if answer.citations else {}
    seconds = answer.timings.get("total")
    foot = f'<div class="fr-foot">{seconds:.1f} s</div>' if seconds else ""
    body = render.answer_body(answer.text, turn, answer.citations)
    return body + render.notes(answer.notes) + render.cards(turn, answer.citations, texts) + foot


def _assistant(html: str) -> dict:
    return {"role": "assistant", "content": html}


def respond(catalog: Catalog, question: str, messages: list, turns: list, query: Query) -> Iterator[tuple[list, list]]:
    """Yields (messages, turns) as the answer streams in."""
    question = (question or "").strip()
    if not question:
        yield messages, turns
        return
    turn = len(turns)
    messages = list(messages) + [{"role": "user", "content": render.plain(question)}, _assistant(THINKING)]
    yield list(messages), turns
    try:
        text, answer = "", None
        for item in rag.ask_stream(question, **ask_options(catalog, query, turns)):
            if isinstance(item, Answer):
                answer = item
                break
            text += item
            messages[-1] = _assistant(render.answer_body(text, turn, final=False))
            yield list(messages), turns
        if answer is None:
            raise ForumRagError("the answer stream ended without an answer")
        messages[-1] = _assistant(answer_html(catalog, query, answer, turn))
        turns = list(turns) + [{"question": question, "answer": answer.text}]
    except ForumRagError as exc:
        messages[-1] = _assistant(render.plain(str(exc), "fr-error"))
    except Exception as exc:  # noqa: BLE001 - the chat must survive any failure
        log.exception("answering %r failed", question)
        messages[-1] = _assistant(render.plain(f"Something went wrong while answering: {type(exc).__name__}: {exc}", "fr-error"))
    yield messages, turns


def ask_api(catalog: Catalog, question: str, query: Query) -> dict:
    """The JSON answer contract (Answer.to_dict()), for API clients."""
    return rag.ask(question, **ask_options(catalog, query)).to_dict()
