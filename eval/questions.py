"""Question sets: one JSON object per line (format in docs/EVAL.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index.errors import InputError

KINDS = ("fact", "who-said", "reaction", "time", "thread", "unanswerable")
_FIELDS = {"id", "question", "kind", "gold_post_ids", "gold_substrings", "answer_keywords", "speaker", "note"}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    gold_post_ids: tuple[str, ...] = ()
    gold_substrings: tuple[str, ...] = ()
    answer_keywords: tuple[str, ...] = ()
    speaker: str | None = None  # whose words the answer must cite (who-said questions)

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def _strings(row: dict, key: str, where: str) -> tuple[str, ...]:
    value = row.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(where, f"{key!r} must be a list of non-empty strings")
    return tuple(value)


def parse(row: object, where: str) -> Question:
    if not isinstance(row, dict):
        raise InputError(where, "expected a JSON object")
    unknown = set(row) - _FIELDS
    if unknown:
        raise InputError(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "question", "kind"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise InputError(where, f"{key!r} is missing or empty")
    if row["kind"] not in KINDS:
        raise InputError(where, f"kind {row['kind']!r}: expected one of {', '.join(KINDS)}")
    q = Question(
        id=row["id"], question=row["question"], kind=row["kind"],
        gold_post_ids=_strings(row, "gold_post_ids", where), gold_substrings=_strings(row, "gold_substrings", where),
        answer_keywords=_strings(row, "answer_keywords", where), speaker=row.get("speaker") or None,
    )
    if q.answerable and not (q.gold_post_ids or q.gold_substrings):
        raise InputError(where, "an answerable question needs gold_post_ids or gold_substrings")
    if not q.answerable and (q.gold_post_ids or q.gold_substrings):
        raise InputError(where, "an unanswerable question has no gold posts")
    return q


def load(path: Path) -> list[Question]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputError(str(path), f"cannot read: {exc.__class__.__name__}") from None
    questions, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(where, f"malformed JSON: {exc}") from None
        q = parse(row, where)
        if q.id in seen:
            raise InputError(where, f"duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise InputError(str(path), "no questions")
    return questions
