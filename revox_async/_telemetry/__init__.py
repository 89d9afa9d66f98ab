"""OpenTelemetry instrumentation, used when ``opentelemetry-api`` is installed.

Importing this package imports nothing of OpenTelemetry: :func:`telemetry_for` does, when a
client is created. Without it a client's telemetry is None and its attempts are sent untraced.

The sync client needs nothing more to put its calls under the caller's span: it hands each
call to its loop thread through ``anyio.from_thread.run``, which runs it in a copy of the
calling thread's context, OpenTelemetry's current span included.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from ._otel import Telemetry


def telemetry_for(
    tracer_provider: TracerProvider | None, meter_provider: MeterProvider | None
) -> Telemetry | None:
    """A client's spans and metrics (the global providers by default), or None when
    OpenTelemetry is not installed."""
    if not _installed():
        # Looked up before importing: a failed import seen by two threads creating clients at
        # once can hand one of them the other's half-imported module.
        return None
    try:
        from ._otel import Telemetry
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "opentelemetry":
            raise
        return None
    return Telemetry(tracer_provider=tracer_provider, meter_provider=meter_provider)


def _installed() -> bool:
    try:
        return importlib.util.find_spec("opentelemetry") is not None
    except (ImportError, ValueError):  # hidden, or left half-imported
        return False
