"""Helpers for the web-chat tests: a served app on a free port, and Debian's
Chromium driven by Playwright (never a browser Playwright downloads)."""
from __future__ import annotations

import os
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from ui.app import build, launch_options
from ui.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
FIXTURES = Path(__file__).parent / "fixtures"
# Set to a directory to keep copies of the screenshots (for reviews and reports).
SCREENSHOTS_ENV = "FORUM_RAG_UI_SCREENSHOTS"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(**overrides) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, in this process (so tests can patch it)."""
    settings = Settings(**{"port": free_port(), **overrides})
    demo = build(settings)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **launch_options(settings))
    try:
        yield url
    finally:
        demo.close()


@contextmanager
def chromium(profile: Path, viewport: dict = DESKTOP):
    """(page, requests): a fresh profile; every request the page makes is recorded."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (setup.sh installs it as root: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, viewport=viewport,
        )
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        try:
            yield context.pages[0] if context.pages else context.new_page(), requests
        finally:
            context.close()


def fill_queue(url: str, question: str = "What did Elon say about Dojo in Q1?"):
    """With one answer running (concurrency 1, queue 1), one more waits and a
    third is turned away busy. Returns the waiting job."""
    from gradio_client import Client
    from gradio_client.utils import QueueError, Status

    client = Client(url, verbose=False)
    waiting = client.submit(question, api_name="/ask")
    while waiting.status().code != Status.IN_QUEUE:
        time.sleep(0.05)
    with pytest.raises(QueueError, match="try again"):
        client.predict(question, api_name="/ask")
    return waiting


def outside(requests: list[str], base_url: str) -> list[str]:
    """Requests that went anywhere but the app's own server."""
    own = urlsplit(base_url).netloc
    return [url for url in requests if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own]


def screenshot(page, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    keep = os.environ.get(SCREENSHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    return path
