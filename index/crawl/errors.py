"""Crawl failures: each is one line naming the URL and the problem."""
from __future__ import annotations

from ..errors import InputError


class FetchError(InputError):
    """A URL that could not be fetched (unreachable, too large, server error...)."""


class UrlRefused(FetchError):
    """A URL the crawler will not even try: bad scheme, unresolvable host,
    or an address it may not contact."""


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL, or could not be read (RFC 9309: then everything is forbidden)."""


class HttpStatus(FetchError):
    """The server answered, with a status that is not success."""

    def __init__(self, url: str, status: int, reason: str) -> None:
        super().__init__(url, f"HTTP {status} {reason}".rstrip())
        self.status = status
