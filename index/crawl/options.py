"""How politely and how far the crawler may go; every limit in one place."""
from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

TOOL = "forum-rag"
DEFAULT_RATE = 1.0  # requests per second per host


def user_agent() -> str:
    try:
        release = version(TOOL)
    except PackageNotFoundError:  # running from a checkout that was never installed
        release = "dev"
    return f"{TOOL}/{release} (+https://pypi.org/project/{TOOL}/; forum thread indexer)"


@dataclass(frozen=True)
class CrawlOptions:
    allow_private: bool = False
    # Networks reachable even without allow_private (e.g. an intranet forum,
    # or a test server on 127.0.0.1 that must not open every private range).
    allowed_networks: tuple[str, ...] = ()
    rate: float = DEFAULT_RATE
    max_bytes: int = 20 * 2**20
    timeout: float = 30.0  # seconds: for connecting, for the headers, and for the whole body
    max_redirects: int = 5
    retries: int = 3  # after the first attempt, for 429 and 5xx
    backoff: float = 1.0  # first 5xx wait in seconds, doubled each retry
    max_retry_after: float = 300.0  # a longer Retry-After is reported, not waited
    user_agent: str = ""

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError(f"rate must be above 0 requests/s, got {self.rate}")
        if not self.user_agent:
            object.__setattr__(self, "user_agent", user_agent())

    @property
    def interval(self) -> float:
        return 1.0 / self.rate
