from __future__ import annotations

import csv
import json
import re

import pytest

from index.errors import InputError
from index.sources import detect, parse_file

TMC_CSV = "corpora/tmc_posts_csv/postids_3500000_3600000.csv"


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_csv_with_aliases_groups_threads_and_keeps_ids(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(
        path,
        ["id", "title", "username", "created_at", "body"],
        [
            ["900", "Range thread", "ann", "2020-01-02 10:00:00", "Second by time."],
            ["899", "Range thread", "bob", "2020-01-01 09:00:00", "First by time."],
            ["901", "Wipers", "cy", "2020-01-03 08:00:00", 'bob said:\n↑\n\nFirst by time.\n"\n\nReally?'],
        ],
    )
    threads = {t.thread.title: t for t in parse_file(path)}
    assert set(threads) == {"Range thread", "Wipers"}
    first, second = threads["Range thread"].posts
    assert (first.id, first.number, first.author, first.posted_at) == ("899", 1, "bob", "2020-01-01T09:00:00")
    assert (second.id, second.number) == ("900", 2)
    reply = threads["Wipers"].posts[0]
    assert [(b.kind, b.quoted_author) for b in reply.blocks] == [("quote", "bob"), ("own", None)]


def test_jsonl_canonical_fields(tmp_path):
    path = tmp_path / "posts.jsonl"
    rows = [
        {"thread_id": "t1", "thread_title": "T", "post_id": "a", "post_number": 2, "author": "x", "text": "two", "url": "https://f/a"},
        {"thread_id": "t1", "thread_title": "T", "post_id": "b", "post_number": 1, "author": "y", "text": "one", "reply_to": None},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    [thread] = parse_file(path)
    assert [(p.id, p.number, p.permalink) for p in thread.posts] == [("b", 1, None), ("a", 2, "https://f/a")]
    assert detect(path.read_text(), str(path)).name == "jsonl"


def test_malformed_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl: line 2: malformed JSON"):
        parse_file(path)


def test_csv_without_text_column_is_refused(tmp_path):
    path = tmp_path / "nums.csv"
    write_csv(path, ["a", "b"], [["1", "2"]])
    with pytest.raises(InputError, match="no text column|unknown format"):
        parse_file(path, format="csv")


def test_real_tmc_export_ingests_as_is(shared):
    path = shared / TMC_CSV
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    non_empty = [r for r in rows if r["message"].strip()]
    threads = parse_file(path)
    posts = {p.id: p for t in threads for p in t.posts}
    assert len(rows) == 5436
    assert len(posts) == len(non_empty) == 5420
    assert len(threads) == len({r["thread_title"] for r in non_empty})
    skipped = [w for t in threads for w in t.warnings]
    assert len(skipped) == 16 and all("empty post text" in w for w in skipped)
    # A reply by James88 that quotes Dropzone_JD (read from the file itself).
    post = posts["3689672"]
    assert post.author == "James88" and post.permalink == "https://teslamotorsclub.com/tmc/posts/3689672/"
    assert [(b.kind, b.quoted_author) for b in post.blocks] == [("quote", "Dropzone_JD"), ("own", None)]
    assert post.blocks[1].text == "Got all excited that there was something more lol."
    quoted_rows = [r for r in non_empty if "said:" in r["message"] and "↑" in r["message"]]
    # Three quotes are empty in the export (the quoted post was only an image).
    empty_quote = [r for r in quoted_rows if re.search(r'said:\n↑\n\s*"\n', r["message"])]
    with_quote = sum(1 for p in posts.values() if any(b.kind == "quote" for b in p.blocks))
    # Quotes of words from outside the forum have no "↑" link, only the header and the closing line.
    arrowless = re.compile(r'(?m)^.{1,60} said:\n(?:(?!.{1,60} said:\n).*\n)*?["”][ \t]*$')
    outside = [r for r in non_empty if "↑" not in r["message"] and arrowless.search(r["message"])]
    assert len(empty_quote) == 3 and len(outside) == 1
    assert with_quote == len(quoted_rows) - len(empty_quote) + len(outside) == 2827
