"""Cut posts into chunks: at quote boundaries first, then by a token budget.

A quote never shares a chunk with the reply around it, so retrieval can credit
each chunk to the one person whose words it holds (its speaker).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

from .records import Chunk, Post
from .sentences import paragraph_spans, sentence_spans

Span = tuple[int, int]
Counter = Callable[[str], int]


@dataclass(frozen=True)
class ChunkerSettings:
    encoding: str = "cl100k_base"
    # 128, not 200: measured on the eval sets (docs/EVAL.md), shorter chunks
    # keep one topic per vector; 64 lost answers on the long-post sample.
    max_tokens: int = 128
    # Overlap is added only where a cut falls inside a paragraph: that is
    # where the next chunk would otherwise start without its context.
    overlap_tokens: int = 32

    def to_dict(self) -> dict:
        return asdict(self)


class Chunker:
    def __init__(
        self,
        settings: ChunkerSettings,
        count_tokens: Counter,
        fits_model: Callable[[str], bool] | None = None,
    ) -> None:
        self.settings = settings
        self.count = count_tokens
        # The embedding model's own limit (wordpieces) is the hard one; tiktoken
        # only approximates it, so oversized chunks are split again.
        self.fits_model = fits_model or (lambda text: True)

    def chunk_post(self, post: Post) -> list[Chunk]:
        text = post.text
        chunks: list[Chunk] = []
        for block, start, end in post.block_spans():
            speaker = post.author if block.kind == "own" else block.quoted_author
            for s, e in self._block_spans(text, start, end):
                chunks.append(
                    Chunk(
                        post_id=post.id,
                        kind=block.kind,
                        speaker=speaker,
                        text=text[s:e],
                        start=s,
                        end=e,
                        quoted_post_id=block.quoted_post_id if block.kind == "quote" else None,
                    )
                )
        return chunks

    def _block_spans(self, text: str, start: int, end: int) -> Iterator[Span]:
        for span in self._pack(text, start, end):
            yield from self._enforce_model_limit(text, span)

    def _pack(self, text: str, start: int, end: int) -> list[Span]:
        budget = self.settings.max_tokens
        packed: list[Span] = []
        current: Span | None = None
        current_tokens = 0
        for para in paragraph_spans(text, start, end):
            para_tokens = self.count(text[para[0] : para[1]])
            if current and current_tokens + para_tokens <= budget:
                current, current_tokens = (current[0], para[1]), current_tokens + para_tokens
                continue
            if current:
                packed.append(current)
            if para_tokens <= budget:
                current, current_tokens = para, para_tokens
            else:
                pieces = self._split_paragraph(text, para)
                packed.extend(pieces[:-1])
                current = pieces[-1]
                current_tokens = self.count(text[current[0] : current[1]])
        if current:
            packed.append(current)
        return packed

    def _split_paragraph(self, text: str, para: Span) -> list[Span]:
        """Sentences packed to the budget, each new piece repeating the
        previous piece's last sentence when it is short (the overlap)."""
        budget, overlap = self.settings.max_tokens, self.settings.overlap_tokens
        units: list[tuple[Span, int]] = []
        for sent in sentence_spans(text, *para):
            n = self.count(text[sent[0] : sent[1]])
            if n <= budget:
                units.append((sent, n))
            else:
                units.extend(self._split_words(text, sent))
        pieces: list[Span] = []
        group: list[tuple[Span, int]] = []
        for unit in units:
            if group and sum(n for _, n in group) + unit[1] > budget:
                pieces.append((group[0][0][0], group[-1][0][1]))
                tail = group[-1]
                group = [tail] if tail[1] <= overlap and tail[1] + unit[1] <= budget else []
            group.append(unit)
        if group:
            pieces.append((group[0][0][0], group[-1][0][1]))
        return pieces

    def _split_words(self, text: str, span: Span) -> list[tuple[Span, int]]:
        """Last resort for one sentence over the budget: cut between words."""
        budget = self.settings.max_tokens
        pieces: list[tuple[Span, int]] = []
        piece_start, tokens, last_end = None, 0, span[0]
        for word in re.finditer(r"\S+", text[span[0] : span[1]]):
            ws, we = span[0] + word.start(), span[0] + word.end()
            n = self.count(" " + word.group())
            if piece_start is not None and tokens + n > budget:
                pieces.append(((piece_start, last_end), tokens))
                piece_start, tokens = None, 0
            if piece_start is None:
                piece_start = ws
            tokens += n
            last_end = we
        if piece_start is not None:
            pieces.append(((piece_start, last_end), tokens))
        return pieces

    def _enforce_model_limit(self, text: str, span: Span) -> Iterator[Span]:
        if self.fits_model(text[span[0] : span[1]]):
            yield span
            return
        halves = _halve(text, span)
        if halves is None:  # one unbreakable token run: the model truncates it
            yield span
            return
        for half in halves:
            yield from self._enforce_model_limit(text, half)


def _halve(text: str, span: Span) -> tuple[Span, Span] | None:
    """Split near the middle, at a sentence boundary if there is one."""
    sentences = sentence_spans(text, *span)
    if len(sentences) > 1:
        middle = len(sentences) // 2
        return (span[0], sentences[middle - 1][1]), (sentences[middle][0], span[1])
    words = [m for m in re.finditer(r"\S+", text[span[0] : span[1]])]
    if len(words) < 2:
        return None
    middle = len(words) // 2
    return (span[0], span[0] + words[middle - 1].end()), (span[0] + words[middle].start(), span[1])


