"""Incremental ingestion on real formats: re-ingesting embeds nothing, an
edited post replaces exactly its own chunks, --prune removes vanished posts."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.pipeline import ingest
from index.store import generations, meta

FIXTURES = Path(__file__).parent / "fixtures"


def chunk_ids(index: Path) -> dict[str, set[int]]:
    conn = meta.connect_readonly(generations.current(index) / "meta.sqlite")
    ids: dict[str, set[int]] = {}
    for post_id, chunk_id in conn.execute("SELECT post_id, id FROM chunks"):
        ids.setdefault(post_id, set()).add(chunk_id)
    conn.close()
    return ids


def _xenforo(text: str, edit: bool) -> str:
    if edit:
        return text.replace("Here is the slide from the presentation:", "Here is the corrected slide, page 4:")
    # The message's own closing tag is the only unindented one.
    return re.sub(r'<article class="message [^>]*data-author="Mike_B".*?\n</article>\n', "", text, flags=re.S)


def _discourse(text: str, edit: bool) -> str:
    data = json.loads(text)
    posts = data["post_stream"]["posts"]
    if edit:
        posts[2]["cooked"] = posts[2]["cooked"].replace("explains the whole thread", "explains most of the thread")
    else:
        del posts[2]
    return json.dumps(data)


def _csv(text: str, edit: bool) -> str:
    lines = text.splitlines(keepends=True)
    if edit:
        return text.replace("Third post, about charging.", "Third post, about charging at work.")
    return "".join(line for line in lines if not line.startswith("3,"))


CSV = (
    "id,thread_title,username,posted_at,message\n"
    "1,Charging,ann,2020-01-01 10:00:00,First post.\n"
    "2,Charging,bob,2020-01-01 11:00:00,Second post.\n"
    "3,Charging,cy,2020-01-01 12:00:00,\"Third post, about charging.\"\n"
)


@pytest.mark.parametrize(
    "name, original, change, edited_post",
    [
        ("page.html", (FIXTURES / "xenforo" / "xf2-thread-page1.html").read_text(), _xenforo, "5590012"),
        ("topic.json", (FIXTURES / "discourse" / "t_812.json").read_text(), _discourse, "4112"),
        ("export.csv", CSV, _csv, "3"),
    ],
)
def test_reingest_edit_and_prune(tmp_path, name, original, change, edited_post):
    index, source = tmp_path / "idx", tmp_path / name
    source.write_text(original)
    first = ingest([source], index)
    assert first.posts_added == 3 and first.embedded > 0
    before = chunk_ids(index)

    again = ingest([source], index)
    assert (again.embedded, again.posts_added, again.posts_updated, again.posts_unchanged) == (0, 0, 0, 3)
    assert not again.changed and again.generation == first.generation

    source.write_text(change(original, edit=True))
    edited = ingest([source], index)
    assert (edited.posts_added, edited.posts_updated, edited.posts_unchanged) == (0, 1, 2)
    after = chunk_ids(index)
    # Every other post keeps exactly its chunks; the edited one gets new ones.
    assert {p: c for p, c in after.items() if p != edited_post} == {p: c for p, c in before.items() if p != edited_post}
    assert after[edited_post].isdisjoint(before[edited_post])
    assert edited.chunks_removed == len(before[edited_post]) and edited.chunks_added == len(after[edited_post])
    assert 1 <= edited.embedded <= len(after[edited_post])

    source.write_text(change(original, edit=False))
    kept = ingest([source], index)
    assert kept.posts_removed == 0 and edited_post in chunk_ids(index)  # without --prune nothing goes
    pruned = ingest([source], index, prune=True)
    assert (pruned.posts_removed, pruned.embedded) == (1, 0)
    final = chunk_ids(index)
    assert edited_post not in final and final == {p: c for p, c in after.items() if p != edited_post}
    assert pruned.totals["posts"] == 2


def test_pages_of_one_thread_are_written_as_one_thread(tmp_path):
    # --prune looks at the whole thread: page 2 must not remove page 1's posts.
    pages = [FIXTURES / "xenforo" / "xf2-thread-page1.html", FIXTURES / "xenforo" / "xf2-thread-page2.html"]
    index = tmp_path / "idx"
    report = ingest(pages, index, prune=True)
    assert (report.threads, report.posts_added, report.posts_removed) == (1, 5, 0)
    again = ingest(pages, index, prune=True)
    assert (again.posts_unchanged, again.posts_removed, again.embedded) == (5, 0, 0)


def test_overlapping_files_repeat_posts_without_breaking_the_write(shared, tmp_path):
    # The two real posts.json pages of topic 2144 share posts #11..#21.
    folder = shared / "corpora/discourse/criticalfallibilism"
    index = tmp_path / "idx"
    report = ingest([folder / "t_2144_posts.json", folder / "t_2144_posts_pn_41.json"], index)
    numbers = json.loads((folder / "t_2144_posts.json").read_text())["post_stream"]["posts"]
    later = json.loads((folder / "t_2144_posts_pn_41.json").read_text())["post_stream"]["posts"]
    distinct = {p["id"] for p in numbers} | {p["id"] for p in later}
    assert report.posts_added == len(distinct) == report.totals["posts"]
    assert report.totals["chunks"] == sum(len(c) for c in chunk_ids(index).values())


def test_writer_given_one_post_twice_keeps_the_last_copy(tmp_path):
    from dataclasses import replace

    from index.chunking import ChunkerSettings
    from index.embedding import get_embedder
    from index.pipeline import parse_sources
    from index.store.writer import IndexWriter

    (parsed,) = parse_sources([FIXTURES / "xenforo" / "xf2-thread-page1.html"])
    first = parsed.posts[0]
    last_block = first.blocks[-1]
    edited = replace(first, blocks=first.blocks[:-1] + (replace(last_block, text=last_block.text + " Edited later."),))
    twice = replace(parsed, posts=parsed.posts + (edited,))
    writer = IndexWriter(tmp_path / "idx", get_embedder(), ChunkerSettings())
    report = writer.write([twice])
    assert report.totals["posts"] == len(parsed.posts)
    assert any("repeated post id" in w for w in report.warnings)
    stored = meta.connect_readonly(generations.current(tmp_path / "idx") / "meta.sqlite")
    text = stored.execute("SELECT text FROM posts WHERE id = ?", (first.id,)).fetchone()[0]
    assert text.endswith("Edited later.")
