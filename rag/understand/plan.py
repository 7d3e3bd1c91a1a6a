"""From a question (and the explicit --thread/--author options) to what the
retriever is asked: the search text, filters, and names to boost."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from index.errors import ForumRagError

from ..retrieval import Boost, Filters, Retriever
from . import Understanding, understand


def _iso_day(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ForumRagError(f"{name} {value!r}: expected a date as YYYY-MM-DD") from None


@dataclass(frozen=True)
class Scope:
    """What the caller restricted the search to, explicitly (options, UI controls)."""

    thread: str | None = None
    author: str | None = None
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None

    @classmethod
    def of(cls, thread: str | None, author: str | None, since: str | None, until: str | None) -> "Scope":
        scope = cls(thread or None, author or None, _iso_day("since", since), _iso_day("until", until))
        if scope.since and scope.until and scope.since > scope.until:
            raise ForumRagError(f"since {scope.since} is after until {scope.until}")
        return scope


@dataclass(frozen=True)
class Plan:
    understanding: Understanding
    text: str  # what the retriever searches for
    filters: Filters | None
    boost: Boost  # reported speakers and relative periods: preferred, not required

    @property
    def abstain_reason(self) -> str | None:
        unknown = self.understanding.unknown
        if unknown:
            return f"no post in the index mentions {', '.join(unknown)}"
        return None

    @property
    def people(self) -> tuple[str, ...]:
        return self.understanding.speakers + self.understanding.reported


def _explicit_threads(retriever: Retriever, thread: str) -> tuple[str, ...]:
    wanted = thread.casefold()
    threads = retriever.reader.threads()
    ids = tuple(t.id for t in threads.values() if t.id == thread or wanted in t.title.casefold())
    if not ids:
        raise ForumRagError(f"no thread in the index matches {thread!r}")
    return ids


def plan(question: str, retriever: Retriever, scope: Scope = Scope()) -> Plan:
    u = understand(question, retriever.reader)
    # Calendar dates ("on May 28") filter; relative ones ("last week") only boost.
    # Dates given explicitly by the caller win over dates read from the question.
    dated = u.period is not None and not u.period.relative
    explicit = bool(scope.since or scope.until)
    filters = Filters(
        thread_ids=_explicit_threads(retriever, scope.thread) if scope.thread else u.thread_ids,
        people=(scope.author,) if scope.author else (),
        speakers=u.speakers,
        since=scope.since if explicit else (u.since if dated else None),
        until=scope.until if explicit else (u.until if dated else None),
    )
    boost = Boost(u.reported, None if dated or explicit else u.since, None if dated or explicit else u.until)
    return Plan(u, u.topic, filters or None, boost)
