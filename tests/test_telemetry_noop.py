"""OpenTelemetry installed but recording nothing: calls skip spans and measures, the global
propagator still carries the caller's context, and an SDK configured after the client was built
gets every later call. Skipped without opentelemetry-sdk.

Tests that set the global providers run in a fresh interpreter: a global is set once per
process, and no other test may see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk (the test-otel extra)")

from opentelemetry import baggage, trace
from opentelemetry import context as otel_context
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.trace import NonRecordingSpan, NoOpTracerProvider, SpanContext, TraceFlags

from revox_async._telemetry import _otel
from revox_async._telemetry._otel import Telemetry
from revox_async._transport import Transport
from revox_async.testing import FakeRevox

from ._helpers import ASSISTANT_ID, run_python
from ._otel import Recorder, recording

NO_OP: dict[str, Any] = {
    "tracer_provider": NoOpTracerProvider(),
    "meter_provider": NoOpMeterProvider(),
}


@pytest.fixture
def otel() -> Iterator[Recorder]:
    yield from recording()


def test_the_apis_no_op_providers_record_nothing_and_an_sdks_do(otel: Recorder) -> None:
    assert not Telemetry(**NO_OP).recording()
    assert Telemetry(**otel.options()).recording()
    # Either one recording is enough for a call to be traced.
    tracing_only = {**NO_OP, "tracer_provider": otel.tracer_provider}
    assert Telemetry(**tracing_only).recording()
    metrics_only = {**NO_OP, "meter_provider": otel.meter_provider}
    assert Telemetry(**metrics_only).recording()


@pytest.mark.asyncio
async def test_a_call_nothing_records_builds_no_span_and_shares_its_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def untouched(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("tracing work done for a call nothing records")

    monkeypatch.setattr(Telemetry, "call", untouched)
    monkeypatch.setattr(_otel, "urlsplit", untouched)
    monkeypatch.setattr(_otel, "full_url", untouched)
    sent: list[Any] = []
    attempt = Transport.attempt

    async def spy(self: Transport, request: Any) -> Any:
        sent.append(request.headers)
        return await attempt(self, request)

    monkeypatch.setattr(Transport, "attempt", spy)
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(**NO_OP)
        assert (await client.assistants.retrieve(ASSISTANT_ID)).id == ASSISTANT_ID
        [recorded] = fake.requests
    plain = client._headers.get(has_body=False, idempotency_key=None, accept="application/json")
    assert sent == [plain]
    assert sent[0] is plain
    assert "traceparent" not in recorded.headers


@pytest.mark.asyncio
async def test_a_call_nothing_records_still_carries_the_callers_context() -> None:
    remote = SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    context = baggage.set_baggage(
        "tenant", "t1", trace.set_span_in_context(NonRecordingSpan(remote))
    )
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(**NO_OP)
        token = otel_context.attach(context)
        try:
            await client.assistants.retrieve(ASSISTANT_ID)
        finally:
            otel_context.detach(token)
        await client.assistants.retrieve(ASSISTANT_ID)
        inside, outside = fake.requests
    assert inside.headers["traceparent"] == (
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    )
    assert inside.headers["baggage"] == "tenant=t1"
    assert "traceparent" not in outside.headers
    assert "baggage" not in outside.headers


LATE_SDK = f"""
import asyncio

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from revox_async._telemetry._otel import _Global
from revox_async.testing import FakeRevox, FakeRevoxThread

# Read through the public getters, as when the API no longer has its module variables.
public = [
    _Global(trace, "_no_such_variable", trace.get_tracer_provider),
    _Global(metrics, "_no_such_variable", metrics.get_meter_provider),
]

ASSISTANT = "{ASSISTANT_ID}"


def points(reader):
    data = reader.get_metrics_data()
    if data is None:
        return 0
    return sum(
        point.count
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        for point in metric.data.data_points
    )


async def main(sync_client, exporter_box):
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        await client.assistants.retrieve(ASSISTANT)
        print("before", client._telemetry.recording(), "traceparent" in fake.requests[-1].headers)
        print("public getters", [watched.records() for watched in public])

        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        await client.assistants.retrieve(ASSISTANT)
        print("meter only", client._telemetry.recording(), points(reader))

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        await client.with_options(timeout=5).assistants.retrieve(ASSISTANT)
        spans = exporter.get_finished_spans()
        print("tracer", [(span.name, span.kind.name) for span in spans], points(reader))
        print("traceparent", "traceparent" in fake.requests[-1].headers)
        print("public getters", [watched.records() for watched in public])
        exporter_box.append(exporter)


with FakeRevoxThread(seed_demo_data=True) as sync_fake:
    sync_client = sync_fake.client()
    sync_client.assistants.retrieve(ASSISTANT)
    box = []
    asyncio.run(main(sync_client, box))
    box[0].clear()
    sync_client.assistants.retrieve(ASSISTANT)
    print("sync", [span.name for span in box[0].get_finished_spans()])
    sync_client.close()
"""


def test_an_sdk_configured_after_the_client_was_built_gets_its_spans_and_measures() -> None:
    done = run_python(LATE_SDK)
    assert done.stdout.splitlines() == [
        "before False False",
        "public getters [False, False]",
        "meter only True 1",
        "tracer [('GET', 'CLIENT'), ('assistants.retrieve', 'INTERNAL')] 2",
        "traceparent True",
        "public getters [True, True]",
        "sync ['GET', 'assistants.retrieve']",
    ]
