"""What a retrieved chunk answers or relays: the post it quotes, the post it
replies to, or the quote just above it in the same post. An answer composer
shows it so a reply ("Yes, exactly") is read against what it replied to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from index.store.reader import IndexReader

from ..types import Hit

CONTEXT_CHARS = 600


@dataclass(frozen=True)
class Context:
    relation: str  # "quoted post" | "parent post" | "replying to"
    post_id: str
    post_number: int | None
    speaker: str | None
    text: str


def _clip(text: str) -> str:
    return text if len(text) <= CONTEXT_CHARS else text[:CONTEXT_CHARS].rsplit(" ", 1)[0] + " …"


def contexts(reader: IndexReader, hits: Sequence[Hit]) -> dict[int, Context]:
    """Chunk id -> its context, for the hits that have one."""
    own_posts = reader.posts(h.post_id for h in hits)
    linked = reader.posts(
        pid for h in hits for pid in (h.quoted_post_id, own_posts[h.post_id].reply_to if h.post_id in own_posts else None) if pid
    )
    out: dict[int, Context] = {}
    for hit in hits:
        post = own_posts.get(hit.post_id)
        if post is None:
            continue
        if hit.kind == "quote" and hit.quoted_post_id in linked:
            source = linked[hit.quoted_post_id]
            out[hit.chunk_id] = Context("quoted post", source.id, source.number, source.author, _clip(source.text))
        elif hit.kind == "own" and post.reply_to in linked:
            parent = linked[post.reply_to]
            out[hit.chunk_id] = Context("parent post", parent.id, parent.number, parent.author, _clip(parent.text))
        elif hit.kind == "own":
            above = [(b, s) for b, s, e in post.block_spans() if b.kind == "quote" and e <= hit.start]
            if above:
                block, _ = above[-1]
                out[hit.chunk_id] = Context("replying to", post.id, post.number, block.quoted_author, _clip(block.text))
    return out
