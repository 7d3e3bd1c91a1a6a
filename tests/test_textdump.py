from __future__ import annotations

from index.sources import textdump
from index.sources.textquotes import split_quotes

from conftest import SAMPLE

NBSP = "\u00a0"


def parse_sample():
    [parsed] = textdump.parse(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))
    return parsed


def test_sample_splits_into_posts_at_no_break_space_lines():
    parsed = parse_sample()
    assert parsed.thread.title == "Project Dojo - the SaaS Product?"
    # 7 separator lines; the text after the last one is only a reaction bar.
    assert [p.number for p in parsed.posts] == [1, 2, 3, 4, 5, 6, 7]
    assert parsed.posts[0].text.startswith("As I hope we have learned from the Twitter saga")
    assert parsed.posts[3].text.startswith("What manipulation?")
    assert "long-shot bet" in parsed.posts[3].text
    ids = [p.id for p in parsed.posts]
    assert len(set(ids)) == len(ids)


def test_page_chrome_is_dropped():
    text = "\n".join(p.text for p in parse_sample().posts)
    for chrome in ("Welcome to Tesla Motors Club", "This site may earn commission", "Register"):
        assert chrome not in text


def test_authors_and_dates_are_unknown_not_invented():
    for post in parse_sample().posts:
        assert post.author is None and post.posted_at is None and post.permalink is None


def test_reaction_lines_close_the_post_above_them():
    posts = parse_sample().posts
    assert posts[4].reactions == {"Like": ("Captkerosene",)}
    assert posts[5].reactions == {"Like": ("mspohr",)}
    assert posts[6].reactions == {"Informative": ("mspohr",)}
    assert all(not p.reactions for p in posts[:4])
    assert not any("Reactions:" in p.text or "• Like" in p.text for p in posts)


def test_mentions():
    assert parse_sample().posts[1].mentions == ("wipster",)


def test_several_reaction_kinds_and_others():
    page = f"Title\n\nThis site may earn commission on affiliate links.\nfirst post\n{NBSP}\n  • Like • Love\nReactions: Ann, Bob and 3 others\nsecond post\n"
    [parsed] = textdump.parse(page, "t.txt")
    assert parsed.posts[0].reactions == {"Like, Love": ("Ann", "Bob")}
    assert parsed.posts[1].text == "second post"


def test_web_quote_form_is_credited_to_the_quoted_member():
    blocks = split_quotes("Alice said:\nDojo is a moonshot.\nClick to expand...\nI disagree with that.")
    assert [(b.kind, b.quoted_author, b.text) for b in blocks] == [
        ("quote", "Alice", "Dojo is a moonshot."),
        ("own", None, "I disagree with that."),
    ]


def test_export_quote_form_with_arrow_and_closing_quote_line():
    body = 'Dropzone_JD said:\n↑\n\nI mean the order tracking sheet.\n"\n\nGot all excited lol.'
    blocks = split_quotes(body)
    assert [(b.kind, b.quoted_author) for b in blocks] == [("quote", "Dropzone_JD"), ("own", None)]
    assert blocks[0].text == "I mean the order tracking sheet."


def test_nested_quotes_credit_each_run_to_its_speaker():
    body = 'Paul said:\n↑\n\n\nDeHak said:\n↑\n\ninner words\n"\n\nPaul words\n"\n\nreply words'
    blocks = split_quotes(body)
    assert [(b.kind, b.quoted_author, b.text) for b in blocks] == [
        ("quote", "DeHak", "inner words"),
        ("quote", "Paul", "Paul words"),
        ("own", None, "reply words"),
    ]


def test_said_in_prose_is_not_a_quote():
    blocks = split_quotes("Elon said: it is a long-shot bet.\nI agree.")
    assert [b.kind for b in blocks] == ["own"]


def test_export_quote_of_words_from_outside_the_forum_has_no_arrow():
    # A TMC post quoting a tweet: the header has no link back, the closing line is there.
    body = 'Tesla said:\n\nDemand for cells outpaces supply.\n"\n\nElon Musk said:\n\nIt was impossible in Q1.\n"\nSee?'
    blocks = split_quotes(body)
    assert [(b.kind, b.quoted_author, b.text) for b in blocks] == [
        ("quote", "Tesla", "Demand for cells outpaces supply."),
        ("quote", "Elon Musk", "It was impossible in Q1."),
        ("own", None, "See?"),
    ]


def test_said_header_without_a_closer_stays_prose():
    blocks = split_quotes("My wife said:\n\nno more cars this year.\nFair enough.")
    assert [b.kind for b in blocks] == ["own"]
