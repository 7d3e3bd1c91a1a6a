"""Place scopes ("in Germany", "in the Netherlands"): like a named speaker,
a place the question is limited to must be mentioned by some post, or the
posts cannot answer it (measured: such a question otherwise drew a post
about prices in general, at a score above the abstention threshold)."""
from __future__ import annotations

import re

from .when import MONTHS

# "in" followed by one to three capitalised words, not at the question's start.
_IN_PLACE = re.compile(r"(?<=\s)(?:in|from|across) (?:the )?((?:[A-Z][a-z]+)(?: [A-Z][a-z]+){0,2})\b")
_NOT_PLACES = frozenset({"q1", "q2", "q3", "q4", *MONTHS, *(m[:3] for m in MONTHS)})


def find_places(question: str, thread_titles: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Capitalised names after "in"/"from"/"across" that are not dates or
    part of a thread title the question already names."""
    titles = " ".join(thread_titles).casefold()
    out = []
    for match in _IN_PLACE.finditer(question):
        name = match.group(1)
        if name.split()[0].casefold() in _NOT_PLACES or name.casefold() in titles:
            continue
        out.append(name)
    return tuple(dict.fromkeys(out))
