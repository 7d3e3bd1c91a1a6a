"""phpBB, SMF, vBulletin and Reddit: fixtures written here, plus the real
samples in ../shared/corpora (values read from the files, noted per test)."""
from __future__ import annotations

from pathlib import Path

from index.sources import detect, parse_file, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "other"


def quotes(post):
    return [(b.quoted_author, b.quoted_post_id) for b in post.blocks if b.kind == "quote"]


def test_each_format_is_detected_by_content():
    found = {path.name: detect(read_text(path), str(path)).name for path in FIXTURES.iterdir()}
    assert found == {
        "phpbb3-viewtopic.html": "phpbb", "smf2-topic.html": "smf",
        "vbulletin-showthread.html": "vbulletin", "reddit-thread.json": "reddit",
    }


def test_phpbb3_fixture():
    [thread] = parse_file(FIXTURES / "phpbb3-viewtopic.html")
    first, reply = thread.posts
    assert (thread.thread.id, first.id, first.author, first.posted_at) == ("phpbb-9120", "70011", "frostbite", "2020-01-14T07:05:00")
    assert first.permalink == "https://forum.example.net/viewtopic.php?p=70011#p70011"
    assert quotes(reply) == [("frostbite", "70011")] and reply.blocks[0].text == "Without it the range drops by a third."
    assert reply.blocks[1].text == "A third sounds high. :? Mine loses maybe 20%.\n\nprecondition --minutes 20"


def test_smf_fixture():
    [thread] = parse_file(FIXTURES / "smf2-topic.html")
    first, reply = thread.posts
    assert (first.id, first.number, first.author, first.posted_at) == ("90001", 1, "wattson", "2021-03-03T20:15:00")
    assert (reply.number, quotes(reply)) == (2, [("wattson", "90001")])
    assert reply.blocks[-1].text == "Right, the 80% rule. Check the wire gauge too." and "Quote from" not in reply.text


def test_vbulletin_fixture():
    [thread] = parse_file(FIXTURES / "vbulletin-showthread.html")
    first, reply = thread.posts
    assert (thread.thread.title, first.author, first.posted_at) == ("Tire rotation intervals", "lugnut", "2021-04-02T09:15:00")
    assert quotes(reply) == [("lugnut", "510000001")] and "posted:" not in reply.text


def test_reddit_fixture():
    [thread] = parse_file(FIXTURES / "reddit-thread.json")
    assert [(p.id, p.number, p.author, p.reply_to) for p in thread.posts] == [
        ("abc12", 1, "curious_carl", None), ("g1", 2, "motorhead", "abc12"), ("g2", 3, "ee_emma", "g1"), ("g3", 4, None, "g2")
    ]
    assert quotes(thread.posts[2]) == [(None, None)]
    assert "2 comments behind 1 \"more\" links" in thread.warnings[0]


def test_real_phpbb_pages(shared):
    [rpi] = parse_file(shared / "corpora/phpbb/raspberrypi_ptforum/viewtopic_t28017_raspberrypi.html")
    # From the page: div#p248820 .. #p249760, authors madman_xxx, KenT, Max, KenT, Max;
    # 4 quotes: Max quotes KenT, KenT quotes Max (holding a nested KenT quote), Max quotes Max.
    assert [(p.id, p.author) for p in rpi.posts] == [
        ("248820", "madman_xxx"), ("248867", "KenT"), ("248948", "Max"), ("248964", "KenT"), ("249760", "Max")
    ]
    assert [quotes(p) for p in rpi.posts] == [[], [], [("KenT", None)], [("Max", None), ("KenT", None), ("Max", None)], [("Max", None)]]
    assert rpi.posts[0].posted_at == "2013-01-02T19:14:00"
    # phpBB 2, ISO-8859-1: three posts, no quotes.
    [old] = parse_file(shared / "corpora/phpbb/forumer_phpbb2_ptforum/viewtopic_t805_phpbb2.html")
    assert [(p.id, p.author) for p in old.posts] == [("4513", "prestbury2"), ("4514", "Deano"), ("4537", "prestbury2")]


def test_real_smf_topic(shared):
    [topic] = parse_file(shared / "corpora/smf/ptforum/smf2_topic38573.html")
    # From the page: 15 posts (id="msg_..."), 13 quotes ("Quote from: NAME"); the
    # first by gregswallow "September 19, 2007, 01:08:14 PM"; msg174927 quotes mmccarn's msg174925.
    assert len(topic.posts) == 15 and sum(len(quotes(p)) for p in topic.posts) == 13
    first = topic.posts[0]
    assert (first.id, first.author, first.posted_at) == ("174916", "gregswallow", "2007-09-19T13:08:14")
    by_id = {p.id: p for p in topic.posts}
    assert quotes(by_id["174927"]) == [("mmccarn", "174925")] and by_id["174927"].author == "gregswallow"


def test_real_something_awful_pages(shared):
    path = shared / "corpora/vbulletin/somethingawful_awfulapp/showthread3_coding_horrors.html"
    [thread] = parse_file(path)  # windows-1252, no charset declared
    # From the page: 40 table.post, the first post493828335 by VikingofRock
    # (Mar 31, 2019 14:11) quotes a malformed header 'Agronox" post="493812414 posted:'.
    assert len(thread.posts) == 40 and thread.thread.id == "vbulletin-2803713"
    first, second = thread.posts[:2]
    assert (first.id, first.author, first.posted_at) == ("493828335", "VikingofRock", "2019-03-31T14:11:00")
    assert quotes(first) == [("Agronox", None)]
    assert second.author == "Absurd Alhazred" and quotes(second) == [("VikingofRock", "493828335")]


def test_real_reddit_thread(shared):
    [thread] = parse_file(shared / "corpora/reddit/creaddit_r_pics_vtvuk/comments_vtvuk.json")
    # From the file: the link by Killasaurus_Tex and 200 comments; 77 "more" stubs;
    # the first comment c57lwlh by bigdukesix replies to the link.
    assert len(thread.posts) == 201 and thread.posts[0].author == "Killasaurus_Tex"
    assert (thread.posts[1].id, thread.posts[1].author, thread.posts[1].reply_to) == ("c57lwlh", "bigdukesix", "vtvuk")
    assert "77 \"more\" links" in thread.warnings[0]
