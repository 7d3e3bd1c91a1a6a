"""Does an excerpt back a sentence? Word overlap plus embedding similarity.

The weights and the threshold were chosen on the labelled cases in
tests/support_cases.py (see the report in tests/test_support.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.embedding import Embedder

from ..text import content_terms, stem
from .prompt import Excerpt, Piece

LEXICAL_WEIGHT = 0.6
SUPPORTED_AT = 0.48
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Verdict:
    score: float
    supported: bool
    best: dict[int, Piece]  # excerpt n -> the sentence that backs the claim most
    missing_numbers: tuple[str, ...] = ()
    lexical: float = 0.0
    semantic: float = 0.0


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").lstrip("0") or "0" for n in _NUMBER.findall(text)}


def _stems(text: str) -> set[str]:
    # "long-shot" and "long shot" are the same words
    return {stem(part) for t in content_terms(text) for part in t.split("-") if part}


class Support:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[Excerpt, np.ndarray] = {}

    def _encode(self, claim: str, cited: Sequence[Excerpt]) -> np.ndarray:
        """The claim's vector; excerpts' sentences are encoded in the same
        call the first time they are cited (a call costs more than a sentence)."""
        new = [e for e in dict.fromkeys(cited) if e not in self._vectors]
        texts = [claim] + [p.shown for e in new for p in e.pieces]
        vectors = self.embedder.encode(texts)
        row = 1
        for e in new:
            self._vectors[e] = vectors[row : row + len(e.pieces)]
            row += len(e.pieces)
        return vectors[0]

    @staticmethod
    def _evidence_text(e: Excerpt) -> str:
        # The header is evidence too: "Alice said ..." is backed by who posted it.
        h = e.hit
        return " ".join([e.text, h.author or "", h.speaker or "", h.thread_title, f"#{h.post_number}", h.posted_at or ""])

    def check(self, claim: str, cited: Sequence[Excerpt]) -> Verdict:
        cited = [e for e in cited if e.pieces]
        if not cited:
            return Verdict(0.0, False, {})
        evidence = " ".join(self._evidence_text(e) for e in cited)
        terms = _stems(claim)
        lexical = len(terms & _stems(evidence)) / len(terms) if terms else 1.0
        vector = self._encode(claim, cited)
        best: dict[int, Piece] = {}
        semantic = -1.0
        for e in cited:
            sims = self._vectors[e] @ vector
            i = int(np.argmax(sims))
            best[e.n] = e.pieces[i]
            semantic = max(semantic, float(sims[i]))
        score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic
        missing = tuple(sorted(_numbers(claim) - _numbers(evidence)))
        return Verdict(round(score, 4), score >= SUPPORTED_AT and not missing, best, missing, lexical, semantic)
