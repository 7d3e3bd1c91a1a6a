"""Crawling a forum thread URL into ParsedThreads: XenForo threads page by
page, Discourse topics through their JSON API.

Every request obeys robots.txt, a per-host rate limit, size/time caps and
the address rules in addresses.py. Heavy pieces (httpx, the HTML parser)
load only when a URL is actually crawled.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..records import ParsedThread
from .addresses import Resolver, system_resolver
from .options import DEFAULT_RATE, CrawlOptions
from .pacing import Clock

__all__ = ["CrawlOptions", "DEFAULT_RATE", "SITES", "crawl_url", "is_url"]

SITES = ("xenforo", "discourse")
Progress = Callable[[str, int, int], None]


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def crawl_url(
    url: str,
    options: CrawlOptions | None = None,
    index_dir: Path | None = None,
    *,
    site: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    clock: Clock | None = None,
    resolver: Resolver = system_resolver,
) -> list[ParsedThread]:
    """The thread at `url` as a ParsedThread list. Unless `full`, posts the
    index at `index_dir` already holds are not fetched again."""
    from .client import CrawlClient
    from .detect import adapter_for

    with CrawlClient(options or CrawlOptions(), clock, resolver) as client:
        adapter, start = adapter_for(client, url, site)
        return [adapter.crawl(client, start, index_dir, full=full, progress=progress)]
