"""Errors that reach the user as one line naming the input and the problem."""
from __future__ import annotations


class ForumRagError(Exception):
    """Base for every error the CLI turns into a one-line message (exit 2)."""


class InputError(ForumRagError):
    """A source file or URL that cannot be read or parsed."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class IndexProblem(ForumRagError):
    """An index that is missing, damaged, or built with other settings."""


class ManifestMismatch(IndexProblem):
    def __init__(self, index: str, field: str, found: object, expected: object) -> None:
        super().__init__(
            f"index {index}: manifest field {field} is {found!r}, expected {expected!r}; "
            "rebuild the index or use matching settings"
        )
        self.field = field


class MissingDependency(ForumRagError):
    def __init__(self, package: str, extra: str | None = None) -> None:
        hint = f"pip install 'forum-rag[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{package} is not installed; install it with: {hint}")
