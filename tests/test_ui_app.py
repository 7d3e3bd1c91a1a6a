"""The web chat's pieces without a browser: settings, catalog, chat flow, uploads."""
from __future__ import annotations

import pytest

import rag
from conftest import SAMPLE, tree_bytes
from index.errors import ForumRagError
from rag.types import Answer
from ui import chat, examples, uploads
from ui.catalog import Catalog
from ui.settings import Settings, is_local, parse_auth
from ui_support import FIXTURES

SAMPLE_QUESTION = "What did Elon say about Dojo in Q1?"


@pytest.mark.parametrize("host, local", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                         ("0.0.0.0", False), ("192.168.1.5", False), ("example.com", False)])
def test_is_local(host, local):
    assert is_local(host) is local


def test_non_local_bind_requires_auth():
    with pytest.raises(ForumRagError, match="--auth"):
        Settings(host="0.0.0.0").check()
    Settings(host="0.0.0.0", auth=("ann", "secret")).check()
    Settings().check()


def test_auth_must_be_user_and_password():
    assert parse_auth("ann:s:cret") == ("ann", "s:cret")
    for bad in ("ann", ":pw", "ann:"):
        with pytest.raises(ForumRagError):
            parse_auth(bad)


@pytest.mark.parametrize("name", ["../escape", "/tmp/elsewhere", "a/b", ".hidden", "", "bad name"])
def test_new_index_must_be_a_plain_name(sample_index, name):
    with pytest.raises(ForumRagError):
        Catalog().new_index_path(name)


def test_catalog_lists_indexes_by_name_with_counts(sample_index):
    catalog = Catalog()
    assert catalog.new_index_path("my-thread") == sample_index.parent / "my-thread"
    (summary,) = catalog.summaries()
    assert summary.key == "default" and summary.posts > 0 and summary.threads == 1
    assert summary.label == f"default — {summary.posts} posts · 1 thread"
    assert str(sample_index) not in summary.label


def test_example_questions_fit_the_index():
    assert examples.questions([examples.SAMPLE_THREAD_TITLE], [])[0] == SAMPLE_QUESTION
    other = examples.questions(["Rear drive unit failures"], ["ann", "bo"])
    assert other == ["What is the thread “Rear drive unit failures” about?", "What did ann say?", "What did bo say?"]


def _fake_stream(pieces, answer):
    calls = []

    def stream(question, **options):
        calls.append(options)
        yield from pieces
        yield answer

    return stream, calls


def test_answer_streams_then_shows_cards_and_feeds_follow_ups(sample_index, monkeypatch):
    catalog = Catalog()
    real = rag.ask(SAMPLE_QUESTION)
    stream, calls = _fake_stream(["Elon called it ", "a long-shot bet [1]"], real)
    monkeypatch.setattr(rag, "ask_stream", stream)
    steps = list(chat.respond(catalog, SAMPLE_QUESTION, [], [], chat.Query()))
    html = [messages[-1]["content"] for messages, _ in steps]
    assert "Searching the posts" in html[0]
    assert "fr-cursor" in html[1] and "Elon called it" in html[1] and "a long-shot bet" not in html[1]
    assert "fr-cursor" in html[2] and 'a long-shot bet<span class="fr-cite">1</span>' in html[2]
    assert "fr-cursor" not in html[-1] and 'id="fr-0-1"' in html[-1] and "<mark>" in html[-1]
    messages, turns = steps[-1]
    assert turns == [{"question": SAMPLE_QUESTION, "answer": real.text}]
    assert messages[0] == {"role": "user", "content": f'<div class="fr-plain">{SAMPLE_QUESTION}</div>'}

    follow = list(chat.respond(catalog, "And about Nvidia?", messages, turns, chat.Query(k=5, author="elon")))
    assert calls[1]["history"] == [(SAMPLE_QUESTION, real.text)]
    assert calls[1]["k"] == 5 and calls[1]["author"] == "elon" and calls[1]["index"] == sample_index
    assert 'id="fr-1-1"' in follow[-1][0][-1]["content"] and len(follow[-1][1]) == 2


def test_abstention_and_errors_show_in_the_chat(sample_index, monkeypatch):
    catalog = Catalog()
    stream, _ = _fake_stream([], Answer(question="q", text="The indexed posts don't answer that.", abstained=True))
    monkeypatch.setattr(rag, "ask_stream", stream)
    messages, turns = list(chat.respond(catalog, "q", [], [], chat.Query()))[-1]
    assert "no answer in the posts" in messages[-1]["content"] and len(turns) == 1

    monkeypatch.undo()
    messages, turns = list(chat.respond(catalog, "x" * 3000, [], [], chat.Query()))[-1]
    assert "fr-error" in messages[-1]["content"] and "limit is 2000" in messages[-1]["content"] and turns == []
    assert list(chat.respond(catalog, "   ", [], [], chat.Query())) == [([], [])]


def test_date_range_goes_to_ask(sample_index):
    options = chat.ask_options(Catalog(), chat.Query(since="2021-01-01", until="2021-03-31"))
    assert options["since"] == "2021-01-01" and options["until"] == "2021-03-31"
    assert "since" not in chat.ask_options(Catalog(), chat.Query())


def test_upload_builds_a_new_index_with_progress(sample_index, tmp_path):
    upload = tmp_path / "upload" / "hostile-thread.jsonl"
    upload.parent.mkdir()
    upload.write_bytes((FIXTURES / "hostile-thread.jsonl").read_bytes())
    seen = []
    outcome = uploads.add_files(Catalog(), [str(upload)], "default", "winter", 5, lambda *step: seen.append(step))
    assert outcome.key == "winter" and outcome.message.startswith("winter: 3 new")
    assert seen and seen[-1][1] == seen[-1][2]  # progress reached its total
    assert "winter" in Catalog().paths() and not upload.exists()  # the upload copy is gone


def test_bad_or_oversized_upload_changes_nothing(sample_index, tmp_path):
    before = tree_bytes(sample_index)
    binary = tmp_path / "dump.txt"
    binary.write_bytes(b"\x00\x01binary")
    with pytest.raises(ForumRagError) as error:
        uploads.add_files(Catalog(), [str(binary)], "default", "", 5)
    assert str(error.value).startswith("dump.txt: binary file") and str(tmp_path) not in str(error.value)
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.read_bytes() * 200)
    with pytest.raises(ForumRagError, match="big.txt: .* over the 1 MB upload limit"):
        uploads.add_files(Catalog(), [str(big)], "default", "", 1)
    assert tree_bytes(sample_index) == before


def test_url_ingest_is_refused_unless_allowed(sample_index):
    before = tree_bytes(sample_index)
    with pytest.raises(ForumRagError, match="--allow-url-ingest"):
        uploads.add_url(Catalog(), False, "https://forum.example/threads/x.1/", "default", "")
    with pytest.raises(ForumRagError, match="expected an http"):
        uploads.add_url(Catalog(), True, "file:///etc/passwd", "default", "")
    # Even when allowed, the page never lifts the crawler's private-address guard.
    with pytest.raises(ForumRagError):
        uploads.add_url(Catalog(), True, "http://127.0.0.1:9/threads/x.1/", "default", "")
    assert tree_bytes(sample_index) == before


def test_url_ingest_crawls_the_thread_into_a_new_index(sample_index, monkeypatch):
    from functools import partial

    from forum_server import ForumServer
    from forum_sites import THREAD, serve_xenforo
    from index.crawl import CrawlOptions
    from index.pipeline import ingest

    # The page's own crawler settings, except that this test's server on
    # 127.0.0.1 is reachable and need not be paced.
    monkeypatch.setattr(uploads, "ingest", partial(ingest, crawl=CrawlOptions(allowed_networks=("127.0.0.1/32",), rate=50)))
    server = ForumServer()
    try:
        serve_xenforo(server)
        seen = []
        outcome = uploads.add_url(Catalog(), True, server.url(THREAD), None, "crawled", lambda *step: seen.append(step))
    finally:
        server.close()
    assert outcome.key == "crawled" and outcome.message.startswith("crawled: 8 new")
    assert seen and {f"{THREAD}page-2", f"{THREAD}page-3"} <= set(server.paths())
    assert "crawled" in Catalog().paths()


def test_unknown_startup_index_is_a_clear_error(sample_index):
    with pytest.raises(ForumRagError, match="no such index; build it with: forum-rag ingest"):
        Catalog("no-such-index")
