"""Quotes across posts: a quote of a post the index holds is linked to it.

When a quote's words are found in the quoted member's own post (already in
the index, or arriving in the same ingest), the quote block gets that post's
id (`quoted_post_id`), the reply gets `reply_to` when it had none, and the
quote's chunks are not embedded again: the original post's chunks already
carry those words with the member as speaker. The quote stays in the reply's
text and blocks, so an answer can still show the reply and what it quotes.

Quotes without an id in the markup (text exports such as the TMC CSVs) are
matched by the quoted member's name and the quote's text; a short quote
("Yes.") is too ambiguous to match that way and stays unlinked.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from typing import Iterable

from .records import Block, Chunk, ParsedThread, Post

# Below this many characters a quote could come from many posts.
MIN_MATCH_CHARS = 24
Redundant = frozenset  # of (post id, block index) pairs whose chunks are not embedded


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _own_text(blocks: Iterable[Block]) -> str:
    return _norm(" ".join(b.text for b in blocks if b.kind == "own"))


class _Originals:
    """Posts that can be quoted: this ingest's, then the index's."""

    def __init__(self, conn: sqlite3.Connection, threads: list[ParsedThread]) -> None:
        self.conn = conn
        self.by_id: dict[str, tuple[str | None, str | None, str]] = {}
        self.by_author: dict[str, dict[str, tuple[str | None, str]]] = {}
        self.loaded: set[str] = set()
        for parsed in threads:
            for post in parsed.posts:
                self._add(post.id, post.author, post.posted_at, _own_text(post.blocks))

    def _add(self, post_id: str, author: str | None, posted_at: str | None, own: str) -> None:
        if post_id in self.by_id:
            return  # this ingest's version wins over the index's
        self.by_id[post_id] = (author, posted_at, own)
        if author:
            self.by_author.setdefault(author.casefold(), {})[post_id] = (posted_at, own)

    def _load(self, rows) -> None:
        for post_id, author, posted_at, blocks in rows:
            self._add(post_id, author, posted_at, _own_text(Block(**b) for b in json.loads(blocks)))

    def own_text(self, post_id: str) -> str | None:
        if post_id not in self.by_id:
            self._load(self.conn.execute("SELECT id, author, posted_at, blocks FROM posts WHERE id = ?", (post_id,)))
        found = self.by_id.get(post_id)
        return found[2] if found else None

    def by(self, author: str) -> dict[str, tuple[str | None, str]]:
        key = author.casefold()
        if key not in self.loaded:
            self.loaded.add(key)
            self._load(self.conn.execute("SELECT id, author, posted_at, blocks FROM posts WHERE author = ? COLLATE NOCASE", (author,)))
        return self.by_author.get(key, {})


def _match(originals: _Originals, block: Block, reply: Post) -> str | None:
    """The id of the quoted member's post holding the quoted words."""
    words = _norm(block.text)
    if not block.quoted_author or len(words) < MIN_MATCH_CHARS:
        return None
    found = [
        (posted_at or "", post_id)
        for post_id, (posted_at, own) in originals.by(block.quoted_author).items()
        if post_id != reply.id and words in own
    ]
    if len(found) > 1 and reply.posted_at:
        # Several posts hold the words: the quote is of the latest one before the reply.
        found = [f for f in found if f[0] and f[0] <= reply.posted_at]
    return max(found)[1] if found else None


def _link_post(originals: _Originals, post: Post, redundant: set[tuple[str, int]]) -> Post:
    blocks = list(post.blocks)
    for i, block in enumerate(blocks):
        if block.kind != "quote":
            continue
        target = block.quoted_post_id or _match(originals, block, post)
        if target is None or target == post.id:
            continue
        original = originals.own_text(target)
        if original is not None and _norm(block.text) in original:
            blocks[i] = replace(block, quoted_post_id=target)
            redundant.add((post.id, i))
    quoted = next((b.quoted_post_id for b in blocks if b.kind == "quote" and b.quoted_post_id), None)
    return replace(post, blocks=tuple(blocks), reply_to=post.reply_to or quoted)


def link_quotes(conn: sqlite3.Connection, threads: list[ParsedThread]) -> tuple[list[ParsedThread], Redundant]:
    """The threads with quotes linked, and which quote blocks need no embedding."""
    originals = _Originals(conn, threads)
    redundant: set[tuple[str, int]] = set()
    linked = [
        replace(parsed, posts=tuple(_link_post(originals, post, redundant) for post in parsed.posts))
        for parsed in threads
    ]
    return linked, frozenset(redundant)


def drop_redundant(post: Post, chunks: list[Chunk], redundant: Redundant) -> list[Chunk]:
    """The post's chunks without those of quotes whose original is indexed."""
    spans = [(start, end) for i, (_, start, end) in enumerate(post.block_spans()) if (post.id, i) in redundant]
    if not spans:
        return chunks
    return [c for c in chunks if not (c.kind == "quote" and any(s <= c.start and c.end <= e for s, e in spans))]
