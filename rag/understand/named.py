"""Named things a question is about ("the Cybertruck", "in Germany", "Lionel
Messi"): like a named speaker, if no post mentions any word of the name, the
posts cannot answer it. Measured on the eval sets: such questions otherwise
drew loosely related posts at scores above the abstention threshold, while
every answerable question's names (or a word of them) occur in its index."""
from __future__ import annotations

import re

from .when import MONTHS

# Runs of capitalised words, not at the question's start (every question starts capitalised).
_NAME_RUN = re.compile(r"(?<=[\s\"'“(])((?:[A-Z][\w'’-]*[A-Za-z0-9])(?:\s+[A-Z][\w'’-]*[A-Za-z0-9])*)")
_POSSESSIVE = re.compile(r"['’]s$")
# Words that start a sentence inside a question ("Thanks. What did …") are
# capitalised without naming anything.
_SENTENCE_WORDS = """what who whom whose when where why how which is are was were does did do can could would
should will has have had the a an and or but if in on at for to of from by with this that these those there
here it its my our your their his her please thanks thank hi hello also so then any anyone someone""".split()
_NOT_NAMES = frozenset({"q1", "q2", "q3", "q4", "i", "ok", "ai", *MONTHS, *(m[:3] for m in MONTHS),
                        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        *_SENTENCE_WORDS})
# Nationality adjectives ("the Chinese carmaker") describe rather than name:
# posts say "China", "BYD", not the adjective.
_DEMONYM = re.compile(r"(?:ese|ish|ian|ean)$", re.IGNORECASE)


def _words(run: str) -> tuple[str, ...]:
    words = [_POSSESSIVE.sub("", w) for w in run.split()]
    return tuple(w for w in words if w.casefold() not in _NOT_NAMES and not _DEMONYM.search(w) and len(w) > 1)


def find_names(question: str, known_text: str = "") -> tuple[tuple[str, ...], ...]:
    """The words of each capitalised name in the question, leaving out dates,
    demonyms and names inside `known_text` (thread titles the question may cite)."""
    known = known_text.casefold()
    out = []
    for match in _NAME_RUN.finditer(question):
        words = _words(match.group(1))
        if words and " ".join(words).casefold() not in known:
            out.append(words)
    return tuple(dict.fromkeys(out))
