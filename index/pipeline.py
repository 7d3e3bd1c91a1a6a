"""The build side's public entry: sources in, a new index generation out."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import env  # noqa: F401
from .chunking import ChunkerSettings
from .crawl import CrawlOptions, crawl_url, is_url
from .embedding import bulk_backend, get_embedder
from .errors import InputError
from .home import index_dir, sample_corpus
from .records import ParsedThread
from .sources import directory_files, is_skip, parse_directory, parse_file
from .store import generations
from .store.manifest import Manifest
from .store.writer import IndexWriter, IngestReport, Progress


@dataclass
class Parsed:
    threads: list[ParsedThread] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files left out of a directory, with reasons


def parse_all(
    sources: Sequence[str | os.PathLike],
    format: str | None = None,
    progress: Progress | None = None,
    *,
    crawl: CrawlOptions | None = None,
    index: str | os.PathLike | None = None,
    full: bool = False,
) -> Parsed:
    """Parse every source. A named file that cannot be read stops everything
    (nothing is written); inside a directory, unsupported files are skipped.
    An http(s) thread URL is crawled, fetching only what `index` does not
    hold yet unless `full`; a URL that cannot be crawled stops everything."""
    if not sources:
        raise InputError("ingest", "no sources given")
    paths = [Path(source) for source in sources if not is_url(source)]
    total = sum(len(directory_files(p)) if p.is_dir() else 1 for p in paths) + len(sources) - len(paths)
    parsed, done = Parsed(), 0

    def tick(_path: Path | None = None) -> None:
        nonlocal done
        done += 1
        if progress:
            progress("parse", done, total)

    for source in sources:
        path = Path(source)
        if is_url(source):
            parsed.threads += crawl_url(str(source), crawl, index_dir(index), site=format, full=full, progress=progress)
            tick()
        elif path.is_dir():
            threads, skipped = parse_directory(path, format, on_file=tick)
            parsed.threads += threads
            parsed.skipped += skipped
        else:
            parsed.threads += parse_file(path, format=format)
            tick()
    return parsed


def parse_sources(sources: Sequence[str | os.PathLike], format: str | None = None) -> list[ParsedThread]:
    return parse_all(sources, format).threads


def _sort_notes(report: IngestReport, parsed: Parsed) -> None:
    """Skip lines from parsers and directories go to `skipped`, the rest stay warnings."""
    report.skipped = parsed.skipped + [w for w in report.warnings if is_skip(w)] + report.skipped
    report.warnings = [w for w in report.warnings if not is_skip(w)]


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
    started = time.perf_counter()
    # --prune needs every post of a crawled thread, not only the new ones.
    parsed = parse_all(sources, format, progress, crawl=crawl, index=index, full=prune)
    parse_seconds = time.perf_counter() - started
    embedder = get_embedder(embedding_model)
    bulk = None
    if bulk_backend() != "auto":
        bulk = lambda: get_embedder(embedding_model, backend=bulk_backend())  # noqa: E731
    writer = IndexWriter(index_dir(index), embedder, chunker or _chunker_of(index_dir(index)), bulk_embedder=bulk)
    report = writer.write(parsed.threads, prune=prune, progress=progress)
    report.seconds["parse"] = parse_seconds
    _sort_notes(report, parsed)
    return report


def _chunker_of(directory: Path) -> ChunkerSettings:
    """An existing index keeps the chunking it was built with (a new default
    applies to new indexes); a new index gets the default."""
    current = generations.current(directory)
    if current is None:
        return ChunkerSettings()
    return ChunkerSettings(**Manifest.read(current).chunker)


def ensure_index(index: str | os.PathLike | None = None) -> Path:
    """The index directory; the default index is built from the bundled sample
    thread the first time it is asked for."""
    from .home import is_default

    directory = index_dir(index)
    if generations.current(directory) is None and is_default(index):
        ingest([sample_corpus()], directory)
    return directory
