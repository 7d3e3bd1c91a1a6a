"""The indexes the app can show, by a short key the browser may see.

Directory paths stay on the server: the page only ever gets keys (index
names), labels and counts. One reader per index, reopened when a newer
generation lands (after an upload, or a CLI ingest elsewhere).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from index.errors import ForumRagError
from index.home import home, index_dir
from index.pipeline import ensure_index
from index.store.reader import IndexReader

MAX_AUTHORS = 2000  # the filter lists the most frequent names; typing finds the rest


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Summary:
    key: str
    posts: int
    threads: int

    @property
    def label(self) -> str:
        return f"{self.key} — {counted(self.posts, 'post')} · {counted(self.threads, 'thread')}"


class Catalog:
    def __init__(self, startup: str | os.PathLike | None = None) -> None:
        self._lock = Lock()
        self._readers: dict[Path, IndexReader] = {}
        directory = ensure_index(startup)  # builds the bundled sample on first use
        self._outside: dict[str, Path] = {}
        if directory.parent != self.root():
            self._outside[directory.name] = directory
        self.default_key = directory.name
        self.reader(self.default_key)  # a broken startup index fails now, not on the first question

    @staticmethod
    def root() -> Path:
        return home() / "indexes"

    def paths(self) -> dict[str, Path]:
        found = {}
        if self.root().is_dir():
            found = {d.name: d for d in sorted(self.root().iterdir()) if d.is_dir()}
        return {**found, **self._outside}

    def path(self, key: str | None) -> Path:
        paths = self.paths()
        if not key:
            return paths[self.default_key]
        if key not in paths:
            raise ForumRagError(f"index {key!r}: no such index; build it with: forum-rag ingest PATH --index {key}")
        return paths[key]

    def reader(self, key: str | None) -> IndexReader:
        directory = self.path(key)
        with self._lock:
            current = self._readers.get(directory)
            if current is None or not current.is_current():
                if current is not None:
                    current.close()
                current = self._readers[directory] = IndexReader(directory)
            return current

    def summary(self, key: str | None) -> Summary:
        counts = self.reader(key).counts()
        return Summary(key or self.default_key, counts.get("posts", 0), counts.get("threads", 0))

    def summaries(self) -> list[Summary]:
        out = []
        for key in self.paths():
            try:
                out.append(self.summary(key))
            except ForumRagError:
                continue  # a broken index is left out of the picker, never fatal
        return out

    def threads(self, key: str | None) -> list[tuple[str, str]]:
        """(title, thread id) pairs, by title."""
        return [(t.title, t.id) for t in self.reader(key).threads().values()]

    def authors(self, key: str | None) -> list[str]:
        names = self.reader(key).names()
        return sorted(names, key=lambda name: (-names[name], name.casefold()))[:MAX_AUTHORS]

    def post_texts(self, key: str | None, post_ids: list[str]) -> dict[str, str]:
        return {pid: post.text for pid, post in self.reader(key).posts(post_ids).items()}

    def new_index_path(self, name: str) -> Path:
        """Where an upload may create an index: only a plain name under the home."""
        name = (name or "").strip()
        directory = index_dir(name) if name and os.sep not in name and not name.startswith(".") else None
        if directory is None or directory.parent != self.root():
            raise ForumRagError(f"index name {name!r}: use letters, digits, '.', '_' or '-'")
        return directory
