"""The served app over HTTP: the ask API through gradio_client, what the
server refuses to serve, the bounded queue, auth, and the command line."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import httpx
import pytest
from gradio_client import Client

import rag
from conftest import REPO
from ui_support import fill_queue, free_port, serving

SAMPLE_QUESTION = "What did Elon say about Dojo in Q1?"


def test_api_ask_gives_the_same_citations_as_ask(sample_index):
    expected = rag.ask(SAMPLE_QUESTION).to_dict()
    with serving() as url:
        result = Client(url, verbose=False).predict(SAMPLE_QUESTION, api_name="/ask")
    assert result["citations"] == expected["citations"] and expected["citations"]
    assert result["answer"] == expected["answer"] and result["abstained"] is False


def test_api_reports_bad_filters_as_errors(sample_index):
    with serving() as url:
        with pytest.raises(Exception, match="no thread in the index matches"):
            Client(url, verbose=False).predict(SAMPLE_QUESTION, thread="no such thread", api_name="/ask")


def test_index_files_and_file_system_are_not_served(sample_index, home):
    manifest = next(sample_index.glob("gen-*/manifest.json"))
    with serving() as url:
        for path in (manifest, sample_index / "CURRENT", "/etc/passwd", REPO / "pyproject.toml"):
            for route in ("gradio_api/file=", "file="):
                response = httpx.get(f"{url}{route}{path}")
                assert response.status_code in (403, 404), (route, path, response.status_code)
                assert b"embedding_model" not in response.content and b"root:" not in response.content
        config = httpx.get(f"{url}config").text
    assert str(home) not in config and "default" in config


def test_full_queue_answers_busy(sample_index, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real_ask = rag.ask

    def slow_ask(question, **options):
        started.set()
        release.wait(timeout=120)  # a safety net so a broken test cannot hang forever
        return real_ask(question, **options)

    monkeypatch.setattr(rag, "ask", slow_ask)
    with serving(concurrency=1, queue_size=1) as url:
        running = Client(url, verbose=False).submit(SAMPLE_QUESTION, api_name="/ask")
        assert started.wait(timeout=120)
        waiting = fill_queue(url, SAMPLE_QUESTION)
        release.set()
        assert running.result()["citations"] == waiting.result()["citations"] != []


def test_auth_is_enforced_when_set(sample_index):
    with serving(auth=("ann", "s3cret")) as url:
        assert httpx.get(f"{url}config").status_code == 401
        result = Client(url, auth=("ann", "s3cret"), verbose=False).predict(SAMPLE_QUESTION, api_name="/ask")
    assert result["citations"]


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    environment = {**os.environ, **(env or {})}
    return subprocess.Popen([sys.executable, *args], env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **kwargs)


def test_cli_refuses_a_public_bind_without_auth(sample_index):
    process = _cli("-m", "rag.cli", "ui", "--host", "0.0.0.0")
    _, err = process.communicate(timeout=300)
    assert process.returncode == 2
    assert err.startswith("forum-rag: error: host 0.0.0.0:") and "--auth" in err and "Traceback" not in err


def test_python_m_ui_serves_and_prints_its_url(sample_index):
    port = free_port()
    process = _cli("-m", "ui", "--port", str(port))
    try:
        line = process.stderr.readline()
        assert line.strip() == f"forum-rag ui: http://127.0.0.1:{port}/ (Ctrl+C to stop)", line
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/config").json()["title"] == "forum-rag"
    finally:
        process.terminate()
        process.wait(timeout=60)
