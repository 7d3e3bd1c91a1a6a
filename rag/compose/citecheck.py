"""The check every generated sentence passes before anyone sees it.

Markers that point to no excerpt are removed; a cited sentence must be backed
by the excerpts it cites (support.py) and must not credit quoted words to
the member who quoted them, else it is shown flagged and its markers
dropped; a claim with no citation at all is flagged too. Citation
numbers are reassigned in order of first use, and each Citation is built by
the extractive path's own constructor, so it maps to its post exactly as an
extractive citation does.
"""
from __future__ import annotations

import re
import time
from typing import Callable, Sequence

from index.sentences import sentence_spans

from ..text import content_terms
from ..types import Citation, Flag, Hit
from . import extractive, guard
from .prompt import Excerpt, Piece
from .support import Support

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_PARTIAL_MARKER = re.compile(r"\[[\d,;\s]*$")
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+(?=[.,;:!?])")
# "The posts don't say", "nothing in the excerpts answers": abstentions, not claims.
_NO_ANSWER = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|no|none|not|nothing|cannot|can'?t|unable)\b"
    r".{0,60}\b(?:say|says|said|mention\w*|answer\w*|discuss\w*|cover\w*|address\w*|contain\w*|information|indicat\w*|state\w*|find|found)\b",
    re.IGNORECASE,
)
MIN_CLAIM_TERMS = 4
UNSUPPORTED = "⚠ {claim} [unsupported: the cited post doesn't say this]"
UNCITED = "⚠ {claim} [unsupported: no citation]"
MISATTRIBUTED = "⚠ {claim} [unsupported: these are {speaker}'s words, quoted by {author}]"


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in _PARTIAL_MARKER.sub("", MARKER.sub("", text)))


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of model output; markers written after the full stop
    ("... bet. [1] Next") stay with the sentence they close."""
    merged: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        lead = _LEADING_MARKERS.match(text, start, end)
        if lead and merged:
            merged[-1] = (merged[-1][0], lead.end())
            start = lead.end()
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            merged.append((start, end))
    return merged


def complete_upto(text: str) -> int:
    """Where the finished sentences of a growing answer end (0: none yet)."""
    spans = [s for s in sentences(text) if _has_words(text[s[0] : s[1]])]
    return spans[-2][1] if len(spans) >= 2 else 0


def _tidy(text: str) -> str:
    return _SPACE_BEFORE_STOP.sub("", re.sub(r"[ \t]{2,}", " ", text)).strip()


class Checker:
    def __init__(self, excerpts: Sequence[Excerpt], support: Support, taint: Callable[[str], bool]) -> None:
        self.excerpts = {e.n: e for e in excerpts}
        self.support = support
        self.taint = taint
        self.numbers: dict[int, int] = {}  # excerpt n -> citation n, in order of first use
        self.evidence: dict[int, list[Piece]] = {}
        self.scores: dict[int, float] = {}
        self.flags: list[Flag] = []
        self.removed_markers = 0
        self.dropped = 0
        self.seconds = 0.0  # spent checking (embedding), apart from waiting for the model

    def _cited(self, text: str) -> list[int]:
        cited: list[int] = []
        for match in MARKER.finditer(text):
            for raw in re.split(r"[,;]", match.group(1)):
                n = int(raw)
                if n not in self.excerpts:
                    self.removed_markers += 1
                elif n not in cited:
                    cited.append(n)
        return cited

    def sentence(self, raw: str) -> str | None:
        """The sentence as the reader will see it, or None to drop it."""
        started = time.perf_counter()
        try:
            return self._sentence(raw)
        finally:
            self.seconds += time.perf_counter() - started

    def _sentence(self, raw: str) -> str | None:
        text = guard.clean_output(raw)
        if self.taint(text):
            self.dropped += 1
            return None
        cited = self._cited(text)
        claim = _tidy(MARKER.sub("", text))
        if not claim:
            return None
        if cited:
            misattributed = self._replier_for_speaker(claim, cited)
            if misattributed:
                self._flag(claim, "misattributed", cited, None)
                return MISATTRIBUTED.format(claim=claim, speaker=misattributed.speaker, author=misattributed.author)
            verdict = self.support.check(claim, [self.excerpts[n] for n in cited])
            if verdict.supported:
                self._record(cited, verdict.best, verdict.score)
                return _tidy(MARKER.sub(self._renumber, text))
            self._flag(claim, "unsupported", cited, verdict.score)
            return UNSUPPORTED.format(claim=claim)
        if len(content_terms(claim)) >= MIN_CLAIM_TERMS and not _NO_ANSWER.search(claim):
            self._flag(claim, "uncited", [], None)
            return UNCITED.format(claim=claim)
        return claim

    def _replier_for_speaker(self, claim: str, cited: list[int]) -> Hit | None:
        """A quote excerpt whose replier the sentence names but whose speaker it
        doesn't: the quoted words are being credited to the wrong person."""
        def named(name: str | None) -> bool:
            return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", claim, re.IGNORECASE) is not None

        for n in cited:
            hit = self.excerpts[n].hit
            if hit.kind == "quote" and hit.author != hit.speaker and named(hit.author) and not named(hit.speaker):
                return hit
        return None

    def _renumber(self, match: re.Match) -> str:
        wanted = [int(raw) for raw in re.split(r"[,;]", match.group(1))]
        return "".join(f"[{self.numbers[n]}]" for n in dict.fromkeys(wanted) if n in self.numbers)

    def _record(self, cited: list[int], best: dict[int, Piece], score: float) -> None:
        for n in cited:
            self.numbers.setdefault(n, len(self.numbers) + 1)
            self.evidence.setdefault(n, []).append(best[n])
            self.scores[n] = max(score, self.scores.get(n, 0.0))

    def _flag(self, claim: str, reason: str, cited: list[int], score: float | None) -> None:
        post_ids = tuple(dict.fromkeys(self.excerpts[n].hit.post_id for n in cited))
        self.flags.append(Flag(sentence=claim, reason=reason, post_ids=post_ids, score=score))

    def citations(self) -> list[Citation]:
        """One Citation per cited excerpt: the span from its first to its last
        supporting sentence, an exact substring of the post."""
        chosen = []
        for n in sorted(self.numbers, key=self.numbers.get):
            hit, pieces = self.excerpts[n].hit, self.evidence[n]
            start, end = min(p.start for p in pieces), max(p.end for p in pieces)
            chosen.append(extractive.Candidate(hit, hit.start + start, hit.start + end, hit.text[start:end], self.scores[n]))
        return extractive.citations_for(chosen)
