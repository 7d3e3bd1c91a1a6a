"""Hybrid retrieval: dense (FAISS) + lexical (FTS5 BM25), fused."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from index.embedding import Embedder
from index.store.reader import IndexReader

from ..types import Hit
from . import fusion
from .lexical import lexical_scores, lexical_search

Mode = Literal["hybrid", "dense", "lexical"]
MIN_POOL = 50


@dataclass(frozen=True)
class Filters:
    thread_ids: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # authors or quoted speakers

    def __bool__(self) -> bool:
        return bool(self.thread_ids or self.people)


@dataclass(frozen=True)
class Ranked:
    chunk_id: int
    score: float
    dense: float
    lexical: float


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder) -> None:
        self.reader = reader
        self.embedder = embedder

    def embed(self, question: str) -> np.ndarray:
        return self.embedder.encode([question])[0]

    def rank(self, question: str, k: int, filters: Filters | None = None, mode: Mode = "hybrid",
             query_vector: np.ndarray | None = None) -> list[Ranked]:
        allowed = self.reader.chunk_ids_where(filters.thread_ids, filters.people) if filters else None
        if allowed is not None and not allowed:
            return []
        vector = self.embed(question) if query_vector is None else query_vector
        pool = max(MIN_POOL, 5 * k)
        dense = dict(self.reader.dense(vector, pool, allowed)) if mode != "lexical" else {}
        lexical = dict(lexical_search(self.reader, question, pool, allowed)) if mode != "dense" else {}
        candidates = list(set(dense) | set(lexical))
        # Score every candidate on both legs, so fusion never compares a real
        # score with a missing one.
        dense.update(self.reader.dense_scores(vector, [i for i in candidates if i not in dense]))
        lexical.update(lexical_scores(self.reader, question, [i for i in candidates if i not in lexical]))
        if mode == "dense":
            fused = dense
        elif mode == "lexical":
            fused = {i: s for i, s in lexical.items() if s > 0}
        else:
            fused = fusion.linear(dense, lexical)
        top = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [Ranked(i, fused[i], dense.get(i, 0.0), lexical.get(i, 0.0)) for i in top]

    def hits(self, ranked: list[Ranked]) -> list[Hit]:
        chunks = self.reader.chunks(r.chunk_id for r in ranked)
        posts = self.reader.posts(c.post_id for c in chunks.values())
        threads = self.reader.threads()
        out = []
        for r in ranked:
            chunk = chunks[r.chunk_id]
            post = posts[chunk.post_id]
            thread = threads.get(post.thread_id)
            out.append(
                Hit(
                    chunk_id=chunk.id, text=chunk.text, kind=chunk.kind, speaker=chunk.speaker, score=r.score,
                    post_id=post.id, post_number=post.number, thread_id=post.thread_id,
                    thread_title=thread.title if thread else post.thread_id, author=post.author,
                    posted_at=post.posted_at, url=post.permalink, start=chunk.start, end=chunk.end,
                    quoted_post_id=chunk.quoted_post_id, dense_score=r.dense, lexical_score=r.lexical,
                )
            )
        return out
