"""manifest.json: what an index generation holds and how it was built."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import IndexProblem, ManifestMismatch
from ..home import home

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
META = "meta.sqlite"
# Under FORUM_RAG_HOME: the stat data of each generation's files when last hashed.
STAMPS = "verified"
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Manifest:
    embedding_model: str
    dimension: int
    chunker: dict
    counts: dict = field(default_factory=dict)
    checksums: dict = field(default_factory=dict)
    sizes: dict = field(default_factory=dict)
    vector_index: dict = field(default_factory=dict)  # ann.IndexSpec: flat (exact) or ivf
    generation: int = 0
    created_at: str = ""
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexProblem(f"index {directory.parent}: {MANIFEST} is missing") from None
        except (OSError, ValueError) as exc:
            raise IndexProblem(f"index {directory.parent}: {MANIFEST} is unreadable: {exc}") from None
        if data.get("format_version") != FORMAT_VERSION:
            raise ManifestMismatch(str(directory.parent), "format_version", data.get("format_version"), FORMAT_VERSION)
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stat_key(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _stamp_path(directory: Path) -> Path:
    """Where the stamp of a generation lives: under FORUM_RAG_HOME, not in the
    index, which readers never change."""
    key = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:32]
    return home() / STAMPS / f"{key}.json"


def stamp_verified(manifest: Manifest, directory: Path) -> None:
    """Record that the files, as they are now on disk, match the manifest.

    A later open that finds each file with the same size, modification
    time and inode skips re-hashing it (as git trusts its index's stat
    data): hashing a million-chunk generation took 3 s on every process
    start. Best effort: where the stamp cannot be written, files are hashed
    every time."""
    files = {name: _stat_key(directory / name) for name in manifest.checksums}
    path = _stamp_path(directory)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"generation": str(directory.resolve()), "files": files}), encoding="utf-8")
        temporary.replace(path)
        _forget_removed(path.parent)
    except OSError:
        temporary.unlink(missing_ok=True)


def _forget_removed(stamps: Path) -> None:
    """Drop the stamps of generations that are gone (each ingest retires one)."""
    for stamp in stamps.glob("*.json"):
        try:
            if not Path(json.loads(stamp.read_text(encoding="utf-8"))["generation"]).is_dir():
                stamp.unlink()
        except (OSError, ValueError, KeyError, TypeError):
            stamp.unlink(missing_ok=True)


def _trusted(directory: Path) -> dict:
    """The stamp's entries for files modified well before it was written: a
    file changed in the same clock tick as the stamp would keep its recorded
    time, so such a "racy" entry is hashed again (git's rule too)."""
    path = _stamp_path(directory)
    try:
        stamped_at = path.stat().st_mtime_ns
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {name: key for name, key in files.items()
            if isinstance(key, list) and len(key) == 3 and isinstance(key[1], int) and key[1] < stamped_at - RACY_NS}


def verify_files(manifest: Manifest, directory: Path, index_name: str) -> None:
    """Refuse a generation whose files are not the ones the manifest describes."""
    stamp = _trusted(directory)
    hashed = False
    for name, expected in manifest.checksums.items():
        path = directory / name
        if not path.is_file():
            raise IndexProblem(f"index {index_name}: {name} is missing")
        size = path.stat().st_size
        if manifest.sizes.get(name) not in (None, size):
            raise ManifestMismatch(index_name, f"sizes.{name}", size, manifest.sizes[name])
        if stamp.get(name) == _stat_key(path):
            continue  # unchanged since it was last hashed
        found = sha256_file(path)
        if found != expected:
            raise ManifestMismatch(index_name, f"checksums.{name}", found[:12] + "…", expected[:12] + "…")
        hashed = True
    if hashed:
        stamp_verified(manifest, directory)


def expect(manifest: Manifest, index_name: str, field_name: str, wanted: object) -> None:
    found = getattr(manifest, field_name)
    if wanted is not None and found != wanted:
        raise ManifestMismatch(index_name, field_name, found, wanted)
