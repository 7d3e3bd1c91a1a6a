"""A BERT encoder forward pass in NumPy, for query-time embedding.

Why it exists: importing torch + transformers + sentence-transformers costs
~10 s on this class of machine, while a question is ~15 wordpieces that NumPy
encodes in milliseconds. It serves sentence-transformers models of the plain
BERT family with mean pooling (all-MiniLM-L6-v2 and its kin) and must give the
same vectors as the sentence-transformers backend (tests/test_embedding.py
checks parity). Anything else goes to that backend.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

import numpy as np

from .base import ModelSource, normalize_rows, read_max_tokens
from .threads import blas_threads

# Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32 resolution of the
# activations. Importing scipy.special for its erf cost 0.4 s (3 s under load)
# of every cold start.
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _erf(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * a)
    poly = np.zeros_like(t)
    for coefficient in _ERF_A:
        poly = (poly + coefficient) * t
    return np.copysign(1.0 - poly * np.exp(-a * a), x)


def supports(model_dir: Path) -> bool:
    try:
        config = json.loads((model_dir / "config.json").read_text())
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        modules = json.loads((model_dir / "modules.json").read_text())
    except (OSError, ValueError):
        return False
    module_types = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens"))
        and module_types[:2] == ["Transformer", "Pooling"]
        and set(module_types[2:]) <= {"Normalize"}
        and (model_dir / "model.safetensors").is_file()
        and (model_dir / "tokenizer.json").is_file()
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class NumpyBertEmbedder:
    def __init__(self, source: ModelSource) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(source.location)
        self.model_id = source.model_id
        self._config = json.loads((model_dir / "config.json").read_text())
        self._w = load_file(str(model_dir / "model.safetensors"))
        self._w = {k.removeprefix("bert."): v for k, v in self._w.items()}
        self.dimension = int(self._config["hidden_size"])
        self.max_tokens = read_max_tokens(model_dir, fallback=int(self._config["max_position_embeddings"]))
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)

    def count_tokens(self, text: str) -> int:
        self._tokenizer.no_truncation()
        try:
            return len(self._tokenizer.encode(text).ids)
        finally:
            self._tokenizer.enable_truncation(self.max_tokens)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = [self._tokenizer.encode(text).ids for text in texts]
        # Similar lengths share a batch, so little compute goes to padding.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with blas_threads():
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                out[batch] = self._forward([encodings[i] for i in batch])
        return normalize_rows(out)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states for token id lists (padded here)."""
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        w, eps = self._w, float(self._config["layer_norm_eps"])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        # Padding must receive no attention: a large negative before softmax.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(int(self._config["num_hidden_layers"])):
            x = self._layer(x, bias, f"encoder.layer.{layer}.", eps)
        return (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        # 2-D so that NumPy hands the product to BLAS in one call.
        weight = self._w[name + ".weight"]
        flat = x.reshape(-1, x.shape[-1]) @ weight.T + self._w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[0])

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str, eps: float) -> np.ndarray:
        heads = int(self._config["num_attention_heads"])
        b, n, d = x.shape
        size = d // heads

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(b, n, heads, size).transpose(0, 2, 1, 3)

        q = split(self._dense(x, p + "attention.self.query"))
        k = split(self._dense(x, p + "attention.self.key"))
        v = split(self._dense(x, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(b, n, d)
        attn = self._dense(context, p + "attention.output.dense")
        x = _layer_norm(
            attn + x, self._w[p + "attention.output.LayerNorm.weight"], self._w[p + "attention.output.LayerNorm.bias"], eps
        )
        hidden = self._dense(x, p + "intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + _erf(hidden / math.sqrt(2.0)))
        out = self._dense(hidden, p + "output.dense")
        return _layer_norm(out + x, self._w[p + "output.LayerNorm.weight"], self._w[p + "output.LayerNorm.bias"], eps)
