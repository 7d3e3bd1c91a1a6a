"""A generated answer: prompt → model stream → checked sentences → Answer.

Text reaches the reader one finished sentence at a time, after the citation
check and the injection guard, so what streams is exactly the final text.
When the model fails, the reader gets the offline extractive answer with a
note naming the provider and the cause.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from index.embedding import Embedder

from ..types import Answer, Hit
from . import budget, guard, prompt
from .citecheck import Checker, complete_upto, sentences
from .llm import Completion, load
from .llm_config import LLMConfig
from .llm_errors import LLMError
from .support import Support

Offline = Callable[[str | None], Answer]  # the extractive answer, with an optional note


@dataclass
class Request:
    question: str  # as asked
    standalone: str  # what retrieval and the model see
    hits: Sequence[Hit]
    timings: dict[str, float] = field(default_factory=dict)


def _release(text: str, checker: Checker, first: bool) -> Iterator[str]:
    """Checked sentences of `text`, each with the whitespace that preceded it."""
    cursor = 0
    for start, end in sentences(text):
        shown = checker.sentence(text[start:end])
        if shown is not None:
            gap = "" if first else text[cursor:start] or " "
            first = False
            yield gap + shown
        cursor = end


def _checked_stream(completion: Completion, checker: Checker) -> Iterator[str]:
    buffer, first = "", True
    for delta in completion:
        buffer += delta
        cut = complete_upto(buffer)
        if cut:
            for piece in _release(buffer[:cut], checker, first):
                first = False
                yield piece
            buffer = buffer[cut:]
    for piece in _release(buffer, checker, first):
        yield piece


def _notes(checker: Checker, excerpts: Sequence[prompt.Excerpt], completion: Completion) -> list[str]:
    notes = []
    withheld = sum(1 for e in excerpts if e.withheld)
    if withheld:
        notes.append(f"text addressed to AI assistants was withheld from the model in {withheld} excerpt(s)")
    if checker.dropped:
        notes.append(f"{checker.dropped} sentence(s) of the model's answer were removed: they followed instructions planted in a post or repeated the prompt")
    if checker.removed_markers:
        notes.append(f"{checker.removed_markers} citation marker(s) pointing to no excerpt were removed")
    if checker.flags:
        notes.append(f"{len(checker.flags)} sentence(s) marked ⚠ are not supported by the posts they cite")
    if completion.finish_reason == "length":
        notes.append("the model stopped at its answer length limit (FORUM_RAG_ANSWER_TOKENS)")
    return notes


def stream_answer(request: Request, config: LLMConfig, embedder: Embedder, offline: Offline) -> Iterator[str | Answer]:
    timings = request.timings
    mark = time.perf_counter()
    load()
    timings["load"] = time.perf_counter() - mark
    mark = time.perf_counter()
    ranked = [prompt.excerpt(n, hit) for n, hit in enumerate(request.hits, start=1)]
    excerpts = budget.fit(request.standalone, ranked, config)
    if not excerpts:  # nothing to ground an answer on
        note = None if not ranked else (
            f"model {config.model!r}: no excerpt fits its context window; set FORUM_RAG_CONTEXT_TOKENS "
            "or FORUM_RAG_ANSWER_TOKENS; showing the offline answer instead"
        )
        yield from _fallback(offline, note, False)
        return
    allowed = " ".join([request.standalone] + [e.text for e in excerpts])
    taint = guard.Taint([w for e in excerpts for w in e.withheld], allowed, prompt.PRIVATE_RULES)
    checker = Checker(excerpts, Support(embedder), taint)
    timings["prompt"] = time.perf_counter() - mark
    yield from _generate(request, config, excerpts, checker, offline)


def _generate(request: Request, config: LLMConfig, excerpts: list[prompt.Excerpt], checker: Checker, offline: Offline) -> Iterator[str | Answer]:
    mark = time.perf_counter()
    streamed: list[str] = []
    try:
        completion = Completion(config, prompt.messages(request.standalone, excerpts))
        for piece in _checked_stream(completion, checker):
            streamed.append(piece)
            yield piece
    except LLMError as exc:
        _time_generation(request.timings, mark, checker)
        yield from _fallback(offline, f"{exc}; showing the offline answer instead", bool(streamed))
        return
    _time_generation(request.timings, mark, checker)
    text = "".join(streamed).strip()
    citations = checker.citations()
    if not text or checker.dropped and not citations:
        cause = "it followed instructions planted in a post" if checker.dropped else "it returned no text"
        note = f"{completion.where}: its answer was not used, {cause}; showing the offline answer instead"
        yield from _fallback(offline, note, bool(streamed))
        return
    yield Answer(
        question=request.question, text=text, citations=tuple(citations), abstained=not citations,
        timings=request.timings, notes=tuple(_notes(checker, excerpts, completion)), flagged=tuple(checker.flags),
        model=config.model, standalone_question=request.standalone if request.standalone != request.question else None,
    )


def _time_generation(timings: dict[str, float], started: float, checker: Checker) -> None:
    """"generate": the model's part (our deadlines bound it); "check": ours."""
    timings["check"] = checker.seconds
    timings["generate"] = time.perf_counter() - started - checker.seconds


def _fallback(offline: Offline, note: str | None, streamed: bool) -> Iterator[str | Answer]:
    answer = offline(note)
    if not streamed:  # a reader mid-stream gets the replacement only as the final Answer
        yield answer.text
    yield answer
