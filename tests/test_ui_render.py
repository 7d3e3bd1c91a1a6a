"""The HTML the chat shows: every post and model word escaped, markers linked."""
from __future__ import annotations

from html.parser import HTMLParser

from rag.types import Citation
from ui import render

HOSTILE = "<script>alert(1)</script> <img src=\"http://198.51.100.7/x.png\" onerror=\"alert(2)\"> ![t](http://198.51.100.7/m.png)"


class Tags(HTMLParser):
    """Collects (tag, attrs) of the markup, to see what a browser would build."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def names(self) -> set[str]:
        return {tag for tag, _ in self.found}


def citation(n=1, *, text="The quote here.", start=0, author="alice", speaker=None, kind="own", url="https://forum.example/p/1", **extra):
    return Citation(
        n=n, post_id=extra.get("post_id", f"p{n}"), post_number=extra.get("post_number", n), thread_title=extra.get("thread_title", "A thread"),
        author=author, posted_at=extra.get("posted_at", "2021-04-02T10:00:00"), url=url, speaker=speaker or author,
        quote=text, score=0.9, quote_start=start, quote_end=start + len(text), kind=kind,
    )


def test_answer_text_is_escaped_and_markers_link_to_cards():
    html = render.answer_body(f"Claim one {HOSTILE} [1] and two [2][1].", 3, [citation(1), citation(2)])
    tags = Tags(html)
    assert "script" not in tags.names() and "img" not in tags.names()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    links = [attrs["href"] for tag, attrs in tags.found if tag == "a"]
    assert links == ["#fr-3-1", "#fr-3-2", "#fr-3-1"]


def test_marker_without_citation_is_not_a_link():
    html = render.answer_body("Something [7].", 0, [citation(1)])
    assert 'href="#fr-0-7"' not in html and "fr-cite-missing" in html


def test_sentence_the_checker_flagged_is_marked_unsupported():
    html = render.answer_body("Backed by a post [1]. ⚠ This is made up. [unsupported: no citation]", 0, [citation(1)])
    assert '<span class="fr-unsupported" title="no citation">This is made up.</span>' in html
    assert html.index("fr-unsupported") > html.index('href="#fr-0-1"')
    assert "[unsupported" not in html and "⚠" not in html


def test_flagged_claim_keeps_its_words_escaped():
    html = render.answer_body(f"⚠ {HOSTILE} [unsupported: the cited post doesn't say this]", 0, [])
    assert "script" not in Tags(html).names() and "&lt;script&gt;" in html and "fr-unsupported" in html


def test_unflagged_text_after_a_marker_is_not_unsupported():
    # the extractive answer puts reactions after the marker: "… [1] (Like: bob)"
    html = render.answer_body("Backed [1] (Like: bob, carol).\nAlso backed [1]", 0, [citation(1)])
    assert "fr-unsupported" not in html and "(Like: bob, carol)." in html


def test_streaming_text_has_a_cursor_and_no_verdicts():
    html = render.answer_body("Partial claim without a marker yet", 0, [citation(1)], final=False)
    assert "fr-cursor" in html and "fr-unsupported" not in html


def test_card_shows_author_date_thread_post_number_and_highlighted_quote():
    post = "First paragraph.\n\nThe quote here. After it."
    c = citation(1, text="The quote here.", start=post.index("The quote"), post_number=12, thread_title="Dojo <thread>")
    html = render.card(0, c, post)
    assert 'id="fr-0-1"' in html
    assert ">alice<" in html and "2021-04-02" in html and "post #12" in html and "Dojo &lt;thread&gt;" in html
    assert "<mark>The quote here.</mark>" in html and "First paragraph." in html
    assert 'href="https://forum.example/p/1"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_card_names_the_person_quoted():
    html = render.card(0, citation(1, author="bob", speaker="alice", kind="quote"), "The quote here.")
    assert "quoting <strong>alice</strong>" in html


def test_card_of_own_words_does_not_say_quoting():
    assert "quoting" not in render.card(0, citation(1), "The quote here.")


def test_hostile_post_text_author_and_permalink_stay_inert():
    post = f"Intro {HOSTILE} the quote here. {{{{constructor}}}} ${{x}}"
    c = citation(1, text="the quote here.", start=post.index("the quote"), author="m<img src=x onerror=alert(3)>", url="javascript:alert(4)")
    html = render.card(0, c, post)
    tags = Tags(html)
    assert not tags.names() & {"script", "img", "iframe", "style"}
    assert all(not k.startswith("on") for _, attrs in tags.found for k in attrs)
    assert "javascript:" not in html.split("<blockquote", 1)[0]  # no link made of it
    assert "&lt;img src=&quot;http://198.51.100.7/x.png&quot;" in html


def test_long_post_shows_an_excerpt_and_the_whole_post_on_demand():
    post = ("word " * 200) + "The quote here." + (" tail" * 200)
    html = render.card(0, citation(1, start=post.index("The quote")), post)
    excerpt = html.split('<details', 1)[0]
    assert excerpt.count("word") < 100 and "…" in excerpt
    assert '<details class="fr-whole">' in html and html.count("<mark>The quote here.</mark>") == 2


def test_quote_is_found_when_offsets_moved():
    post = "New first line.\nThe quote here."
    html = render.card(0, citation(1, start=0), post)
    assert "New first line.\n<mark>The quote here.</mark>" in html


def test_missing_post_text_still_shows_the_quote():
    assert "<mark>The quote here.</mark>" in render.card(0, citation(1), None)


def test_abstention_is_labelled():
    html = render.abstention("The indexed posts don't answer that.")
    assert "no answer in the posts" in html and "fr-abstained" in html


def test_notes_and_plain_text_are_escaped():
    assert "&lt;b&gt;" in render.notes(["<b>fallback</b>"])
    assert render.plain("<i>q</i>") == '<div class="fr-plain">&lt;i&gt;q&lt;/i&gt;</div>'
