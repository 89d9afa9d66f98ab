"""OpenTelemetry instrumentation, used when ``opentelemetry-api`` is installed.

Importing this package imports nothing of OpenTelemetry: :func:`telemetry_for` does, when a
client is created. Without it a client's telemetry is None, and the hot path checks for None
and does nothing more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from ._otel import Telemetry

T = TypeVar("T")


class _Carry(Protocol):
    def __call__(self, call: Callable[[], Awaitable[T]], /) -> Callable[[], Awaitable[T]]: ...


_carry: _Carry | None = None
"""How to carry the caller's context to the sync client's loop thread, once OpenTelemetry
is loaded."""


def telemetry_for(
    tracer_provider: TracerProvider | None, meter_provider: MeterProvider | None
) -> Telemetry | None:
    """A client's spans and metrics (the global providers by default), or None when
    OpenTelemetry is not installed."""
    global _carry
    try:
        from ._otel import Telemetry, in_caller_context
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "opentelemetry":
            raise
        return None
    _carry = in_caller_context
    return Telemetry(tracer_provider=tracer_provider, meter_provider=meter_provider)


def in_caller_context(call: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
    """``call``, made to run in the caller's OpenTelemetry context wherever it is awaited.

    The sync client awaits its calls on its own thread, whose context is not the caller's;
    without this, a call's span would not belong to the span the caller is in.
    """
    return call if _carry is None else _carry(call)
