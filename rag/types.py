"""The answer contract shared by the CLI, the UI, the eval runner and tests."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with the post it belongs to."""

    chunk_id: int
    text: str
    kind: str  # "own" | "quote"
    speaker: str | None
    score: float
    post_id: str
    post_number: int
    thread_id: str
    thread_title: str
    author: str | None
    posted_at: str | None
    url: str | None
    start: int  # span of the chunk inside its post's text
    end: int
    quoted_post_id: str | None = None
    dense_score: float | None = None
    lexical_score: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    n: int
    post_id: str
    post_number: int
    thread_title: str
    author: str | None
    posted_at: str | None
    url: str | None
    speaker: str | None
    quote: str  # exact substring of the post's text
    score: float
    quote_start: int  # where `quote` sits in the post's text
    quote_end: int
    kind: str = "own"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Flag:
    """A sentence of a generated answer that its cited posts don't back."""

    sentence: str
    reason: str  # "unsupported": the cited posts don't say it; "uncited": no citation; "misattributed": quoted words credited to the quoter
    post_ids: tuple[str, ...] = ()  # the posts it cited
    score: float | None = None  # support score against those posts

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # with inline [n] markers that refer to citations
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # things the reader should know (fallbacks, flags)
    confidence: float | None = None  # the answer's best supporting score (abstention calibration)
    flagged: tuple[Flag, ...] = ()  # generated sentences shown marked as unsupported
    model: str | None = None  # the model that wrote the text; None: the offline extractive answer
    standalone_question: str | None = None  # the follow-up rewritten for retrieval, when history was given

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "notes": list(self.notes),
            "flagged": [f.to_dict() for f in self.flagged],
            "model": self.model,
            "standalone_question": self.standalone_question,
        }
