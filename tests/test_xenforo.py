from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from index.errors import InputError
from index.sources import detect, parse_file
from index.sources.xenforo import body_blocks, page_info

FIXTURES = Path(__file__).parent / "fixtures" / "xenforo"
XF2_JSON = "corpora/parsed_json_forumscraper/xenforo2"
TMC_XF1 = "corpora/xenforo/tmc_xf1_kcinnick"


def quotes(post):
    return [(b.quoted_author, b.quoted_post_id, b.text) for b in post.blocks if b.kind == "quote"]


def test_xf2_page_posts_quotes_reactions_and_placeholders():
    [thread] = parse_file(FIXTURES / "xf2-thread-page1.html")
    assert thread.thread.id == "xenforo-154321" and thread.thread.title == "Dojo and FSD training compute"
    assert thread.thread.url == "https://teslamotorsclub.com/tmc/threads/dojo-and-fsd-training-compute.154321/"
    first, reply, media = thread.posts
    assert (first.id, first.number, first.author, first.posted_at) == ("5590001", 1, "ElonFan42", "2021-05-04T10:22:33-04:00")
    assert first.text.endswith("operational next year & the first version uses their own chip.")
    assert first.permalink == "https://teslamotorsclub.com/tmc/threads/dojo-and-fsd-training-compute.154321/post-5590001"
    # The quote is credited to the member quoted and linked to the quoted post;
    # "said:" and "Click to expand..." are page chrome, not anybody's words.
    assert quotes(reply) == [("ElonFan42", "5590001", "Elon said on the Q1 call that Dojo will be used to train the FSD networks on video.")]
    assert "said:" not in reply.text and "Click to expand" not in reply.text
    assert reply.reactions == {"Like, Informative": ("ElonFan42", "Mike_B")}
    assert "[image: dojo-slide.png]" in media.text and "[media: https://www.youtube.com/embed/j0z4FweCy4M]" in media.text
    assert media.text.endswith("[attachment: q1-transcript.pdf]")
    assert "Model 3 LR AWD" not in media.text  # the signature is not the post


def test_xf2_nested_and_anonymous_quotes_lists_and_link_previews():
    [thread] = parse_file(FIXTURES / "xf2-thread-page2.html")
    nested, anonymous = thread.posts
    assert nested.number == 4 and [(a, p) for a, p, _ in quotes(nested)] == [("ElonFan42", "5590001"), ("gpu_guy", "5590007")]
    assert nested.blocks[-1].kind == "own" and nested.mentions == ("ElonFan42",)
    assert quotes(anonymous)[0][:2] == (None, None)
    assert "- Dojo: training computer\n- D1: their own chip" in anonymous.text
    assert "[link: https://ir.tesla.com/q1-2021]" in anonymous.text
    assert "nobody in the thread wrote" not in anonymous.text


def test_page_info_for_a_crawler():
    info = page_info((FIXTURES / "xf2-thread-page2.html").read_text())
    assert (info.thread_id, info.page, info.pages) == ("154321", 2, 3)
    assert info.next_url == "https://teslamotorsclub.com/tmc/threads/dojo-and-fsd-training-compute.154321/page-3"
    info = page_info((FIXTURES / "xf1-thread-page2.html").read_text())
    assert (info.thread_id, info.page, info.pages) == ("7701", 2, 3)
    assert info.next_url == "https://forum.example.org/community/threads/wiper-blades-for-the-model-s.7701/page-3"
    # A fetched page may name itself by the URL it came from.
    last = page_info("<html><body></body></html>", "https://f.example/threads/x.5/page-3")
    assert (last.thread_url, last.page, last.next_url) == ("https://f.example/threads/x.5/", 3, None)


def test_xf1_page_fallback():
    [thread] = parse_file(FIXTURES / "xf1-thread-page2.html")
    assert thread.thread.id == "xenforo-7701"
    first, reply = thread.posts
    assert (first.id, first.number, first.author, first.posted_at) == ("880011", 21, "hank", "2017-02-07T09:40:00+00:00")
    assert first.permalink == "https://forum.example.org/community/posts/880011/"
    assert first.reactions == {"Like": ("jo_ev", "RK")}
    assert quotes(reply) == [("hank", "880011", "Avoid the cheap ones, they chatter at highway speed.")]
    assert reply.blocks[-1].text == "Agreed. Mine started chattering after a month."


def test_detected_by_content_not_extension(tmp_path):
    copy = tmp_path / "saved.txt"
    copy.write_text((FIXTURES / "xf2-thread-page1.html").read_text())
    assert detect(copy.read_text(), str(copy)).name == "xenforo"


def test_page_without_posts_is_an_error(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text('<html><body><div class="bbWrapper"></div><p>No messages.</p></body></html>')
    with pytest.raises(InputError, match="empty.html: no posts found"):
        parse_file(page)


def test_deeply_nested_markup_does_not_overflow():
    html = "<div>" * 5000 + "deep words" + "</div>" * 5000
    assert [b.text for b in body_blocks(html)] == ["deep words"]


# Real TMC posts saved while TMC ran XenForo 1 (kcinnick/tmc test fixtures).
def test_real_tmc_xf1_post_fragment(shared):
    [thread] = parse_file(shared / TMC_XF1 / "single_post.html")
    [post] = thread.posts
    # From the file: li#fc-post-3486499 data-author="Chickenlittle", a.postNumber "#3",
    # abbr data-time="1552830746", quote data-author="boaterva" goto/post?id=3486222.
    assert (post.id, post.number, post.author) == ("3486499", 3, "Chickenlittle")
    assert post.posted_at == "2019-03-17T13:52:26+00:00"
    [(author, quoted_id, text)] = quotes(post)
    assert (author, quoted_id) == ("boaterva", "3486222") and text.startswith("Make what move? Buy a third Model 3?")
    assert post.blocks[-1].text.startswith("Sorry yes buying third model3 for those reasons.")
    [media] = parse_file(shared / TMC_XF1 / "single_media_post.html")[0].posts
    assert (media.id, media.author, media.text) == ("3463146", "gavine", "[media: https://www.youtube.com/embed/IsO3QiCR6_g]")


def _runs(pairs) -> list[tuple[str, str]]:
    """Attributions in document order, repeats of the same source collapsed."""
    return [tuple(pair) for pair, _ in itertools.groupby(pairs)]


# Real XenForo 2 post bodies (forumscraper JSON keeps the .bbWrapper HTML verbatim).
@pytest.mark.parametrize(
    "name, posts, with_quotes, quote_blocks",
    # Counted in the files: overtake has 35 quote elements in 26 posts, two of
    # them back to back from the same post (3565402); modelarstwo has 24 in 22
    # posts, one of them (post 1116765) with no title or source at all.
    [("overtake_177663", 56, 26, 34), ("modelarstwo_60974", 97, 22, 24)],
)
def test_real_xf2_bodies(shared, name, posts, with_quotes, quote_blocks):
    data = json.loads((shared / XF2_JSON / f"{name}.json").read_text(encoding="utf-8"))
    assert len(data["posts"]) == posts
    parsed = {p["id"]: body_blocks(p["text"]) for p in data["posts"]}
    assert sum(any(b.kind == "quote" for b in bl) for bl in parsed.values()) == with_quotes
    assert sum(b.kind == "quote" for bl in parsed.values() for b in bl) == quote_blocks
    for post in data["posts"]:
        found = [(b.quoted_author, b.quoted_post_id) for b in parsed[post["id"]] if b.kind == "quote"]
        expected = re.findall(r'data-quote="([^"]*)" data-source="post: (\d+)"', post["text"])
        if expected:
            assert _runs(found) == _runs(expected), post["id"]
        assert all("Click to expand" not in b.text and "Kliknij by rozszerzyć" not in b.text for b in parsed[post["id"]])
        assert all("<" not in b.text or "<" in re.sub(r"<[^>]+>", "", post["text"]) for b in parsed[post["id"]])


def test_real_xf2_quote_without_data_attributes(shared):
    # modelarstwo's markup has no data-quote/data-source: the name comes from
    # the localised title "KrotVikinG napisał(a):", the id from /goto/post?id=.
    data = json.loads((shared / XF2_JSON / "modelarstwo_60974.json").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in data["posts"]}
    reply = body_blocks(by_id[1111974]["text"])
    assert by_id[1111974]["user"] == "Elvis"
    assert [(b.kind, b.quoted_author, b.quoted_post_id, b.text) for b in reply] == [
        ("quote", "KrotVikinG", "1111970", "To jaka jest przewidywana długość szlaku, makiety?"),
        ("own", None, None, "Około 105m"),
    ]
    untitled = body_blocks(by_id[1116765]["text"])
    assert (untitled[0].kind, untitled[0].quoted_author, untitled[0].quoted_post_id) == ("quote", None, None)
    # The ProSimu reply in overtake quotes 5teveC457's post 3142207.
    data = json.loads((shared / XF2_JSON / "overtake_177663.json").read_text(encoding="utf-8"))
    post = next(p for p in data["posts"] if p["id"] == 3145787)
    blocks = body_blocks(post["text"])
    assert (blocks[0].quoted_author, blocks[0].quoted_post_id) == ("5teveC457", "3142207")
    assert blocks[0].text.startswith("How will the P3MP (coming soon?) differ from the T1000 3M system?")
    assert blocks[1].text.startswith("Hi 5teve,")
