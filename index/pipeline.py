"""The build side's public entry: sources in, a new index generation out."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from . import env  # noqa: F401
from .chunking import ChunkerSettings
from .embedding import bulk_backend, get_embedder
from .errors import InputError
from .home import index_dir, sample_corpus
from .records import ParsedThread
from .sources import parse_file
from .store import generations
from .store.writer import IndexWriter, IngestReport, Progress


def parse_sources(sources: Sequence[str | os.PathLike], format: str | None = None) -> list[ParsedThread]:
    """Parse every source; the first bad one stops everything (nothing is written)."""
    if not sources:
        raise InputError("ingest", "no sources given")
    threads: list[ParsedThread] = []
    for source in sources:
        threads += parse_file(Path(source), format=format)
    return threads


def ingest(
    sources: Sequence[str | os.PathLike],
    index: str | os.PathLike | None = None,
    *,
    format: str | None = None,
    embedding_model: str | None = None,
    chunker: ChunkerSettings | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    threads = parse_sources(sources, format)
    embedder = get_embedder(embedding_model)
    bulk = None
    if bulk_backend() != "auto":
        bulk = lambda: get_embedder(embedding_model, backend=bulk_backend())  # noqa: E731
    writer = IndexWriter(index_dir(index), embedder, chunker or ChunkerSettings(), bulk_embedder=bulk)
    return writer.write(threads, prune=prune, progress=progress)


def ensure_index(index: str | os.PathLike | None = None) -> Path:
    """The index directory; the default index is built from the bundled sample
    thread the first time it is asked for."""
    from .home import is_default

    directory = index_dir(index)
    if generations.current(directory) is None and is_default(index):
        ingest([sample_corpus()], directory)
    return directory
