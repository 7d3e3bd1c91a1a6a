"""manifest.json: what an index generation holds and how it was built."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import IndexProblem, ManifestMismatch

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
META = "meta.sqlite"


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


def verify_files(manifest: Manifest, directory: Path, index_name: str) -> None:
    """Refuse a generation whose files are not the ones the manifest describes."""
    for name, expected in manifest.checksums.items():
        path = directory / name
        if not path.is_file():
            raise IndexProblem(f"index {index_name}: {name} is missing")
        size = path.stat().st_size
        if manifest.sizes.get(name) not in (None, size):
            raise ManifestMismatch(index_name, f"sizes.{name}", size, manifest.sizes[name])
        found = sha256_file(path)
        if found != expected:
            raise ManifestMismatch(index_name, f"checksums.{name}", found[:12] + "…", expected[:12] + "…")


def expect(manifest: Manifest, index_name: str, field_name: str, wanted: object) -> None:
    found = getattr(manifest, field_name)
    if wanted is not None and found != wanted:
        raise ManifestMismatch(index_name, field_name, found, wanted)
