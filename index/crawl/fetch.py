"""HTTP GET with the crawler's safety rules applied to every hop.

Each hop: http(s) only, host resolved and every address checked, the
connection made to that checked address (Host header and TLS name kept),
per-host rate limit, 429/5xx waited out and retried, the body read up to a
size cap and a time cap. Redirects are followed by hand so that each new
address goes through the same checks.
"""
from __future__ import annotations

import ssl
import time
from typing import Callable
from urllib.parse import urljoin, urldefrag

import httpx

from .addresses import Resolver, allowed_addresses, system_resolver
from .errors import FetchError, RobotsDisallowed, UrlRefused
from .options import CrawlOptions
from .pacing import Clock, HostRateLimiter, SystemClock, retry_after
from .response import Response

REDIRECTS = {301, 302, 303, 307, 308}
Permit = Callable[[str], None]  # raises when a URL may not be fetched


class _Transient(FetchError):
    """A failure worth retrying: a timeout or a connection dropped mid-way."""


def _target(url: str) -> httpx.URL:
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UrlRefused(url, f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UrlRefused(url, f"only http and https URLs can be fetched, not {parts.scheme or 'a relative'} URL")
    if not parts.raw_host:
        raise UrlRefused(url, "URL has no host")
    return parts


def host_key(url: str) -> str:
    """The name the rate limit counts requests against."""
    return _target(url).raw_host.decode("ascii").lower()


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


class Fetcher:
    def __init__(
        self,
        options: CrawlOptions,
        clock: Clock | None = None,
        resolver: Resolver = system_resolver,
        tls: ssl.SSLContext | None = None,  # default: the system's trusted CAs (certifi)
    ) -> None:
        self.options = options
        self.tls = tls
        self.clock = clock or SystemClock()
        self.resolver = resolver
        self.limiter = HostRateLimiter(options.interval, self.clock)
        self._clients: dict[str, httpx.Client] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def fetch(self, url: str, *, permit: Permit | None = None, limit: int | None = None, truncate: bool = False) -> Response:
        """The final response after redirects (any status but 429/5xx, which
        are retried and then raised)."""
        current = urldefrag(url)[0]
        for _ in range(self.options.max_redirects + 1):
            try:
                if permit is not None:
                    permit(current)
                response = self._with_retries(current, limit or self.options.max_bytes, truncate)
            except FetchError as exc:
                if current == urldefrag(url)[0]:
                    raise
                kind = next(k for k in (UrlRefused, RobotsDisallowed, FetchError) if isinstance(exc, k))
                raise kind(url, f"redirected to {current}: {exc.problem}") from None
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            current = urldefrag(urljoin(current, location.strip()))[0]
        raise FetchError(url, f"more than {self.options.max_redirects} redirects (the last to {current})")

    def _with_retries(self, url: str, limit: int, truncate: bool) -> Response:
        host = host_key(url)
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            try:
                response = self._paced(host, url, limit, truncate)
            except _Transient as exc:
                problem, wait = exc.problem, self.options.backoff * 2**attempt
            else:
                if response.status != 429 and response.status < 500:
                    return response
                problem = f"HTTP {response.status} {response.reason}".rstrip()
                wait = self._server_wait(response, problem, attempt)
            if attempt + 1 < attempts:
                self.clock.sleep(wait)
        raise FetchError(url, f"{problem} (gave up after {attempts} attempts)")

    def _paced(self, host: str, url: str, limit: int, truncate: bool) -> Response:
        self.limiter.wait(host)
        try:
            return self._exchange(url, limit, truncate)
        finally:
            self.limiter.done(host)

    def _server_wait(self, response: Response, problem: str, attempt: int) -> float:
        asked = retry_after(response.headers.get("retry-after"), self.clock.time())
        if asked is None:
            return self.options.backoff * 2**attempt
        if asked > self.options.max_retry_after:
            raise FetchError(
                response.url,
                f"{problem}: the server asks to wait {asked:.0f} s (Retry-After), "
                f"longer than the {self.options.max_retry_after:.0f} s the crawler waits",
            )
        return asked

    def _client(self, host: str) -> httpx.Client:
        # One client per host name: a pooled TLS connection is never reused
        # for another name that happens to share its address.
        if host not in self._clients:
            self._clients[host] = httpx.Client(
                verify=self.tls or True,
                trust_env=False,  # a proxy would make the address checks meaningless
                follow_redirects=False,
                timeout=httpx.Timeout(self.options.timeout),
                headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._clients[host]

    def _exchange(self, url: str, limit: int, truncate: bool) -> Response:
        parts = _target(url)
        host = parts.raw_host.decode("ascii")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = allowed_addresses(
            url, host, port, allow_private=self.options.allow_private,
            allowed_networks=self.options.allowed_networks, resolver=self.resolver,
        )
        client, failure = self._client(host), None
        for address in addresses:
            request = client.build_request(
                "GET", parts.copy_with(host=address), headers={"Host": parts.netloc.decode("ascii")},
                extensions={"sni_hostname": host} if parts.scheme == "https" else {},
            )
            try:
                answer = client.send(request, stream=True)
            except httpx.ConnectError as exc:
                failure = exc
                continue
            except httpx.TimeoutException:
                raise _Transient(url, f"no response within {self.options.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise _Transient(url, f"connection failed ({exc})") from None
            try:
                body, cut = self._read(url, answer, limit, truncate)
            finally:
                answer.close()
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Response(url, answer.status_code, answer.reason_phrase, body, headers, cut)
        raise FetchError(url, f"cannot connect to {host} port {port} ({failure})")

    def _read(self, url: str, answer: httpx.Response, limit: int, truncate: bool) -> tuple[bytes, bool]:
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and not truncate:
            raise FetchError(url, f"response is {_size(int(declared))}, over the {_size(limit)} limit; not downloaded")
        deadline = time.monotonic() + self.options.timeout  # httpx bounds each wait, this the whole body
        parts, size = [], 0
        try:
            for piece in answer.iter_bytes():
                parts.append(piece)
                size += len(piece)
                if size > limit:
                    if truncate:
                        return b"".join(parts)[:limit], True
                    raise FetchError(url, f"response cut off at {_size(limit)}: it is larger than the {_size(limit)} limit")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"response cut off: still arriving after {self.options.timeout:g} s")
        except httpx.DecodingError as exc:
            raise FetchError(url, f"cannot decode the response body ({exc})") from None
        except httpx.TimeoutException:
            raise _Transient(url, f"response stalled for {self.options.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise _Transient(url, f"connection dropped while reading ({exc})") from None
        return b"".join(parts), False
