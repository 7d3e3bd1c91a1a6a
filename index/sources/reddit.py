"""Reddit threads as the JSON API returns them (`/r/SUB/comments/ID/.json`).

The response is two Listings: the link (t3) and its comment tree (t1, with
`replies` nested to any depth, and "more" stubs for comments not sent).
The link is post #1, comments follow depth-first. A comment's HTML body is
stored HTML-escaped in `body_html`; a `>` quote names nobody, so it is a quote
with no author. "more" stubs are counted in a warning.
"""
from __future__ import annotations

import html
import json

from ..errors import InputError
from ..records import Block, ParsedThread, Post, Thread
from .dates import from_unix
from .htmlblocks import Dialect, Quote, blocks_from_html
from .pages import finish, thread_id
from .textquotes import mentions

FORMAT = "reddit"
SITE = "https://www.reddit.com"
_DIALECT = Dialect(quote=lambda node: Quote(None, None, node) if node.tag == "blockquote" else None)


def sniff(head: str) -> bool:
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("[") and '"Listing"' in head and '"t3"' in head


def _body(data: dict) -> list[Block]:
    rendered = data.get("body_html") or data.get("selftext_html")
    if rendered:
        return blocks_from_html(html.unescape(rendered), _DIALECT)
    text = (data.get("body") or data.get("selftext") or "").strip()
    return [Block("own", text)] if text else []


def _author(data: dict) -> str | None:
    name = data.get("author")
    return None if name in (None, "", "[deleted]") else name


def _comments(children: list, thread: Thread, permalink: str, out: list[Post], stubs: list[int]) -> None:
    # Depth-first with an explicit stack: reply chains can be very deep.
    stack = list(reversed(children))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict) or item.get("kind") != "t1":
            if isinstance(item, dict) and item.get("kind") == "more":
                stubs.append(len((item.get("data") or {}).get("children") or []))
            continue
        data = item.get("data") or {}
        blocks = _body(data)
        parent = str(data.get("parent_id") or "")
        out.append(Post(
            id=str(data["id"]), thread_id=thread.id, number=len(out) + 1, blocks=tuple(blocks), author=_author(data),
            posted_at=from_unix(data.get("created_utc")), permalink=f"{permalink}{data['id']}/",
            reply_to=parent.split("_", 1)[1] if "_" in parent else None, mentions=mentions(blocks),
        ))
        replies = data.get("replies")
        if isinstance(replies, dict):
            stack.extend(reversed((replies.get("data") or {}).get("children") or []))


def parse(text: str, source: str) -> list[ParsedThread]:
    try:
        listings = json.loads(text)
        link = listings[0]["data"]["children"][0]["data"]
        comments = listings[1]["data"]["children"] if len(listings) > 1 else []
    except ValueError as exc:
        raise InputError(source, f"malformed JSON: {exc}") from None
    except (KeyError, IndexError, TypeError):
        raise InputError(source, "not a Reddit thread: expected [link Listing, comments Listing]") from None
    permalink = SITE + (link.get("permalink") or f"/comments/{link.get('id')}/")
    title = link.get("title") or f"Reddit thread {link.get('id')}"
    thread = Thread(thread_id(FORMAT, link.get("id"), title), title, permalink, FORMAT)
    blocks = _body(link) or ([Block("own", f"[link: {link['url']}]")] if link.get("url") else [])
    posts = [Post(
        id=str(link.get("id")), thread_id=thread.id, number=1, blocks=tuple(blocks), author=_author(link),
        posted_at=from_unix(link.get("created_utc")), permalink=permalink, mentions=mentions(blocks),
    )]
    stubs: list[int] = []
    _comments(comments, thread, permalink, posts, stubs)
    warnings = []
    if stubs:
        warnings.append(
            f"{source}: incomplete thread: {sum(stubs)} comments behind {len(stubs)} \"more\" links are not in this file"
        )
    return [finish(thread, posts, warnings, source)]
