"""Spans and metrics of the SDK's calls and HTTP attempts, through the OpenTelemetry API.

They follow the semantic conventions of HTTP clients: one CLIENT span per attempt, named after
the method, and the ``http.client.request.duration`` histogram. Above the attempts, one
INTERNAL span per SDK call, named after the operation (``assistants.retrieve``). Each attempt
carries the trace context to the server in its headers, through the global propagator.

Nothing recorded here comes from the request's headers, so the API key cannot reach a span.

While neither provider can record (the API's no-op ones, or its proxies before an SDK is set
behind them), a call skips spans, attributes and measures, and an attempt only lets the global
propagator add what it has to the headers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from urllib.parse import unquote, urlsplit, urlunsplit

import attrs
from multidict import CIMultiDict
from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.metrics import Histogram, Meter, MeterProvider, NoOpMeterProvider
from opentelemetry.metrics import _internal as metrics_internal
from opentelemetry.trace import (
    NoOpTracerProvider,
    Span,
    SpanKind,
    Status,
    StatusCode,
    TracerProvider,
)
from opentelemetry.util.types import AttributeValue

from .._request import Attempt, AttemptFailed, Reply, Request
from .._response import request_id
from .._version import __version__

OPERATION = "revox.operation"
REQUEST_ID = "revox.request_id"

DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
"""The bucket boundaries the semantic conventions advise for HTTP durations, in seconds."""

SECRET_QUERY_NAMES = frozenset({"awsaccesskeyid", "signature", "sig", "x-goog-signature"})
"""Query parameters whose values the semantic conventions say to hide in ``url.full``."""


class Telemetry:
    """The tracer and the duration histogram of one client (and those derived from it)."""

    def __init__(
        self, *, tracer_provider: TracerProvider | None, meter_provider: MeterProvider | None
    ) -> None:
        self._tracer = trace.get_tracer("revox_async", __version__, tracer_provider)
        meter = metrics.get_meter("revox_async", __version__, meter_provider)
        self._duration = _duration_histogram(meter)
        # A provider of the API's own records nothing; unless it is a no-op one, it starts
        # recording once the application sets a global provider, so the global is watched.
        self._watch_tracer = tracer_provider is None or (
            _from_api(tracer_provider) and not isinstance(tracer_provider, NoOpTracerProvider)
        )
        self._watch_meter = meter_provider is None or (
            _from_api(meter_provider) and not isinstance(meter_provider, NoOpMeterProvider)
        )
        self._recording = not (
            (tracer_provider is None or _from_api(tracer_provider))
            and (meter_provider is None or _from_api(meter_provider))
        )

    def recording(self) -> bool:
        """Whether a span or a measure of this client can be recorded now. Once True, stays
        True: a global provider is set once."""
        if not self._recording:
            self._recording = (self._watch_tracer and _GLOBAL_TRACER.records()) or (
                self._watch_meter and _GLOBAL_METER.records()
            )
        return self._recording

    def propagated(self, send: Attempt) -> Attempt:
        """``send`` with the current trace context in its headers, for calls not traced here:
        the global propagator still carries a caller's context or baggage to the server."""

        async def propagated(request: Request) -> Reply:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            if carrier:
                request = attrs.evolve(request, headers=_with_headers(request.headers, carrier))
            return await send(request)

        return propagated

    @contextmanager
    def call(self, operation: str) -> Iterator[None]:
        """The span of one SDK call, current while the call runs so attempts belong to it."""
        span = self._tracer.start_span(
            operation, kind=SpanKind.INTERNAL, attributes={OPERATION: operation}
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            yield
        except BaseException as exc:
            if span.is_recording():
                span.record_exception(exc)
                _fail(span, error_type(exc))
            raise
        finally:
            otel_context.detach(token)
            span.end()

    def traced(self, send: Attempt) -> Attempt:
        """``send`` traced: a CLIENT span and a duration measure around each HTTP attempt."""

        async def traced(request: Request) -> Reply:
            parts = urlsplit(request.url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            measure: dict[str, AttributeValue] = {
                "http.request.method": request.method,
                "server.address": parts.hostname or "",
                "server.port": port,
            }
            attributes = {**measure, "url.full": full_url(request.url), OPERATION: request.name}
            if request.retries:
                attributes["http.request.resend_count"] = request.retries
            span = self._tracer.start_span(
                request.method, kind=SpanKind.CLIENT, attributes=attributes
            )
            carrier: dict[str, str] = {}
            propagate.inject(carrier, context=trace.set_span_in_context(span))
            if carrier:
                request = attrs.evolve(request, headers=_with_headers(request.headers, carrier))
            started = time.perf_counter()
            try:
                reply = await send(request)
            except BaseException as exc:
                kind = measure["error.type"] = error_type(exc)
                _fail(span, kind)
                raise
            else:
                status = measure["http.response.status_code"] = reply.status
                span.set_attribute("http.response.status_code", status)
                rid = request_id(reply.headers)
                if rid is not None:
                    span.set_attribute(REQUEST_ID, rid)
                if status >= 400:
                    measure["error.type"] = str(status)
                    _fail(span, str(status))
                return reply
            finally:
                self._duration.record(time.perf_counter() - started, measure)
                span.end()

        return traced


def error_type(error: BaseException) -> str:
    """The ``error.type`` of a failure: the class of the exception, or of what caused it."""
    if isinstance(error, AttemptFailed):
        # The transport's wrapper: the network error under it says more, when there is one.
        return type(error.__cause__ or error.error).__qualname__
    return type(error).__qualname__


def full_url(url: str) -> str:
    """``url`` for ``url.full``: no user info, and no value of a query parameter that may be a
    signature or key."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    pairs = parts.query.split("&") if parts.query else []
    query = "&".join(
        f"{name}=REDACTED" if unquote(name).lower() in SECRET_QUERY_NAMES else f"{name}{sep}{value}"
        for name, sep, value in (pair.partition("=") for pair in pairs)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class _Global:
    """One of the API's global providers, read on every call while nothing records.

    The API's public getter looks the provider up in the environment each time it is unset;
    its module variable costs a fraction of that, and is private, hence the check that it
    still exists. A provider named in the environment is loaded by the getter when a client
    first asks for its tracer or meter, and then is the variable's value too.
    """

    def __init__(self, module: ModuleType, name: str, getter: Callable[[], object]) -> None:
        self._module = module if hasattr(module, name) else None
        self._name = name
        self._getter = getter

    def records(self) -> bool:
        """Whether a provider that records has been set globally."""
        module = self._module
        provider = self._getter() if module is None else getattr(module, self._name)
        return provider is not None and not _from_api(provider)


_GLOBAL_TRACER = _Global(trace, "_TRACER_PROVIDER", trace.get_tracer_provider)
_GLOBAL_METER = _Global(metrics_internal, "_METER_PROVIDER", metrics.get_meter_provider)


def _from_api(provider: object) -> bool:
    # The API's own providers (no-op ones, and the proxies handed out before a global provider
    # is set) come from its modules; an SDK's, or any other, from elsewhere.
    return type(provider).__module__.startswith(("opentelemetry.trace", "opentelemetry.metrics"))


def _with_headers(headers: Mapping[str, str], added: Mapping[str, str]) -> CIMultiDict[str]:
    # A case-insensitive copy: a default ``Traceparent`` is replaced, not sent twice.
    merged: CIMultiDict[str] = CIMultiDict(headers)
    for name, value in added.items():
        merged[name] = value
    return merged


def _duration_histogram(meter: Meter) -> Histogram:
    name, unit, description = "http.client.request.duration", "s", "Duration of HTTP requests."
    try:
        return meter.create_histogram(
            name, unit, description, explicit_bucket_boundaries_advisory=DURATION_BUCKETS
        )
    except TypeError:
        # The advisory came with opentelemetry-api 1.30; before it, the SDK's buckets apply.
        return meter.create_histogram(name, unit, description)


def _fail(span: Span, kind: str) -> None:
    span.set_attribute("error.type", kind)
    span.set_status(Status(StatusCode.ERROR))
