"""From a question (and the explicit --thread/--author options) to what the
retriever is asked: the search text, filters, and names to boost."""
from __future__ import annotations

from dataclasses import dataclass

from index.errors import ForumRagError

from ..retrieval import Boost, Filters, Retriever
from . import Understanding, understand


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


def plan(question: str, retriever: Retriever, thread: str | None = None, author: str | None = None) -> Plan:
    u = understand(question, retriever.reader)
    # Calendar dates ("on May 28") filter; relative ones ("last week") only boost.
    dated = u.period is not None and not u.period.relative
    filters = Filters(
        thread_ids=_explicit_threads(retriever, thread) if thread else u.thread_ids,
        people=(author,) if author else (),
        speakers=u.speakers,
        since=u.since if dated else None,
        until=u.until if dated else None,
    )
    boost = Boost(u.reported, None if dated else u.since, None if dated else u.until)
    return Plan(u, u.topic, filters or None, boost)
