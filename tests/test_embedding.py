"""The NumPy query encoder must give the sentence-transformers vectors."""
from __future__ import annotations

import numpy as np
import pytest

from index.embedding import get_embedder

TEXTS = [
    "What did Elon say about Dojo in Q1?",
    "I'd look at Dojo as like kind of a long-shot bet, but if it's a long-shot bet that pays off, it will pay off in a very, very big way.",
    "Supercharger",
    "Grüße aus München — 2019.16.2 update bricked my MCU?! " * 20,  # longer than the model's 256-wordpiece window
]


@pytest.mark.model
def test_numpy_backend_matches_sentence_transformers():
    fast = get_embedder(backend="numpy").encode(TEXTS)
    reference = get_embedder(backend="sentence-transformers").encode(TEXTS)
    assert fast.shape == reference.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert (fast * reference).sum(axis=1).min() > 0.99999
    assert np.abs(fast - reference).max() < 1e-4


def test_batching_does_not_change_vectors():
    embedder = get_embedder(backend="numpy")
    one_by_one = np.stack([embedder.encode([t])[0] for t in TEXTS])
    assert np.abs(embedder.encode(TEXTS, batch_size=4) - one_by_one).max() < 1e-5


def test_model_tokens_are_counted_without_truncation():
    embedder = get_embedder(backend="numpy")
    assert embedder.count_tokens(TEXTS[3]) > embedder.max_tokens == 256


def test_gelu_matches_the_exact_erf_definition():
    import math

    from index.embedding.numpy_bert import _gelu

    x = np.linspace(-8, 8, 4001, dtype=np.float32).reshape(1, -1)
    expected = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x[0].tolist()])
    got = _gelu(x.copy())
    assert got.dtype == np.float32
    assert np.abs(got[0] - expected).max() < 2e-6
