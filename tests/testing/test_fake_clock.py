"""The fake's clock: where it starts, and who moves it in a test and in a plain script."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest

from revox_async.models import CallStatus
from revox_async.testing import FakeClock, FakeRevox, FakeRevoxThread

from ._support import EMMA, JORDAN_CALL, PRIYA_CALL

LEAD = "+33612345678"


def run_as_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """Go on as a plain script would: pytest names the running test in this variable.

    pytest sets it again at each phase of a test, so this is called from the test's body.
    """
    monkeypatch.delenv("PYTEST_CURRENT_TEST")


def test_a_clock_starts_at_the_current_wall_time() -> None:
    before = datetime.now(timezone.utc)
    clock = FakeClock()
    after = datetime.now(timezone.utc)
    assert before - timedelta(milliseconds=1) <= clock.now() <= after
    # Whole milliseconds, like the API's timestamps.
    assert clock.now().microsecond % 1000 == 0


@pytest.mark.asyncio
async def test_timestamps_of_new_and_seeded_objects_follow_the_wall_clock() -> None:
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        assistant = await client.assistants.create(name="Clock", prompt="Tell the time.")
        completed = await client.calls.retrieve(JORDAN_CALL)
        retry = await client.calls.retrieve(PRIYA_CALL)
    after = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert isinstance(assistant.created_at, datetime)
    assert before <= assistant.created_at <= after
    # The demo data keeps its story: a call made in the past, a retry due later today.
    assert isinstance(completed.created_at, datetime)
    assert completed.created_at < before
    assert isinstance(retry.scheduled_at, datetime)
    assert after < retry.scheduled_at < after + timedelta(hours=2)


@pytest.mark.asyncio
async def test_inside_a_test_the_default_clock_stands_still() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        call = await client.calls.create(phone_number=LEAD, assistant_id=EMMA)
        start = fake.clock.now()
        await asyncio.sleep(0.1)
        assert fake.clock.now() == start
        assert (await client.calls.retrieve(call.id)).status == CallStatus.QUEUED_FOR_CALLING
        fake.advance(60)
        assert (await client.calls.retrieve(call.id)).status == CallStatus.COMPLETED


@pytest.mark.asyncio
async def test_in_a_script_calls_wait_returns_within_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_as_a_script(monkeypatch)
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        call = await client.calls.create(phone_number=LEAD, assistant_id=EMMA)
        started = time.monotonic()
        done = await client.calls.wait(call.id, timeout=10)
        assert time.monotonic() - started < 5
    assert done.status == CallStatus.COMPLETED
    assert done.last_call_attempt is not None
    assert done.last_call_attempt.result == "human"


def test_in_a_script_the_sync_client_waits_within_seconds_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_as_a_script(monkeypatch)
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client()
        call = client.calls.create(phone_number=LEAD, assistant_id=EMMA)
        started = time.monotonic()
        done = client.calls.wait(call.id, timeout=10)
        assert time.monotonic() - started < 5
    assert done.status == CallStatus.COMPLETED


@pytest.mark.asyncio
async def test_a_script_that_moves_the_clock_takes_it_over(monkeypatch: pytest.MonkeyPatch) -> None:
    run_as_a_script(monkeypatch)
    async with FakeRevox(seed_demo_data=True) as fake:
        first = fake.clock.now()
        await asyncio.sleep(0.05)
        running = fake.clock.now()
        # 100 fake seconds per real second: 50 ms of wall time are about 5 s.
        assert running - first >= timedelta(seconds=4)
        moved = fake.advance(10)
        assert moved >= running + timedelta(seconds=10)
        await asyncio.sleep(0.05)
        assert fake.clock.now() == moved


def test_a_realtime_clock_runs_at_its_speed() -> None:
    clock = FakeClock(realtime=True, speed=100)
    first = clock.now()
    time.sleep(0.05)
    assert clock.now() - first >= timedelta(seconds=4)
    assert clock.realtime
    assert not FakeClock().realtime


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speed": 10}, "realtime=True"),
        ({"realtime": True, "speed": 0}, "greater than 0"),
        ({"realtime": True, "speed": -1}, "greater than 0"),
    ],
)
def test_a_clock_refuses_a_speed_it_cannot_honour(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeClock(**options)  # type: ignore[arg-type]
