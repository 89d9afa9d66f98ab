"""The OpenTelemetry counter of API changes met in responses: unknown fields and enum values."""

from __future__ import annotations

from collections.abc import Callable

from .._version import __version__

DriftCounter = Callable[[str, str, str], None]
"""Counts one change: its kind (``field`` or ``value``), the model, the field."""


def drift_counter() -> DriftCounter | None:
    """A counter on the global meter provider, or None when OpenTelemetry is not installed."""
    try:
        from opentelemetry import metrics
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "opentelemetry":
            raise
        return None
    counter = metrics.get_meter("revox_async", __version__).create_counter(
        "revox.api.drift",
        unit="{change}",
        description="Fields and enum values of API responses this SDK version does not know.",
    )

    def count(kind: str, model: str, field: str) -> None:
        counter.add(1, {"revox.drift.kind": kind, "revox.model": model, "revox.field": field})

    return count
