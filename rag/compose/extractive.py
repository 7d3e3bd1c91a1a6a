"""The offline answer: sentences chosen from the retrieved posts, each quoted
exactly and cited. No model writes anything, so nothing can be invented."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from index.embedding import Embedder
from index.sentences import sentence_spans

from ..speech import Reported, asks_for_words, carries_words, reported_speech, same_person
from ..text import content_terms, stem
from ..types import Citation, Hit

MAX_CITATIONS = 3
MAX_CANDIDATES = 200
# How many sentences the embedding model re-scores (~8 ms each on one
# thread). Measured on both eval sets with 128-token chunks (docs/EVAL.md):
# 6, 5 and 4 gave the same hit rates, keyword recall, speakers and
# abstentions; 4 cited more precisely (TMC 0.409 against 0.376 at 6) with
# fewer extra citations (1.81 per answer against 2.03) in two thirds of the time.
SEMANTIC_SHORTLIST = 4
# A sentence joins the answer only if it scores close to the best one.
KEEP_RATIO = 0.8
# Below this best-sentence score the posts are taken not to answer. Measured
# on both eval sets (docs/EVAL.md): unanswerable questions scored at most
# 0.354, answerable ones 0.33 (one) and then 0.415 and up; 0.38 sits in the
# wider gap, trading that one answer for no random citation.
ABSTAIN_BELOW = 0.38
# Sentences this similar to one already chosen say the same thing (a popular
# post quoted again and again); the answer cites it once.
DUPLICATE_AT = 0.9
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
    before: str = ""  # the sentence just before, where "Elon says:" often stands
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Wants:
    """What the question asks of the answer (from question understanding)."""

    words: bool = False  # someone's words
    people: tuple[str, ...] = ()  # whose words: index names or reported people


def _candidates(hits: Sequence[Hit]) -> list[Candidate]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Candidate] = []
    for hit in hits:
        previous = ""
        for s, e in sentence_spans(hit.text):
            span = (hit.post_id, hit.start + s, hit.start + e)
            sentence = hit.text[s:e]
            if span not in seen and len(sentence.split()) >= 4:
                seen.add(span)
                out.append(Candidate(hit, span[1], span[2], sentence, before=previous))
            previous = sentence
    return out[:MAX_CANDIDATES]


def _term_overlap(question_terms: list[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    present = {stem(t) for t in content_terms(sentence)}
    return sum(1 for t in question_terms if stem(t) in present) / len(question_terms)


def _shape_bonus(cand: Candidate, wants: Wants) -> float:
    bonus = 0.0
    if cand.text.rstrip("\"'”) ").endswith("?"):
        bonus -= QUESTION_PENALTY
    if not wants.words:
        return bonus
    # Quoted words, or words relayed as the asked person's ("Musk also said
    # ...: “The demand ...” — the quotation opening after the cue).
    if _is_their_quote(cand, wants) or carries_words(cand.text) or _relayed(cand, wants) is not None:
        bonus += SPEECH_BONUS
    return bonus


def _is_their_quote(cand: Candidate, wants: Wants) -> bool:
    return wants.words and cand.hit.kind == "quote" and _asked_for(cand.hit.speaker, wants)


def _asked_for(speaker: str | None, wants: Wants) -> bool:
    return any(same_person(speaker, p) for p in wants.people)


def score_candidates(question: str, query_vector: np.ndarray, hits: Sequence[Hit], embedder: Embedder,
                     wants: Wants | None = None) -> list[Candidate]:
    """Cheap scores for every sentence of the hits, then the embedding model
    re-scores the most promising few."""
    candidates = _candidates(hits)
    if not candidates:
        return []
    wants = wants or Wants(words=asks_for_words(question))
    terms = content_terms(question)
    top_hit = max(h.score for h in hits) or 1.0
    cheap = []
    for cand in candidates:
        base = 0.3 * _term_overlap(terms, cand.text) + 0.15 * (cand.hit.score / top_hit)
        cheap.append((base + _shape_bonus(cand, wants), cand))
    cheap.sort(key=lambda pair: -pair[0])
    shortlist = cheap[:SEMANTIC_SHORTLIST]
    # The asked person's own quoted words always get a semantic score: they
    # rarely share the question's words ("What reason did Elon give ...").
    theirs = next((pair for pair in cheap if _is_their_quote(pair[1], wants)), None)
    if theirs is not None and theirs not in shortlist:
        shortlist.append(theirs)
    vectors = embedder.encode([cand.text for _, cand in shortlist])
    scored = [
        replace(cand, score=base + 0.55 * float(vec @ query_vector), vector=vec)
        for (base, cand), vec in zip(shortlist, vectors)
    ]
    return sorted(scored, key=lambda c: -c.score)


def _repeats(cand: Candidate, chosen: Sequence[Candidate]) -> bool:
    for other in chosen:
        if other.hit.post_id == cand.hit.post_id:
            return True
        if cand.vector is not None and other.vector is not None and float(cand.vector @ other.vector) >= DUPLICATE_AT:
            return True
    return False


def select(scored: list[Candidate], limit: int = MAX_CITATIONS) -> list[Candidate]:
    """The best sentence, then the next best from other posts that come close
    and say something new."""
    if not scored or scored[0].score < ABSTAIN_BELOW:
        return []
    chosen: list[Candidate] = []
    for cand in scored:
        if len(chosen) >= limit or cand.score < KEEP_RATIO * scored[0].score:
            break
        if not _repeats(cand, chosen):
            chosen.append(cand)
    return chosen


def _relayed(cand: Candidate, wants: Wants) -> Reported | None:
    """Quoted words inside a sentence, credited to who said them, when the
    question asks for that person's words (or for words without naming anyone)."""
    if not wants.words or cand.hit.kind == "quote":
        return None
    found = reported_speech(cand.text, cand.before)
    if found is None:
        return None
    if wants.people and not any(same_person(found.speaker, p) for p in wants.people):
        return None
    return found


def citations_for(chosen: Sequence[Candidate], wants: Wants | None = None) -> list[Citation]:
    wants = wants or Wants()
    out = []
    for n, c in enumerate(chosen, start=1):
        speaker, kind, start, end, text = c.hit.speaker, c.hit.kind, c.start, c.end, c.text
        relayed = _relayed(c, wants)
        if relayed is not None:
            speaker, kind = relayed.speaker, "quote"
            start, end = c.start + relayed.start, c.start + relayed.end
            text = c.text[relayed.start : relayed.end]
        out.append(
            Citation(
                n=n, post_id=c.hit.post_id, post_number=c.hit.post_number, thread_title=c.hit.thread_title,
                author=c.hit.author, posted_at=c.hit.posted_at, url=c.hit.url, speaker=speaker,
                quote=text, score=round(c.score, 4), quote_start=start, quote_end=end, kind=kind,
            )
        )
    return out


def _who(c: Citation, replying_to: str | None) -> str:
    date = f", {c.posted_at[:10]}" if c.posted_at else ""
    if c.kind == "quote":
        return f"{c.speaker or 'Someone'} (quoted by {c.author or 'a member'} in post #{c.post_number}{date})"
    reply = f", replying to {replying_to}" if replying_to else ""
    return f"{c.author or 'A member'} (post #{c.post_number}{date}{reply})"


def _shown(quote: str) -> str:
    if len(quote) <= SHOWN_CHARS:
        return quote
    return quote[:SHOWN_CHARS].rsplit(" ", 1)[0] + " …"


def _reaction_text(reactions: dict[str, Sequence[str]] | None) -> str:
    if not reactions:
        return ""
    return " (" + "; ".join(f"{kind}: {', '.join(users)}" for kind, users in reactions.items() if users) + ")"


def render(citations: Sequence[Citation], replying_to: dict[int, str] | None = None,
           reactions: dict[str, dict[str, Sequence[str]]] | None = None) -> str:
    """One line per citation; `replying_to` maps citation n -> whose quote it
    answers, `reactions` post id -> reactions (shown when the question asks)."""
    replying_to, reactions = replying_to or {}, reactions or {}
    return "\n".join(
        f"{_who(c, replying_to.get(c.n))}: “{_shown(c.quote)}” [{c.n}]{_reaction_text(reactions.get(c.post_id))}"
        for c in citations
    )


@dataclass(frozen=True)
class Composed:
    citations: tuple[Citation, ...]
    text: str
    confidence: float  # the best sentence's score; abstained below ABSTAIN_BELOW


def compose(question: str, query_vector: np.ndarray, hits: Sequence[Hit], retriever, wants: Wants,
            show_reactions: bool = False) -> Composed:
    """Score, select, cite and render; `retriever` supplies context and reactions."""
    scored = score_candidates(question, query_vector, hits, retriever.embedder, wants) if hits else []
    citations = citations_for(select(scored), wants)
    if not citations:
        return Composed((), "", scored[0].score if scored else 0.0)
    cited_hits = {c.n: next(h for h in hits if h.post_id == c.post_id and h.start <= c.quote_start < h.end) for c in citations}
    context = retriever.context(list(cited_hits.values()))
    replying_to = {
        n: ctx.speaker for n, hit in cited_hits.items()
        if (ctx := context.get(hit.chunk_id)) and ctx.relation != "quoted post" and ctx.speaker
    }
    reactions = None
    if show_reactions:
        posts = retriever.reader.posts(c.post_id for c in citations)
        reactions = {pid: dict(p.reactions) for pid, p in posts.items()}
    return Composed(tuple(citations), render(citations, replying_to, reactions), scored[0].score)
