"""Closing a client with calls in flight: each kind of wait ends at once with ClientClosedError,
while a caller whose own task is cancelled still gets a CancelledError."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from revox_async import APIConnectionError, AsyncRevox, ClientClosedError, Revox
from revox_async.testing import FakeRevox
from tests._helpers import KEY, LoopbackServer, Reply, call_json

LONG = 30.0
"""Seconds each wait would last without the close."""
BOUND = 3.0
"""Seconds within which close() and the calls it ends must be done."""
PHONE = "+33612345678"


@pytest_asyncio.fixture
async def slow_server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer() as server:
        server.reply("GET", "/assistants", Reply(json={"assistants": []}, delay=LONG))
        yield server


async def _until(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + BOUND
    while not predicate():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


def _waiting_for_a_connection(client: AsyncRevox) -> int:
    session = client._transport._session
    if session is None or session.connector is None:
        return 0
    return sum(len(waiters) for waiters in session.connector._waiters.values())


async def _close_timed(client: AsyncRevox) -> float:
    started = time.monotonic()
    await client.close()
    return time.monotonic() - started


@pytest.mark.asyncio
async def test_close_ends_a_request_in_progress_and_a_wait_for_a_pooled_connection(
    slow_server: LoopbackServer,
) -> None:
    client = AsyncRevox(KEY, base_url=slow_server.url, connection_limit=1, timeout=LONG * 4)
    sending = asyncio.create_task(client.assistants.list())
    queued = asyncio.create_task(client.assistants.list())
    await _until(lambda: len(slow_server.requests) == 1 and _waiting_for_a_connection(client) == 1)
    started = time.monotonic()
    await client.close()
    results = await asyncio.gather(sending, queued, return_exceptions=True)
    assert time.monotonic() - started < BOUND
    assert [type(result) for result in results] == [ClientClosedError, ClientClosedError]
    assert all(isinstance(result, APIConnectionError) for result in results)
    assert all("closed" in str(result) for result in results)
    assert len(slow_server.requests) == 1


@pytest.mark.asyncio
async def test_close_ends_a_request_sent_through_a_session_of_the_callers(
    slow_server: LoopbackServer,
) -> None:
    async with aiohttp.ClientSession() as session:
        client = AsyncRevox(KEY, base_url=slow_server.url, session=session, timeout=LONG * 4)
        call = asyncio.create_task(client.assistants.list())
        await _until(lambda: len(slow_server.requests) == 1)
        assert await _close_timed(client) < BOUND
        with pytest.raises(ClientClosedError):
            await asyncio.wait_for(call, BOUND)
        assert not session.closed


@pytest.mark.asyncio
async def test_close_ends_the_wait_before_a_retry() -> None:
    async with LoopbackServer() as server:
        server.reply(
            "GET", "/assistants", Reply(status=503, json={}, headers={"Retry-After": str(LONG)})
        )
        client = AsyncRevox(KEY, base_url=server.url, timeout=LONG * 4, max_retries=3)
        call = asyncio.create_task(client.assistants.list())
        await _until(lambda: len(server.requests) == 1)
        await asyncio.sleep(0.05)
        assert await _close_timed(client) < BOUND
        with pytest.raises(ClientClosedError, match="closed") as caught:
            await asyncio.wait_for(call, BOUND)
        assert caught.value.maybe_processed
        assert len(server.requests) == 1


@pytest.mark.asyncio
async def test_close_ends_the_sleep_between_the_polls_of_calls_wait() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(timeout=LONG)
        assistant = next(iter(fake.state.assistants))
        placed = await client.calls.create(phone_number=PHONE, assistant_id=assistant)
        polls = len(fake.requests)
        wait = asyncio.create_task(client.calls.wait(placed.id, poll_interval=LONG))
        await _until(lambda: len(fake.requests) == polls + 1)
        await asyncio.sleep(0.05)
        assert await _close_timed(client) < BOUND
        with pytest.raises(ClientClosedError, match="poll") as caught:
            await asyncio.wait_for(wait, BOUND)
        assert not caught.value.maybe_processed


@pytest.mark.asyncio
async def test_a_call_after_close_says_the_client_is_closed_and_sent_nothing(
    slow_server: LoopbackServer,
) -> None:
    client = AsyncRevox(KEY, base_url=slow_server.url)
    await client.close()
    with pytest.raises(ClientClosedError, match="closed") as caught:
        await client.assistants.list()
    assert not caught.value.maybe_processed
    assert slow_server.requests == []


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["sending", "waiting for a connection"])
async def test_cancelling_the_callers_own_task_still_raises_cancelled_error(
    slow_server: LoopbackServer, where: str
) -> None:
    async with AsyncRevox(KEY, base_url=slow_server.url, connection_limit=1) as client:
        blocker = asyncio.create_task(client.assistants.list())
        await _until(lambda: len(slow_server.requests) == 1)
        call = blocker
        if where != "sending":
            call = asyncio.create_task(client.assistants.list())
            await _until(lambda: _waiting_for_a_connection(client) == 1)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        if call is not blocker:
            blocker.cancel()
            with pytest.raises(asyncio.CancelledError):
                await blocker
        assert not client.is_closed


@pytest.mark.skipif(sys.version_info < (3, 11), reason="TaskGroup is new in Python 3.11")
@pytest.mark.asyncio
async def test_inside_a_task_group_a_closed_client_is_an_error_not_a_cancellation(
    slow_server: LoopbackServer,
) -> None:
    client = AsyncRevox(KEY, base_url=slow_server.url, connection_limit=1, timeout=LONG * 4)

    async def close_soon() -> None:
        await _until(lambda: _waiting_for_a_connection(client) == 1)
        await client.close()

    async def in_a_group() -> list[type[BaseException]]:
        if sys.version_info >= (3, 11):
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(client.assistants.list())
                    group.create_task(client.assistants.list())
                    group.create_task(close_soon())
            except BaseExceptionGroup as failed:  # noqa: F821 (a builtin from 3.11 on)
                return [type(error) for error in failed.exceptions]
        return []

    # Both calls fail with the SDK's error: neither looks like a cancelled child.
    errors = await in_a_group()
    assert errors == [ClientClosedError, ClientClosedError]


@pytest.mark.asyncio
async def test_sync_close_from_another_thread_ends_calls_wait_and_a_pool_wait(
    slow_server: LoopbackServer,
) -> None:
    slow_server.reply_json("GET", "/call/c-1", {"call": call_json("c-1", "calling")})
    client = Revox(KEY, base_url=slow_server.url, timeout=LONG * 4, connection_limit=1)

    def count(path: str) -> int:
        return slow_server.count("GET", path)

    with ThreadPoolExecutor(3) as pool:
        waiting = pool.submit(client.calls.wait, "c-1", poll_interval=8)
        await _until(lambda: count("/call/c-1") == 1)
        sending = pool.submit(client.assistants.list)
        await _until(lambda: count("/assistants") == 1)
        queued = pool.submit(client.assistants.list)
        await _until(lambda: _waiting_for_a_connection(client._async) == 1)
        await asyncio.sleep(0.05)
        thread = client._portal._thread
        started = time.monotonic()
        await asyncio.to_thread(client.close)
        elapsed = time.monotonic() - started
        calls: list[Future[Any]] = [waiting, sending, queued]
        for call in calls:
            with pytest.raises(ClientClosedError):
                await asyncio.wrap_future(call)
    assert elapsed < BOUND
    assert count("/call/c-1") == 1
    assert thread is not None
    assert not thread.is_alive()


@pytest.mark.asyncio
async def test_a_worker_thread_survives_a_close_under_it(slow_server: LoopbackServer) -> None:
    # ClientClosedError is an Exception: a worker's `except Exception` handles it.
    client = Revox(KEY, base_url=slow_server.url, timeout=LONG * 4)
    outcome: list[str] = []

    def worker() -> None:
        try:
            client.assistants.list()
        except Exception as exc:
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=worker)
    thread.start()
    await _until(lambda: len(slow_server.requests) == 1)
    await asyncio.to_thread(client.close)
    await asyncio.to_thread(thread.join, BOUND)
    assert outcome == ["ClientClosedError"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tasks count cancellations from 3.11 on")
@pytest.mark.asyncio
async def test_a_call_ended_by_close_leaves_its_task_not_cancelling(
    slow_server: LoopbackServer,
) -> None:
    client = AsyncRevox(KEY, base_url=slow_server.url, connection_limit=1, timeout=LONG * 4)

    async def call_then_carry_on() -> int:
        with pytest.raises(ClientClosedError):
            await client.assistants.list()
        # The task goes on with its work: a later await must not be cancelled.
        await asyncio.sleep(0)
        task = asyncio.current_task()
        assert task is not None
        if sys.version_info >= (3, 11):
            return task.cancelling()
        return 0

    calls = [asyncio.create_task(call_then_carry_on()) for _ in range(2)]
    await _until(lambda: _waiting_for_a_connection(client) == 1)
    await client.close()
    assert await asyncio.gather(*calls) == [0, 0]
