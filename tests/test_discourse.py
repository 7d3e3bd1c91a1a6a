from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import InputError
from index.sources import detect, parse_file
from index.sources.discourse import missing_post_ids, parse

FIXTURES = Path(__file__).parent / "fixtures" / "discourse"
REAL = "corpora/discourse"


def quotes(post):
    return [(b.quoted_author, b.quoted_post_id) for b in post.blocks if b.kind == "quote"]


def test_topic_json_posts_quotes_and_truncation_warning():
    path = FIXTURES / "t_812.json"
    [thread] = parse_file(path)
    assert (thread.thread.id, thread.thread.title) == ("discourse-812", "Heat pump efficiency in winter")
    first, reply, lee = thread.posts
    assert (first.id, first.number, first.author, first.posted_at) == ("4101", 1, "marta", "2023-01-10T08:00:00+00:00")
    assert first.permalink == "/t/heat-pump-efficiency-in-winter/812/1"
    assert first.text.endswith("Has anyone measured theirs? :thinking:")
    # data-post is a post number; it becomes the quoted post's id.
    assert quotes(reply) == [("marta", "4101")] and reply.reply_to == "4101" and reply.mentions == ("marta",)
    assert reply.blocks[0].text == "Our heat pump drops to a COP of about 2 below -10 °C."
    assert "marta:" not in reply.text and "1200×675" not in reply.text and "[image: cop-chart]" in reply.text
    # A markdown quote has no named author; a onebox is the linked site's text.
    assert quotes(lee) == [(None, None)] and "[link: https://energy.example.gov/heat-pumps]" in lee.text
    assert "linked site wrote" not in lee.text
    [warning] = thread.warnings
    assert str(path) in warning and "2 of 5 posts are not in this file" in warning
    assert missing_post_ids(json.loads(path.read_text())) == [4118, 4120]


def test_posts_json_page_and_urls_from_a_fetched_source():
    path = FIXTURES / "t_812_posts_4120.json"
    [thread] = parse(path.read_text(), "https://forum.example.org/t/812/posts.json?post_ids[]=4120")
    [post] = thread.posts
    assert thread.thread.url == "https://forum.example.org/t/heat-pump-efficiency-in-winter/812"
    assert post.permalink == "https://forum.example.org/t/heat-pump-efficiency-in-winter/812/5"
    # Post #2 is not in this file, so the quote keeps its author but no id.
    assert quotes(post) == [("jonas", None)] and thread.warnings == ()


def test_detection_and_malformed_json(tmp_path):
    assert detect((FIXTURES / "t_812.json").read_text(), "x").name == "discourse"
    bad = tmp_path / "t.json"
    bad.write_text('{"post_stream": {"posts": [ {"id": 1,, ]}}')
    with pytest.raises(InputError, match=r"t.json: malformed JSON"):
        parse_file(bad)
    odd = tmp_path / "odd.json"
    odd.write_text('{"post_stream": {"posts": "nope"}}')
    with pytest.raises(InputError, match="no post_stream.posts list"):
        parse_file(odd, format="discourse")
    empty = tmp_path / "empty.json"
    empty.write_text('{"post_stream": {"posts": [], "stream": []}, "id": 5}')
    with pytest.raises(InputError, match="no posts found"):
        parse_file(empty)


def test_real_topic_with_truncated_post_stream(shared):
    path = shared / REAL / "criticalfallibilism" / "t_2108_post_452.json"
    [thread] = parse_file(path)
    # From the file: posts[] holds post numbers 433..452 (20), stream[] 446 ids.
    assert len(thread.posts) == 20 and [p.number for p in thread.posts] == list(range(433, 453))
    assert "426 of 446 posts are not in this file" in thread.warnings[0] and str(path) in thread.warnings[0]
    by_number = {p.number: p for p in thread.posts}
    # #442 (id 19934) by Jarrod replies to #441 (id 19933) and quotes Dface's post 441.
    jarrod = by_number[442]
    assert (jarrod.id, jarrod.author, jarrod.reply_to) == ("19934", "Jarrod", "19933")
    assert ("Dface", "19933") in quotes(jarrod)
    # #433 quotes Eternity's #428, which is not in the file: no id to link.
    assert quotes(by_number[433]) == [("Eternity", None)]
    assert by_number[446].permalink == "/t/comments-on-the-boyfriends-introduction-to-feminism/2108/446"


def test_real_posts_json_and_2013_topic(shared):
    [kpop] = parse_file(shared / REAL / "criticalfallibilism" / "t_2144_posts.json")
    by_number = {p.number: p for p in kpop.posts}
    # From the file: 20 posts, #7 absent; #2 (Eternity) quotes Elliot's #1 (id 20089).
    assert len(kpop.posts) == 20 and 7 not in by_number
    assert by_number[2].author == "Eternity" and set(quotes(by_number[2])) == {("Elliot", "20089")}
    assert by_number[9].reply_to == "20127" and quotes(by_number[9]) == [("anonymous105", "20127")]
    [sandbox] = parse_file(shared / REAL / "try_discourse_2013" / "topic.json")
    assert [(p.id, p.number, p.author) for p in sandbox.posts] == [
        ("83", 1, "samsaffron"), ("84", 2, "samsaffron"), ("86", 3, "stienman"), ("226", 14, "splattne")
    ]
    assert sandbox.warnings == ()  # stream [83, 84, 86, 226] is complete
    assert sandbox.posts[0].posted_at == "2013-02-04T15:26:26-05:00"
