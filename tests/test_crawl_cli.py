"""`forum-rag ingest URL`: flags, env fallbacks, and one-line errors (exit 2,
index untouched) for a refused address, a robots disallow, an unreachable URL."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, tree_bytes
from forum_server import ForumServer
from forum_sites import THREAD, serve_xenforo


@pytest.fixture
def server():
    srv = ForumServer()
    serve_xenforo(srv)
    yield srv
    srv.close()


def cli(home, *args, **env):
    full_env = {**os.environ, "FORUM_RAG_HOME": str(home), **env}
    for name in ("FORUM_RAG_ALLOW_PRIVATE", "FORUM_RAG_RATE"):
        if name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, cwd=REPO, env=full_env, timeout=300
    )


def one_error_line(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    return line


def test_ingest_a_thread_url(server, home):
    result = cli(home, "ingest", server.url(THREAD), "-i", "crawled", "-A", "-r", "50", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts_added"] == 8
    info = json.loads(cli(home, "info", "-i", "crawled", "--json").stdout)
    assert info["counts"]["posts"] == 8
    assert [t["id"] for t in info["threads"]] == ["xenforo-77001"]


def test_allow_private_and_rate_fall_back_to_the_environment(server, home):
    result = cli(home, "ingest", server.url(THREAD), "-i", "crawled", "-j", FORUM_RAG_ALLOW_PRIVATE="1", FORUM_RAG_RATE="50")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts_added"] == 8


def test_a_private_address_is_refused_without_allow_private(server, sample_index, home):
    before = tree_bytes(sample_index)
    url = server.url(THREAD)
    line = one_error_line(cli(home, "ingest", url))
    assert line == f"forum-rag: error: {url}: refused to contact loopback address 127.0.0.1; pass --allow-private to allow it"
    assert server.log == []
    assert tree_bytes(sample_index) == before


def test_a_robots_disallow_is_one_line_and_writes_nothing(server, sample_index, home):
    serve_xenforo(server, robots="User-agent: forum-rag\nDisallow: /community/\n")
    before = tree_bytes(sample_index)
    url = server.url(THREAD)
    line = one_error_line(cli(home, "ingest", url, "-A", "-r", "50"))
    assert line == f"forum-rag: error: {url}: robots.txt disallows this URL for forum-rag ({server.url('/robots.txt')})"
    assert tree_bytes(sample_index) == before


def test_an_unreachable_url_is_one_line_and_writes_nothing(sample_index, home):
    gone = ForumServer()
    url = gone.url(THREAD)
    gone.close()
    before = tree_bytes(sample_index)
    line = one_error_line(cli(home, "ingest", url, "-A"))
    assert line.startswith(f"forum-rag: error: {url}: not fetched: {gone.url('/robots.txt')} could not be fetched: cannot connect to 127.0.0.1")
    assert tree_bytes(sample_index) == before


def test_a_host_that_does_not_resolve_is_one_line(sample_index, home):
    line = one_error_line(cli(home, "ingest", "https://forum.invalid/threads/x.1/"))
    assert line.startswith("forum-rag: error: https://forum.invalid/threads/x.1/: cannot resolve host 'forum.invalid'")
