"""Drift signals: a response holding a field or an enum value this SDK version does not know.

The first sighting of each (model, field) or (model, field, value) in a process is logged once
on the ``revox_async`` logger at WARNING and counted by OpenTelemetry where it is installed.
Observers (the pytest plugin's strict mode) hear of every sighting. Structuring calls in here
only when something is unknown.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

import attrs

from .._logging import logger
from .._telemetry.drift import DriftCounter, drift_counter


@attrs.frozen
class Drift:
    """One thing a response held that the SDK does not know."""

    model: str
    field: str
    """The field's JSON name."""
    value: str | None = None
    """The unknown enum value; None when the field itself is unknown."""

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.model} has a field this SDK version does not know: {self.field!r}"
        return (
            f"{self.model}.{self.field} has a value this SDK version does not know: {self.value!r}"
        )


_lock = threading.Lock()
_seen: set[Drift] = set()
_observers: list[Callable[[Drift], None]] = []
_counter: list[DriftCounter | None] = []
"""The OpenTelemetry counter, looked up at the first drift: empty until then."""


def _report(drift: Drift) -> None:
    for observer in list(_observers):
        observer(drift)
    if drift in _seen:
        return
    with _lock:
        if drift in _seen:
            return
        _seen.add(drift)
        if not _counter:
            _counter.append(drift_counter())
        count = _counter[0]
    logger.warning("API drift: %s", drift)
    if count is not None:
        count("field" if drift.value is None else "value", drift.model, drift.field)


def unknown_fields(model: type, fields: Iterable[str]) -> None:
    """``model`` met these JSON fields it does not declare."""
    for field in fields:
        _report(Drift(model.__name__, field))


def unknown_value(model: type, field: str, value: str) -> None:
    """``model``'s ``field`` held ``value``, which its enum (or tagged union) does not know."""
    _report(Drift(model.__name__, field, value))


def observe(observer: Callable[[Drift], None]) -> Callable[[], None]:
    """Call ``observer`` with every drift from now on; returns the function that stops it."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


def _after_fork_in_child() -> None:
    # The lock may have been held by a thread that did not come along.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
