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
from . import discourse, table, textdump, xenforo

MAX_FILE_BYTES = 256 * 1024 * 1024
_SNIFF_CHARS = 64 * 1024


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
register(SourceFormat(discourse.FORMAT, discourse.sniff, discourse.parse))
register(SourceFormat(xenforo.FORMAT, xenforo.sniff, xenforo.parse))
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8"
        ) from None
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


def parse_file(path: Path, format: str | None = None) -> list[ParsedThread]:
    text = read_text(path)
    if format is not None:
        if format not in FORMATS:
            raise InputError(str(path), f"unknown --format {format!r} (known: {', '.join(sorted(FORMATS))})")
        fmt = FORMATS[format]
    else:
        fmt = detect(text, str(path))
    threads = fmt.parse(text, str(path))
    if not any(t.posts for t in threads):
        raise InputError(str(path), f"no posts found ({fmt.name})")
    return threads
