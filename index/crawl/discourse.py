"""A Discourse topic URL -> its JSON API -> one ParsedThread.

`/t/ID.json` gives the topic, its first posts and the ids of all posts
(`post_stream.stream`); the posts it leaves out come from
`/t/ID/posts.json?post_ids[]=...`, a batch at a time. On a re-run, posts
the index already holds are not asked for again.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from ..records import ParsedThread
from ..sources import discourse as topics
from ..sources.pages import thread_id
from .client import CrawlClient
from .errors import FetchError
from .known import KnownThread, known_thread

NAME = topics.FORMAT
BATCH = 20  # Discourse's own chunk_size, used when the topic does not say
_TOPIC = re.compile(
    r"^(?P<root>https?://[^/?#]+(?:/[^?#]*?)?)/t/(?:[^/?#]*[^\d/?#][^/?#]*/)?(?P<id>\d+)"
    r"(?:\.json|/\d+(?:\.json)?)?/?(?:[?#].*)?$"
)
Progress = Callable[[str, int, int], None]


def matches(url: str) -> bool:
    return _TOPIC.match(url) is not None


def _posts_batch(client: CrawlClient, root: str, topic: str, ids: list[int]) -> list[dict]:
    url = f"{root}/t/{topic}/posts.json?" + urlencode([("post_ids[]", i) for i in ids])
    data = client.get_json(url)
    posts = data.get("post_stream", {}).get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list):
        raise FetchError(url, "not a Discourse posts answer (no post_stream.posts list)")
    wanted = set(ids)
    return [p for p in posts if isinstance(p, dict) and p.get("id") in wanted]


def _fetch_posts(client, root: str, topic: str, ids: list[int], batch: int, progress: Progress | None) -> list[dict]:
    fetched: list[dict] = []
    for start in range(0, len(ids), batch):
        fetched += _posts_batch(client, root, topic, ids[start : start + batch])
        if progress is not None:
            progress("fetch posts", min(start + batch, len(ids)), len(ids))
    return fetched


def _link_known_replies(parsed: ParsedThread, raw_posts: list[dict], known: KnownThread) -> ParsedThread:
    """A new post replying to a post fetched on an earlier run: the parser
    only sees this run's posts, the index knows the older ones' ids."""
    targets = {str(p["id"]): known.numbers.get(p.get("reply_to_post_number") or -1) for p in raw_posts}
    posts = tuple(
        dataclasses.replace(post, reply_to=targets[post.id]) if post.reply_to is None and targets.get(post.id) else post
        for post in parsed.posts
    )
    return dataclasses.replace(parsed, posts=posts)


def crawl(client: CrawlClient, url: str, index_dir: Path | None, *, full: bool, progress: Progress | None = None) -> ParsedThread:
    match = _TOPIC.match(url)
    if match is None:
        raise FetchError(url, "not a Discourse topic URL (expected .../t/SLUG/ID)")
    root, topic = match.group("root"), match.group("id")
    text, here = client.get_text(f"{root}/t/{topic}.json")
    data = topics.load(text, here)
    known = KnownThread() if full else known_thread(index_dir, thread_id(NAME, topic, ""))
    stream = data["post_stream"]
    wanted = [i for i in topics.missing_post_ids(data) if str(i) not in known.post_ids]
    batch = data.get("chunk_size") if isinstance(data.get("chunk_size"), int) and data["chunk_size"] > 0 else BATCH
    stream["posts"] = stream["posts"] + _fetch_posts(client, root, topic, wanted, batch, progress)
    have = {p.get("id") for p in stream["posts"] if isinstance(p, dict)}
    unfetched = [i for i in wanted if i not in have]
    # Posts the index already holds are left out of the stream, so the
    # parser does not call the topic incomplete for posts it was not sent.
    stream["stream"] = [i for i in stream.get("stream", []) if i in have]
    [parsed] = topics.parse(json.dumps(data), here)
    parsed = _link_known_replies(parsed, [p for p in stream["posts"] if isinstance(p, dict) and "id" in p], known)
    if unfetched:
        note = f"{here}: {len(unfetched)} posts listed in the topic were not returned by the server (deleted or hidden): ids {', '.join(map(str, unfetched[:10]))}"
        parsed = dataclasses.replace(parsed, warnings=parsed.warnings + (note,))
    return parsed
