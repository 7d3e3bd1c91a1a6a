"""The records every source parser produces and every later stage consumes."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal, Mapping

BlockKind = Literal["own", "quote"]

# Blocks are joined with a blank line to form the post text; every span and
# every citation excerpt refers to that joined text.
BLOCK_SEPARATOR = "\n\n"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Thread:
    id: str
    title: str
    url: str | None = None
    source_format: str = "unknown"


@dataclass(frozen=True)
class Block:
    """A run of a post's body: the author's own words, or words they quote."""

    kind: BlockKind
    text: str
    quoted_author: str | None = None
    quoted_post_id: str | None = None


@dataclass(frozen=True)
class Post:
    id: str
    thread_id: str
    number: int
    blocks: tuple[Block, ...]
    author: str | None = None
    posted_at: str | None = None
    permalink: str | None = None
    reactions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)

    def block_spans(self) -> list[tuple[Block, int, int]]:
        """Each block with its character span inside `text`."""
        spans, offset = [], 0
        for block in self.blocks:
            spans.append((block, offset, offset + len(block.text)))
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        return spans

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is indexed about the post changes."""
        parts = [self.author or "", self.posted_at or "", self.permalink or ""]
        for block in self.blocks:
            parts += [block.kind, block.quoted_author or "", block.quoted_post_id or "", block.text]
        return content_hash("\x1f".join(parts))


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded and retrieved; `text == post.text[start:end]`."""

    post_id: str
    kind: BlockKind
    speaker: str | None
    text: str
    start: int
    end: int
    quoted_post_id: str | None = None

    @property
    def hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class ParsedThread:
    """What a source parser returns: one thread and its posts, plus notes
    about anything it skipped or could not read completely."""

    thread: Thread
    posts: tuple[Post, ...]
    warnings: tuple[str, ...] = ()
