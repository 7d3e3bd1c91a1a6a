"""The web chat in a real browser: Debian's Chromium, headless, via Playwright.

Every test records each request the page makes; none may leave the app's own
server. Screenshots land in the test's tmp_path (and in $FORUM_RAG_UI_SCREENSHOTS
when set).
"""
from __future__ import annotations

import threading

import pytest
import rag
from ui_support import DESKTOP, FIXTURES, PHONE, chromium, fill_queue, outside, screenshot, serving

pytestmark = pytest.mark.browser
SAMPLE_QUESTION = "What did Elon say about Dojo in Q1?"
WAIT = 180_000  # ms; answering on a busy 2-core machine can take a while
# Resolves once an element has stopped moving (the sidebar slides in).
SETTLED = """selector => new Promise(resolve => {
  let last = null;
  const tick = () => {
    const x = document.querySelector(selector).getBoundingClientRect().left;
    if (x === last) resolve(x); else { last = x; setTimeout(() => requestAnimationFrame(tick), 50); }
  };
  tick();
})"""


def _words(text: str) -> str:
    return " ".join(text.split())


def _ask(page, question: str, turn: int) -> None:
    page.locator("#fr-question textarea").fill(question)
    page.locator("#fr-question textarea").press("Enter")
    # Turn N is done once N+1 answers are shown and none is still streaming (its cursor gone).
    page.wait_for_function(
        """turn => document.querySelectorAll('#fr-chat .fr-answer').length > turn
                   && !document.querySelector('#fr-chat .fr-cursor')""",
        arg=turn, timeout=WAIT)


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#fr-question textarea", timeout=WAIT)


def _card_after_click(page, turn: int, n: int):
    page.locator(f'#fr-chat a.fr-cite[href="#fr-{turn}-{n}"]').first.click()
    page.wait_for_function(f"location.hash === '#fr-{turn}-{n}'")
    card = page.locator(f"#fr-{turn}-{n}")
    card.wait_for(state="visible")
    return card


def _check_sample_card(page, expected) -> None:
    first = expected.citations[0]
    card = _card_after_click(page, 0, first.n)
    assert card.evaluate("el => el.matches(':target')")
    assert _words(first.quote) in _words(card.locator("mark").first.inner_text())
    assert _words(card.locator(".fr-author").inner_text()) == (first.author or "unknown member")
    assert f"post #{first.post_number}" in card.locator(".fr-meta").inner_text()
    shown = _words(card.locator("blockquote.fr-post").inner_text())
    assert len(shown) > len(_words(first.quote)) + 100  # the quote sits in its post, not alone


def test_sample_question_streams_and_its_citation_opens_the_post(sample_index, tmp_path):
    expected = rag.ask(SAMPLE_QUESTION)
    assert expected.citations
    with serving() as url:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            with chromium(tmp_path / f"profile-{name}", viewport) as (page, requests):
                _open(page, url)
                if name == "phone":  # the sidebar folds away so the chat has the screen
                    page.wait_for_selector("#fr-sidebar:not(.open)")
                screenshot(page, tmp_path, f"{name}-start")
                _ask(page, SAMPLE_QUESTION, 0)
                assert page.locator("#fr-chat .fr-cursor").count() == 0
                _check_sample_card(page, expected)
                screenshot(page, tmp_path, f"{name}-answer")
                if name == "phone":  # the controls are one tap away
                    page.locator("#fr-sidebar .toggle-button").click()
                    page.evaluate(SETTLED, "#fr-index")
                    box = page.locator("#fr-index").bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["width"] > 250
                    screenshot(page, tmp_path, "phone-controls")
                assert outside(requests, url) == []


def _upload(page, path, index_name: str) -> str:
    page.locator("#fr-add").get_by_text("Add posts").first.click()
    page.locator("#fr-files").wait_for(state="visible")
    page.locator("#fr-files input[type=file]").set_input_files(str(path))
    page.locator(f'#fr-files td.filename[aria-label="{path.name}"]').wait_for(timeout=WAIT)
    page.locator("#fr-new-index textarea, #fr-new-index input").first.fill(index_name)
    page.locator("#fr-add-button").click()
    page.wait_for_selector("#fr-add-status .fr-status", timeout=WAIT)
    return page.locator("#fr-add-status").inner_text()


def test_hostile_post_uploaded_from_the_page_renders_inert(sample_index, tmp_path):
    with serving() as url, chromium(tmp_path / "profile") as (page, requests):
        _open(page, url)
        status = _upload(page, FIXTURES / "hostile-thread.jsonl", "winter")
        assert status.startswith("winter: 3 new"), status
        page.wait_for_selector("#fr-header >> text=winter")
        page.wait_for_selector("#fr-chat .example >> text=What did alice say?")  # examples follow the index

        _ask(page, "Does the charge port heater freeze in cold weather?", 0)
        card = _card_after_click(page, 0, 1)
        post = card.locator("blockquote.fr-post").inner_text()
        assert "<script>window.__pwned='script'</script>" in post and '<img src="http://198.51.100.7/pixel.png"' in post
        assert card.locator(".fr-author").inner_text() == "mallory<img src=x onerror=alert(1)>"
        assert card.locator("a").count() == 0  # its javascript: permalink is not a link
        messages = page.locator("#fr-chat .message-content")
        assert messages.locator("script, img, iframe, object, embed").count() == 0
        screenshot(page, tmp_path, "hostile")

        _ask(page, "How much range is lost after a cold night?", 1)
        quoted = _card_after_click(page, 1, 1)
        assert _words(quoted.locator(".fr-card-head").inner_text()).startswith("1 bob quoting alice")
        assert quoted.locator("a.fr-permalink").get_attribute("href") == "https://forum.example/threads/winter-charging.1/post-3"

        assert page.evaluate("window.__pwned") is None
        assert outside(requests, url) == []
        page.locator("#fr-new-chat").click()
        page.wait_for_selector("#fr-chat .placeholder")
        assert page.locator("#fr-chat .fr-card").count() == 0


def _gate_answers(monkeypatch, release: threading.Event) -> None:
    """ask_stream sends a first delta, then waits for `release`; ask waits too."""
    real_stream, real_ask = rag.ask_stream, rag.ask

    def gated_stream(question, **options):
        *_, answer = real_stream(question, **options)
        yield "Elon said Dojo is "
        release.wait(timeout=300)  # a safety net so a broken test cannot hang forever
        yield "a long-shot bet [1]"
        yield answer

    def gated_ask(question, **options):
        release.wait(timeout=300)
        return real_ask(question, **options)

    monkeypatch.setattr(rag, "ask_stream", gated_stream)
    monkeypatch.setattr(rag, "ask", gated_ask)


def test_answer_streams_in_and_a_full_queue_says_busy(sample_index, tmp_path, monkeypatch):
    release = threading.Event()
    _gate_answers(monkeypatch, release)
    with serving(concurrency=1, queue_size=1) as url, chromium(tmp_path / "profile") as (page, requests):
        _open(page, url)
        page.locator("#fr-question textarea").fill(SAMPLE_QUESTION)
        page.locator("#fr-question textarea").press("Enter")
        page.wait_for_selector("#fr-chat .fr-cursor", timeout=WAIT)
        assert "Elon said Dojo is" in page.locator("#fr-chat .fr-answer").inner_text()
        screenshot(page, tmp_path, "streaming")

        waiting = fill_queue(url)
        busy = page.context.new_page()
        _open(busy, url)
        busy.locator("#fr-question textarea").fill("Anyone there?")
        busy.locator("#fr-question textarea").press("Enter")
        busy.wait_for_selector("text=currently busy", timeout=WAIT)
        assert busy.locator("#fr-question textarea").input_value() == "Anyone there?"  # kept to send again
        busy.wait_for_function("getComputedStyle(document.querySelector('[data-testid=toast-body]')).opacity === '1'")
        screenshot(busy, tmp_path, "busy")

        release.set()
        page.wait_for_selector("#fr-chat .fr-sources", timeout=WAIT)
        assert page.locator("#fr-chat .fr-cursor").count() == 0
        assert waiting.result()["citations"]
        assert outside(requests, url) == []
