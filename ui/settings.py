"""How the app was started: bind address, auth, limits, optional features."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from index.errors import ForumRagError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def is_local(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ForumRagError("auth: expected USER:PASSWORD")
    return user, password


@dataclass(frozen=True)
class Settings:
    index: str | os.PathLike | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth: tuple[str, str] | None = None
    models: tuple[str, ...] = ()  # litellm model names offered besides the offline answer
    allow_url_ingest: bool = False
    max_upload_mb: int = 20
    concurrency: int = 2  # answers computed at once (2 cores)
    queue_size: int = 16  # requests waiting beyond that; more get "busy, try again"

    def check(self) -> None:
        """A server others can reach must ask for a password."""
        if not is_local(self.host) and self.auth is None:
            raise ForumRagError(
                f"host {self.host}: other machines could reach the app; "
                "give --auth USER:PASSWORD (or FORUM_RAG_UI_AUTH) or bind 127.0.0.1"
            )
        if not 0 < self.port < 65536:
            raise ForumRagError(f"port {self.port}: expected 1-65535")
