"""robots.txt as RFC 9309 reads it.

Groups are chosen by product token (ours, else `*`); within them the
longest matching rule wins and Allow wins a tie; `*` and a final `$` are
the only special characters. Crawl-delay is not in the RFC but is honoured
as a longer interval, because asking for it is asking politely.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB
_LINE = re.compile(r"^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$")


def _normalise(path: str) -> str:
    """Percent-encode what must be encoded and unify escapes, so that
    '/a%7eb', '/a~b' and '/ä' compare the way RFC 9309 2.2.2 asks."""
    return quote(unquote(path), safe="/?&=;:@!$'()*+,~-._")


@dataclass(frozen=True)
class Rule:
    allow: bool
    length: int  # of the encoded pattern: the longest match is the most specific
    regex: re.Pattern[str]

    @classmethod
    def make(cls, allow: bool, pattern: str) -> Rule:
        anchored = pattern.endswith("$")
        body = _normalise(pattern[:-1] if anchored else pattern)
        regex = ".*".join(re.escape(piece) for piece in body.split("*")) + (r"\Z" if anchored else "")
        return cls(allow, len(body), re.compile(regex))


@dataclass(frozen=True)
class RobotsRules:
    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False  # robots.txt unreachable: RFC 9309 2.3.1.4
    source: str = ""

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        path = _normalise((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if parts.path == "/robots.txt":
            return True
        if self.disallow_all:
            return False
        best: Rule | None = None
        for rule in self.rules:
            if rule.regex.match(path) and (
                best is None or rule.length > best.length or (rule.length == best.length and rule.allow)
            ):
                best = rule
        return best is None or best.allow


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    delay: float | None = None


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for raw in text.splitlines():
        match = _LINE.match(raw.split("#", 1)[0])
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "user-agent":
            if current is None or current.rules or current.delay is not None:
                current = _Group()
                groups.append(current)
            current.agents.append(value.split("/")[0].strip().lower())
        elif current is not None and key in ("allow", "disallow") and value:
            current.rules.append(Rule.make(key == "allow", value))
        elif current is not None and key == "crawl-delay":
            try:
                current.delay = float(value)
            except ValueError:
                pass
    return groups


def parse_robots(text: str, product: str, source: str = "") -> RobotsRules:
    groups = _groups(text)
    token = product.lower()
    chosen = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    delays = [g.delay for g in chosen if g.delay is not None]
    rules = tuple(rule for g in chosen for rule in g.rules)
    return RobotsRules(rules, max(delays) if delays else None, source=source)
