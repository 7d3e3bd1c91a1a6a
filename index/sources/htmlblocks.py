"""HTML post bodies to plain-text Blocks, shared by every HTML-based format.

The parser is selectolax (the Lexbor engine): it builds the same tree a
browser builds from broken markup, parses a page in milliseconds, and is one
self-contained wheel. Each forum format supplies a Dialect saying which
elements are quotes (and whose words they hold) and which elements are
chrome to drop ("NAME said:", "Click to expand..."); everything else is
rendered here the same way for all formats: text stays plain text, line
breaks and paragraphs survive, media and attachments become short
placeholders, and nested quotes are credited to the innermost quoted member.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..records import Block
from .textquotes import merge_adjacent

Node = LexborNode

# Rendered as paragraph breaks (a blank line) or line breaks around their text.
_PARAGRAPH = {"p", "ul", "ol", "dl", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "figure"}
_LINE = {"div", "li", "tr", "dt", "dd", "section", "article", "aside", "header", "footer", "details", "summary", "figcaption"}
_DROP = {"script", "style", "noscript", "template", "button", "select", "input", "textarea", "svg", "head", "title", "meta", "link"}
_MEDIA = {"iframe", "video", "audio", "embed", "object"}
_SPACES = re.compile(r"[ \t\r\n\f\u200b]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_SPACE_RUN = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True)
class Quote:
    """A quote element: who is quoted, which post, and where the words are."""

    author: str | None
    post_id: str | None
    body: Node


@dataclass(frozen=True)
class Dialect:
    quote: Callable[[Node], Quote | None] = lambda node: None
    # Class names of elements that are page chrome inside a post body.
    chrome: frozenset[str] = frozenset()
    # Format-specific placeholders (e.g. a media embed wrapper); None = render normally.
    placeholder: Callable[[Node], str | None] = lambda node: None


def parse_html(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def fragment(html: str) -> Node:
    """The <body> of a post-body fragment, for walking."""
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    return tree.body


def attr(node: Node | None, name: str) -> str | None:
    if node is None:
        return None
    value = node.attributes.get(name)
    return value.strip() if value and value.strip() else None


def classes(node: Node) -> list[str]:
    return (node.attributes.get("class") or "").split()


def text_of(node: Node | None) -> str:
    """A node's visible text on one line (titles, names, dates)."""
    if node is None:
        return ""
    return _SPACES.sub(" ", node.text(deep=True, separator=" ")).strip()


def image_placeholder(node: Node) -> str:
    alt = (attr(node, "alt") or "").strip()
    kind = (attr(node, "class") or "").lower() + " " + (attr(node, "src") or "").lower()
    if "smilie" in kind or "emoji" in kind or "/smilies/" in kind:
        return alt  # ":D" or the emoji itself reads as text
    if alt and alt.lower() not in {"image", "img", "photo"}:
        return f"[image: {alt}]"
    return "[image]"


def media_placeholder(node: Node) -> str:
    src = attr(node, "src") or attr(node, "data-src") or attr(node, "data")
    return f"[media: {src.split('?', 1)[0]}]" if src else "[media]"


@dataclass
class _Run:
    speaker: str | None
    post_id: str | None
    quoted: bool
    parts: list[str] = field(default_factory=list)


class _Renderer:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.runs: list[_Run] = [_Run(None, None, False)]
        self.open: list[_Run] = []  # quote contexts, innermost last
        self.pre = 0

    def emit(self, text: str) -> None:
        self.runs[-1].parts.append(text)

    def gap(self, newlines: int) -> None:
        """At least this many line breaks here (block elements do not stack)."""
        have = 0
        for part in reversed(self.runs[-1].parts):
            stripped = part.rstrip(" \t")
            have += len(stripped) - len(stripped.rstrip("\n"))
            if stripped.rstrip("\n"):
                break
        if have < newlines:
            self.emit("\n" * (newlines - have))

    def start_quote(self, quote: Quote) -> None:
        self.open.append(_Run(quote.author, quote.post_id, True))
        self.runs.append(_Run(quote.author, quote.post_id, True))

    def end_quote(self) -> None:
        self.open.pop()
        outer = self.open[-1] if self.open else _Run(None, None, False)
        self.runs.append(_Run(outer.speaker, outer.post_id, outer.quoted))

    def blocks(self) -> list[Block]:
        blocks = []
        for run in self.runs:
            text = tidy("".join(run.parts))
            if not text:
                continue
            if run.quoted:
                blocks.append(Block("quote", text, run.speaker, run.post_id))
            else:
                blocks.append(Block("own", text))
        return merge_adjacent(blocks)


def tidy(text: str) -> str:
    lines = [_SPACE_RUN.sub(" ", line.strip(" \t\u00a0")) for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def _walk(root: Node, r: _Renderer) -> None:
    # An explicit stack instead of recursion: hostile markup nests deeper than
    # Python's recursion limit.
    stack: list[tuple[str, object]] = [("node", child) for child in reversed(list(root.iter(include_text=True)))]
    while stack:
        action, item = stack.pop()
        if action == "gap":
            r.gap(item)  # type: ignore[arg-type]
        elif action == "end_quote":
            r.end_quote()
        elif action == "end_pre":
            r.pre -= 1
        else:
            stack.extend(_visit(item, r))  # type: ignore[arg-type]


def _visit(node: Node, r: _Renderer) -> list[tuple[str, object]]:
    """Renders what it can now; returns work for later, in stack order."""
    tag = node.tag
    if node.is_text_node:
        raw = node.text_content or ""
        r.emit(raw if r.pre else _SPACES.sub(" ", raw))
        return []
    if not node.is_element_node or tag in _DROP:
        return []
    d = r.dialect
    if d.chrome and not d.chrome.isdisjoint(classes(node)):
        return []
    placeholder = d.placeholder(node)
    if placeholder is not None:
        r.emit(f" {placeholder} " if placeholder else "")
        return []
    if tag == "br":
        r.emit("\n")
        return []
    if tag == "img":
        r.emit(f" {image_placeholder(node)} ")
        return []
    if tag in _MEDIA:
        r.emit(f"\n{media_placeholder(node)}\n")
        return []
    quote = d.quote(node)
    children = list(quote.body.iter(include_text=True)) if quote else list(node.iter(include_text=True))
    later: list[tuple[str, object]] = []
    if quote:
        r.start_quote(quote)
        later.append(("end_quote", None))
    gap = 2 if tag in _PARAGRAPH else 1 if tag in _LINE else 0
    if gap:
        r.gap(gap)
        later.append(("gap", gap))
    if tag == "li":
        r.emit("- ")
    if tag == "pre":
        r.pre += 1
        later.append(("end_pre", None))
    return later + [("node", child) for child in reversed(children)]


def blocks_from_node(root: Node, dialect: Dialect) -> list[Block]:
    """The post body under `root` as blocks: own words and credited quotes."""
    renderer = _Renderer(dialect)
    _walk(root, renderer)
    return renderer.blocks()


def blocks_from_html(html: str, dialect: Dialect) -> list[Block]:
    return blocks_from_node(fragment(html), dialect)

