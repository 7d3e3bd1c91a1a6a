"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1.

Each request takes the next step from the script (the last step repeats).
The server answers both streaming (SSE over chunked transfer encoding, as real
servers do) and non-streaming requests, and records every request body.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Step:
    text: str | Callable[[dict], str] = ""  # the reply, or a function of the request body
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait before sending anything
    drop_after: int | None = None  # close the connection after this many content chunks
    chunk_chars: int = 12
    chunk_pause: float = 0.0


def reply(text, **kw) -> Step:
    return Step(text=text, **kw)


def error(status: int, message: str = "scripted failure", **kw) -> Step:
    return Step(text=message, status=status, **kw)


class FakeLLM:
    def __init__(self, *steps: Step) -> None:
        self.script = list(steps)
        self.requests: list[dict] = []
        self.arrivals: list[float] = []
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "FakeLLM":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases handlers that are hanging
        self._server.shutdown()
        self._server.server_close()

    def next_step(self, body: dict) -> Step:
        self.requests.append(body)
        self.arrivals.append(time.monotonic())
        return self.script[min(len(self.requests), len(self.script)) - 1]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                step = fake.next_step(body)
                if step.hang and fake._stop.wait(step.hang):
                    return
                if step.status != 200:
                    return self._error(step)
                text = step.text(body) if callable(step.text) else step.text
                if body.get("stream"):
                    self._stream(step, body, text)
                else:
                    self._json(200, completion(body, text))

            def _error(self, step: Step) -> None:
                kind = {401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_exceeded"}
                payload = {"error": {"message": step.text, "type": kind.get(step.status, "server_error"), "code": step.status}}
                self._json(step.status, payload, step.headers)

            def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def _stream(self, step: Step, body: dict, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = [text[i : i + step.chunk_chars] for i in range(0, len(text), step.chunk_chars)]
                self._chunk(sse(chunk(body, {"role": "assistant", "content": ""})))
                for n, piece in enumerate(pieces):
                    if step.drop_after is not None and n >= step.drop_after:
                        # No terminating chunk: the client sees an incomplete body.
                        self.close_connection = True
                        return
                    self._chunk(sse(chunk(body, {"content": piece})))
                    if step.chunk_pause:
                        time.sleep(step.chunk_pause)
                self._chunk(sse(chunk(body, {}, finish="stop")))
                self._chunk(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")

        return Handler


def sse(payload: dict) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def chunk(body: dict, delta: dict, finish: str | None = None) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
        "model": body.get("model", "fake"), "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def completion(body: dict, text: str) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }
