"""Site adapters end to end against a forum served on 127.0.0.1: every page
of a XenForo thread, every post of a Discourse topic, robots.txt, errors."""
from __future__ import annotations

import pytest

from forum_server import LOOPBACK_ONLY, Reply, clock, server  # noqa: F401 (fixtures)
from forum_sites import THREAD, TOPIC, discourse_pool, discourse_topic, requested_post_ids, serve_discourse, serve_xenforo
from index.crawl import CrawlOptions, crawl_url
from index.crawl.errors import FetchError, UrlRefused



def crawl(url: str, clock, **options):
    options.setdefault("allowed_networks", LOOPBACK_ONLY)
    [thread] = crawl_url(url, CrawlOptions(**options), clock=clock)
    return thread


def test_every_page_of_a_xenforo_thread_is_fetched_and_merged(server, clock):
    serve_xenforo(server)
    thread = crawl(server.url(THREAD), clock)
    assert server.paths() == ["/robots.txt", THREAD, f"{THREAD}page-2", f"{THREAD}page-3"]
    assert thread.thread.id == "xenforo-77001" and thread.thread.title == "Dojo supercomputer progress"
    assert [p.number for p in thread.posts] == list(range(1, 9))
    assert [p.id for p in thread.posts][:3] == ["880101", "880107", "880112"]
    assert [p.author for p in thread.posts][-2:] == ["tensor_tom", "Rob Fields"]
    reply = thread.posts[3]  # nerdrage quoting Rob Fields across a page boundary
    assert [(b.kind, b.quoted_author, b.quoted_post_id) for b in reply.blocks] == [
        ("quote", "Rob Fields", "880112"), ("own", None, None)]
    assert thread.warnings == ()


def test_the_default_rate_keeps_a_second_between_requests(server, clock):
    serve_xenforo(server)
    crawl(server.url(THREAD), clock)
    gaps = [b.at - a.at for a, b in zip(server.log, server.log[1:])]
    assert len(gaps) == 3 and all(gap >= 1.0 for gap in gaps)


def test_any_page_of_the_thread_crawls_the_whole_thread(server, clock):
    serve_xenforo(server)
    thread = crawl(server.url(f"{THREAD}page-2"), clock)
    assert len(thread.posts) == 8 and server.paths()[1] == THREAD


def test_a_discourse_topic_with_a_short_posts_list_is_completed(server, clock):
    topic = discourse_topic()
    assert len(topic["post_stream"]["posts"]) == 20 and len(topic["post_stream"]["stream"]) == 26
    serve_discourse(server, topic)
    thread = crawl(server.url("/t/dojo-vs-h100-clusters-for-video-training/4242"), clock)
    assert server.paths()[:2] == ["/robots.txt", f"/t/{TOPIC}.json"]
    [batch] = server.paths()[2:]
    assert requested_post_ids(batch) == topic["post_stream"]["stream"][20:]
    assert [p.number for p in thread.posts] == list(range(1, 27))
    assert [p.id for p in thread.posts] == [str(i) for i in topic["post_stream"]["stream"]]
    assert thread.warnings == ()
    quoting = thread.posts[23]  # post 24 quotes post 22, both fetched through posts.json
    assert quoting.blocks[0].quoted_author == "bkumar" and quoting.blocks[0].quoted_post_id == thread.posts[21].id


def test_discourse_posts_are_asked_for_in_batches_of_the_topic_chunk_size(server, clock):
    topic = discourse_topic(later=True)
    topic["chunk_size"] = 4
    serve_discourse(server, topic)
    thread = crawl(server.url(f"/t/{TOPIC}"), clock)
    batches = [requested_post_ids(p) for p in server.paths()[2:]]
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sum(batches, []) == topic["post_stream"]["stream"][20:]
    assert len(thread.posts) == 30


def test_discourse_posts_the_server_does_not_return_are_reported(server, clock):
    pool = discourse_pool()
    hidden = discourse_topic()["post_stream"]["stream"][24]
    del pool[hidden]
    serve_discourse(server, discourse_topic(), pool)
    thread = crawl(server.url(f"/t/{TOPIC}"), clock)
    assert len(thread.posts) == 25
    [note] = thread.warnings
    assert f"1 posts listed in the topic were not returned by the server (deleted or hidden): ids {hidden}" in note


def test_robots_disallow_is_honoured(server, clock):
    serve_xenforo(server, robots="User-agent: *\nDisallow: /community/threads/\n")
    with pytest.raises(FetchError) as caught:
        crawl(server.url(THREAD), clock)
    assert str(caught.value) == (
        f"{server.url(THREAD)}: robots.txt disallows this URL for forum-rag ({server.url('/robots.txt')})")
    assert server.paths() == ["/robots.txt"]


def test_robots_rules_for_our_agent_override_the_star_group(server, clock):
    serve_xenforo(server, robots="User-agent: *\nDisallow: /\n\nUser-agent: forum-rag\nDisallow: /community/threads/*/page-3\n")
    with pytest.raises(FetchError, match="page-3: robots.txt disallows"):
        crawl(server.url(THREAD), clock)
    assert server.paths() == ["/robots.txt", THREAD, f"{THREAD}page-2"]


def test_robots_txt_answering_5xx_disallows_everything(server, clock):
    serve_xenforo(server)
    server.route("/robots.txt", Reply(503))
    with pytest.raises(FetchError) as caught:
        crawl(server.url(THREAD), clock, retries=1)
    assert str(caught.value) == (
        f"{server.url(THREAD)}: not fetched: {server.url('/robots.txt')} could not be fetched: "
        "HTTP 503 Service Unavailable (gave up after 2 attempts), and RFC 9309 then counts everything as disallowed")
    assert server.paths() == ["/robots.txt", "/robots.txt"]


def test_robots_txt_missing_allows_everything(server, clock):
    serve_xenforo(server)
    server.route("/robots.txt", Reply(404, "no robots here"))
    assert len(crawl(server.url(THREAD), clock).posts) == 8


def test_robots_crawl_delay_slows_the_crawl(server, clock):
    serve_xenforo(server, robots="User-agent: *\nCrawl-delay: 5\n")
    crawl(server.url(THREAD), clock)
    gaps = [b.at - a.at for a, b in zip(server.log[1:], server.log[2:])]
    assert gaps and all(gap >= 5 for gap in gaps)


def test_a_page_answering_5xx_is_retried_then_reported(server, clock):
    serve_xenforo(server)
    server.route(f"{THREAD}page-2", Reply(502, "bad gateway"))
    with pytest.raises(FetchError) as caught:
        crawl(server.url(THREAD), clock, retries=2)
    assert str(caught.value) == f"{server.url(THREAD + 'page-2')}: HTTP 502 Bad Gateway (gave up after 3 attempts)"
    assert server.paths().count(f"{THREAD}page-2") == 3


def test_a_page_answering_429_is_waited_out(server, clock):
    serve_xenforo(server)
    page2 = server.routes[f"{THREAD}page-2"][0]
    server.route(f"{THREAD}page-2", Reply(429, "", {"Retry-After": "12"}), page2)
    assert len(crawl(server.url(THREAD), clock).posts) == 8
    tries = [r.at for r in server.log if r.path == f"{THREAD}page-2"]
    assert len(tries) == 2 and tries[1] - tries[0] >= 12


def test_an_oversized_page_is_cut_off_with_a_clear_message(server, clock):
    serve_xenforo(server)
    server.route(f"{THREAD}page-2", Reply(body=b"<html>" + b" " * 200_000, content_length=False, headers={"Content-Type": "text/html"}))
    with pytest.raises(FetchError) as caught:
        crawl(server.url(THREAD), clock, max_bytes=100_000)
    assert str(caught.value).startswith(f"{server.url(THREAD + 'page-2')}: response cut off at 100,000 bytes")


def test_a_page_that_leads_out_of_the_thread_is_an_error(server, clock):
    from forum_server import redirect

    serve_xenforo(server)
    server.route(f"{THREAD}page-2", redirect("/community/login/"))
    server.route("/community/login/", Reply(body="<html><body><form>Log in</form></body></html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(FetchError) as caught:
        crawl(server.url(THREAD), clock)
    assert str(caught.value) == (
        f"{server.url(THREAD + 'page-2')}: leads to {server.url('/community/login/')}, not to a page of XenForo thread 77001")


def test_the_test_server_itself_is_refused_without_allow_private(server, clock):
    serve_xenforo(server)
    with pytest.raises(UrlRefused, match="refused to contact loopback address 127.0.0.1"):
        crawl_url(server.url(THREAD), CrawlOptions(), clock=clock)
    assert server.log == []


def test_a_url_that_is_no_known_forum_is_one_clear_error(server, clock):
    server.route("/robots.txt", Reply(404))
    server.route("/blog/post", Reply(body="<html><head><title>A blog</title></head><body><p>hello</p></body></html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(FetchError, match="blog/post: not a thread page the crawler knows"):
        crawl(server.url("/blog/post"), clock)


def test_an_unusual_url_is_recognised_by_its_canonical_link(server, clock):
    serve_xenforo(server)
    page = server.routes[THREAD][0].data().decode().replace(
        "https://forum.example/community/threads", server.url("/community/threads"))
    server.route("/goto/thread-77001", Reply(body=page, headers={"Content-Type": "text/html"}))
    thread = crawl(server.url("/goto/thread-77001"), clock)
    assert len(thread.posts) == 8


def test_a_real_discourse_topic_is_completed_from_what_the_server_returns(server, clock, shared):
    """Real API answers (discuss.criticalfallibilism.com, topic 2108): the topic
    JSON holds posts #433-#452 and a stream of 446 ids; the server here can
    return only posts #1-#20 (the other real answer), so those are fetched
    and the rest reported."""
    import json

    folder = shared / "corpora" / "discourse" / "criticalfallibilism"
    topic = json.loads((folder / "t_2108_post_452.json").read_text(encoding="utf-8"))
    first = json.loads((folder / "t_2108_posts.json").read_text(encoding="utf-8"))["post_stream"]["posts"]
    pool = {p["id"]: p for p in first}
    server.route("/t/2108.json", Reply(body=json.dumps(topic), headers={"Content-Type": "application/json"}))

    def posts(path: str) -> Reply:
        found = [pool[i] for i in requested_post_ids(path) if i in pool]
        return Reply(body=json.dumps({"post_stream": {"posts": found}, "id": 2108}), headers={"Content-Type": "application/json"})

    server.route_prefix("/t/2108/posts.json?", posts)
    server.route("/robots.txt", Reply(404))
    thread = crawl(server.url("/t/some-slug/2108/452"), clock)
    stream = topic["post_stream"]["stream"]
    asked = [i for p in server.paths() if "posts.json" in p for i in requested_post_ids(p)]
    assert len(asked) == 446 - 20 and set(asked) == set(stream) - {p["id"] for p in topic["post_stream"]["posts"]}
    assert len(server.paths()) == 2 + -(-426 // 20)  # robots, topic, then batches of the topic's chunk_size
    assert [p.number for p in thread.posts] == list(range(1, 21)) + list(range(433, 453))
    assert thread.posts[0].author == first[0]["username"] and thread.posts[0].id == str(first[0]["id"])
    [note] = thread.warnings
    assert "406 posts listed in the topic were not returned by the server" in note
