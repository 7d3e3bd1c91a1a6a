"""Crawled URLs through index.pipeline.ingest: re-runs fetch only what is
new (the crawl state is read from the index), --prune crawls everything,
and a failed crawl writes nothing."""
from __future__ import annotations

import pytest

from conftest import SAMPLE, tree_bytes
from forum_server import ForumServer, Reply
from forum_sites import THREAD, TOPIC, discourse_topic, requested_post_ids, serve_discourse, serve_xenforo
from index.crawl import CrawlOptions
from index.errors import InputError
from index.pipeline import ingest
from index.store.reader import IndexReader

FAST = CrawlOptions(allowed_networks=("127.0.0.1/32",), rate=50)


@pytest.fixture
def server():
    srv = ForumServer()
    yield srv
    srv.close()


def thread_posts(index_dir, thread_id: str):
    reader = IndexReader(index_dir)
    try:
        rows = reader.conn.execute("SELECT id FROM posts WHERE thread_id = ?", (thread_id,)).fetchall()
        return sorted(reader.posts(r[0] for r in rows).values(), key=lambda p: p.number)
    finally:
        reader.close()


def test_a_xenforo_rerun_fetches_only_the_last_known_page_and_new_ones(server, tmp_path):
    index = tmp_path / "xf"
    serve_xenforo(server)
    first = ingest([server.url(THREAD)], index, crawl=FAST)
    assert first.posts_added == 8

    server.log.clear()
    serve_xenforo(server, later=True)
    second = ingest([server.url(THREAD)], index, crawl=FAST)
    # The last known post's permalink lands on page 3; page 1 and 2 are not asked for.
    assert server.paths() == ["/robots.txt", f"{THREAD}post-880160", f"{THREAD}page-3", f"{THREAD}page-4"]
    assert (second.posts_added, second.posts_unchanged, second.posts_updated) == (3, 2, 0)
    posts = thread_posts(index, "xenforo-77001")
    assert [p.number for p in posts] == list(range(1, 12))
    assert posts[9].blocks[0].quoted_post_id == "880177"

    server.log.clear()
    third = ingest([server.url(THREAD)], index, crawl=FAST)
    assert server.paths() == ["/robots.txt", f"{THREAD}post-880190", f"{THREAD}page-4"]
    assert not third.changed


def test_a_rerun_whose_last_post_is_gone_starts_again_from_page_one(server, tmp_path):
    index = tmp_path / "xf"
    serve_xenforo(server)
    ingest([server.url(THREAD)], index, crawl=FAST)
    server.log.clear()
    del server.routes[f"{THREAD}post-880160"]  # deleted upstream: 404
    report = ingest([server.url(THREAD)], index, crawl=FAST)
    assert server.paths()[1:] == [f"{THREAD}post-880160", THREAD, f"{THREAD}page-2", f"{THREAD}page-3"]
    assert report.posts_unchanged == 8


def test_a_rerun_whose_permalinks_robots_forbids_starts_from_page_one(server, tmp_path):
    index = tmp_path / "xf"
    serve_xenforo(server)
    ingest([server.url(THREAD)], index, crawl=FAST)
    server.log.clear()
    serve_xenforo(server, robots="User-agent: *\nDisallow: /community/threads/*/post-\n")
    report = ingest([server.url(THREAD)], index, crawl=FAST)
    assert server.paths() == ["/robots.txt", THREAD, f"{THREAD}page-2", f"{THREAD}page-3"]
    assert report.posts_unchanged == 8


def test_prune_crawls_the_whole_thread_again(server, tmp_path):
    index = tmp_path / "xf"
    serve_xenforo(server)
    ingest([server.url(THREAD)], index, crawl=FAST)
    server.log.clear()
    report = ingest([server.url(THREAD)], index, crawl=FAST, prune=True)
    assert server.paths()[1:] == [THREAD, f"{THREAD}page-2", f"{THREAD}page-3"]
    assert report.posts_removed == 0 and report.posts_unchanged == 8


def test_a_discourse_rerun_asks_only_for_posts_the_index_lacks(server, tmp_path):
    index = tmp_path / "d"
    serve_discourse(server, discourse_topic())
    assert ingest([server.url(f"/t/{TOPIC}")], index, crawl=FAST).posts_added == 26

    server.log.clear()
    later = discourse_topic(later=True)
    serve_discourse(server, later)
    report = ingest([server.url(f"/t/{TOPIC}")], index, crawl=FAST)
    [batch] = [p for p in server.paths() if "posts.json" in p]
    assert requested_post_ids(batch) == later["post_stream"]["stream"][26:]
    assert (report.posts_added, report.posts_unchanged) == (4, 20)
    assert report.warnings == []
    posts = thread_posts(index, f"discourse-{TOPIC}")
    assert len(posts) == 30
    # Post 27 replies to post 26 and post 28 quotes it: only the index knew post 26 on this run.
    assert posts[26].reply_to == posts[25].id
    assert (posts[27].blocks[0].quoted_author, posts[27].blocks[0].quoted_post_id) == (posts[25].author, posts[25].id)


def test_a_failed_crawl_leaves_the_index_exactly_as_it_was(server, sample_index):
    before = tree_bytes(sample_index)
    serve_xenforo(server)
    server.route(f"{THREAD}page-3", Reply(500))
    with pytest.raises(InputError, match="page-3: HTTP 500"):
        ingest([str(SAMPLE), server.url(THREAD)], crawl=CrawlOptions(allowed_networks=("127.0.0.1/32",), rate=50, retries=0))
    assert tree_bytes(sample_index) == before
