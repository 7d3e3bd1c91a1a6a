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
from urllib.parse import urlencode

from ..records import ParsedThread
from ..sources import discourse as topics
from ..sources.pages import thread_id
from . import Progress
from .client import CrawlClient
from .errors import FetchError
from .known import KnownThread, known_thread

NAME = topics.FORMAT
BATCH = 20  # Discourse's own chunk_size, used when the topic does not say
_TOPIC = re.compile(
    r"^(?P<root>https?://[^/?#]+(?:/[^?#]*?)?)/t/(?:[^/?#]*[^\d/?#][^/?#]*/)?(?P<id>\d+)"
    r"(?:\.json|/\d+(?:\.json)?)?/?(?:[?#].*)?$"
)


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


def _fetch_posts(client: CrawlClient, root: str, topic: str, ids: list[int], batch: int, progress: Progress | None) -> list[dict]:
    fetched: list[dict] = []
    for start in range(0, len(ids), batch):
        fetched += _posts_batch(client, root, topic, ids[start : start + batch])
        if progress is not None:
            progress("fetch posts", min(start + batch, len(ids)), len(ids))
    return fetched


def _stand_ins(stream_ids: list, present: set, known: KnownThread) -> list[dict]:
    """Placeholders for posts the index holds and this run did not fetch.

    The parser turns quoted and replied-to post *numbers* into post ids only
    for posts in the same file; a stand-in carries a known post's number and
    id so that a new reply to an old post keeps its link. Stand-ins are
    dropped again after parsing."""
    number_of = {post_id: number for number, post_id in known.numbers.items()}
    return [
        {"id": i, "post_number": number_of[str(i)], "cooked": "<p>already indexed</p>"}
        for i in stream_ids
        if i not in present and str(i) in number_of
    ]


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
    stream["posts"] += _fetch_posts(client, root, topic, wanted, batch, progress)
    have = {p.get("id") for p in stream["posts"] if isinstance(p, dict)}
    stand_ins = _stand_ins(stream.get("stream", []), have, known)
    stream["posts"] += stand_ins
    unfetched = [i for i in wanted if i not in have]
    # The parser would call the topic incomplete for these; the note below says why.
    stream["stream"] = [i for i in stream.get("stream", []) if i not in unfetched]
    [parsed] = topics.parse(json.dumps(data), here)
    dropped = {str(p["id"]) for p in stand_ins}
    parsed = dataclasses.replace(parsed, posts=tuple(p for p in parsed.posts if p.id not in dropped))
    if unfetched:
        note = f"{here}: {len(unfetched)} posts listed in the topic were not returned by the server (deleted or hidden): ids {', '.join(map(str, unfetched[:10]))}"
        parsed = dataclasses.replace(parsed, warnings=parsed.warnings + (note,))
    return parsed
