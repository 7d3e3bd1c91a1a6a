from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from index import env  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "index" / "data" / "project-dojo-thread.txt"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own FORUM_RAG_HOME, so no test sees another's indexes."""
    path = tmp_path / "home"
    monkeypatch.setenv("FORUM_RAG_HOME", str(path))
    for name in ("FORUM_RAG_INDEX", "FORUM_RAG_MODEL", "FORUM_RAG_K", "FORUM_RAG_EMBED_BACKEND", "FORUM_RAG_API_BASE", "FORUM_RAG_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample thread indexed once per session (copied for each user)."""
    from index.pipeline import ingest

    directory = tmp_path_factory.mktemp("sample-index") / "sample"
    ingest([SAMPLE], directory)
    return directory


@pytest.fixture
def sample_index(built_sample, home) -> Path:
    """A private copy of the sample index at FORUM_RAG_HOME/indexes/default."""
    target = home / "indexes" / "default"
    shutil.copytree(built_sample, target)
    return target


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the checkout")
    return SHARED


def tree_bytes(directory: Path) -> dict[str, bytes]:
    """Every file under a directory with its bytes (to prove nothing changed)."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }
