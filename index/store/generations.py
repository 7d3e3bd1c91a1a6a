"""Atomic generations: every write builds a complete new directory and then
switches the CURRENT pointer to it with one rename, so a reader sees either
the old index or the new one, never a mix, and a failed write changes nothing.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

POINTER = "CURRENT"
_GENERATION = re.compile(r"^gen-(\d{6})$")
KEEP_OLD = 1  # the previous generation stays for readers that opened it


def current(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not _GENERATION.match(name):
        return None
    path = index_dir / name
    return path if path.is_dir() else None


def generation_number(path: Path | None) -> int:
    match = _GENERATION.match(path.name) if path else None
    return int(match.group(1)) if match else 0


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def staging(index_dir: Path) -> Iterator[Path]:
    """A scratch directory for the next generation, removed unless published."""
    path = index_dir / f".staging-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, staged: Path, number: int) -> Path:
    for child in staged.iterdir():
        with open(child, "rb") as handle:
            os.fsync(handle.fileno())
    final = index_dir / f"gen-{number:06d}"
    os.rename(staged, final)
    pointer_tmp = index_dir / f".{POINTER}.tmp-{os.getpid()}"
    pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
    with open(pointer_tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, index_dir / POINTER)
    _fsync_dir(index_dir)
    _remove_old(index_dir, keep=final)
    return final


def _remove_old(index_dir: Path, keep: Path) -> None:
    olds = sorted(
        (p for p in index_dir.iterdir() if _GENERATION.match(p.name) and p != keep),
        key=generation_number,
    )
    for old in olds[: max(0, len(olds) - KEEP_OLD)]:
        shutil.rmtree(old, ignore_errors=True)
