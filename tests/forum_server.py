"""A tiny web server on 127.0.0.1 that plays a forum for the crawler tests.

Routes map a path (with its query string) to replies served in turn (the
last one repeats). Every request is logged with its headers and the time on
the server's clock, so tests can check what was fetched, in which order,
and how far apart.
"""
from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True
    trickle: float = 0.0  # seconds between 1 KiB pieces of the body

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status, b"", {"Location": location})


class FakeClock:
    """Time that passes only when the crawler sleeps: waits are checked
    exactly and cost nothing."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.epoch = 1_700_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.epoch + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float


class ForumServer:
    def __init__(self, clock: Callable[[], float] = time.monotonic, tls: tuple[str, str] | None = None) -> None:
        self.clock = clock
        self.scheme = "https" if tls else "http"
        self.routes: dict[str, list[Reply]] = {}
        self.prefixes: dict[str, Callable[[str], Reply]] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        if tls is not None:  # (certificate file, key file)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def route_prefix(self, prefix: str, answer: Callable[[str], Reply]) -> None:
        """Paths starting with `prefix` are answered by `answer(path)`."""
        self.prefixes[prefix] = answer

    def paths(self) -> list[str]:
        return [r.path for r in self.log]

    def reply_for(self, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                prefix = next((p for p in self.prefixes if path.startswith(p)), None)
                return self.prefixes[prefix](path) if prefix else Reply(404, "not found", {"Content-Type": "text/plain"})
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: ForumServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            server.log.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}, server.clock()))
            reply = server.reply_for(self.path)
            body = reply.data()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.content_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                step = 1024 if reply.trickle else max(len(body), 1)
                for start in range(0, len(body), step):
                    self.wfile.write(body[start : start + step])
                    self.wfile.flush()
                    if reply.trickle:
                        time.sleep(reply.trickle)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the crawler hung up on purpose (size or time cap)

        def log_message(self, *args) -> None:
            pass

    return Handler


# The test server's address, and no other private one, is reachable.
LOOPBACK_ONLY = ("127.0.0.1/32",)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock):
    """A forum on 127.0.0.1 whose Retry-After and rate waits run on `clock`."""
    srv = ForumServer(clock.monotonic)
    yield srv
    srv.close()
