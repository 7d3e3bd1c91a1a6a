"""The crawler's HTTP layer against a server on 127.0.0.1: address checks on
every hop, redirects, 429/5xx, size and time caps, the rate limit."""
from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from forum_server import LOOPBACK_ONLY, ForumServer, Reply, clock, redirect, server  # noqa: F401 (fixtures)
from index.crawl.errors import FetchError, UrlRefused
from index.crawl.fetch import Fetcher
from index.crawl.options import CrawlOptions



def fetcher(clock, **options) -> Fetcher:
    options.setdefault("allowed_networks", LOOPBACK_ONLY)
    return Fetcher(CrawlOptions(**options), clock)


def test_user_agent_names_the_tool_and_its_version(server, clock):
    from importlib.metadata import version

    server.route("/a", Reply(body="hello"))
    with fetcher(clock) as f:
        assert f.fetch(server.url("/a")).body == b"hello"
    agent = server.log[0].headers["user-agent"]
    assert agent.startswith(f"forum-rag/{version('forum-rag')} ")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "2130706433"])
def test_loopback_is_refused_without_allow_private(server, clock, host):
    server.route("/a", Reply(body="secret"))
    url = server.url("/a", host=host)
    with Fetcher(CrawlOptions(), clock) as f, pytest.raises(UrlRefused) as caught:
        f.fetch(url)
    assert str(caught.value).startswith(url + ": refused to contact loopback address")
    assert "--allow-private" in str(caught.value)
    assert server.log == []


def test_allow_private_opens_every_private_address(server, clock):
    server.route("/a", Reply(body="ok"))
    with Fetcher(CrawlOptions(allow_private=True), clock) as f:
        assert f.fetch(server.url("/a", host="localhost")).body == b"ok"


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://intranet.test/"])
def test_a_redirect_to_a_private_address_is_refused_before_contacting_it(server, clock, target):
    server.route("/go", redirect(target, 302))
    contacted: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        contacted.append(host)
        return {"intranet.test": ["10.9.8.7"]}.get(host, [host])

    with Fetcher(CrawlOptions(allowed_networks=LOOPBACK_ONLY), clock, resolver) as f, pytest.raises(UrlRefused) as caught:
        f.fetch(server.url("/go"))
    message = str(caught.value)
    assert message.startswith(server.url("/go") + f": redirected to {target}: refused to contact")
    assert ("private" in message) or ("link-local" in message)
    assert server.paths() == ["/go"]


def test_the_connection_goes_to_the_address_that_was_checked(server, clock):
    """forum.test exists only in this resolver: had the client resolved the
    name again when connecting, it could not have reached the server."""
    server.route("/page", Reply(body="pinned"))
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    url = f"http://forum.test:{server.port}/page"
    with Fetcher(CrawlOptions(allowed_networks=LOOPBACK_ONLY), clock, resolver) as f:
        assert f.fetch(url).body == b"pinned"
    assert calls == ["forum.test"]
    assert server.log[0].headers["host"] == f"forum.test:{server.port}"


def test_a_name_with_any_private_address_is_refused(clock):
    def rebinding(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.1"]

    with Fetcher(CrawlOptions(), clock, rebinding) as f, pytest.raises(UrlRefused, match="private address 10.0.0.1"):
        f.fetch("http://rebind.test/")


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https(clock, url):
    with Fetcher(CrawlOptions(), clock) as f, pytest.raises(UrlRefused, match="only http and https"):
        f.fetch(url)


def test_a_redirect_to_another_scheme_is_refused(server, clock):
    server.route("/go", redirect("file:///etc/passwd"))
    with fetcher(clock) as f, pytest.raises(UrlRefused, match="redirected to file:///etc/passwd: only http and https"):
        f.fetch(server.url("/go"))


def test_redirects_are_followed_a_few_times_then_refused(server, clock):
    for n in range(7):
        server.route(f"/r{n}", redirect(f"/r{n + 1}"))
    server.route("/r7", Reply(body="end"))
    with fetcher(clock, max_redirects=7) as f:
        response = f.fetch(server.url("/r0"))
        assert response.body == b"end" and response.url == server.url("/r7")
    with fetcher(clock, max_redirects=5) as f, pytest.raises(FetchError, match="more than 5 redirects"):
        f.fetch(server.url("/r0"))


def test_429_retry_after_seconds_is_waited_out(server, clock):
    server.route("/busy", Reply(429, "slow down", {"Retry-After": "7"}), Reply(body="done"))
    with fetcher(clock) as f:
        assert f.fetch(server.url("/busy")).body == b"done"
    first, second = server.log
    assert second.at - first.at >= 7
    assert 7 in clock.sleeps


def test_429_retry_after_http_date_is_waited_out(server, clock):
    when = formatdate(clock.time() + 30, usegmt=True)
    server.route("/busy", Reply(429, "", {"Retry-After": when}), Reply(body="done"))
    with fetcher(clock) as f:
        assert f.fetch(server.url("/busy")).body == b"done"
    first, second = server.log
    assert second.at - first.at >= 29  # the date has one-second resolution


def test_retry_after_really_sleeps_on_the_real_clock():
    srv = ForumServer()
    try:
        srv.route("/busy", Reply(429, "", {"Retry-After": "1"}), Reply(body="done"))
        with Fetcher(CrawlOptions(allowed_networks=LOOPBACK_ONLY, rate=1000)) as f:
            assert f.fetch(srv.url("/busy")).body == b"done"
        first, second = srv.log
        assert second.at - first.at >= 1.0
    finally:
        srv.close()


def test_a_retry_after_longer_than_the_cap_is_reported_not_waited(server, clock):
    server.route("/busy", Reply(429, "", {"Retry-After": "3600"}))
    with fetcher(clock, max_retry_after=60) as f, pytest.raises(FetchError) as caught:
        f.fetch(server.url("/busy"))
    assert "asks to wait 3600 s (Retry-After), longer than the 60 s" in str(caught.value)
    assert clock.sleeps == [] and len(server.log) == 1


def test_5xx_is_retried_with_backoff_then_reported(server, clock):
    server.route("/down", Reply(503, "maintenance"))
    with fetcher(clock, retries=3, backoff=2.0) as f, pytest.raises(FetchError) as caught:
        f.fetch(server.url("/down"))
    assert str(caught.value) == f"{server.url('/down')}: HTTP 503 Service Unavailable (gave up after 4 attempts)"
    assert len(server.log) == 4
    gaps = [b.at - a.at for a, b in zip(server.log, server.log[1:])]
    assert gaps == [2.0, 4.0, 8.0]


def test_a_5xx_that_recovers_is_not_an_error(server, clock):
    server.route("/flaky", Reply(500), Reply(502), Reply(body="fine"))
    with fetcher(clock) as f:
        assert f.fetch(server.url("/flaky")).body == b"fine"
    assert len(server.log) == 3


def test_a_declared_oversized_body_is_not_downloaded(server, clock):
    server.route("/big", Reply(body=b"x" * 5000))
    with fetcher(clock, max_bytes=4096) as f, pytest.raises(FetchError) as caught:
        f.fetch(server.url("/big"))
    assert str(caught.value) == f"{server.url('/big')}: response is 5,000 bytes, over the 4,096 bytes limit; not downloaded"


def test_an_undeclared_oversized_body_is_cut_off(server, clock):
    server.route("/big", Reply(body=b"x" * 300_000, content_length=False))
    with fetcher(clock, max_bytes=100_000) as f, pytest.raises(FetchError) as caught:
        f.fetch(server.url("/big"))
    assert str(caught.value).startswith(f"{server.url('/big')}: response cut off at 100,000 bytes")


def test_a_body_that_keeps_trickling_is_cut_off_by_the_time_cap(server, clock):
    server.route("/slow", Reply(body=b"y" * 40 * 1024, trickle=0.05, content_length=False))
    with fetcher(clock, timeout=0.5) as f, pytest.raises(FetchError, match=r"still arriving after 0.5 s"):
        f.fetch(server.url("/slow"))


def test_an_unreachable_port_is_one_clear_error(clock):
    srv = ForumServer()
    url = srv.url("/gone")
    srv.close()
    with fetcher(clock) as f, pytest.raises(FetchError) as caught:
        f.fetch(url)
    assert str(caught.value).startswith(f"{url}: cannot connect to 127.0.0.1 port ")


def test_requests_to_one_host_keep_the_rate_limit(server, clock):
    server.route("/p", Reply(body="p"))
    with fetcher(clock, rate=0.5) as f:
        for _ in range(4):
            f.fetch(server.url("/p"))
    gaps = [b.at - a.at for a, b in zip(server.log, server.log[1:])]
    assert gaps == [2.0, 2.0, 2.0]


def test_the_rate_limit_really_waits_on_the_real_clock():
    srv = ForumServer()
    try:
        srv.route("/p", Reply(body="p"))
        started = time.monotonic()
        with Fetcher(CrawlOptions(allowed_networks=LOOPBACK_ONLY, rate=5)) as f:
            for _ in range(4):
                f.fetch(srv.url("/p"))
        gaps = [b.at - a.at for a, b in zip(srv.log, srv.log[1:])]
        assert all(gap >= 0.2 - 0.002 for gap in gaps), gaps  # 2 ms: timer granularity
        assert srv.log[-1].at - started >= 0.6 - 0.002
    finally:
        srv.close()


def test_https_pinned_to_the_checked_address_still_verifies_the_host_name(clock):
    """The request goes to 127.0.0.1, yet the certificate is checked against
    the URL's host: forum.test passes, another name on the same address fails."""
    import ssl

    from conftest import REPO

    tls_dir = REPO / "tests" / "fixtures" / "crawl" / "tls"
    cert, key = str(tls_dir / "forum.test-cert.pem"), str(tls_dir / "forum.test-key.pem")
    srv = ForumServer(clock.monotonic, tls=(cert, key))
    try:
        srv.route("/secure", Reply(body="over tls"))
        trust = ssl.create_default_context(cafile=cert)
        options = CrawlOptions(allowed_networks=LOOPBACK_ONLY)
        with Fetcher(options, clock, lambda host, port: ["127.0.0.1"], tls=trust) as f:
            assert f.fetch(srv.url("/secure", host="forum.test")).body == b"over tls"
            with pytest.raises(FetchError, match="Hostname mismatch"):
                f.fetch(srv.url("/secure", host="other.test"))
        with Fetcher(options, clock, lambda host, port: ["127.0.0.1"]) as f:  # default trust: no self-signed
            with pytest.raises(FetchError, match="self-signed certificate"):
                f.fetch(srv.url("/secure", host="forum.test"))
        assert [r.headers["host"] for r in srv.log] == [f"forum.test:{srv.port}"]
    finally:
        srv.close()
