"""Measured retrieval constants may be overridden from the environment, so
the eval can sweep them without code changes."""
from __future__ import annotations

import os

from index.errors import ForumRagError


def unit_setting(name: str, default: float) -> float:
    """A number in [0, 1] from environment variable `name`, else `default`."""
    configured = os.environ.get(name)
    if not configured:
        return default
    try:
        value = float(configured)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ForumRagError(f"{name}={configured!r}: expected a number from 0 to 1")
    return value
