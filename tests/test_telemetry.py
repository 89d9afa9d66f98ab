"""OpenTelemetry: a span per call, a CLIENT span and a duration per HTTP attempt, on both
clients, read back from the SDK's in-memory exporter and metric reader. Skipped without
opentelemetry-sdk; ``test_telemetry_absent.py`` covers the SDK without it."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest

pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk (the test-otel extra)")

from opentelemetry.metrics import Meter
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

from revox_async import NotFoundError
from revox_async._telemetry._otel import full_url
from revox_async.testing import FakeRevox, FakeRevoxThread

from ._helpers import ASSISTANT_ID
from ._otel import Recorder, recording

ADVISED_BUCKETS = (
    "explicit_bucket_boundaries_advisory" in inspect.signature(Meter.create_histogram).parameters
)


ASSISTANT = ASSISTANT_ID
"""An assistant of the fake's demo data."""


@pytest.fixture
def otel() -> Iterator[Recorder]:
    yield from recording()


def _split(spans: list[ReadableSpan]) -> tuple[list[ReadableSpan], list[ReadableSpan]]:
    calls = [span for span in spans if span.kind is SpanKind.INTERNAL]
    attempts = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert len(calls) + len(attempts) == len(spans)
    return calls, attempts


def _parent_id(span: ReadableSpan) -> int | None:
    return None if span.parent is None else span.parent.span_id


def _span_id(span: ReadableSpan) -> int:
    assert span.context is not None
    span_id: int = span.context.span_id
    return span_id


@pytest.mark.asyncio
async def test_a_call_is_one_span_over_one_client_span_per_attempt(otel: Recorder) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(**otel.options())
        await client.assistants.retrieve(ASSISTANT)
        [recorded] = fake.requests
        url = fake.url
    [call], [attempt] = _split(otel.spans())

    assert call.name == "assistants.retrieve"
    assert dict(call.attributes or {}) == {"revox.operation": "assistants.retrieve"}
    assert call.status.status_code is StatusCode.UNSET
    assert call.parent is None

    assert attempt.name == "GET"
    assert _parent_id(attempt) == _span_id(call)
    host, port = url.removeprefix("http://").split(":")
    assert dict(attempt.attributes or {}) == {
        "http.request.method": "GET",
        "url.full": f"{url}/assistants/{ASSISTANT}",
        "server.address": host,
        "server.port": int(port),
        "http.response.status_code": 200,
        "revox.operation": "assistants.retrieve",
        "revox.request_id": recorded.request_id,
    }
    assert attempt.status.status_code is StatusCode.UNSET


@pytest.mark.asyncio
async def test_each_attempt_carries_its_trace_context_to_the_server(otel: Recorder) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        await fake.client(**otel.options()).assistants.retrieve(ASSISTANT)
        [recorded] = fake.requests
    [_], [attempt] = _split(otel.spans())
    assert attempt.context is not None
    trace_id, span_id = attempt.context.trace_id, attempt.context.span_id
    flags = attempt.context.trace_flags
    assert recorded.headers["traceparent"] == f"00-{trace_id:032x}-{span_id:016x}-{flags:02x}"


@pytest.mark.asyncio
async def test_a_failed_call_and_its_attempt_are_errors(otel: Recorder) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        with pytest.raises(NotFoundError):
            await fake.client(**otel.options()).assistants.retrieve("no-such-assistant")
    [call], [attempt] = _split(otel.spans())

    assert call.status.status_code is StatusCode.ERROR
    assert (call.attributes or {})["error.type"] == "NotFoundError"
    [event] = call.events
    assert event.name == "exception"
    assert str((event.attributes or {})["exception.type"]).endswith("NotFoundError")

    assert attempt.status.status_code is StatusCode.ERROR
    assert (attempt.attributes or {})["error.type"] == "404"
    assert (attempt.attributes or {})["http.response.status_code"] == 404


@pytest.mark.asyncio
async def test_each_attempt_is_measured_in_the_duration_histogram(otel: Recorder) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(**otel.options())
        await client.assistants.retrieve(ASSISTANT)
        await client.assistants.retrieve(ASSISTANT)
        with pytest.raises(NotFoundError):
            await client.assistants.retrieve("no-such-assistant")
        host, port = fake.url.removeprefix("http://").split(":")
    common = {"http.request.method": "GET", "server.address": host, "server.port": int(port)}
    points = sorted(otel.durations(), key=lambda point: point.count)
    assert [(dict(point.attributes or {}), point.count) for point in points] == [
        ({**common, "http.response.status_code": 404, "error.type": "404"}, 1),
        ({**common, "http.response.status_code": 200}, 2),
    ]
    assert 0 < points[1].sum < 10
    if ADVISED_BUCKETS:
        # The bucket boundaries the semantic conventions advise for HTTP durations, in seconds.
        assert list(points[1].explicit_bounds) == [
            0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
        ]  # fmt: skip
    else:
        # opentelemetry-api before 1.30 takes no advice: the histogram is still created and
        # recorded, with the SDK's default boundaries.
        assert list(points[1].explicit_bounds)[:3] == [0.0, 5.0, 10.0]

    data = otel.reader.get_metrics_data()
    assert data is not None
    [metric] = [
        metric
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    ]
    assert (metric.name, metric.unit) == ("http.client.request.duration", "s")


@pytest.mark.asyncio
async def test_the_callers_span_is_the_parent_of_the_call(otel: Recorder) -> None:
    tracer = otel.tracer_provider.get_tracer("test")
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(**otel.options())
        with tracer.start_as_current_span("handle request") as caller:
            await client.with_options(timeout=5).assistants.retrieve(ASSISTANT)
    [call], [attempt] = _split([s for s in otel.spans() if s.name != "handle request"])
    assert _parent_id(call) == caller.get_span_context().span_id
    assert _parent_id(attempt) == _span_id(call)


def test_the_sync_client_traces_its_calls_under_the_callers_span(otel: Recorder) -> None:
    tracer = otel.tracer_provider.get_tracer("test")
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(**otel.options())
        with tracer.start_as_current_span("job") as caller:
            client.assistants.retrieve(ASSISTANT)
            # A page of an iterator is fetched on the loop thread too.
            next(iter(client.calls.search()), None)
        # Outside the caller's span, a call starts a trace of its own.
        client.with_options(timeout=5).assistants.retrieve(ASSISTANT)
        recorded = fake.call(lambda f: list(f.requests))
    spans = [span for span in otel.spans() if span.name != "job"]
    calls, attempts = _split(spans)
    assert [call.name for call in calls] == [
        "assistants.retrieve",
        "calls.search",
        "assistants.retrieve",
    ]
    assert [_parent_id(call) for call in calls[:2]] == [caller.get_span_context().span_id] * 2
    assert calls[2].parent is None
    assert [_parent_id(attempt) for attempt in attempts] == [_span_id(call) for call in calls]
    assert all("traceparent" in request.headers for request in recorded)


@pytest.mark.asyncio
async def test_the_key_is_in_no_span_metric_or_header_that_tracing_adds(otel: Recorder) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        untraced = fake.client()
        await untraced.assistants.retrieve(ASSISTANT)
        traced = fake.client(**otel.options())
        fake.faults.fail_next(1, status=503)
        await traced.assistants.retrieve(ASSISTANT)
        with pytest.raises(NotFoundError):
            await traced.assistants.retrieve("no-such-assistant")
        plain, *with_tracing = fake.requests
    assert len(otel.spans()) == 5
    assert fake.api_key not in otel.exported_text()
    for request in with_tracing:
        added = {
            name: value for name, value in request.headers.items() if name not in plain.headers
        }
        assert set(added) == {"traceparent"}
        assert fake.api_key not in str(added)


def test_url_full_hides_user_info_and_signatures() -> None:
    assert full_url("https://api.test/x?id=1") == "https://api.test/x?id=1"
    assert (
        full_url("https://user:secret@api.test:8443/x?sig=abc&provider=y&Signature=z")
        == "https://api.test:8443/x?sig=REDACTED&provider=y&Signature=REDACTED"
    )
