"""Arrays indexed by chunk id, each kept as one blob in a one-row table
(chunk lengths for BM25, chunk days for date filters): read whole in one
query, changed with NumPy, written back inside the ingest's transaction."""
from __future__ import annotations

import sqlite3

import numpy as np


def schema(table: str, column: str) -> str:
    return f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY CHECK (id = 1), {column} BLOB NOT NULL);\n"


def present(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the index has this array (indexes written before it do not)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    return found is not None and conn.execute(f"SELECT 1 FROM {table} WHERE id = 1").fetchone() is not None


def read(conn: sqlite3.Connection, table: str, column: str, dtype: np.dtype) -> np.ndarray:
    """A writable copy (empty when the array was never written)."""
    row = conn.execute(f"SELECT {column} FROM {table} WHERE id = 1").fetchone()
    return np.frombuffer(row[0], dtype).copy() if row else np.zeros(0, dtype)


def write(conn: sqlite3.Connection, table: str, column: str, values: np.ndarray, dtype: np.dtype) -> None:
    conn.execute(f"INSERT OR REPLACE INTO {table}(id, {column}) VALUES (1, ?)", (values.astype(dtype).tobytes(),))


def covering(values: np.ndarray, top_id: int) -> np.ndarray:
    """The array, zero-padded so chunk id `top_id` has a slot."""
    if top_id < len(values):
        return values
    return np.concatenate([values, np.zeros(top_id + 1 - len(values), values.dtype)])
