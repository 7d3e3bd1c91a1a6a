"""The corpora the bundled question sets are written against, and the
indexes built from them (once, cached under FORUM_RAG_HOME)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.errors import ForumRagError
from index.home import index_dir, sample_corpus
from index.store import generations

REPO = Path(__file__).resolve().parents[1]


def shared_dir(configured: str | os.PathLike | None = None) -> Path:
    """../shared beside the checkout, or FORUM_RAG_SHARED / --shared."""
    return Path(configured or os.environ.get("FORUM_RAG_SHARED") or REPO.parent / "shared").expanduser()


def _tmc_exports(shared: Path) -> list[Path]:
    folder = shared / "corpora" / "tmc_posts_csv"
    found = sorted(folder.glob("postids_*.csv"))
    if not found:
        raise ForumRagError(f"{folder}: the TMC CSV exports are not there; pass --shared DIR (the folder holding corpora/)")
    return found


@dataclass(frozen=True)
class Corpus:
    name: str
    index: str  # index name under FORUM_RAG_HOME/indexes
    sources: Callable[[Path], list[Path]]


CORPORA = {
    "sample": Corpus("sample", "eval-sample", lambda shared: [sample_corpus()]),
    "tmc": Corpus("tmc", "eval-tmc-2019-05", _tmc_exports),
}


def corpus_for(questions: Path) -> Corpus | None:
    """A bundled set names its corpus by file name: sample.jsonl, tmc.jsonl."""
    return CORPORA.get(questions.stem)


def ensure(corpus: Corpus, shared: Path, rebuild: bool = False, progress=None) -> Path:
    """The corpus's index, built on first use (ingesting ~12,000 TMC posts takes
    several minutes on two cores, so it is kept and reused)."""
    from index.pipeline import ingest

    directory = index_dir(corpus.index)
    if rebuild or generations.current(directory) is None:
        ingest(corpus.sources(shared), corpus.index, progress=progress)
    return directory
