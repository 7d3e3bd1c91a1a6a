"""Where indexes live: FORUM_RAG_HOME (default: the user's data directory)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import ForumRagError

DEFAULT_INDEX = "default"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def home() -> Path:
    configured = os.environ.get("FORUM_RAG_HOME")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("forum-rag", appauthor=False))


def index_dir(index: str | os.PathLike | None) -> Path:
    """A name under FORUM_RAG_HOME/indexes, or a path (anything with a slash)."""
    if index is None or index == "":
        index = os.environ.get("FORUM_RAG_INDEX") or DEFAULT_INDEX
    text = os.fspath(index)
    if os.sep in text or text.startswith(".") or isinstance(index, Path):
        return Path(text).expanduser().resolve()
    if not _NAME.match(text):
        raise ForumRagError(f"index name {text!r}: use letters, digits, '.', '_' or '-' (or give a path)")
    return home() / "indexes" / text


def is_default(index: str | os.PathLike | None) -> bool:
    return index_dir(index) == index_dir(DEFAULT_INDEX)


def sample_corpus() -> Path:
    return Path(__file__).parent / "data" / "project-dojo-thread.txt"
