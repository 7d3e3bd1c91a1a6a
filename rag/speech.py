"""Reported speech: questions that ask for someone's words, sentences that
carry someone's words (a quotation, or "X says: ..."), and whose words a
quotation inside a post is, when the sentence makes it clear
("Elon's comment ... from the Q1 call "I'd look at Dojo as ...""). """
from __future__ import annotations

import re
from dataclasses import dataclass

_ASKS_FOR_WORDS = re.compile(
    r"\b(say|says|said|saying|state[sd]?|claim(?:s|ed)?|comment(?:s|ed)?|quote[sd]?|tweet(?:s|ed)?|"
    r"according to|mention(?:s|ed)?|announce[sd]?|admit(?:s|ted)?|promise[sd]?|words?)\b",
    re.IGNORECASE,
)
# Text between quotation marks (one unambiguous run, so matching stays linear);
# it carries words when it holds at least five of them.
_QUOTED = re.compile(r"[\"“][^\"“”]+[\"”]")
MIN_QUOTED_WORDS = 5
_SPEECH_VERB = re.compile(r"\b(says|said|stated|according to|tweeted|wrote|from the [\w\s]{0,20}call)\b\s*:?", re.IGNORECASE)

_NAME = r"(?P<name>[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,2})"
_VERB = r"(?:says|said|stated|tweeted|wrote|replied|answered|added|explained|noted|claimed|announced|told)"
_OCCASION = r"(?i:call|interview|tweet|podcast|keynote|presentation|meeting|video|letter|email|stream)"
_CUES = tuple(
    re.compile(p)
    for p in (
        rf"{_NAME}(?:'s|’s)\s+(?:\w+\s+)?(?:comment|comments|words|quote|tweet|answer|reply|statement|response|remark|view|exact words)\b",
        rf"{_NAME}\s+(?:has\s+|had\s+|just\s+|also\s+)?{_VERB}\b",
        # "Elon in the last Earnings Call: ..." names the occasion instead of a verb.
        rf"{_NAME}\s+(?:in|on|at|during)\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:[\w-]+\s+){{0,3}}{_OCCASION}\s*:",
        rf"\b[Aa]ccording\s+to\s+{_NAME}",
        rf"\b{_VERB}\s+{_NAME}",
    )
)
# "Elon Musk said: It was physically impossible ..." (a colon, no quotation marks),
# or a line of its own ("ntam said:") before the words, any spelling of the name.
_SAID_COLON = re.compile(rf"{_NAME}\s+{_VERB}\s*:\s*")
_SAID_LINE = re.compile(rf"^\s*(?P<name>[\w@][\w .\-@]{{0,40}}?)\s+{_VERB}\s*:\s*$")
# A sentence that opens a quotation the next sentence closes.
_OPENS_QUOTE = re.compile(r"^\s*[“\"](?=\w)(?![^”\"]*[”\"])")
_PRONOUN_SAID = re.compile(rf"\b(?:he|she)\s+{_VERB}\b|\b{_VERB}\s+(?:he|she)\b", re.IGNORECASE)
_NOT_SPEAKERS = frozenset(
    "I He She They It We You This That The There Here My His Her Their Our Your Someone Somebody Everyone "
    "Anyone People Nobody One Yes No So And But Then Well".split()
)
# Titles before a name ("Tesla Chief Executive Elon Musk tweeted").
_TITLES = frozenset("tesla chief executive ceo cfo cto president founder boss mr mr. mrs ms dr dr. ex".split())


@dataclass(frozen=True)
class Reported:
    speaker: str
    start: int  # the quoted words, inside the sentence (quotation marks excluded)
    end: int


def asks_for_words(question: str) -> bool:
    return bool(_ASKS_FOR_WORDS.search(question))


def _quotation(text: str) -> re.Match[str] | None:
    return next((m for m in _QUOTED.finditer(text) if len(m.group(0).split()) >= MIN_QUOTED_WORDS), None)


def carries_words(sentence: str) -> bool:
    return bool(_quotation(sentence)) or (bool(_SPEECH_VERB.search(sentence)) and ":" in sentence)


def _person(name: str) -> str | None:
    words = name.split()
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words = words[1:]
    if not words or words[0] in _NOT_SPEAKERS:
        return None
    return " ".join(words)


def _speaker_in(text: str) -> str | None:
    for cue in _CUES:
        for m in cue.finditer(text):
            name = _person(m.group("name"))
            if name:
                return name
    return None


def _quoted_speech(sentence: str, quote: re.Match[str], before: str) -> Reported | None:
    outside = sentence[: quote.start()] + " " + sentence[quote.end() :]
    speaker = _speaker_in(outside)
    # “...,” he said — or a quotation opening the sentence — names its speaker just before.
    if speaker is None and (not sentence[: quote.start()].strip() or _PRONOUN_SAID.search(outside)):
        speaker = _speaker_in(before)
    return Reported(speaker, quote.start() + 1, quote.end() - 1) if speaker else None


def _colon_speech(sentence: str, before: str) -> Reported | None:
    end = len(sentence.rstrip(' "”'))
    m = _SAID_COLON.search(sentence)
    if m and len(sentence[m.end() :].split()) >= MIN_QUOTED_WORDS and (name := _person(m.group("name"))):
        return Reported(name, m.end(), end)
    lead = _SAID_LINE.match(before) or _SAID_COLON.search(before)
    if lead and not before[lead.end() :].strip() and (name := _person(lead.group("name"))):
        return Reported(name, 0, end)
    opening = _OPENS_QUOTE.match(sentence)
    if opening and len(sentence.split()) >= MIN_QUOTED_WORDS and (name := _speaker_in(before)):
        return Reported(name, opening.end(), end)
    return None


def reported_speech(sentence: str, before: str = "") -> Reported | None:
    """Words in `sentence` that someone else said, and who, when the sentence
    (or the one just before it, `before`) makes it clear: a quotation with a
    named speaker, or "NAME said: words"."""
    quote = _quotation(sentence)
    if quote:
        return _quoted_speech(sentence, quote, before)
    return _colon_speech(sentence, before)


def same_person(a: str | None, b: str | None) -> bool:
    """"Elon" and "Elon Musk" are the same person; "mspohr" and "MSpohr" too."""
    if not a or not b:
        return False
    x, y = {w.casefold() for w in a.split()}, {w.casefold() for w in b.split()}
    return bool(x & y)
