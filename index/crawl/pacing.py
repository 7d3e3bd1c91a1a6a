"""Time for the crawler: a clock that tests can replace, the per-host rate
limit, and the server's own requests to wait (Retry-After)."""
from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def time(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class HostRateLimiter:
    """Each request to a host starts at least `interval` seconds after the
    previous one finished, so the server never sees two closer together."""

    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}
        self._slower: dict[str, float] = {}

    def slow_down(self, host: str, interval: float) -> None:
        """A host that asks for more room (robots.txt Crawl-delay) gets it."""
        self._slower[host] = max(interval, self._slower.get(host, 0.0))

    def wait(self, host: str) -> None:
        interval = max(self.interval, self._slower.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            delay = last + interval - self.clock.monotonic()
            if delay > 0:
                self.clock.sleep(delay)
        self._last[host] = self.clock.monotonic()

    def done(self, host: str) -> None:
        self._last[host] = self.clock.monotonic()


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an
    HTTP-date (RFC 9110 10.2.3); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        return None
    return max(0.0, when.timestamp() - now)
