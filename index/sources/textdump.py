"""Forum pages saved as plain text (a browser's "Save as text").

Layout of such a page (the bundled TMC thread is one): site chrome and the
thread title, then posts separated by lines holding a single no-break space.
A post's reaction bar ("• Like" / "Reactions: NAME, NAME") comes right after
the separator and belongs to the post above it. Authors and dates are not in
the text, so they stay unknown.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..records import ParsedThread, Post, Thread
from .textquotes import mentions, split_quotes

FORMAT = "textdump"
SEPARATOR = "\u00a0"
_AFFILIATE = "This site may earn commission on affiliate links."
_CHROME = {
    _AFFILIATE,
    "Register",
    "Log in",
    "Sign up",
    "Menu",
    "Search",
    "What's new",
    "Forums",
    "Install the app",
}
_REACTION_KINDS = re.compile(r"^\s*•\s*(?P<kinds>\S.*)$")
_REACTIONS = re.compile(r"^\s*Reactions:\s*(?P<users>.+?)\s*$")
_OTHERS = re.compile(r"^\d+\s+others?$")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "thread"


def sniff(head: str) -> bool:
    return "\n" + SEPARATOR + "\n" in head.replace("\r\n", "\n") or _AFFILIATE in head


def _header(lines: list[str]) -> tuple[str | None, int]:
    """(title, index of the first body line) from the page chrome."""
    for i, line in enumerate(lines[:40]):
        if line.strip() == _AFFILIATE:
            candidates = [l.strip() for l in lines[:i] if l.strip() and l.strip() not in _CHROME]
            return (candidates[-1] if candidates else None), i + 1
    return None, 0


def _is_separator(line: str) -> bool:
    return line.strip(" \t") == SEPARATOR


def _segments(lines: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for line in lines:
        if _is_separator(line):
            segments.append([])
        elif line.strip() not in _CHROME or not line.strip():
            segments[-1].append(line)
    return segments


def _take_reactions(segment: list[str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Leading reaction lines of a segment, and the lines after them."""
    kinds: list[str] = []
    users: tuple[str, ...] = ()
    i = 0
    while i < len(segment):
        line = segment[i]
        if not line.strip():
            i += 1
        elif match := _REACTION_KINDS.match(line):
            kinds += [k.strip() for k in match.group("kinds").split("•") if k.strip()]
            i += 1
        elif match := _REACTIONS.match(line):
            names = re.split(r",\s*|\s+and\s+", match.group("users"))
            users = tuple(n.strip() for n in names if n.strip() and not _OTHERS.match(n.strip()))
            i += 1
        else:
            break
    if not kinds and not users:
        return {}, segment
    # The text form does not say which member chose which kind when there are
    # several kinds, so the members are filed under all of them together.
    key = kinds[0] if len(kinds) == 1 else (", ".join(kinds) if kinds else "Reaction")
    return {key: users}, segment[i:]


def parse(text: str, source: str) -> list[ParsedThread]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, body_start = _header(lines)
    title = title or Path(source).stem.replace("-", " ").replace("_", " ").strip() or "Untitled thread"
    thread = Thread(id=slugify(title), title=title, url=None, source_format=FORMAT)
    bodies: list[list[str]] = []
    reactions: list[dict[str, tuple[str, ...]]] = []
    for segment in _segments(lines[body_start:]):
        found, rest = _take_reactions(segment)
        if found and reactions:
            reactions[-1] = {**reactions[-1], **found}
        if any(line.strip() for line in rest):
            bodies.append(rest)
            reactions.append({})
    if not bodies:
        raise InputError(source, "no posts found in the text")
    posts = []
    for number, (body, post_reactions) in enumerate(zip(bodies, reactions), start=1):
        blocks = split_quotes("\n".join(body))
        posts.append(
            Post(
                id=f"{thread.id}-{number}",
                thread_id=thread.id,
                number=number,
                blocks=tuple(blocks),
                reactions=post_reactions,
                mentions=mentions(blocks),
            )
        )
    return [ParsedThread(thread=thread, posts=tuple(posts))]
