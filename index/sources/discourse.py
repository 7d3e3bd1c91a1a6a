"""Discourse topics as their JSON API returns them.

`/t/ID.json` holds the topic (id, title, slug) and `post_stream` with the
first posts in `posts` and every post id in `stream`; `/t/ID/posts.json`
holds `post_stream.posts` only. Each post: id, post_number, username,
created_at, reply_to_post_number, cooked (the rendered HTML). Likes come as
counts without names, so reactions stay empty. Quotes are
`<aside class="quote" data-username=NAME data-post=N data-topic=ID>` around
a blockquote; N is a post *number*, turned into the post id when that post
is in the same file. A plain `<blockquote>` quotes someone unnamed.

A topic file whose `posts` is shorter than its `stream` is incomplete: the
ParsedThread says how many posts are missing, and `missing_post_ids()` gives
their ids for a crawler to fetch (`/t/ID/posts.json?post_ids[]=...`).
"""
from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from ..errors import InputError
from ..records import ParsedThread, Post, Thread
from .dates import iso
from .htmlblocks import Dialect, Node, Quote, attr, blocks_from_html, classes
from .pages import finish, is_url, thread_id
from .textquotes import mentions

FORMAT = "discourse"


def sniff(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").startswith("{") and '"post_stream"' in head


def load(text: str, source: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(source, f"malformed JSON: {exc}") from None
    stream = data.get("post_stream") if isinstance(data, dict) else None
    if not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
        raise InputError(source, "not a Discourse topic: no post_stream.posts list")
    return data


def missing_post_ids(data: dict) -> list[int]:
    """Ids in post_stream.stream whose posts are not in post_stream.posts."""
    stream = data.get("post_stream", {})
    have = {p.get("id") for p in stream.get("posts", []) if isinstance(p, dict)}
    return [i for i in stream.get("stream", []) if i not in have]


class Quotes:
    """Turns aside.quote into Quotes; post numbers become ids where known."""

    def __init__(self, topic: str, ids_by_number: dict[int, str]) -> None:
        self.topic = topic
        self.ids_by_number = ids_by_number

    def __call__(self, node: Node) -> Quote | None:
        if node.tag == "aside" and "quote" in classes(node):
            number = attr(node, "data-post")
            same_topic = attr(node, "data-topic") in (None, self.topic)
            post_id = self.ids_by_number.get(int(number)) if number and number.isdigit() and same_topic else None
            return Quote(attr(node, "data-username"), post_id, node.css_first("blockquote") or node)
        if node.tag == "blockquote":
            return Quote(None, None, node)
        return None


def _placeholder(node: Node) -> str | None:
    if node.tag == "aside" and "onebox" in classes(node):
        url = attr(node, "data-onebox-src")
        return f"[link: {url}]" if url else ""
    return None


def _post(raw: dict, thread: Thread, dialect: Dialect, base: str | None, ids: dict[int, str]) -> Post:
    blocks = blocks_from_html(raw.get("cooked") or "", dialect)
    slug = raw.get("topic_slug") or "-"
    url = raw.get("post_url") or f"/t/{slug}/{thread.id.removeprefix(FORMAT + '-')}/{raw.get('post_number')}"
    return Post(
        id=str(raw["id"]), thread_id=thread.id, number=int(raw.get("post_number") or 0), blocks=tuple(blocks),
        author=raw.get("username") or None, posted_at=iso(raw.get("created_at")),
        permalink=urljoin(base, url) if base else url, reply_to=ids.get(raw.get("reply_to_post_number") or -1),
        mentions=mentions(blocks),
    )


def parse(text: str, source: str) -> list[ParsedThread]:
    data = load(text, source)
    raw_posts = [p for p in data["post_stream"]["posts"] if isinstance(p, dict) and "id" in p]
    topic = str(data.get("id") or next((p.get("topic_id") for p in raw_posts if p.get("topic_id")), "") or "")
    slug = data.get("slug") or next((p.get("topic_slug") for p in raw_posts if p.get("topic_slug")), None)
    title = data.get("title") or (slug.replace("-", " ").capitalize() if slug else f"Discourse topic {topic}")
    base = re.match(r"https?://[^/]+", source).group(0) if is_url(source) else None
    url = urljoin(base, f"/t/{slug or '-'}/{topic}") if base and topic else None
    thread = Thread(thread_id(FORMAT, topic or None, title), title, url, FORMAT)
    ids = {int(p["post_number"]): str(p["id"]) for p in raw_posts if str(p.get("post_number", "")).isdigit()}
    dialect = Dialect(quote=Quotes(topic, ids), chrome=frozenset({"title", "quote-controls", "meta"}), placeholder=_placeholder)
    posts, warnings = [], []
    for raw in sorted(raw_posts, key=lambda p: p.get("post_number") or 0):
        try:
            posts.append(_post(raw, thread, dialect, base, ids))
        except (TypeError, ValueError) as exc:
            warnings.append(f"{source}: post {raw.get('id')}: unreadable ({exc}), skipped")
    missing = missing_post_ids(data)
    if missing:
        warnings.append(
            f"{source}: incomplete topic: {len(missing)} of {len(data['post_stream']['stream'])} posts are not in "
            "this file (post_stream.posts is shorter than post_stream.stream); fetch the topic URL to get them"
        )
    return [finish(thread, posts, warnings, source)]
