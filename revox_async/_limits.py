"""Checks of the time and count settings, run when a setting is given rather than when used.

A time limit of ``inf`` means no limit and becomes None. A pacing value (a delay, a poll
interval, a cap on server hints) must be finite: waiting forever is never what it means.
"""

from __future__ import annotations

import math
from typing import Any


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number of seconds, got nan")
    return float(value)


def time_limit(value: Any, name: str) -> float | None:
    """A limit in seconds greater than zero; None or ``inf`` for no limit."""
    if value is None:
        return None
    seconds = _number(value, name)
    if seconds <= 0:
        raise ValueError(f"{name} must be greater than zero (None for no limit), got {value!r}")
    return None if math.isinf(seconds) else seconds


def delay(value: Any, name: str, *, allow_zero: bool = True) -> float:
    """A finite wait in seconds, at least zero (greater than zero unless ``allow_zero``)."""
    seconds = _number(value, name)
    if math.isinf(seconds) or seconds < 0 or (seconds == 0 and not allow_zero):
        least = "at least zero" if allow_zero else "greater than zero"
        raise ValueError(f"{name} must be a finite number of seconds {least}, got {value!r}")
    return seconds


def count(value: Any, name: str, *, least: int) -> int:
    """A whole number, at least ``least``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < least:
        raise ValueError(f"{name} must be at least {least}, got {value!r}")
    return value
