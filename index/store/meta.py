"""Thread, post and chunk metadata in SQLite, with an FTS5 table (phrase
lookups) that SQLite keeps up to date on every insert and delete; the
lexical leg's posting lists live beside them (postings.py)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..records import Block, Chunk, Post, Thread
from . import chunk_days, postings

SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT,
    source_format TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS posts (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads(id),
    number INTEGER NOT NULL,
    author TEXT,
    posted_at TEXT,
    permalink TEXT,
    reply_to TEXT,
    text TEXT NOT NULL,
    blocks TEXT NOT NULL,
    reactions TEXT NOT NULL,
    mentions TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_thread ON posts(thread_id, number);
CREATE INDEX IF NOT EXISTS posts_author ON posts(author COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id TEXT NOT NULL REFERENCES posts(id),
    kind TEXT NOT NULL CHECK (kind IN ('own', 'quote')),
    speaker TEXT,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    hash TEXT NOT NULL,
    quoted_post_id TEXT
);
CREATE INDEX IF NOT EXISTS chunks_post ON chunks(post_id);
CREATE INDEX IF NOT EXISTS chunks_hash ON chunks(hash);
CREATE INDEX IF NOT EXISTS chunks_speaker ON chunks(speaker COLLATE NOCASE);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""


def connect_writable(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA + postings.SCHEMA + chunk_days.SCHEMA)
    return conn


def connect_readonly(path: Path) -> sqlite3.Connection:
    # A published generation never changes, so SQLite may skip locking.
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def upsert_thread(conn: sqlite3.Connection, thread: Thread) -> None:
    conn.execute(
        "INSERT INTO threads(id, title, url, source_format) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET title=excluded.title, url=COALESCE(excluded.url, threads.url), "
        "source_format=excluded.source_format",
        (thread.id, thread.title, thread.url, thread.source_format),
    )


def _blocks_json(post: Post) -> str:
    return json.dumps(
        [
            {"kind": b.kind, "text": b.text, "quoted_author": b.quoted_author, "quoted_post_id": b.quoted_post_id}
            for b in post.blocks
        ],
        ensure_ascii=False,
    )


def _chunks_of(conn: sqlite3.Connection, post_id: str) -> list[tuple[int, str]]:
    return [(int(row[0]), row[1]) for row in conn.execute("SELECT id, text FROM chunks WHERE post_id = ?", (post_id,))]


def replace_post(conn: sqlite3.Connection, post: Post) -> list[tuple[int, str]]:
    """Write the post, dropping its old chunks; returns the dropped chunks (id, text)."""
    old = _chunks_of(conn, post.id)
    conn.execute("DELETE FROM chunks WHERE post_id = ?", (post.id,))
    conn.execute(
        "INSERT OR REPLACE INTO posts(id, thread_id, number, author, posted_at, permalink, reply_to, text, "
        "blocks, reactions, mentions, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            post.id,
            post.thread_id,
            post.number,
            post.author,
            post.posted_at,
            post.permalink,
            post.reply_to,
            post.text,
            _blocks_json(post),
            json.dumps({k: list(v) for k, v in post.reactions.items()}, ensure_ascii=False),
            json.dumps(list(post.mentions), ensure_ascii=False),
            post.content_hash,
        ),
    )
    return old


def delete_post(conn: sqlite3.Connection, post_id: str) -> list[tuple[int, str]]:
    old = _chunks_of(conn, post_id)
    conn.execute("DELETE FROM chunks WHERE post_id = ?", (post_id,))
    conn.execute("DELETE FROM posts WHERE id = ?", (post_id,))
    return old


def insert_chunk(conn: sqlite3.Connection, chunk: Chunk) -> int:
    cursor = conn.execute(
        'INSERT INTO chunks(post_id, kind, speaker, text, start, "end", hash, quoted_post_id) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (chunk.post_id, chunk.kind, chunk.speaker, chunk.text, chunk.start, chunk.end, chunk.hash, chunk.quoted_post_id),
    )
    return int(cursor.lastrowid)


def post_hashes(conn: sqlite3.Connection, thread_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT id, content_hash FROM posts WHERE thread_id = ?", (thread_id,))
    return {row[0]: row[1] for row in rows}


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("threads", "posts", "chunks")
    }


def row_to_post(row: sqlite3.Row) -> Post:
    blocks = tuple(Block(**b) for b in json.loads(row["blocks"]))
    return Post(
        id=row["id"],
        thread_id=row["thread_id"],
        number=row["number"],
        blocks=blocks,
        author=row["author"],
        posted_at=row["posted_at"],
        permalink=row["permalink"],
        reactions={k: tuple(v) for k, v in json.loads(row["reactions"]).items()},
        reply_to=row["reply_to"],
        mentions=tuple(json.loads(row["mentions"])),
    )
