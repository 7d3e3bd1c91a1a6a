"""The crawler fixtures served as a live forum: a XenForo 2 thread and a
Discourse topic (tests/fixtures/crawl), before and after new posts arrive."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from forum_server import ForumServer, Reply, redirect

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"
THREAD = "/community/threads/dojo-supercomputer-progress.77001/"
TOPIC = 4242
HTML = {"Content-Type": "text/html; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
ROBOTS = "User-agent: *\nDisallow: /community/members/\nDisallow: /community/search/\n"


def xenforo_page(name: str) -> str:
    return (FIXTURES / "xenforo" / f"{name}.html").read_text(encoding="utf-8")


def serve_xenforo(server: ForumServer, later: bool = False, robots: str = ROBOTS) -> None:
    """Pages 1-3 (8 posts), or `later` pages 1-4 (11 posts). Post permalinks
    redirect to the page holding the post, as XenForo's do."""
    names = {1: "page-1", 2: "page-2", 3: "page-3-later" if later else "page-3"}
    if later:
        names[4] = "page-4-later"
    for number, name in names.items():
        path = THREAD if number == 1 else f"{THREAD}page-{number}"
        body = xenforo_page(name)
        server.route(path, Reply(body=body, headers=HTML))
        for post_id in re.findall(r'data-content="post-(\d+)"', body):
            server.route(f"{THREAD}post-{post_id}", redirect(f"{path}#post-{post_id}"))
    server.route("/robots.txt", Reply(body=robots, headers={"Content-Type": "text/plain"}))


def discourse_pool() -> dict[int, dict]:
    data = json.loads((FIXTURES / "discourse" / "posts-4242.json").read_text(encoding="utf-8"))
    return {p["id"]: p for p in data["post_stream"]["posts"]}


def discourse_topic(later: bool = False) -> dict:
    name = "topic-4242-later.json" if later else "topic-4242.json"
    return json.loads((FIXTURES / "discourse" / name).read_text(encoding="utf-8"))


def requested_post_ids(path: str) -> list[int]:
    return [int(i) for i in parse_qs(urlsplit(path).query).get("post_ids[]", [])]


def serve_discourse(server: ForumServer, topic: dict, pool: dict[int, dict] | None = None) -> None:
    """/t/ID.json answers `topic`; /t/ID/posts.json answers the asked-for
    posts that are in `pool`, like Discourse does."""
    pool = discourse_pool() if pool is None else pool
    server.route(f"/t/{TOPIC}.json", Reply(body=json.dumps(topic), headers=JSON))

    def posts(path: str) -> Reply:
        found = [pool[i] for i in requested_post_ids(path) if i in pool]
        return Reply(body=json.dumps({"post_stream": {"posts": found}, "id": TOPIC}), headers=JSON)

    server.route_prefix(f"/t/{TOPIC}/posts.json?", posts)
    server.route("/robots.txt", Reply(body="User-agent: *\nDisallow: /admin/\n", headers={"Content-Type": "text/plain"}))
