"""A XenForo thread URL -> every page of the thread -> one ParsedThread.

Pages are followed by the page's own "Next" link. On a re-run the crawl
starts from the last post the index already holds: XenForo answers a post
permalink (`threads/SLUG.ID/post-N`, `posts/N/`) with a redirect to the
page that holds the post, so only that page and the pages after it are
fetched. A permalink that no longer leads into the thread (post deleted or
moved, or robots.txt forbids it) falls back to page 1.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..records import ParsedThread
from ..merge import merge_threads
from ..sources import xenforo as pages
from ..sources.pages import thread_id
from . import Progress
from .client import CrawlClient
from .errors import FetchError, HttpStatus, RobotsDisallowed
from .known import known_thread

NAME = pages.FORMAT
_THREAD = re.compile(r"^(?P<thread>https?://[^?#]+?/threads/(?:[^/?#]*\.)?(?P<id>\d+))(?:[/?#].*)?$")


class _OtherThread(FetchError):
    """A page that belongs to another thread (e.g. the post was moved)."""


def matches(url: str) -> bool:
    return _THREAD.match(url) is not None


def thread_of(url: str) -> tuple[str, str] | None:
    """(first-page URL, XenForo thread id) of a thread URL, or None."""
    match = _THREAD.match(url)
    return (match.group("thread") + "/", match.group("id")) if match else None


def merge(parts: list[ParsedThread]) -> ParsedThread:
    """One thread from its pages (a post that moved across a page boundary
    between two fetches is kept once)."""
    [thread], _ = merge_threads(parts)  # every page passed the same-thread check
    return thread


def _resume_url(first: str, native_id: str, index_dir: Path | None) -> str:
    last = known_thread(index_dir, thread_id(pages.FORMAT, native_id, "")).last_permalink()
    origin = first.split("/", 3)[:3]
    return last if last and last.split("/", 3)[:3] == origin else first


def _crawl_from(client: CrawlClient, url: str, native_id: str, progress: Progress | None) -> list[ParsedThread]:
    parts: list[ParsedThread] = []
    seen: set[str] = set()
    while url and url not in seen:
        seen.add(url)
        html, here = client.get_text(url)
        info = pages.page_info(html, here)
        if info.thread_id != native_id:
            where = f"another thread ({info.thread_url})" if info.thread_url else here
            raise _OtherThread(url, f"leads to {where}, not to a page of XenForo thread {native_id}")
        parts += pages.parse(html, here)
        if progress is not None:
            progress("fetch pages", info.page, max(info.pages or 0, info.page))
        url = info.next_url
    return parts


def crawl(client: CrawlClient, url: str, index_dir: Path | None, *, full: bool, progress: Progress | None = None) -> ParsedThread:
    found = thread_of(url)
    if found is None:
        raise FetchError(url, "not a XenForo thread URL (expected .../threads/TITLE.ID/)")
    first, native_id = found
    start = first if full else _resume_url(first, native_id, index_dir)
    try:
        return merge(_crawl_from(client, start, native_id, progress))
    except (HttpStatus, _OtherThread, RobotsDisallowed) as exc:
        gone = not isinstance(exc, HttpStatus) or exc.status in (404, 410)
        if start == first or exc.source != start or not gone:
            raise
    return merge(_crawl_from(client, first, native_id, progress))
