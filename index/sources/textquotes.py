"""XenForo quote blocks as they look once a page is flattened to text.

Two forms occur in the wild:

* web page saved as text::

      NAME said:
      quoted words
      Click to expand...

* TMC text exports (and the CSV exports built from them)::

      NAME said:
      ↑

      quoted words
      "

  The arrow (a link back to the quoted post) is missing when the quoted
  words were not a forum post ("Elon Musk said:" over a tweet); the header
  then counts when a closing line follows before any other header.

Quotes nest (a quote of a reply that itself quoted someone); each run of
lines is credited to the innermost open quote, or to the post author when no
quote is open.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Block

_SAID = re.compile(r"^\s*(?P<name>\S(?:.{0,58}\S)?)\s+said:\s*$")
_ARROW = re.compile(r"^\s*↑\s*$")
_CLOSE_EXPORT = re.compile(r'^\s*["”]\s*$')
_CLOSE_WEB = re.compile(r"^\s*Click to expand\.\.\.\s*$")
_MENTION = re.compile(r"(?<![\w@./])@([A-Za-z0-9_][\w.\-]{0,38}[A-Za-z0-9_])")
_BLANK_RUN = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+\n")


@dataclass
class _Run:
    speaker: str | None  # None: the post author's own words
    lines: list[str]


def _next_content_line(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def _opens_quote(lines: list[str], i: int, web_closers: int) -> tuple[str, int] | None:
    """(quoted name, index of the first quoted line) when line i opens a quote."""
    match = _SAID.match(lines[i])
    if not match:
        return None
    nxt = _next_content_line(lines, i + 1)
    if nxt is not None and _ARROW.match(lines[nxt]):
        return match.group("name"), nxt + 1
    # Without the arrow, "X said:" is only a quote header when a closer
    # follows; otherwise it is ordinary prose ("Elon said: ...").
    if web_closers > 0 or _export_close_ahead(lines, i + 1):
        return match.group("name"), i + 1
    return None


def _export_close_ahead(lines: list[str], start: int) -> bool:
    for line in lines[start:]:
        if _SAID.match(line):
            return False
        if _CLOSE_EXPORT.match(line):
            return True
    return False


def split_quotes(body: str) -> list[Block]:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    web_closers = sum(1 for line in lines if _CLOSE_WEB.match(line))
    stack: list[str] = []
    runs: list[_Run] = [_Run(None, [])]
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _opens_quote(lines, i, web_closers)
        if opened:
            name, i = opened
            stack.append(name)
            runs.append(_Run(name, []))
            continue
        closer = _CLOSE_WEB.match(line) or _CLOSE_EXPORT.match(line)
        if stack and closer:
            if _CLOSE_WEB.match(line):
                web_closers -= 1
            stack.pop()
            runs.append(_Run(stack[-1] if stack else None, []))
        else:
            runs[-1].lines.append(line)
        i += 1
    return merge_adjacent([block for run in runs if (block := _to_block(run))])


def _to_block(run: _Run) -> Block | None:
    text = _BLANK_RUN.sub("\n\n", "\n".join(run.lines)).strip()
    if not text:
        return None
    if run.speaker is None:
        return Block(kind="own", text=text)
    return Block(kind="quote", text=text, quoted_author=run.speaker)


def merge_adjacent(blocks: list[Block]) -> list[Block]:
    """Consecutive runs by the same speaker become one block."""
    merged: list[Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        if prev and (prev.kind, prev.quoted_author, prev.quoted_post_id) == (
            block.kind,
            block.quoted_author,
            block.quoted_post_id,
        ):
            merged[-1] = Block(prev.kind, prev.text + "\n\n" + block.text, prev.quoted_author, prev.quoted_post_id)
        else:
            merged.append(block)
    return merged


def mentions(blocks: list[Block]) -> tuple[str, ...]:
    """@names in the author's own words (a quote's mentions are the quoted author's)."""
    seen: dict[str, None] = {}
    for block in blocks:
        if block.kind == "own":
            for name in _MENTION.findall(block.text):
                seen.setdefault(name, None)
    return tuple(seen)
