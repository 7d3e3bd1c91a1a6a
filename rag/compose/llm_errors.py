"""What went wrong with a model call, in words a user can act on."""
from __future__ import annotations

import email.utils
import time

from index.errors import ForumRagError

MAX_RETRY_AFTER = 300.0


class LLMError(ForumRagError):
    """A failed model call: `where` names the model and provider, `cause` the problem."""

    def __init__(self, where: str, cause: str, *, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(f"{where}: {cause}")
        self.where = where
        self.cause = cause
        self.retryable = retryable
        self.retry_after = retry_after


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen and len(seen) < 12:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _names(chain: list[BaseException]) -> set[str]:
    return {cls.__name__ for e in chain for cls in type(e).__mro__}


def retry_after(exc: BaseException) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), if any."""
    for e in _chain(exc):
        headers = getattr(getattr(e, "response", None), "headers", None) or getattr(e, "litellm_response_headers", None)
        value = headers.get("retry-after") if headers is not None else None
        if not value:
            continue
        try:
            seconds = float(value)
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        return min(max(seconds, 0.0), MAX_RETRY_AFTER)
    return None


def _status(chain: list[BaseException]) -> int | None:
    for e in chain:
        status = getattr(e, "status_code", None)
        if isinstance(status, int) and 100 <= status <= 599:
            return status
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def classify(exc: BaseException, where: str, *, base: str | None, streaming_started: bool) -> LLMError:
    """Map a litellm/openai/httpx exception to an LLMError with a plain cause.
    Only 429 and 5xx from a reachable server are worth retrying."""
    if isinstance(exc, LLMError):
        return exc
    chain = _chain(exc)
    names = _names(chain)
    text = " ".join(str(e) for e in chain).lower()
    status = _status(chain)
    server = base or "the provider's server"
    if "missing credentials" in text or "api key" in text and ("missing" in text or "no key" in text):
        return LLMError(where, "no API key: set FORUM_RAG_API_KEY or the provider's key variable (e.g. OPENAI_API_KEY)")
    if status in (401, 403) or "AuthenticationError" in names:
        return LLMError(where, f"the API key was refused ({status or 401}): bad or expired key")
    if "PermissionDeniedError" in names:
        return LLMError(where, f"permission denied ({status})")
    if names & {"ConnectError", "ConnectionRefusedError", "ConnectTimeout"}:
        return LLMError(where, f"cannot reach {server} (connection refused or no such host)")
    if names & {"RemoteProtocolError", "ReadError", "MidStreamFallbackError"} or streaming_started and "APIConnectionError" in names:
        return LLMError(where, "the connection dropped while the answer was streaming")
    if names & {"Timeout", "APITimeoutError", "ReadTimeout", "TimeoutException"}:
        return LLMError(where, "the request timed out")
    if "llm provider not provided" in text:
        return LLMError(where, "unknown provider: prefix the model (openai/..., anthropic/..., ollama/...)")
    if "ContextWindowExceededError" in names:
        return LLMError(where, "the prompt is longer than the model's context window (set FORUM_RAG_CONTEXT_TOKENS)")
    if status == 404 or "NotFoundError" in names:
        return LLMError(where, f"unknown model or wrong API base (404): {_first_line(exc)}")
    if status == 429:
        return LLMError(where, "rate limited (429)", retryable=True, retry_after=retry_after(exc))
    if status is not None and status >= 500:
        return LLMError(where, f"server error ({status})", retryable=True, retry_after=retry_after(exc))
    if "APIConnectionError" in names:
        return LLMError(where, f"cannot talk to {server}: {_first_line(exc)}")
    return LLMError(where, f"{type(exc).__name__} ({status or 'no status'}): {_first_line(exc)}")
