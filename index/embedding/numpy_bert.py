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


def _gelu(h: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, computed in place in `h`'s own dtype.

    Written with out= buffers because the naive expression made a dozen
    temporaries of the (tokens x 1536) activations: it took a third of the
    encoder's time, more than all the matrix products but one.
    """
    a = np.multiply(h, h.dtype.type(1.0 / math.sqrt(2.0)))  # erf's argument ...
    np.abs(a, out=a)  # ... by magnitude; the sign is put back below
    t = np.multiply(a, h.dtype.type(_ERF_P))
    t += 1
    np.reciprocal(t, out=t)
    poly = np.zeros_like(t)
    for coefficient in _ERF_A:
        poly += h.dtype.type(coefficient)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # 1 - |erf(x)|
    np.subtract(1, poly, out=poly)
    np.copysign(poly, h, out=poly)  # erf(x)
    poly += 1
    poly *= h
    poly *= 0.5
    return poly


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
        and _plain_tensors(model_dir / "model.safetensors")
        and (model_dir / "tokenizer.json").is_file()
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


_DTYPES = {"F32": np.float32, "I64": np.int64}  # weights; position ids


def _plain_tensors(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size))
    except (OSError, ValueError):
        return False
    return all(info.get("dtype") in _DTYPES for name, info in header.items() if name != "__metadata__")


def _mapped_tensors(path: Path) -> dict[str, np.ndarray]:
    """The safetensors file's tensors as read-only views of a memory map.

    Reading and copying the 90 MB file cost 0.3 s of every cold start (2 s
    under load); mapped, a page is read only when first used, and the word
    embedding table (half the file) is touched only at the rows a text uses.
    Format: 8-byte little-endian header length, a JSON header, the data.
    """
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    size = int(mapped[:8].view("<u8")[0])
    header = json.loads(bytes(mapped[8 : 8 + size]))
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = (8 + size + offset for offset in info["data_offsets"])
        tensors[name] = mapped[begin:end].view(_DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors


def _fuse_qkv(w: dict[str, np.ndarray], layers: int) -> None:
    """One product for query, key and value instead of three."""
    for layer in range(layers):
        p = f"encoder.layer.{layer}.attention.self."
        for part in ("weight", "bias"):
            w[f"{p}qkv.{part}"] = np.concatenate([w.pop(f"{p}{name}.{part}") for name in ("query", "key", "value")])


class NumpyBertEmbedder:
    def __init__(self, source: ModelSource) -> None:
        from tokenizers import Tokenizer

        model_dir = Path(source.location)
        self.model_id = source.model_id
        self._config = json.loads((model_dir / "config.json").read_text())
        self._w = _mapped_tensors(model_dir / "model.safetensors")
        self._w = {k.removeprefix("bert."): v for k, v in self._w.items()}
        _fuse_qkv(self._w, int(self._config["num_hidden_layers"]))
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
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with blas_threads():
            for start in range(0, len(texts), batch_size):
                out[start : start + batch_size] = self._forward(encodings[start : start + batch_size])
        return normalize_rows(out)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states for token id lists.

        The sequences are packed end to end, never padded: the dense layers
        (nearly all the work) run once over every real token, and attention
        runs per sequence. Padding a batch to its longest member had cost up
        to half the compute on sentences of mixed length.
        """
        lengths = [len(ids) for ids in batch]
        bounds = np.cumsum([0, *lengths])
        spans = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
        w, eps = self._w, float(self._config["layer_norm_eps"])
        x = (
            w["embeddings.word_embeddings.weight"][np.concatenate(batch)]
            + w["embeddings.position_embeddings.weight"][np.concatenate([np.arange(n) for n in lengths])]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for layer in range(int(self._config["num_hidden_layers"])):
            x = self._layer(x, spans, f"encoder.layer.{layer}.", eps)
        return np.stack([x[a:b].mean(0) for a, b in spans])

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self._w[name + ".weight"].T + self._w[name + ".bias"]

    def _attention(self, qkv: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
        d = qkv.shape[1] // 3
        heads = int(self._config["num_attention_heads"])
        size = d // heads
        context = np.empty((qkv.shape[0], d), dtype=qkv.dtype)
        for a, b in spans:
            q, k, v = (qkv[a:b, i * d : (i + 1) * d].reshape(b - a, heads, size).transpose(1, 0, 2) for i in range(3))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context[a:b] = ((scores / scores.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(b - a, d)
        return context

    def _layer(self, x: np.ndarray, spans: list[tuple[int, int]], p: str, eps: float) -> np.ndarray:
        context = self._attention(self._dense(x, p + "attention.self.qkv"), spans)
        attn = self._dense(context, p + "attention.output.dense")
        x = _layer_norm(
            attn + x, self._w[p + "attention.output.LayerNorm.weight"], self._w[p + "attention.output.LayerNorm.bias"], eps
        )
        hidden = self._dense(x, p + "intermediate.dense")
        hidden = _gelu(hidden)
        out = self._dense(hidden, p + "output.dense")
        return _layer_norm(out + x, self._w[p + "output.LayerNorm.weight"], self._w[p + "output.LayerNorm.bias"], eps)
