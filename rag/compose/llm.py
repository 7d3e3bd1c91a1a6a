"""Model calls through litellm, under deadlines of our own.

litellm runs in a worker thread that hands text to a queue; the caller waits
on the queue with our deadlines, so a server that hangs (before its first
token or mid-answer) costs at most the deadline, whatever httpx is doing.
Retries happen only before the first token, so streamed text is never sent
twice.
"""
from __future__ import annotations

import queue
import random
import threading
import time
from typing import Iterator

from index.errors import MissingDependency

from .llm_config import LLMConfig, Route, route
from .llm_errors import LLMError, classify

BACKOFF_BASE = 0.5  # seconds before the first retry when the server gives no Retry-After
BACKOFF_CAP = 8.0


def load():
    """litellm, imported on first use (it takes seconds), set up quiet and lenient."""
    try:
        import litellm
    except ImportError:
        raise MissingDependency("litellm") from None
    litellm.suppress_debug_info = True  # its "Give Feedback" banner would land on the user's terminal
    litellm.drop_params = True  # e.g. temperature for models that refuse it
    return litellm


def backoff(attempt: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt) * random.uniform(0.8, 1.2)


class _Attempt:
    """One request in a worker thread; text and the outcome arrive on a queue."""

    def __init__(self, kwargs: dict, stream: bool) -> None:
        self.items: queue.Queue = queue.Queue()
        self.cancelled = threading.Event()
        self.finish_reason: str | None = None
        self._thread = threading.Thread(target=self._run, args=(kwargs, stream), daemon=True, name="forum-rag-llm")
        self._thread.start()

    def _run(self, kwargs: dict, stream: bool) -> None:
        try:
            response = load().completion(stream=stream, **kwargs)
            if not stream:
                choice = response.choices[0]
                self.items.put(("text", choice.message.content or ""))
                self.items.put(("end", choice.finish_reason))
                return
            finish = None
            for chunk in response:
                if self.cancelled.is_set():
                    response.close()
                    return
                choice = chunk.choices[0] if chunk.choices else None
                if choice is not None and choice.delta.content:
                    self.items.put(("text", choice.delta.content))
                finish = (choice.finish_reason if choice is not None else None) or finish
            self.items.put(("end", finish))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.items.put(("error", exc))

    def texts(self, started: float, first_token_by: float, deadline: float, where: str) -> Iterator[str]:
        got_text = False
        while True:
            limit = deadline if got_text else min(first_token_by, deadline)
            try:
                kind, value = self.items.get(timeout=max(0.0, limit - time.monotonic()))
            except queue.Empty:
                waited = time.monotonic() - started
                what = "the answer was not finished" if got_text else "no answer started"
                raise LLMError(where, f"{what} within {waited:.1f}s (our deadline)") from None
            if kind == "text":
                got_text = True
                yield value
            elif kind == "end":
                self.finish_reason = value
                return
            else:
                raise value


class Completion:
    """Iterate for the answer's text pieces; retries and deadlines included."""

    def __init__(self, config: LLMConfig, messages: list[dict], *, stream: bool = True) -> None:
        self.config = config
        self.messages = messages
        self.stream = stream
        self.route: Route = route(config)
        self.where = self.route.describe(config)
        self.attempts = 0
        self.finish_reason: str | None = None

    def _kwargs(self, remaining: float) -> dict:
        return {
            **self.route.kwargs, "messages": self.messages, "max_tokens": self.config.answer_tokens,
            "temperature": 0.0, "max_retries": 0,  # retries are ours: only before the first token
            "timeout": remaining + 1.0,  # lets the worker end itself after we gave up
        }

    def __iter__(self) -> Iterator[str]:
        deadline = time.monotonic() + self.config.timeout
        while True:
            self.attempts += 1
            started = time.monotonic()
            attempt = _Attempt(self._kwargs(deadline - started), self.stream)
            streamed = False
            try:
                for text in attempt.texts(started, started + self.config.first_token_timeout, deadline, self.where):
                    streamed = True
                    yield text
                self.finish_reason = attempt.finish_reason
                return
            except LLMError:
                raise
            except Exception as exc:  # noqa: BLE001 - whatever litellm raised, named for the user
                error = classify(exc, self.where, base=self.config.api_base, streaming_started=streamed)
                if streamed or not error.retryable:
                    raise error from exc
                if self.attempts > self.config.retries:
                    raise LLMError(error.where, f"{error.cause}, {self.attempts} attempts") from exc
                self._wait_before_retry(error, deadline)
            finally:
                attempt.cancelled.set()

    def _wait_before_retry(self, error: LLMError, deadline: float) -> None:
        wait = error.retry_after if error.retry_after is not None else backoff(self.attempts - 1)
        if time.monotonic() + wait >= deadline:
            raise LLMError(
                error.where,
                f"{error.cause}; waiting {wait:.1f}s to retry would pass the {self.config.timeout:g}s deadline",
            )
        time.sleep(wait)

    def text(self) -> str:
        return "".join(self)
