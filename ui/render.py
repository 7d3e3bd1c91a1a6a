"""Answers and citation cards as HTML.

Everything that comes from a post or a model is escaped here, on the server:
the browser only ever receives markup this module wrote. [n] markers become
links to the card of citation n; a sentence the citation checker flagged
(rag.compose.citecheck writes it as "⚠ claim [unsupported: why]") is marked.
"""
from __future__ import annotations

import re
from html import escape
from typing import Iterable, Mapping, Sequence

from rag.types import Citation

# A run of markers such as "[1]" or "[1][3]" (with optional spaces).
_MARKERS = re.compile(r"(?:\s*\[\d{1,3}\])+")
_NUMBER = re.compile(r"\[(\d{1,3})\]")
# How a flagged sentence reads in Answer.text (see rag.compose.citecheck).
_FLAGGED = re.compile(r"⚠ (?P<claim>.+?) \[unsupported: (?P<why>[^\]]*)\]")
EXCERPT_CONTEXT = 260  # characters of the post shown on each side of the quote


def card_id(turn: int, n: int) -> str:
    return f"fr-{turn}-{n}"


def _text(value: str) -> str:
    return escape(value, quote=True)


def _marker_links(run: str, turn: int, known: set[int], final: bool) -> str:
    links = []
    for number in (int(m) for m in _NUMBER.findall(run)):
        if not final:  # citations are only known once the answer is complete
            links.append(f'<span class="fr-cite">{number}</span>')
        elif number in known:
            links.append(f'<a class="fr-cite" href="#{card_id(turn, number)}" title="Show source {number}">{number}</a>')
        else:  # a marker with no citation behind it is shown, never linked
            links.append(f'<span class="fr-cite fr-cite-missing" title="No such source">{number}</span>')
    return "".join(links)


def _plain(run: str, turn: int, known: set[int], final: bool) -> str:
    parts, position = [], 0
    for match in _MARKERS.finditer(run):
        parts.append(_text(run[position : match.start()]))
        parts.append(_marker_links(match.group(), turn, known, final))
        position = match.end()
    return "".join(parts) + _text(run[position:])


def _line(line: str, turn: int, known: set[int], final: bool) -> str:
    if not final:  # verdicts arrive with the finished answer
        return _plain(line, turn, known, final)
    parts, position = [], 0
    for match in _FLAGGED.finditer(line):
        parts.append(_plain(line[position : match.start()], turn, known, final))
        parts.append(f'<span class="fr-unsupported" title="{_text(match.group("why"))}">{_text(match.group("claim"))}</span>'
                     '<span class="fr-badge fr-badge-warn">not in the posts</span>')
        position = match.end()
    return "".join(parts) + _plain(line[position:], turn, known, final)


def answer_body(text: str, turn: int, citations: Sequence[Citation] = (), *, final: bool = True) -> str:
    """The answer text with linked markers; `final=False` while it streams."""
    known = {c.n for c in citations}
    lines = [_line(line, turn, known, final) for line in text.split("\n") if line.strip()] or [""]
    if not final:
        lines[-1] += '<span class="fr-cursor" aria-hidden="true"></span>'
    return '<div class="fr-answer">' + "".join(f'<p class="fr-line">{line}</p>' for line in lines) + "</div>"


def _link(url: str | None, label: str) -> str:
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return ""  # javascript:, data: and relative links from a source stay text
    return f'<a class="fr-permalink" href="{_text(url)}" target="_blank" rel="noopener noreferrer nofollow">{label}</a>'


def _located(post_text: str | None, c: Citation) -> tuple[str, int, int] | None:
    """The post text and where the quote sits in it, if it can be found."""
    if not post_text:
        return None
    if post_text[c.quote_start : c.quote_end] == c.quote:
        return post_text, c.quote_start, c.quote_end
    found = post_text.find(c.quote)
    return (post_text, found, found + len(c.quote)) if found >= 0 else None


def _marked(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> str:
    hi = len(text) if hi is None else hi
    return f"{_text(text[lo:start])}<mark>{_text(text[start:end])}</mark>{_text(text[end:hi])}"


def _excerpt(text: str, start: int, end: int) -> tuple[str, bool]:
    """The quote highlighted in its surrounding words; True when cut."""
    lo, hi = max(0, start - EXCERPT_CONTEXT), min(len(text), end + EXCERPT_CONTEXT)
    if lo > 0:
        lo = max(lo, text.find(" ", lo, start) + 1)
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space > 0 else hi
    body = _marked(text, start, end, lo, hi)
    return ("…" if lo else "") + body + ("…" if hi < len(text) else ""), bool(lo or hi < len(text))


def _post_body(c: Citation, post_text: str | None) -> str:
    located = _located(post_text, c)
    if located is None:
        return f'<blockquote class="fr-post"><mark>{_text(c.quote)}</mark></blockquote>'
    text, start, end = located
    excerpt, cut = _excerpt(text, start, end)
    body = f'<blockquote class="fr-post">{excerpt}</blockquote>'
    if cut:
        body += f'<details class="fr-whole"><summary>Whole post</summary><div class="fr-post">{_marked(text, start, end)}</div></details>'
    return body


def card(turn: int, c: Citation, post_text: str | None) -> str:
    who = f'<strong class="fr-author">{_text(c.author or "unknown member")}</strong>'
    if c.speaker and c.speaker != c.author:
        who += f' <span class="fr-quoting">quoting <strong>{_text(c.speaker)}</strong></span>'
    date = f'<time datetime="{_text(c.posted_at)}">{_text(c.posted_at[:10])}</time>' if c.posted_at else ""
    meta = " · ".join(x for x in (date, f"post #{c.post_number}", f'<span class="fr-thread">{_text(c.thread_title)}</span>') if x)
    return (
        f'<li class="fr-card" id="{card_id(turn, c.n)}">'
        f'<div class="fr-card-head"><span class="fr-n">{c.n}</span> {who}'
        f'{_link(c.url, "open post ↗")}</div>'
        f'<div class="fr-meta">{meta}</div>{_post_body(c, post_text)}</li>'
    )


def cards(turn: int, citations: Iterable[Citation], post_texts: Mapping[str, str]) -> str:
    items = "".join(card(turn, c, post_texts.get(c.post_id)) for c in citations)
    return f'<div class="fr-sources"><div class="fr-sources-title">Sources</div><ol>{items}</ol></div>' if items else ""


def notes(items: Iterable[str]) -> str:
    shown = "".join(f"<li>{_text(note)}</li>" for note in items)
    return f'<ul class="fr-notes">{shown}</ul>' if shown else ""


def abstention(text: str) -> str:
    return f'<div class="fr-answer fr-abstained"><span class="fr-badge">no answer in the posts</span><p class="fr-line">{_text(text)}</p></div>'


def plain(text: str, kind: str = "") -> str:
    """A message that is text only: the user's question, an error, a notice."""
    cls = f"fr-plain {kind}".strip()
    return f'<div class="{cls}">{_text(text)}</div>'
