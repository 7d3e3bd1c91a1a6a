"""Posts from the page into an index: uploaded files, or a thread URL when
the app was started with URL ingest allowed.

The build side does the work (`index.pipeline.ingest`): a bad file changes
nothing, and the index is only swapped once the whole write succeeded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from index.errors import ForumRagError
from index.pipeline import ingest

from .catalog import Catalog

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Outcome:
    key: str  # the index that was written
    message: str


def _target(catalog: Catalog, existing: str | None, new_name: str | None) -> tuple[str, Path]:
    if new_name and new_name.strip():
        directory = catalog.new_index_path(new_name)
        return directory.name, directory
    if not existing:
        raise ForumRagError("choose an index to add the posts to, or name a new one")
    return existing, catalog.path(existing)


def _summary(key: str, report) -> str:
    totals = report.totals
    line = (
        f"{key}: {report.posts_added} new, {report.posts_updated} edited, {report.posts_unchanged} unchanged posts; "
        f"the index now holds {totals.get('posts', 0):,} posts in {totals.get('threads', 0):,} threads."
    )
    notes = [*report.skipped, *report.warnings]
    if notes:
        line += f" {len(notes)} skipped or warned: " + "; ".join(notes[:3]) + (" …" if len(notes) > 3 else "")
    return line


def _named(message: str, paths: Sequence[Path]) -> str:
    """Error text with upload paths replaced by the file names the user chose."""
    for path in paths:
        message = message.replace(str(path), path.name)
    return message


def add_files(
    catalog: Catalog, files: Sequence[str], existing: str | None, new_name: str | None, max_mb: int,
    progress: Progress | None = None,
) -> Outcome:
    paths = [Path(f) for f in files or ()]
    if not paths:
        raise ForumRagError("choose one or more files to add")
    try:
        for path in paths:
            size = path.stat().st_size
            if size > max_mb * 2**20:
                raise ForumRagError(f"{path.name}: {size / 2**20:.1f} MB is over the {max_mb} MB upload limit")
        key, directory = _target(catalog, existing, new_name)
        try:
            report = ingest(paths, directory, progress=progress)
        except ForumRagError as exc:
            raise ForumRagError(_named(str(exc), paths)) from None
        return Outcome(key, _summary(key, report))
    finally:
        for path in paths:  # uploads are copies in Gradio's cache; keep nothing of them around
            path.unlink(missing_ok=True)


def add_url(catalog: Catalog, allowed: bool, url: str, existing: str | None, new_name: str | None, progress: Progress | None = None) -> Outcome:
    if not allowed:
        raise ForumRagError("adding a thread by URL is switched off; start the app with --allow-url-ingest")
    url = (url or "").strip()
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise ForumRagError(f"{url or 'URL'}: expected an http(s) address of a forum thread")
    key, directory = _target(catalog, existing, new_name)
    # The crawler refuses private and loopback addresses itself (every redirect
    # hop included); the page never asks it to allow them.
    report = ingest([url], directory, progress=progress)
    return Outcome(key, _summary(key, report))
