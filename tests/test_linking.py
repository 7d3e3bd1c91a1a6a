from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from index.linking import link_quotes
from index.pipeline import ingest
from index.sources import parse_file
from index.store import generations, meta
from index.store.reader import IndexReader

FIXTURES = Path(__file__).parent / "fixtures"
PAGE1 = FIXTURES / "xenforo" / "xf2-thread-page1.html"
PAGE2 = FIXTURES / "xenforo" / "xf2-thread-page2.html"


class Index:
    """Reads a built index's current generation directly."""

    def __init__(self, path: Path) -> None:
        self.reader = IndexReader(path)
        self.conn = meta.connect_readonly(generations.current(path) / "meta.sqlite")

    def chunks(self, post_id: str) -> list[tuple[str, str | None, str | None, str]]:
        rows = self.conn.execute(
            "SELECT kind, speaker, quoted_post_id, text FROM chunks WHERE post_id = ? ORDER BY start", (post_id,)
        )
        return [tuple(r) for r in rows]

    def post(self, post_id: str):
        return self.reader.posts([post_id])[post_id]


def test_quotes_of_indexed_posts_are_linked_not_embedded_again(tmp_path):
    index = tmp_path / "idx"
    ingest([PAGE1, PAGE2], index)
    built = Index(index)
    # 5590007 quotes ElonFan42's post 5590001, which is in the same ingest:
    # no quote chunk, the reply keeps the reference (block id and reply_to).
    assert [c[:2] for c in built.chunks("5590007")] == [("own", "gpu_guy")]
    post = built.post("5590007")
    assert post.reply_to == "5590001" and post.blocks[0].quoted_post_id == "5590001"
    assert post.text.startswith("Elon said on the Q1 call")  # the words stay in the reply
    original = built.chunks("5590001")
    assert {c[1] for c in original} == {"ElonFan42"} and any("Elon said on the Q1 call" in c[3] for c in original)
    # Both quotes in the nested reply point at indexed originals.
    assert [c[:2] for c in built.chunks("5590020")] == [("own", "skeptic_sam")]
    # A quote of nobody in particular is kept, credited to nobody.
    assert ("quote", None) in [c[:2] for c in built.chunks("5590031")]


def test_reply_ingested_after_its_original_links_against_the_index(tmp_path):
    index = tmp_path / "idx"
    ingest([PAGE1], index)
    report = ingest([PAGE2], index)
    assert report.posts_added == 2
    built = Index(index)
    assert [c[:2] for c in built.chunks("5590020")] == [("own", "skeptic_sam")]
    assert built.post("5590020").reply_to == "5590001"


def test_reply_without_its_original_keeps_the_quote_credited_to_the_member(tmp_path):
    index = tmp_path / "idx"
    ingest([PAGE2], index)
    assert [c[:3] for c in Index(index).chunks("5590020")] == [
        ("quote", "ElonFan42", "5590001"), ("quote", "gpu_guy", "5590007"), ("own", "skeptic_sam", None)
    ]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "thread_title", "username", "posted_at", "message"], *rows])
    return path


def linked(path: Path):
    conn = sqlite3.connect(":memory:")
    conn.executescript(meta.SCHEMA)
    threads, redundant = link_quotes(conn, parse_file(path))
    return {p.id: p for t in threads for p in t.posts}, redundant


def test_text_quotes_are_matched_by_member_and_words(tmp_path):
    said = 'ann said:\n↑\n\n{}\n"\n\n{}'
    path = write_csv(tmp_path / "t.csv", [
        ["1", "T", "ann", "2019-05-01 10:00:00", "The new wipers are much quieter than the old ones."],
        ["2", "T", "ann", "2019-05-02 10:00:00", "The new wipers are much quieter than the old ones. Still true."],
        ["3", "T", "bob", "2019-05-03 10:00:00", said.format("The new wipers are much quieter than the old ones.", "Nice.")],
        ["4", "T", "cy", "2019-05-03 11:00:00", said.format("Yes.", "Short quotes stay unlinked.")],
        ["5", "T", "dee", "2019-05-03 12:00:00", said.format("Words ann never wrote anywhere at all.", "Hm.")],
    ])
    posts, redundant = linked(path)
    # Two of ann's posts hold the words: the latest before bob's reply wins.
    assert posts["3"].blocks[0].quoted_post_id == "2" and posts["3"].reply_to == "2" and ("3", 0) in redundant
    assert posts["4"].blocks[0].quoted_post_id is None and ("4", 0) not in redundant
    assert posts["5"].blocks[0].quoted_post_id is None and posts["5"].reply_to is None


def test_real_tmc_quotes_credit_the_quoted_member(shared, tmp_path):
    posts, redundant = linked(shared / "corpora/tmc_posts_csv/postids_3500000_3600000.csv")
    quotes = [(p, i, b) for p in posts.values() for i, b in enumerate(p.blocks) if b.kind == "quote"]
    linked_quotes = [(p, i, b) for p, i, b in quotes if b.quoted_post_id]
    # Measured on this file: 2,926 quote blocks (6 of them quote words without a
    # "↑" link: a tweet, a manual, or a member), 1,323 quote a post in the same file.
    assert (len(quotes), len(linked_quotes)) == (2926, 1323)
    for reply, i, block in linked_quotes:
        original = posts[block.quoted_post_id]
        assert original.author.casefold() == block.quoted_author.casefold() and (reply.id, i) in redundant
    # Read from the file: post 3693346 by TEG quotes josher32, whose post 3689671 says those words.
    reply = posts["3693346"]
    assert reply.author == "TEG" and reply.blocks[0].quoted_author == "josher32"
    assert reply.blocks[0].quoted_post_id == "3689671" and posts["3689671"].author == "josher32"


def test_real_tmc_quote_chunks_speak_for_the_quoted_member(shared):
    """Data level, without embedding: after linking, every quote chunk left to
    embed is credited to the quoted member, never to the member who quotes."""
    from index.chunking import Chunker, ChunkerSettings
    from index.linking import drop_redundant
    from index.tokens import token_counter

    posts, redundant = linked(shared / "corpora/tmc_posts_csv/postids_3500000_3600000.csv")
    settings = ChunkerSettings()
    chunker = Chunker(settings, token_counter(settings.encoding))
    quote_chunks = others = 0
    for post in posts.values():
        for chunk in drop_redundant(post, chunker.chunk_post(post), redundant):
            block = next(b for b, s, e in post.block_spans() if s <= chunk.start and chunk.end <= e)
            if chunk.kind == "own":
                assert chunk.speaker == post.author
                continue
            quote_chunks += 1
            assert chunk.speaker == block.quoted_author and chunk.speaker is not None
            others += chunk.speaker != post.author
    # Measured: the 1,603 quote blocks left after linking make 2,054 chunks of
    # at most 128 tokens; 45 of them are members quoting themselves, 2,009
    # credit someone else.
    assert (quote_chunks, others) == (2054, 2009)
