"""Hybrid retrieval: dense (FAISS) + lexical (FTS5 BM25), fused, optionally
boosted toward reported speakers and diversified with MMR."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal, Sequence

import numpy as np

from index.embedding import Embedder
from index.embedding.threads import beside_other_work
from index.store.reader import IndexReader

from ..speech import carries_words
from ..types import Hit
from . import fusion
from .context import Context, contexts
from .lexical import lexical_scores, lexical_search
from .mmr import mmr
from .scope import Boost, Filters, allowed_chunks

Mode = Literal["hybrid", "dense", "lexical"]
MIN_POOL = 50
# Added to the fused score (scaled to [0, 1]) of a chunk that names a reported
# speaker ("Elon says: ..."); more when it also carries quoted words or is a
# quote credited to them.
MENTION_BOOST = 0.05
SPEECH_BOOST = 0.1
# Added for a post inside a relative period ("last week"), which ranks it up
# without hiding the rest: "I arrived last week" is a story, not a filter.
PERIOD_BOOST = 0.1
# The quotes of a reported speaker are all scored when there are at most this
# many (beyond it they are quoted so often that the legs find them anyway).
OWN_WORDS_UP_TO = 200


@dataclass(frozen=True)
class Ranked:
    chunk_id: int
    score: float
    dense: float
    lexical: float


_lexical_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _lexical_worker() -> ThreadPoolExecutor:
    """One thread for the lexical leg, so it runs while the question is
    embedded (both spend their time in SQLite and NumPy, outside the GIL).
    At a million chunks the two take ~15 and ~25 ms of CPU: side by side on
    two cores the search waits for the longer, not for both. (Beside the
    FAISS scan instead, after a 2-thread encoding, it doubled the dense
    leg, both being bound by memory bandwidth: 38 ms p50 a search, not 31.)"""
    global _lexical_pool
    with _pool_lock:
        if _lexical_pool is None:
            _lexical_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lexical-leg")
        return _lexical_pool


def _mentions(names: Sequence[str]) -> re.Pattern[str] | None:
    words = {w for name in names for w in name.split() if len(w) >= 3}
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words)) + r")\b", re.IGNORECASE)


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder) -> None:
        self.reader = reader
        self.embedder = embedder
        self._last_vector: tuple[str, np.ndarray] | None = None

    def embed(self, question: str) -> np.ndarray:
        """The question's vector (the last one is kept: rank() embeds, and the
        answer's composer asks for the same vector right after)."""
        last = self._last_vector
        if last is not None and last[0] == question:
            return last[1]
        vector = self.embedder.encode([question])[0]
        self._last_vector = (question, vector)
        return vector

    def _legs(self, question: str, vector: np.ndarray | None, pool: int, allowed: np.ndarray | None, mode: Mode):
        lexical_top = None
        if vector is None:
            if mode == "hybrid":
                pending = _lexical_worker().submit(lexical_search, self.reader, question, pool, allowed)
                try:
                    with beside_other_work():
                        vector = self.embed(question)
                finally:
                    lexical_top = pending.result()
            else:
                vector = self.embed(question)
        dense = dict(self.reader.dense(vector, pool, allowed)) if mode != "lexical" else {}
        if mode != "dense":
            lexical = dict(lexical_top if lexical_top is not None else lexical_search(self.reader, question, pool, allowed))
        else:
            lexical = {}
        candidates = list(set(dense) | set(lexical))
        # Score every candidate on both legs, so fusion never compares a real
        # score with a missing one.
        dense.update(self.reader.dense_scores(vector, [i for i in candidates if i not in dense]))
        lexical.update(lexical_scores(self.reader, question, [i for i in candidates if i not in lexical]))
        if mode == "dense":
            return dense, dense, lexical
        if mode == "lexical":
            return {i: s for i, s in lexical.items() if s > 0}, dense, lexical
        return fusion.linear(dense, lexical), dense, lexical

    def _boost(self, fused: dict[int, float], boost: Boost | None) -> dict[int, float]:
        if not boost or not fused:
            return fused
        pattern = _mentions(boost.names)
        top = max(fused.values()) or 1.0
        chunks = self.reader.chunks(fused)
        posts = self.reader.posts(c.post_id for c in chunks.values()) if boost.since or boost.until else {}
        quoted = {name.casefold() for name in boost.names}
        out = dict(fused)
        for cid, chunk in chunks.items():
            if chunk.speaker and chunk.speaker.casefold() in quoted:  # a quote of their own words
                out[cid] += top * SPEECH_BOOST
            elif pattern is not None and pattern.search(chunk.text):
                out[cid] += top * (SPEECH_BOOST if carries_words(chunk.text) else MENTION_BOOST)
            post = posts.get(chunk.post_id)
            if post is not None and boost.covers(post.posted_at):
                out[cid] += top * PERIOD_BOOST
        return out

    def rank(self, question: str, k: int, filters: Filters | None = None, mode: Mode = "hybrid",
             query_vector: np.ndarray | None = None, *, boost: Boost | None = None,
             diverse: bool = False) -> list[Ranked]:
        allowed = allowed_chunks(self.reader, filters)
        if allowed is not None and not len(allowed):
            return []
        pool = max(MIN_POOL, 5 * k)
        fused, dense, lexical = self._legs(question, query_vector, pool, allowed, mode)
        fused = self._boost(fused, boost)
        order = sorted(fused, key=lambda i: (-fused[i], i))
        if diverse and len(order) > 1:
            order = order[:pool]
            order = mmr(order, [fused[i] for i in order], self.reader.vectors.get(order), k)
        return [Ranked(i, fused[i], dense.get(i, 0.0), lexical.get(i, 0.0)) for i in order[:k]]

    def own_words(self, question: str, vector: np.ndarray, names: Sequence[str], k: int,
                  filters: Filters | None = None) -> list[Ranked]:
        """The best of the chunks quoting these people, ranked on both legs.

        "What reason did Elon give ...": the one quote of Elon's words may
        share no rare term with the question and rank below fifty posts that
        discuss him; the answer should still get to weigh his own words.
        """
        if not names:
            return []
        # One query through the shared filter: the question's own filters
        # (dates, thread) and "spoken by these people".
        allowed = allowed_chunks(self.reader, replace(filters or Filters(), speakers=tuple(names)))
        ids = [] if allowed is None else allowed.tolist()
        if not ids or len(ids) > OWN_WORDS_UP_TO:
            return []
        dense = self.reader.dense_scores(vector, ids)
        lexical = lexical_scores(self.reader, question, ids)
        fused = fusion.linear(dense, lexical)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [Ranked(i, fused[i], dense[i], lexical[i]) for i in order]

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

    def context(self, hits: Sequence[Hit]) -> dict[int, Context]:
        """Chunk id -> the quoted post, parent post or quote the chunk answers."""
        return contexts(self.reader, hits)
