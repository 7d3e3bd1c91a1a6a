"""Who a question asks about: "what did X say", "according to X", "X's view
on", "posts by X", "@X". A phrase is matched fuzzily against the index's
authors and quoted speakers; a capitalised name the index does not know
("Elon") is kept as a *reported* speaker, whose words posts may relay."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

# Matching scores at or above this name a member of the index.
MATCH_AT = 0.85
# Shorter phrases only match a name exactly ("was" is not the member "WASD").
FUZZY_FROM = 4
# "from X" and "by X" are common English; they name a member only on a near-exact match.
WEAK_MATCH_AT = 0.95

_NAME = r"@?[A-Za-z0-9_][\w.\-]*(?:\s+[A-Za-z0-9_][\w.\-]*){0,3}?"
_VERBS = (
    r"say|said|says|think|thinks|thought|write|wrote|writes|mention|mentioned|claim|claimed|post|posted|"
    r"tweet|tweeted|argue|argued|suggest|suggested|recommend|recommended|report|reported|describe|described|"
    r"explain|explained|feel|felt|believe|believed|predict|predicted|ask|asked|answer|answered|reply|replied|"
    r"respond|responded|complain|complained|note|noted|propose|proposed|make of|reckon|share|shared|quote|"
    r"quoted|comment|commented|state|stated|announce|announced|admit|admitted|promise|promised|warn|warned|"
    r"conclude|concluded|mean|meant|expect|expected|want|wanted|pay|paid|get|got|buy|bought|see|saw|find|found|"
    r"give|gave|offer|offered|blame|blamed|insist|insisted|estimate|estimated|guess|guessed"
)
_VIEW_NOUNS = (
    r"view|views|opinion|opinions|take|thoughts|position|argument|point|claim|claims|comment|comments|words|"
    r"answer|reply|response|advice|experience|prediction|predictions|stance|explanation|post|posts|quote|tweet"
)
_END = (
    r"(?=\s*(?:[,.?!;:]|$|\b(?:about|on|regarding|concerning|in|for|when|what|how|why|is|was|did|does|that|"
    r"since|before|after|until|during|last|this|and|or|to)\b))"
)
@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    weak: bool = False  # needs a near-exact index name
    name_first: bool = False  # the phrase may start too early ("What is Daniel's view"): try its tails


_PATTERNS = tuple(
    _Pattern(re.compile(p, re.IGNORECASE), weak, first)
    for p, weak, first in (
        (rf"\b(?:did|does|do|has|have|had|would|will)\s+(?P<name>{_NAME})\s+(?:{_VERBS})\b", False, False),
        (rf"\baccording\s+to\s+(?P<name>{_NAME}){_END}", False, False),
        (rf"(?P<name>{_NAME})(?:'s|’s|')\s+(?:(?:own|latest|last|first|main)\s+)?(?:{_VIEW_NOUNS})\b", False, True),
        (rf"\b(?:what|how|why|where|when)\s+(?P<name>{_NAME})\s+(?:says|said|wrote|writes|thinks|thought|claims|claimed|meant|means|posted|argued|argues|suggested|suggests|recommended|recommends)\b", False, False),
        (rf"\b(?P<name>{_NAME})\s+(?:said|says|wrote|claimed|claims|argued|tweeted)\s+(?:that|about)\b", False, True),
        (rf"\b(?:by|from)\s+(?:the\s+)?(?:user|member|poster)?\s*(?P<name>@?[\w][\w.\-]*(?:\s+[\w][\w.\-]*){{0,2}}?){_END}", True, False),
        (r"(?<![\w@])@(?P<name>[\w][\w.\-]*[\w])", False, False),
    )
)
_GENERIC = frozenset(
    """the a an any some most many other others people anyone someone everyone everybody nobody somebody they he
    she it you i we this that these those owners owner users user members member poster posters folks guys op
    tesla's forum thread everybody's one was were is are be been has have had did does do exactly really actually
    also else""".split()
)
_FILLER = frozenset("the a an user member poster forum tmc".split())
# Words that open time phrases ("from May", "by Friday") are never names.
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday today yesterday tomorrow week weekend month year now then""".split()
) | _GENERIC


@dataclass(frozen=True)
class Mention:
    name: str  # an index name, or the phrase as written for a reported speaker
    span: tuple[int, int]  # where the phrase sits in the question
    in_index: bool
    score: float


def normalized(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


class NameMatcher:
    """Fuzzy lookup of a phrase among the index's names."""

    def __init__(self, names: dict[str, int]) -> None:
        self.by_key: dict[str, str] = {}
        for name, count in sorted(names.items(), key=lambda item: item[1]):
            key = normalized(name)
            if key:
                self.by_key[key] = name  # the most frequent spelling wins
        self.words: dict[str, list[str]] = {}
        for key, name in self.by_key.items():
            for word in name.split():
                if len(name.split()) > 1 and len(word) >= 3:
                    self.words.setdefault(normalized(word), []).append(name)

    def match(self, phrase: str) -> tuple[str, float] | None:
        key = normalized(phrase)
        if len(key) < 2:
            return None
        if key in self.by_key:
            return self.by_key[key], 1.0
        best: tuple[str, float] | None = None
        if len(key) < FUZZY_FROM:
            return None
        for close in difflib.get_close_matches(key, self.by_key, n=3, cutoff=MATCH_AT):
            ratio = difflib.SequenceMatcher(None, key, close).ratio()
            if best is None or ratio > best[1]:
                best = (self.by_key[close], ratio)
        if best is None and len(self.words.get(key, ())) == 1:
            best = (self.words[key][0], MATCH_AT)
        return best


def _candidates(phrase: str, any_tail: bool) -> Iterable[tuple[str, int]]:
    """The phrase, then its tails: without leading filler ("the user gnuarm" ->
    "gnuarm"), or every tail when the phrase may have started too early."""
    offset = 0
    while phrase:
        if phrase.casefold() not in _NOT_NAMES:
            yield phrase, offset
        head, _, rest = phrase.partition(" ")
        if not rest or not (any_tail or head.casefold() in _FILLER):
            return
        offset += len(head) + 1
        phrase = rest


def _looks_like_a_name(phrase: str) -> bool:
    tokens = phrase.lstrip("@").split()
    if not tokens or tokens[0].casefold() in _GENERIC:
        return False
    return all(t[0].isupper() or t[0].isdigit() for t in tokens if t.casefold() not in {"de", "van", "von", "in"})


def find_mentions(question: str, matcher: NameMatcher) -> list[Mention]:
    found: dict[str, Mention] = {}
    for pattern in _PATTERNS:
        for m in pattern.regex.finditer(question):
            phrase, start = m.group("name").strip(), m.start("name")
            mention = _resolve(phrase, start, matcher, pattern)
            if mention and (mention.name not in found or found[mention.name].score < mention.score):
                found[mention.name] = mention
    return sorted(found.values(), key=lambda m: m.span)


def _resolve(phrase: str, start: int, matcher: NameMatcher, pattern: _Pattern) -> Mention | None:
    threshold = WEAK_MATCH_AT if pattern.weak else MATCH_AT
    best: Mention | None = None
    for tail, offset in _candidates(phrase, pattern.name_first):
        hit = matcher.match(tail.lstrip("@"))
        if hit and hit[1] >= threshold and (best is None or hit[1] > best.score):
            best = Mention(hit[0], (start + offset, start + len(phrase)), True, hit[1])
    if best is not None or pattern.weak:
        return best
    for tail, offset in _candidates(phrase, pattern.name_first):
        if _looks_like_a_name(tail):
            return Mention(tail.lstrip("@"), (start + offset, start + len(phrase)), False, 0.0)
    return None
