"""Simple Machines Forum (SMF 2) topic pages saved as HTML.

    .poster h4 a                      the author
    .keyinfo h5 a[href*=msgID]        the post's permalink; ".smalltext" "« Reply #N on: DATE »"
    div.inner[id=msg_ID]              the body
    div.quoteheader "Quote from: NAME on DATE" (link to msgID) + blockquote + div.quotefooter
"""
from __future__ import annotations

import re

from ..records import ParsedThread, Post, Thread
from .dates import iso
from .htmlblocks import Dialect, Node, Quote, blocks_from_node, classes, parse_html, text_of
from .pages import finish, heading, page_url, thread_id, title_or_stem
from .textquotes import mentions

FORMAT = "smf"
_FROM = re.compile(r"Quote from:\s*(?P<name>.+?)(?:\s+on\s+.*)?$")
_MSG = re.compile(r"msg(\d+)")
_ON = re.compile(r"(?:Reply #(?P<reply>\d+)\s*)?on:\s*(?P<date>.+?)\s*»?\s*$")
_TOPIC = re.compile(r"topic[=,](\d+)")


def _header(node: Node) -> Node | None:
    prev = node.prev
    while prev is not None and not prev.is_element_node:
        prev = prev.prev
    return prev if prev is not None and "quoteheader" in classes(prev) else None


def _quote(node: Node) -> Quote | None:
    if node.tag != "blockquote" or not any(c.startswith("bbc_") for c in classes(node)):
        return None
    header = _header(node)
    named = _FROM.match(text_of(header)) if header is not None else None
    link = header.css_first("a[href]") if header is not None else None
    where = _MSG.search(link.attributes.get("href") or "") if link is not None else None
    return Quote(named.group("name").strip() if named else None, where.group(1) if where else None, node)


DIALECT = Dialect(quote=_quote, chrome=frozenset({"quoteheader", "quotefooter", "codeheader"}))


def sniff(head: str) -> bool:
    return bool(re.search(r"""<div class=["']inner["'] id=["']msg_\d+""", head))


def _post(inner: Node, thread: Thread, position: int) -> Post:
    container = inner
    while container.parent is not None and container.css_first(".poster") is None:
        container = container.parent
    info = _ON.search(text_of(container.css_first(".keyinfo .smalltext")))
    link = container.css_first(".keyinfo h5 a[href]")
    post_id = inner.attributes["id"].removeprefix("msg_")
    blocks = blocks_from_node(inner, DIALECT)
    return Post(
        id=post_id, thread_id=thread.id, number=int(info.group("reply")) + 1 if info and info.group("reply") else position,
        blocks=tuple(blocks), author=text_of(container.css_first(".poster h4")) or None,
        posted_at=iso(info.group("date")) if info else None,
        permalink=re.sub(r"[?&]PHPSESSID=\w+", "", link.attributes["href"]) if link is not None else None,
        mentions=mentions(blocks),
    )


def parse(text: str, source: str) -> list[ParsedThread]:
    tree = parse_html(text)
    here = page_url(tree, source)
    title = title_or_stem(heading(tree, "title"), source)
    topic = _TOPIC.search(here or "") or _TOPIC.search(text[:200_000])
    thread = Thread(thread_id(FORMAT, topic.group(1) if topic else None, title), title, here, FORMAT)
    posts = [_post(inner, thread, i) for i, inner in enumerate(tree.css("div.inner[id^='msg_']"), start=1)]
    return [finish(thread, posts, [], source)]
