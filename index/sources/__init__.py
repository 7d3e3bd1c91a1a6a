"""Source formats: each module turns one kind of forum file into ParsedThreads.

A format is chosen by content (`sniff`), not by file extension; `--format`
forces one. Every failure is an InputError naming the file and the problem.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..records import ParsedThread
from . import discourse, phpbb, reddit, smf, table, textdump, vbulletin, xenforo
from .encoding import decode
from .pages import oversized

MAX_FILE_BYTES = 256 * 1024 * 1024
# Saved pages carry scripts and styles before the first post.
_SNIFF_CHARS = 256 * 1024
SKIPPED = "skipped"


@dataclass(frozen=True)
class SourceFormat:
    name: str
    sniff: Callable[[str], bool]
    parse: Callable[[str, str], list[ParsedThread]]
    # Plain text is the fallback: it accepts any text, so it is tried last.
    fallback: bool = False


FORMATS: dict[str, SourceFormat] = {}


def register(fmt: SourceFormat) -> None:
    FORMATS[fmt.name] = fmt


register(SourceFormat(table.CSV_FORMAT, table.sniff_csv, table.parse_csv))
register(SourceFormat(table.JSONL_FORMAT, table.sniff_jsonl, table.parse_jsonl))
# The most specific markers first: a page may link to another forum's URLs.
register(SourceFormat(discourse.FORMAT, discourse.sniff, discourse.parse))
register(SourceFormat(reddit.FORMAT, reddit.sniff, reddit.parse))
register(SourceFormat(xenforo.FORMAT, xenforo.sniff, xenforo.parse))
register(SourceFormat(vbulletin.FORMAT, vbulletin.sniff, vbulletin.parse))
register(SourceFormat(smf.FORMAT, smf.sniff, smf.parse))
register(SourceFormat(phpbb.FORMAT, phpbb.sniff, phpbb.parse))
register(SourceFormat(textdump.FORMAT, textdump.sniff, textdump.parse, fallback=True))


def read_text(path: Path) -> str:
    """The file's text, or an InputError saying why it is not usable text."""
    source = str(path)
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a directory, expected a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(source, "empty file")
    if size > MAX_FILE_BYTES:
        raise InputError(source, f"file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file (contains NUL bytes), expected text, HTML, JSON or CSV")
    text = decode(data, source)
    if not text.strip():
        raise InputError(source, "empty file (only whitespace)")
    return text


def detect(text: str, source: str) -> SourceFormat:
    head = text[:_SNIFF_CHARS]
    for fmt in FORMATS.values():
        if not fmt.fallback and fmt.sniff(head):
            return fmt
    for fmt in FORMATS.values():
        if fmt.fallback and fmt.sniff(head):
            return fmt
    known = ", ".join(sorted(FORMATS))
    raise InputError(source, f"unknown format (not one of: {known}); use --format to force one")


def forced(format: str, source: str) -> SourceFormat:
    if format not in FORMATS:
        raise InputError(source, f"unknown --format {format!r} (known: {', '.join(sorted(FORMATS))})")
    return FORMATS[format]


def parse_text(text: str, source: str, format: str | None = None) -> list[ParsedThread]:
    """Parse text from a file or a fetched URL; oversized posts are skipped
    with a line saying so, and a source without a single post is an error."""
    fmt = forced(format, source) if format else detect(text, source)
    try:
        threads = fmt.parse(text, source)
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not become a traceback
        raise InputError(source, f"could not read it as {fmt.name}: {type(exc).__name__}: {exc}") from None
    threads = [_without_oversized(t, source) for t in threads]
    if not any(t.posts for t in threads):
        reasons = [w.split(": ", 1)[-1] for t in threads for w in t.warnings][:3]
        detail = f": {'; '.join(reasons)}" if reasons else ""
        raise InputError(source, f"no posts found ({fmt.name}){detail}")
    return threads


def _without_oversized(parsed: ParsedThread, source: str) -> ParsedThread:
    notes = {post.id: note for post in parsed.posts if (note := oversized(post, source))}
    if not notes:
        return parsed
    kept = tuple(p for p in parsed.posts if p.id not in notes)
    return ParsedThread(parsed.thread, kept, parsed.warnings + tuple(notes.values()))


def parse_file(path: Path, format: str | None = None) -> list[ParsedThread]:
    return parse_text(read_text(path), str(path), format)


def is_skip(line: str) -> bool:
    """Warnings that say an item was left out (they end with 'skipped')."""
    return line.endswith(SKIPPED)


def directory_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and not _hidden(p.relative_to(directory)))


def parse_directory(
    directory: Path, format: str | None = None, on_file: Callable[[Path], None] | None = None
) -> tuple[list[ParsedThread], list[str]]:
    """Every supported file under a directory; the others are skipped, each
    with its reason. A directory with nothing to ingest is an error."""
    threads: list[ParsedThread] = []
    skipped: list[str] = []
    files = directory_files(directory)
    if not files:
        raise InputError(str(directory), "directory has no files to ingest")
    for path in files:
        try:
            threads += parse_file(path, format)
        except InputError as exc:
            skipped.append(f"{exc}, {SKIPPED}")
        if on_file:
            on_file(path)
    if not threads:
        detail = f" ({len(skipped)} skipped: {'; '.join(s.split(': ', 1)[-1] for s in skipped[:3])})" if skipped else ""
        raise InputError(str(directory), f"no supported forum files in this directory{detail}")
    return threads, skipped


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
