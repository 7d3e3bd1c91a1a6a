"""Process settings that keep every library offline and predictable.

Applied before any heavy import: each library reads these once, at import.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def _litellm_tokenizers_dir() -> Path | None:
    # find_spec locates the package without running its slow __init__.
    spec = importlib.util.find_spec("litellm")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "litellm_core_utils" / "tokenizers"
    return path if path.is_dir() else None


def apply_offline_defaults() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Measured here: with 2 BLAS threads the NumPy encoder ran 2-3x slower as
    # soon as another process wanted a core (threads spin-wait on each other);
    # one thread is as fast on an idle machine for these matrix sizes.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Library progress bars would interleave with ours on stderr.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        tokenizers = _litellm_tokenizers_dir()
        if tokenizers is not None:
            os.environ["TIKTOKEN_CACHE_DIR"] = str(tokenizers)


apply_offline_defaults()
