"""Question understanding without an LLM: whose words are asked for, in
which thread, from when; what remains is the topic to search for."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.store.reader import IndexReader

from ..speech import asks_for_words
from ..text import content_terms
from .catalog import Catalog, catalog
from .names import MATCH_AT, Mention, NameMatcher, find_mentions
from .named import find_names
from .threads import find_scope
from .when import Period, find_period

# Relative dates ("yesterday") inside a long story are part of the story, not a filter.
MAX_WORDS_FOR_RELATIVE_DATES = 30
_REACTIONS = re.compile(
    r"\b(?:who|which|how many|what)\b.*\b(?:lik(?:e|ed|es)|lov(?:e|ed|es)|react(?:ed|ion|ions)?|informative|"
    r"helpful|agreed?|disagreed?|funny|upvot\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Understanding:
    question: str
    topic: str  # the question without the parts turned into filters
    speakers: tuple[str, ...] = ()  # index names whose own words are wanted
    reported: tuple[str, ...] = ()  # people the index has no member for ("Elon"): their relayed words
    unknown: tuple[str, ...] = ()  # reported people or named things ("in Germany") no post even mentions
    thread_ids: tuple[str, ...] = ()
    period: Period | None = None
    wants_words: bool = False
    wants_reactions: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def since(self) -> str | None:
        return self.period.start.isoformat() if self.period and self.period.start != date.min else None

    @property
    def until(self) -> str | None:
        return self.period.end.isoformat() if self.period and self.period.end != date.max else None


def _applies(period: Period | None, question: str, cat: Catalog) -> bool:
    if period is None or cat.first_day is None or cat.last_day is None:
        return False
    if period.relative and len(question.split()) > MAX_WORDS_FOR_RELATIVE_DATES:
        return False
    return period.start <= cat.last_day and period.end >= cat.first_day


def _without(question: str, spans: list[tuple[int, int]]) -> str:
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start >= cursor:
            out.append(question[cursor:start])
            cursor = end
    out.append(question[cursor:])
    topic = re.sub(r"\s+", " ", "".join(out)).strip()
    return topic if content_terms(topic) else question


def _mentioned_anywhere(reader: IndexReader, name: str) -> bool:
    phrase = name.replace('"', "")
    return bool(phrase) and reader.matching(f'"{phrase}"', 1) > 0


def _talked_about(reader: IndexReader, cat: Catalog, name: str) -> bool:
    """More chunks name this person than carry their words."""
    own = cat.names.get(name, 0)
    phrase = name.replace('"', "")
    return bool(phrase) and reader.matching(f'"{phrase}"', own + 1) > own


def _is_member(members: NameMatcher, words: tuple[str, ...]) -> bool:
    # Quoted members' names are not in the chunk text, only in its speaker.
    hit = members.match(" ".join(words))
    return hit is not None and hit[1] >= MATCH_AT


def _unknown(question: str, reported: tuple[str, ...], reader: IndexReader, cat: Catalog) -> tuple[str, ...]:
    """Reported people, then other names in the question, that no post mentions."""
    unknown = tuple(n for n in reported if not _mentioned_anywhere(reader, n))
    members = _matcher(cat)
    for words in find_names(question, " ".join(cat.threads.values())):
        name = " ".join(words)
        if name not in unknown and not _is_member(members, words) and not any(_mentioned_anywhere(reader, w) for w in words):
            unknown += (name,)
    return unknown


def understand(question: str, reader: IndexReader | None = None, cat: Catalog | None = None) -> Understanding:
    cat = cat or (catalog(reader) if reader is not None else Catalog.empty())
    mentions: list[Mention] = find_mentions(question, _matcher(cat))
    scope = find_scope(question, cat.threads)
    period = find_period(question, cat.last_day)
    # A name the posts mostly talk about ("Elon Musk", quoted once, named in
    # dozens of posts) is searched as a reported speaker: a filter on the
    # one quote would hide everything relayed about them.
    relayed = [m for m in mentions if m.in_index and reader is not None and _talked_about(reader, cat, m.name)]
    speaking = [m for m in mentions if m.in_index and m not in relayed]
    spans = [m.span for m in speaking]
    notes = []
    if scope:
        spans.append(scope.span)
    if _applies(period, question, cat):
        spans.append(period.span)
    else:
        if period is not None and cat.last_day is not None:
            notes.append(f"no posts from {period.text!r}; read as part of the topic")
        period = None
    reported = tuple(m.name for m in mentions if not m.in_index or m in relayed)
    unknown = _unknown(question, reported, reader, cat) if reader is not None else ()
    return Understanding(
        question=question,
        topic=_without(question, spans),
        speakers=tuple(m.name for m in speaking),
        reported=reported,
        unknown=unknown,
        thread_ids=scope.thread_ids if scope else (),
        period=period,
        wants_words=asks_for_words(question) or bool(mentions),
        wants_reactions=bool(_REACTIONS.search(question)),
        notes=tuple(notes),
    )


_matchers: dict[int, tuple[Catalog, NameMatcher]] = {}


def _matcher(cat: Catalog) -> NameMatcher:
    cached = _matchers.get(id(cat))
    if cached is None or cached[0] is not cat:
        if len(_matchers) > 8:
            _matchers.clear()
        cached = _matchers[id(cat)] = (cat, NameMatcher(cat.names))
    return cached[1]


__all__ = ["Catalog", "Period", "Understanding", "catalog", "understand"]
