"""OpenTelemetry SDK providers that keep what they record in memory, for tests to read.

Each test gets its own providers, passed to the client: the global ones are never set, so no
test changes what another sees. A test module makes :func:`recording` a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

DURATION = "http.client.request.duration"


@attrs.frozen
class Recorder:
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader
    tracer_provider: TracerProvider
    meter_provider: MeterProvider

    def options(self) -> dict[str, Any]:
        """The client options that send spans and metrics here."""
        return {"tracer_provider": self.tracer_provider, "meter_provider": self.meter_provider}

    def spans(self) -> list[ReadableSpan]:
        """The spans ended so far, in the order they ended."""
        return list(self.exporter.get_finished_spans())

    def durations(self) -> list[HistogramDataPoint]:
        """The data points of the request duration histogram."""
        data = self.reader.get_metrics_data()
        if data is None:
            return []
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == DURATION
            for point in metric.data.data_points
            if isinstance(point, HistogramDataPoint)
        ]

    def exported_text(self) -> str:
        """Everything recorded, as the JSON an exporter would send."""
        data = self.reader.get_metrics_data()
        metrics = "" if data is None else data.to_json()
        return "\n".join([*(span.to_json() for span in self.spans()), metrics])


def recording() -> Iterator[Recorder]:
    """Fresh providers recording in memory, shut down afterwards."""
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider(shutdown_on_exit=False)
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    yield Recorder(exporter, reader, tracer_provider, meter_provider)
    tracer_provider.shutdown()
    meter_provider.shutdown()
