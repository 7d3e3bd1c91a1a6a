"""The offline answer: sentences chosen from the retrieved posts, each quoted
exactly and cited. No model writes anything, so nothing can be invented."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.embedding import Embedder
from index.sentences import sentence_spans

from ..speech import asks_for_words, carries_words
from ..text import content_terms, stem
from ..types import Citation, Hit

MAX_CITATIONS = 3
MAX_CANDIDATES = 200
SEMANTIC_SHORTLIST = 12
# A sentence joins the answer only if it scores close to the best one.
KEEP_RATIO = 0.8
# Below this sentence score the posts are taken not to answer (see docs/EVAL.md).
ABSTAIN_BELOW = 0.33
SHOWN_CHARS = 420
# A question in a post rarely answers a question about the post.
QUESTION_PENALTY = 0.15
# When the question asks what someone said, their quoted words are the answer.
SPEECH_BONUS = 0.2


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    start: int  # span inside the post's text
    end: int
    text: str
    score: float = 0.0


def _candidates(hits: Sequence[Hit]) -> list[Candidate]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Candidate] = []
    for hit in hits:
        for s, e in sentence_spans(hit.text):
            span = (hit.post_id, hit.start + s, hit.start + e)
            sentence = hit.text[s:e]
            if span in seen or len(sentence.split()) < 4:
                continue
            seen.add(span)
            out.append(Candidate(hit, span[1], span[2], sentence))
    return out[:MAX_CANDIDATES]


def _term_overlap(question_terms: list[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    present = {stem(t) for t in content_terms(sentence)}
    return sum(1 for t in question_terms if stem(t) in present) / len(question_terms)


def _shape_bonus(cand: Candidate, wants_words: bool) -> float:
    bonus = 0.0
    if cand.text.rstrip("\"'”) ").endswith("?"):
        bonus -= QUESTION_PENALTY
    if wants_words and carries_words(cand.text):
        bonus += SPEECH_BONUS
    return bonus


def score_candidates(question: str, query_vector: np.ndarray, hits: Sequence[Hit], embedder: Embedder) -> list[Candidate]:
    """Cheap scores for every sentence of the hits, then the embedding model
    re-scores the most promising few (it costs ~12 ms a sentence here)."""
    candidates = _candidates(hits)
    if not candidates:
        return []
    terms = content_terms(question)
    wants_words = asks_for_words(question)
    top_hit = max(h.score for h in hits) or 1.0
    cheap = []
    for cand in candidates:
        base = 0.3 * _term_overlap(terms, cand.text) + 0.15 * (cand.hit.score / top_hit)
        cheap.append((base + _shape_bonus(cand, wants_words), cand))
    cheap.sort(key=lambda pair: -pair[0])
    shortlist = cheap[:SEMANTIC_SHORTLIST]
    semantic = embedder.encode([cand.text for _, cand in shortlist]) @ query_vector
    scored = [
        Candidate(cand.hit, cand.start, cand.end, cand.text, base + 0.55 * float(sim))
        for (base, cand), sim in zip(shortlist, semantic)
    ]
    return sorted(scored, key=lambda c: -c.score)


def select(scored: list[Candidate], limit: int = MAX_CITATIONS) -> list[Candidate]:
    """The best sentence, then the next best from other posts that come close."""
    if not scored or scored[0].score < ABSTAIN_BELOW:
        return []
    chosen: list[Candidate] = []
    for cand in scored:
        if len(chosen) >= limit or cand.score < KEEP_RATIO * scored[0].score:
            break
        if all(c.hit.post_id != cand.hit.post_id for c in chosen):
            chosen.append(cand)
    return chosen


def _who(c: Citation) -> str:
    date = f", {c.posted_at[:10]}" if c.posted_at else ""
    if c.kind == "quote":
        return f"{c.speaker or 'Someone'} (quoted by {c.author or 'a member'} in post #{c.post_number}{date})"
    return f"{c.author or 'A member'} (post #{c.post_number}{date})"


def _shown(quote: str) -> str:
    if len(quote) <= SHOWN_CHARS:
        return quote
    return quote[:SHOWN_CHARS].rsplit(" ", 1)[0] + " …"


def citations_for(chosen: Sequence[Candidate]) -> list[Citation]:
    return [
        Citation(
            n=n, post_id=c.hit.post_id, post_number=c.hit.post_number, thread_title=c.hit.thread_title,
            author=c.hit.author, posted_at=c.hit.posted_at, url=c.hit.url, speaker=c.hit.speaker,
            quote=c.text, score=round(c.score, 4), quote_start=c.start, quote_end=c.end, kind=c.hit.kind,
        )
        for n, c in enumerate(chosen, start=1)
    ]


def render(citations: Sequence[Citation]) -> str:
    lines = [f"{_who(c)}: “{_shown(c.quote)}” [{c.n}]" for c in citations]
    return "\n".join(lines)
