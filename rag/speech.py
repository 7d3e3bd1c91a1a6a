"""Reported speech: questions that ask for someone's words, and sentences
that carry someone's words (a quotation, or "X says: ...")."""
from __future__ import annotations

import re

_ASKS_FOR_WORDS = re.compile(
    r"\b(say|says|said|saying|state[sd]?|claim(?:s|ed)?|comment(?:s|ed)?|quote[sd]?|tweet(?:s|ed)?|"
    r"according to|mention(?:s|ed)?|announce[sd]?|admit(?:s|ted)?|promise[sd]?|words?)\b",
    re.IGNORECASE,
)
# At least five words between matching quotation marks.
_QUOTATION = re.compile(r"[\"“](?:[^\"“”]*?\s){4,}[^\"“”]*?[\"”]")
_SPEECH_VERB = re.compile(r"\b(says|said|stated|according to|tweeted|wrote|from the [\w\s]{0,20}call)\b\s*:?", re.IGNORECASE)


def asks_for_words(question: str) -> bool:
    return bool(_ASKS_FOR_WORDS.search(question))


def carries_words(sentence: str) -> bool:
    return bool(_QUOTATION.search(sentence)) or (bool(_SPEECH_VERB.search(sentence)) and ":" in sentence)
