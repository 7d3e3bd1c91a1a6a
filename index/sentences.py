"""Sentence and paragraph boundaries as character spans, so that every piece
of text we cut out stays an exact substring of the post."""
from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets)
# when whitespace and something that can open a sentence follow, or at a
# line break (forum posts use bare lines as sentences: lists, headings).
_SENTENCE_END = re.compile(
    r"""(?P<stop>[.!?…]+["'”’)\]]*)[ \t]+(?=["'“‘(\[@#*\-–•0-9A-Z])|[ \t]*\n\s*"""
)
_ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "dr.", "st.", "approx.", "no.", "u.s."}


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for match in pattern.finditer(text, start, end):
        cut = match.end("stop") if match.groupdict().get("stop") else match.start()
        if pattern is _SENTENCE_END and _ends_with_abbreviation(text, cursor, cut):
            continue
        span = _trimmed(text, cursor, cut)
        if span:
            spans.append(span)
        cursor = match.end()
    span = _trimmed(text, cursor, end)
    if span:
        spans.append(span)
    return spans


def _ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    last_word = text[start:end].rsplit(None, 1)[-1].lower() if text[start:end].strip() else ""
    return last_word in _ABBREVIATIONS


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    return _split(text, start, len(text) if end is None else end, _PARAGRAPH_BREAK)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    return _split(text, start, len(text) if end is None else end, _SENTENCE_END)
