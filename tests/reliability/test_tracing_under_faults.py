"""Tracing under faults, on both clients: a retried call is one call span over one CLIENT
span per attempt, each telling what happened to it, and the duration histogram counts every
attempt."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk (the test-otel extra)")

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

from revox_async import (
    APIConnectionError,
    AsyncRevox,
    InternalServerError,
    RetryBudget,
    RetryPolicy,
    Revox,
)
from revox_async.testing import FakeRevox, FakeRevoxThread

from .._helpers import ASSISTANT_ID, NO_WAIT
from .._otel import Recorder, recording

ASSISTANT = ASSISTANT_ID
PHONE = "+33612345678"


@pytest.fixture
def otel() -> Iterator[Recorder]:
    yield from recording()


Invoke = Callable[[Any], Any]


def run(side: str, otel: Recorder, invoke: Invoke, **fault: Any) -> Exception | None:
    """Call ``invoke(client)`` once on the given side, with ``fault`` striking first (a
    ``base_url`` in ``fault`` points the client elsewhere instead); the error, if any."""
    base_url = fault.pop("base_url", None)
    options: dict[str, Any] = {"retry_policy": NO_WAIT}
    if base_url is not None:
        options["base_url"] = base_url
    if side == "async":

        async def main() -> Exception | None:
            async with FakeRevox(seed_demo_data=True) as fake:
                if fault:
                    fake.faults.fail_next(**fault)
                client: AsyncRevox = fake.client(**otel.options()).with_options(**options)
                try:
                    await invoke(client)
                except Exception as exc:
                    return exc
                return None

        return asyncio.run(main())
    with FakeRevoxThread(seed_demo_data=True) as fake:
        if fault:
            fake.call(lambda f: f.faults.fail_next(**fault))
        client: Revox = fake.client(**otel.options()).with_options(**options)
        try:
            invoke(client)
        except Exception as exc:
            return exc
        return None


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def _one_call(otel: Recorder) -> tuple[ReadableSpan, list[ReadableSpan]]:
    spans = otel.spans()
    [call] = [span for span in spans if span.kind is SpanKind.INTERNAL]
    attempts = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert call.context is not None
    assert all(
        attempt.parent is not None and attempt.parent.span_id == call.context.span_id
        for attempt in attempts
    )
    return call, attempts


SIDES = pytest.mark.parametrize("side", ["async", "sync"])


@SIDES
def test_a_retried_call_is_one_span_over_an_attempt_span_per_try(side: str, otel: Recorder) -> None:
    error = run(side, otel, lambda c: c.assistants.retrieve(ASSISTANT), n=2, status=503)
    assert error is None
    call, attempts = _one_call(otel)
    assert call.status.status_code is StatusCode.UNSET
    seen = [
        (
            _attributes(attempt).get("http.request.resend_count"),
            _attributes(attempt)["http.response.status_code"],
            _attributes(attempt).get("error.type"),
            attempt.status.status_code,
        )
        for attempt in attempts
    ]
    assert seen == [
        (None, 503, "503", StatusCode.ERROR),
        (1, 503, "503", StatusCode.ERROR),
        (2, 200, None, StatusCode.UNSET),
    ]
    assert sorted(point.count for point in otel.durations()) == [1, 2]


@SIDES
def test_attempts_that_cannot_connect_name_the_error(
    side: str, otel: Recorder, refused_url: str
) -> None:
    error = run(side, otel, lambda c: c.assistants.retrieve(ASSISTANT), base_url=refused_url)
    assert isinstance(error, APIConnectionError)
    call, attempts = _one_call(otel)
    assert _attributes(call)["error.type"] == "APIConnectionError"
    assert call.status.status_code is StatusCode.ERROR
    assert [_attributes(attempt).get("http.request.resend_count") for attempt in attempts] == [
        None,
        1,
        2,
    ]
    for attempt in attempts:
        assert _attributes(attempt)["error.type"] == "ClientConnectorError"
        assert "http.response.status_code" not in _attributes(attempt)
        assert attempt.status.status_code is StatusCode.ERROR
    [point] = otel.durations()
    assert dict(point.attributes or {})["error.type"] == "ClientConnectorError"
    assert point.count == 3


@SIDES
def test_a_side_effect_lost_after_processing_is_one_failed_attempt(
    side: str, otel: Recorder
) -> None:
    error = run(
        side,
        otel,
        lambda c: c.calls.create(phone_number=PHONE, assistant_id=ASSISTANT, exactly_once=False),
        drop="after",
    )
    assert isinstance(error, APIConnectionError)
    assert error.maybe_processed
    call, [attempt] = _one_call(otel)
    assert call.name == "calls.create"
    assert attempt.name == "POST"
    assert _attributes(attempt)["error.type"] not in ("", "APIConnectionError")
    assert attempt.status.status_code is StatusCode.ERROR


@SIDES
def test_a_retry_refused_by_the_budget_shows_in_the_call_span(side: str, otel: Recorder) -> None:
    tight = RetryPolicy(initial_delay=0.0, budget=RetryBudget(capacity=4))

    def invoke(client: Any) -> Any:
        return client.with_options(retry_policy=tight).assistants.retrieve(ASSISTANT)

    error = run(side, otel, invoke, n=1, status=503)
    assert isinstance(error, InternalServerError)
    call, [attempt] = _one_call(otel)
    [event] = call.events
    assert "retry budget is spent" in str((event.attributes or {})["exception.message"])
    assert _attributes(attempt)["error.type"] == "503"
