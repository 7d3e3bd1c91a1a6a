"""Table exports: CSV and JSON Lines, one post per row.

Canonical columns are thread_id, thread_title, post_id, post_number, author,
posted_at, url, text (or html), reply_to; common aliases are accepted (see
ALIASES). Rows are grouped into threads by thread_id, else by thread_title.
Text bodies may hold XenForo quotes flattened to text ("NAME said:" / "↑" /
... / a line with a double quote), as the TMC exports do; they become quote
blocks credited to the quoted member.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import OrderedDict
from dataclasses import dataclass

from ..errors import InputError
from ..records import Block, ParsedThread, Post, Thread
from . import discourse, xenforo
from .htmlblocks import Dialect, blocks_from_html
from .textdump import slugify
from .textquotes import mentions, split_quotes

CSV_FORMAT, JSONL_FORMAT = "csv", "jsonl"
MAX_FIELD_CHARS = 8 * 1024 * 1024

ALIASES: dict[str, tuple[str, ...]] = {
    "thread_id": ("thread_id", "topic_id", "threadid", "thread"),
    "thread_title": ("thread_title", "title", "topic_title", "thread_name", "subject", "topic"),
    "post_id": ("post_id", "id", "postid", "message_id", "comment_id"),
    "post_number": ("post_number", "position", "number", "post_no", "index"),
    "author": ("author", "username", "user", "user_name", "poster", "name", "member"),
    "posted_at": ("posted_at", "created_at", "date", "datetime", "timestamp", "time", "created"),
    "url": ("url", "permalink", "link", "post_url"),
    "text": ("text", "message", "body", "content", "post", "raw"),
    "html": ("html", "cooked", "body_html", "content_html"),
    "reply_to": ("reply_to", "reply_to_post_id", "parent_id", "in_reply_to"),
}
# The kcinnick/tmc scraper's export: TMC post ids, permalinks by id.
_TMC_EXPORT = {"id", "thread_title", "username", "posted_at", "message", "likes", "loves", "helpful"}
_TMC_PERMALINK = "https://teslamotorsclub.com/tmc/posts/{id}/"


@dataclass(frozen=True)
class _Columns:
    mapping: dict[str, str]  # canonical name -> column in the file
    tmc_export: bool


def _columns(header: list[str], source: str) -> _Columns:
    lowered = {h.strip().lower(): h for h in header if h}
    mapping = {}
    for canonical, names in ALIASES.items():
        for name in names:
            if name in lowered:
                mapping[canonical] = lowered[name]
                break
    if "text" not in mapping and "html" not in mapping:
        raise InputError(source, f"no text column (expected one of: {', '.join(ALIASES['text'] + ALIASES['html'])})")
    return _Columns(mapping, _TMC_EXPORT <= set(lowered))


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", value):
        return value.replace(" ", "T", 1)
    if re.match(r"^\d{9,11}(\.\d+)?$", value):  # unix seconds
        from datetime import datetime, timezone

        return datetime.fromtimestamp(float(value), tz=timezone.utc).isoformat(timespec="seconds")
    return value


def _value(row: dict, columns: _Columns, name: str) -> str | None:
    column = columns.mapping.get(name)
    value = row.get(column) if column else None
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _body(row: dict, columns: _Columns) -> list[Block]:
    """A text body (with XenForo text quotes), else an HTML body."""
    text = _value(row, columns, "text")
    if text is not None:
        return split_quotes(text)
    html = _value(row, columns, "html")
    return blocks_from_html(html, HTML_DIALECT) if html else []


_DISCOURSE_QUOTES = discourse.Quotes(topic="", ids_by_number={})
# XenForo markup first, then Discourse's aside.quote, then a bare blockquote.
HTML_DIALECT = Dialect(
    quote=lambda node: xenforo.DIALECT.quote(node) or _DISCOURSE_QUOTES(node),
    chrome=xenforo.DIALECT.chrome | {"title", "quote-controls"},
    placeholder=xenforo.DIALECT.placeholder,
)


def _thread_key(row: dict, columns: _Columns) -> tuple[str, str]:
    title = _value(row, columns, "thread_title")
    thread_id = _value(row, columns, "thread_id")
    if thread_id:
        return thread_id, title or f"Thread {thread_id}"
    if title:
        # Titles that differ only in punctuation must stay separate threads.
        return f"{slugify(title)[:60]}-{hashlib.sha1(title.encode('utf-8')).hexdigest()[:6]}", title
    return "untitled", "Untitled thread"


def parse_rows(rows: list[dict], header: list[str], source: str, fmt: str) -> list[ParsedThread]:
    columns = _columns(header, source)
    grouped: "OrderedDict[str, tuple[str, list[tuple[int, dict]]]]" = OrderedDict()
    skipped: list[str] = []
    for line, row in rows:
        if not _value(row, columns, "text") and not _value(row, columns, "html"):
            skipped.append(f"{source}: row {line}: empty post text, skipped")
            continue
        thread_id, title = _thread_key(row, columns)
        grouped.setdefault(thread_id, (title, []))[1].append((line, row))
    threads = [_thread(tid, title, members, columns, fmt, source) for tid, (title, members) in grouped.items()]
    if threads:
        first = threads[0]
        threads[0] = ParsedThread(first.thread, first.posts, tuple(skipped) + first.warnings)
    return threads


def _thread(thread_id: str, title: str, members: list, columns: _Columns, fmt: str, source: str) -> ParsedThread:
    def order(item: tuple[int, dict]):
        line, row = item
        number = _value(row, columns, "post_number")
        if number and number.isdigit():
            return (0, int(number), "", line)
        return (1, 0, _iso(_value(row, columns, "posted_at")) or "", line)

    posts, seen, warnings = [], set(), []
    for position, (line, row) in enumerate(sorted(members, key=order), start=1):
        post_id = _value(row, columns, "post_id") or f"{thread_id}-{line}"
        if post_id in seen:
            warnings.append(f"{source}: row {line}: duplicate post id {post_id}, skipped")
            continue
        seen.add(post_id)
        number = _value(row, columns, "post_number")
        url = _value(row, columns, "url") or (_TMC_PERMALINK.format(id=post_id) if columns.tmc_export else None)
        blocks = _body(row, columns)
        if not blocks:
            warnings.append(f"{source}: row {line}: no text left once markup is removed, skipped")
            continue
        posts.append(
            Post(
                id=post_id, thread_id=thread_id, number=int(number) if number and number.isdigit() else position,
                blocks=tuple(blocks), author=_value(row, columns, "author"),
                posted_at=_iso(_value(row, columns, "posted_at")), permalink=url,
                reply_to=_value(row, columns, "reply_to"), mentions=mentions(blocks),
            )
        )
    return ParsedThread(Thread(thread_id, title, None, fmt), tuple(posts), tuple(warnings))


def sniff_csv(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0].lower()
    if "," not in first and "\t" not in first and ";" not in first:
        return False
    cells = {c.strip().strip('"') for c in re.split(r"[,\t;]", first)}
    return bool(cells & set(ALIASES["text"] + ALIASES["html"])) and len(cells) >= 2


def parse_csv(text: str, source: str) -> list[ParsedThread]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    header_line = text.split("\n", 1)[0]
    # The header decides the delimiter; csv.Sniffer guesses wrong on long
    # multi-line message fields.
    delimiter = max(",\t;", key=header_line.count)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = list(reader.fieldnames or [])
        # Spreadsheet numbering: the header is row 1.
        rows = list(enumerate(reader, start=2))
    except csv.Error as exc:
        raise InputError(source, f"malformed CSV: {exc}") from None
    if not header:
        raise InputError(source, "CSV has no header row")
    return parse_rows(rows, header, source, CSV_FORMAT)


def sniff_jsonl(head: str) -> bool:
    """A first line that is a whole JSON object with a post-text field."""
    first = next((l for l in head.splitlines() if l.strip()), "")
    try:
        row = json.loads(first)
    except ValueError:
        return False
    keys = {str(k).lower() for k in row} if isinstance(row, dict) else set()
    return bool(keys & set(ALIASES["text"] + ALIASES["html"]))


def parse_jsonl(text: str, source: str) -> list[ParsedThread]:
    rows, header = [], {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(source, f"line {number}: malformed JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise InputError(source, f"line {number}: expected a JSON object per line")
        header.update(dict.fromkeys(row))
        rows.append((number, row))
    return parse_rows(rows, list(header), source, JSONL_FORMAT)
