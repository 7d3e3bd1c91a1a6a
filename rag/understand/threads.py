"""Thread scope: "in the Rear Drive Unit thread", "in the thread about
superchargers visited", "in 'Tesla Model 3 in Australia'"."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..text import content_terms, stem

# How well a phrase must match a title: mostly the share of the phrase's words
# found in the title, a little the likeness of the whole strings.
MATCH_AT = 0.75
NEAR_TIE = 0.05
MAX_THREADS = 5

# Lookaheads, so every start position is tried: "what did X in SD think in the
# Rear Drive Unit thread" must reach the second "in".
_PATTERNS = tuple(
    re.compile(f"(?=(?P<all>{p}))", re.IGNORECASE)
    for p in (
        r"\b(?:in|on|from|within)\s+(?:the\s+)?[\"“'‘](?P<title>[^\"”'’]{3,120})[\"”'’](?:\s*(?:thread|topic|discussion)\b)?",
        r"\b(?:in|on|from|within)\s+(?:the\s+)?(?P<title>[^,.?!;:\"“”]{3,100}?)\s+(?:thread|topic|discussion)\b",
        r"\b(?:thread|topic|discussion)\s+(?:called|titled|named|about|on)\s+[\"“'‘]?(?P<title>[^\"”'’,.?!;:]{3,100})[\"”'’]?",
    )
)


@dataclass(frozen=True)
class Scope:
    thread_ids: tuple[str, ...]
    text: str
    span: tuple[int, int]


def _stems(text: str) -> set[str]:
    return {stem(t) for t in content_terms(text)}


def _score(phrase: str, title: str) -> float:
    wanted, have = _stems(phrase), _stems(title)
    if not wanted:
        return 0.0
    overlap = len(wanted & have) / len(wanted)
    shape = difflib.SequenceMatcher(None, phrase.casefold(), title.casefold()).ratio()
    return 0.8 * overlap + 0.2 * shape


def find_scope(question: str, threads: dict[str, str]) -> Scope | None:
    """The threads a question restricts itself to, when it names one that exists."""
    if not threads:
        return None
    for pattern in _PATTERNS:
        for m in pattern.finditer(question):
            phrase = m.group("title").strip()
            scored = sorted(((_score(phrase, title), tid) for tid, title in threads.items()), reverse=True)
            best = scored[0][0]
            if best < MATCH_AT:
                continue
            # Near-ties are kept ("the 2019.16 software thread" may name a few);
            # a phrase that fits many titles names none of them.
            ids = tuple(tid for score, tid in scored if score >= best - NEAR_TIE)
            if len(ids) <= MAX_THREADS:
                return Scope(ids, m.group("all"), m.span("all"))
    return None
