"""The retry loop over an attempt of any origin: scripted replies and failures, no network."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from revox_async import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from revox_async._config import Timeout
from revox_async._request import AttemptFailed, Failure, Repeat, Reply, Request
from revox_async._response import CaptureSlot, capture
from revox_async._retry import RetryBucket, RetryBudget, RetryPolicy, send_with_retries

QUICK = RetryPolicy(max_retries=2, initial_delay=0.0, budget=None)
URL = "https://api.example/assistants/a"


def _request(total: float | None = 30.0) -> Request:
    return Request(
        name="assistants.retrieve",
        method="GET",
        url=URL,
        headers={},
        timeout=Timeout(total=total),
    )


def _reply(status: int, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status=status, headers=headers or {}, content=b"{}", content_type="application/json"
    )


def _failed(
    failure: Failure, error_cls: type[APIConnectionError] = APIConnectionError
) -> Exception:
    error = error_cls(
        "scripted", method="GET", url=URL, maybe_processed=failure is Failure.MAYBE_PROCESSED
    )
    return AttemptFailed(failure, error)


@attrs.define
class Script:
    """An attempt that answers from a list, and records what each attempt was given."""

    outcomes: list[Reply | Exception]
    seen: list[tuple[int, float | None]] = attrs.Factory(list)

    async def __call__(self, request: Request) -> Reply:
        self.seen.append((request.retries, request.time_left))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@attrs.define
class Line:
    """A transport stand-in: records the waits instead of sleeping."""

    closed: bool = False
    waits: list[tuple[float, str, bool]] = attrs.Factory(list)

    async def wait_to_retry(
        self, request: Request, delay: float, reason: str, *, maybe_processed: bool
    ) -> None:
        self.waits.append((delay, reason, maybe_processed))


async def _send(
    outcomes: Sequence[Reply | Exception],
    *,
    repeat: Repeat = Repeat.SAFE,
    line: Line | None = None,
    policy: RetryPolicy = QUICK,
    budget: RetryBucket | None = None,
    request: Request | None = None,
) -> tuple[Reply, Script, Line]:
    script = Script(list(outcomes))
    line = line or Line()
    reply = await send_with_retries(
        request or _request(), script, line, policy=policy, repeat=repeat, budget=budget
    )
    return reply, script, line


@pytest.mark.asyncio
async def test_a_failed_status_is_retried_and_the_success_returned_with_its_metadata() -> None:
    slot = CaptureSlot()
    token = capture.set(slot)
    try:
        ok = _reply(200, {"x-request-id": "req_2"})
        reply, script, line = await _send([_reply(503), ok])
    finally:
        capture.reset(token)
    assert reply is ok
    assert [retries for retries, _ in script.seen] == [0, 1]
    # The first attempt gets the whole budget; the next one what is left of it.
    first, second = (left for _, left in script.seen)
    assert first == 30.0
    assert second is not None and 0 < second <= 30.0
    assert [(reason, processed) for _, reason, processed in line.waits] == [("status 503", True)]
    assert slot.info is not None
    assert (slot.info.status_code, slot.info.request_id, slot.info.retries_taken) == (
        200,
        "req_2",
        1,
    )
    assert slot.info.maybe_processed_before


@pytest.mark.asyncio
async def test_retries_end_with_the_last_status_error() -> None:
    with pytest.raises(InternalServerError) as caught:
        await _send([_reply(500), _reply(500), _reply(500)])
    assert caught.value.maybe_processed_before
    assert caught.value.__cause__ is None


@pytest.mark.asyncio
async def test_a_side_effect_is_resent_after_a_refusal_only() -> None:
    _, script, line = await _send([_reply(429), _reply(201)], repeat=Repeat.NEVER)
    assert len(script.seen) == 2
    assert [processed for _, _, processed in line.waits] == [False]
    with pytest.raises(InternalServerError):
        await _send([_reply(503), _reply(201)], repeat=Repeat.NEVER)


@pytest.mark.asyncio
async def test_the_server_can_forbid_a_retry() -> None:
    with pytest.raises(RateLimitError):
        await _send([_reply(429, {"x-should-retry": "false"}), _reply(200)])


@pytest.mark.asyncio
async def test_a_failure_raises_its_error_with_the_cause_under_it() -> None:
    cause = OSError("reset")
    failed = _failed(Failure.MAYBE_PROCESSED, APITimeoutError)
    failed.__cause__ = cause
    with pytest.raises(APITimeoutError) as caught:
        await _send([failed], repeat=Repeat.NEVER)
    assert caught.value.__cause__ is cause
    assert caught.value.maybe_processed


@pytest.mark.asyncio
async def test_a_request_never_sent_is_resent_even_for_a_side_effect() -> None:
    ok = _reply(201)
    reply, _, line = await _send([_failed(Failure.NOT_SENT), ok], repeat=Repeat.NEVER)
    assert reply is ok
    assert [(reason, processed) for _, reason, processed in line.waits] == [("not_sent", False)]


@pytest.mark.asyncio
async def test_a_closed_line_gets_no_retry() -> None:
    line = Line(closed=True)
    with pytest.raises(APIConnectionError):
        await _send([_failed(Failure.NOT_SENT), _reply(200)], line=line)
    assert line.waits == []


@pytest.mark.asyncio
async def test_a_spent_budget_raises_at_once_and_marks_the_error() -> None:
    bucket = RetryBucket(RetryBudget(capacity=5, retry_cost=5))
    bucket.tokens = 0
    line = Line()
    with pytest.raises(InternalServerError) as caught:
        await _send([_reply(500), _reply(200)], line=line, budget=bucket)
    assert caught.value.retry_budget_spent
    assert line.waits == []


@pytest.mark.asyncio
async def test_a_call_without_a_total_timeout_gives_attempts_no_limit() -> None:
    _, script, _ = await _send([_reply(502), _reply(200)], request=_request(total=None))
    assert [left for _, left in script.seen] == [None, None]
