"""A fetched response, fully read and bounded in size."""
from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import FetchError


@dataclass(frozen=True)
class Response:
    url: str  # the address that answered, after redirects
    status: int
    reason: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def charset(self) -> str:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                try:
                    return codecs.lookup(value.strip().strip('"')).name
                except LookupError:
                    break
        return "utf-8"

    def text(self) -> str:
        charset = self.charset()
        try:
            return self.body.decode("utf-8-sig" if charset == "utf-8" else charset)
        except UnicodeDecodeError as exc:
            raise FetchError(self.url, f"response is not valid {charset} (byte offset {exc.start})") from None

    def json(self) -> Any:
        try:
            return json.loads(self.text())
        except json.JSONDecodeError as exc:
            raise FetchError(self.url, f"response is not valid JSON ({exc.msg} at line {exc.lineno})") from None
