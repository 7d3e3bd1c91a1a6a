"""The build side's public entry: sources in, a new index generation out."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from . import env  # noqa: F401
from .chunking import ChunkerSettings
from .crawl import CrawlOptions, crawl_url, is_url
from .embedding import get_embedder
from .errors import InputError
from .home import index_dir, sample_corpus
from .records import ParsedThread
from .sources import parse_file
from .store import generations
from .store.writer import IndexWriter, IngestReport, Progress


def parse_sources(
    sources: Sequence[str | os.PathLike],
    format: str | None = None,
    *,
    crawl: CrawlOptions | None = None,
    index: str | os.PathLike | None = None,
    full: bool = False,
    progress: Progress | None = None,
) -> list[ParsedThread]:
    """Parse every source (files, or http(s) thread URLs to crawl); the first
    bad one stops everything (nothing is written). A URL fetches only what
    `index` does not hold yet, unless `full`."""
    if not sources:
        raise InputError("ingest", "no sources given")
    threads: list[ParsedThread] = []
    for source in sources:
        if is_url(source):
            threads += crawl_url(str(source), crawl, index_dir(index), site=format, full=full, progress=progress)
        else:
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
    crawl: CrawlOptions | None = None,
) -> IngestReport:
    # --prune needs every post of a crawled thread, not only the new ones.
    threads = parse_sources(sources, format, crawl=crawl, index=index, full=prune, progress=progress)
    embedder = get_embedder(embedding_model)
    bulk = None
    if os.environ.get("FORUM_RAG_EMBED_BACKEND", "auto") == "auto":
        bulk = lambda: get_embedder(embedding_model, backend="sentence-transformers")  # noqa: E731
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
