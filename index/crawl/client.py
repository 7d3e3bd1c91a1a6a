"""What site adapters fetch with: robots.txt-checked GETs that must succeed."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .addresses import Resolver, system_resolver
from .errors import FetchError, HttpStatus, RobotsDisallowed, UrlRefused
from .fetch import Fetcher, host_key
from .options import TOOL, CrawlOptions
from .pacing import Clock
from .response import Response
from .robots import MAX_ROBOTS_BYTES, RobotsRules, parse_robots


class RobotsCache:
    """robots.txt per scheme, host and port (RFC 9309 2.3), fetched once."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._rules: dict[str, RobotsRules] = {}

    def rules_for(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:
            self._rules[origin] = self._load(f"{origin}/robots.txt")
        return self._rules[origin]

    def _load(self, robots_url: str) -> RobotsRules:
        try:
            response = self.fetcher.fetch(robots_url, limit=MAX_ROBOTS_BYTES, truncate=True)
        except UrlRefused:
            raise
        except FetchError as exc:
            return RobotsRules(disallow_all=True, source=f"{robots_url} could not be fetched: {exc.problem}")
        if response.ok:
            return parse_robots(response.body.decode("utf-8", "replace"), TOOL, robots_url)
        if 400 <= response.status < 500:  # "unavailable": no rules at all
            return RobotsRules(source=robots_url)
        return RobotsRules(disallow_all=True, source=f"{robots_url} answered HTTP {response.status}")


class CrawlClient:
    def __init__(self, options: CrawlOptions, clock: Clock | None = None, resolver: Resolver = system_resolver) -> None:
        self.options = options
        self.fetcher = Fetcher(options, clock, resolver)
        self.robots = RobotsCache(self.fetcher)

    def __enter__(self) -> CrawlClient:
        return self

    def __exit__(self, *exc) -> None:
        self.fetcher.close()

    def _permit(self, url: str) -> None:
        try:
            rules = self.robots.rules_for(url)
        except UrlRefused as exc:  # the host itself is refused: say so about the page asked for
            raise UrlRefused(url, exc.problem) from None
        if rules.crawl_delay:
            self.fetcher.limiter.slow_down(host_key(url), rules.crawl_delay)
        if rules.allows(url):
            return
        if rules.disallow_all:
            raise RobotsDisallowed(url, f"not fetched: {rules.source}, and RFC 9309 then counts everything as disallowed")
        raise RobotsDisallowed(url, f"robots.txt disallows this URL for {TOOL} ({rules.source})")

    def get(self, url: str) -> Response:
        response = self.fetcher.fetch(url, permit=self._permit)
        if not response.ok:
            raise HttpStatus(url, response.status, response.reason)
        return response

    def get_text(self, url: str) -> tuple[str, str]:
        """The page's text and the URL it finally came from."""
        response = self.get(url)
        return response.text(), response.url

    def get_json(self, url: str) -> Any:
        return self.get(url).json()
