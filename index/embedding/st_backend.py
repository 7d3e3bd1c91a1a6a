"""sentence-transformers backend: any model name or local directory."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ForumRagError, MissingDependency
from .base import ModelSource, normalize_rows, read_max_tokens


class SentenceTransformerEmbedder:
    def __init__(self, source: ModelSource, threads: int | None = None) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependency(exc.name or "sentence-transformers") from None
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(source.location, device="cpu")
        except Exception as exc:  # noqa: BLE001 - many causes, one message
            offline = os.environ.get("HF_HUB_OFFLINE") == "1"
            hint = " (offline: give a local model directory)" if offline else ""
            raise ForumRagError(f"embedding model {source.model_id}: cannot load: {exc}{hint}") from None
        self.model_id = source.model_id
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        location = Path(source.location)
        self.max_tokens = int(self._model.max_seq_length or read_max_tokens(location))

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return normalize_rows(vectors)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])
