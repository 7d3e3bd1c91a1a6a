"""Words of a question or a passage, compared the same way on both sides."""
from __future__ import annotations

import re

_WORD = re.compile(r"[\w][\w'’\-]*", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves say said says saying tell told think thinks thought anyone someone people anything
    something mention mentioned mentions talk talked talking post posts posted thread forum member members
    according view views opinion opinions wrote write writes get got also really re ve ll d s t""".split()
)


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A light suffix strip: enough to match 'chips'/'chip', 'trained'/'training'."""
    for suffix in ("ing", "edly", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Distinct non-stopword terms, in order of appearance."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word and word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)
