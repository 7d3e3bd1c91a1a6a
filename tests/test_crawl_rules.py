"""The crawler's rule tables: robots.txt (RFC 9309), Retry-After, the rate
limit, and which addresses count as private."""
from __future__ import annotations

import ipaddress
from email.utils import formatdate

import pytest

from forum_server import FakeClock
from index.crawl.addresses import allowed_addresses, kind_of
from index.crawl.errors import UrlRefused
from index.crawl.pacing import HostRateLimiter, retry_after
from index.crawl.robots import parse_robots

ROBOTS = """\
# comments and blank lines are ignored
Disallow: /before-any-group

User-Agent: *
Disallow: /private
Allow: /private/ok$
Disallow: /*.json$
Disallow: /%7Euser/

user-agent: forum-rag
user-agent: otherbot
disallow: /threads/secret
allow: /threads/secret/page-1
crawl-delay: 2

User-agent: forum-rag
Disallow: /search
"""


def allows(path: str, agent: str = "forum-rag", text: str = ROBOTS) -> bool:
    return parse_robots(text, agent).allows("https://forum.example" + path)


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/threads/secret.1/", False),
        ("/threads/secret/page-1", True),  # the longer, more specific rule wins
        ("/threads/secret/page-12", True),  # a prefix match: page-1 is a prefix of page-12
        ("/search?q=dojo", False),  # both forum-rag groups are merged
        ("/private", True),  # our own group replaces the * group entirely
        ("/robots.txt", True),
    ],
)
def test_our_agent_uses_its_own_groups(path, allowed):
    assert allows(path) is allowed


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/private", False),
        ("/private/ok", True),
        ("/private/ok/more", False),  # $ anchors the end
        ("/t/1.json", False),
        ("/t/1.json?print=1", True),
        ("/~user/page", False),  # %7E and ~ are the same character
        ("/before-any-group", True),  # rules outside a group are ignored
        ("/anything", True),
    ],
)
def test_other_agents_use_the_star_group(path, allowed):
    assert allows(path, agent="somebot") is allowed


def test_allow_wins_a_tie_and_empty_disallow_allows_all():
    assert allows("/page", text="User-agent: *\nDisallow: /page\nAllow: /page\n")
    assert allows("/x", text="User-agent: *\nDisallow:\n")


def test_crawl_delay_of_the_chosen_group():
    assert parse_robots(ROBOTS, "forum-rag").crawl_delay == 2.0
    assert parse_robots(ROBOTS, "somebot").crawl_delay is None


def test_non_ascii_paths_compare_percent_encoded():
    rules = "User-agent: *\nDisallow: /forum/café\n"
    assert not allows("/forum/caf%C3%A9/1", text=rules)
    assert not allows("/forum/café/1", text=rules)


def test_retry_after_in_both_forms():
    now = 1_700_000_000.0
    assert retry_after("120", now) == 120.0
    assert retry_after(formatdate(now + 90, usegmt=True), now) == pytest.approx(90, abs=1)
    assert retry_after(formatdate(now - 90, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_the_rate_limit_is_per_host():
    clock = FakeClock()
    limiter = HostRateLimiter(1.0, clock)
    for host in ("a.example", "b.example", "a.example"):
        limiter.wait(host)
        limiter.done(host)
    assert clock.sleeps == [1.0]
    limiter.slow_down("a.example", 4.0)
    limiter.wait("a.example")
    assert clock.sleeps == [1.0, 4.0]


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"), ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"), ("100.64.0.1", "non-global"), ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"), ("192.0.0.8", "non-global"), ("::1", "loopback"), ("fe80::1", "link-local"),
        ("fc00::1", "private"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.1.1", "private"),
        ("2002:7f00:1::", "loopback"), ("64:ff9b::a00:1", "private"), ("ff02::1", "multicast"),
        ("93.184.215.14", None), ("2606:4700::1111", None), ("::ffff:8.8.8.8", None),
    ],
)
def test_what_counts_as_private(address, kind):
    assert kind_of(ipaddress.ip_address(address)) == kind


def test_an_exempt_network_opens_only_itself():
    def resolve(host, port):
        return {"a": ["127.0.0.1"], "b": ["127.0.0.2"]}[host]

    assert allowed_addresses("http://a/", "a", 80, allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=resolve) == ["127.0.0.1"]
    with pytest.raises(UrlRefused, match="loopback address 127.0.0.2 \\(b resolves to it\\)"):
        allowed_addresses("http://b/", "b", 80, allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=resolve)
