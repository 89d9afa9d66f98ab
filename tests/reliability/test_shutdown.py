"""Cancellation and shutdown: an interrupted call leaves the pool as it found it, and closing a
client ends the calls in flight at once, with a clear error, leaving nothing running."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import FrameType
from typing import Any

import aiohttp
import pytest

from revox_async import APIConnectionError, AsyncRevox, RevoxError, Timeout
from revox_async.testing import FakeRevox, FakeRevoxThread

SLOW = 8.0
"""Seconds the fake sits on a request: twice as long as any of these tests waits for one. Not
more: a fake on a thread of its own finishes such requests before it stops."""
PROMPT = 4.0
"""Seconds within which a close or an interruption must have taken effect: generous on a loaded
machine, yet half of what waiting for the server would take."""
PHONE = "+33612345678"


def _connector(client: AsyncRevox) -> aiohttp.BaseConnector:
    session = client._transport._session
    assert session is not None
    connector = session.connector
    assert connector is not None
    return connector


def _in_use(client: AsyncRevox) -> int:
    """Connections taken from the pool and not given back."""
    return len(_connector(client)._acquired)


def _until(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PROMPT
    while not predicate():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


async def _until_async(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PROMPT
    while not predicate():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


def _retries_begun(caplog: pytest.LogCaptureFixture) -> int:
    """How many waits before a retry the clients have begun."""
    return sum(r.getMessage().startswith("retrying") for r in caplog.records)


def _assistant(fake: FakeRevox) -> str:
    return next(iter(fake.state.assistants))


def _drop_held_requests(fake: FakeRevox) -> None:
    """Cancel every task of the fake's loop but the caller's: a request held for ``SLOW`` has
    served its purpose once the test has seen the client give up on it, and a fake on a thread
    of its own would otherwise finish it before it stops."""
    this = asyncio.current_task()
    for task in asyncio.all_tasks():
        if task is not this:
            task.cancel()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("fault", "retrying"),
    [
        pytest.param({"status": None, "delay": SLOW}, 0, id="mid-request"),
        pytest.param({"status": 503, "retry_after": SLOW}, 1, id="mid-backoff"),
    ],
)
async def test_a_cancelled_call_leaves_the_pool_healthy(
    fault: dict[str, Any], retrying: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with FakeRevox(seed_demo_data=True) as fake:
        # A single connection: had the cancelled call kept it, the next one could not connect.
        client = fake.client(connection_limit=1, timeout=Timeout(total=3 * SLOW, connect=0.5))
        assistant = _assistant(fake)
        fake.faults.fail_next(route="GET /assistants/{id}", **fault)
        call = asyncio.create_task(client.assistants.retrieve(assistant))
        await _until_async(lambda: len(fake.requests) == 1 and _retries_begun(caplog) == retrying)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert _in_use(client) == 0
        started = time.monotonic()
        assert (await client.assistants.retrieve(assistant)).id == assistant
        assert time.monotonic() - started < PROMPT
        assert _in_use(client) == 0
        assert len(fake.requests) == 2


@pytest.mark.asyncio
async def test_close_ends_every_call_in_flight_at_once_with_a_clear_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="revox_async")
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(timeout=3 * SLOW)
        assistant = _assistant(fake)
        fake.faults.fail_next(route="GET /assistants/{id}", status=None, delay=SLOW)
        fake.faults.fail_next(route="POST /call", status=None, delay=SLOW)
        fake.faults.fail_next(route="GET /assistants", status=503, retry_after=SLOW)
        fake.faults.fail_next(route="POST /assistants", status=429, retry_after=SLOW)
        calls = [
            asyncio.create_task(client.assistants.retrieve(assistant)),
            asyncio.create_task(client.calls.create(phone_number=PHONE, assistant_id=assistant)),
            asyncio.create_task(client.assistants.list()),
            asyncio.create_task(client.assistants.create(name="Closing", prompt="Be brief.")),
        ]
        # Two calls wait at the fake, the 503 and the 429 wait to be retried.
        await _until_async(lambda: len(fake.requests) == len(calls) and _retries_begun(caplog) == 2)
        started = time.monotonic()
        await client.close()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert time.monotonic() - started < PROMPT
        for result in results:
            assert isinstance(result, APIConnectionError), result
            assert "client was closed" in str(result)
        # Only the creation refused with a 429 is known not to have been acted on.
        assert [r.maybe_processed for r in results if isinstance(r, APIConnectionError)] == [
            True,
            True,
            True,
            False,
        ]
        assert len(fake.requests) == len(calls)
        await client.close()
        assert client.is_closed
        with pytest.raises(RevoxError, match="closed"):
            await client.assistants.list()
        # Anything left unclosed warns when collected: here, inside this test.
        gc.collect()


@pytest.mark.asyncio
async def test_closing_a_derived_client_leaves_the_calls_of_the_pool_alone() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        derived = client.with_options(max_retries=0)
        assistant = _assistant(fake)
        fake.faults.fail_next(route="GET /assistants/{id}", status=None, delay=0.2)
        call = asyncio.create_task(derived.assistants.retrieve(assistant))
        await _until_async(lambda: len(fake.requests) == 1)
        await derived.close()
        assert (await call).id == assistant
        assert not client.is_closed


def test_closing_a_sync_client_ends_calls_in_flight_in_other_threads(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="revox_async")
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(timeout=3 * SLOW)
        assistant = fake.call(_assistant)
        fake.call(
            lambda f: f.faults.fail_next(route="GET /assistants/{id}", status=None, delay=SLOW)
        )
        fake.call(
            lambda f: f.faults.fail_next(route="GET /assistants", status=503, retry_after=SLOW)
        )
        with ThreadPoolExecutor(2) as pool:
            pending: list[Future[Any]] = [
                pool.submit(client.assistants.retrieve, assistant),
                pool.submit(client.assistants.list),
            ]
            _until(
                lambda: (
                    fake.call(lambda f: len(f.requests)) == len(pending)
                    and _retries_begun(caplog) == 1
                )
            )
            thread = client._portal._thread
            started = time.monotonic()
            client.close()
            for call in pending:
                with pytest.raises(APIConnectionError, match="client was closed"):
                    call.result(timeout=PROMPT)
            assert time.monotonic() - started < PROMPT
        assert thread is not None
        assert not thread.is_alive()
        client.close()
        fake.call(_drop_held_requests)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs POSIX thread signals")
def test_ctrl_c_during_a_sync_call_cancels_it_and_close_leaves_no_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(timeout=3 * SLOW)
        assistant = fake.call(_assistant)
        fake.call(
            lambda f: f.faults.fail_next(route="GET /assistants/{id}", status=None, delay=SLOW)
        )
        send = client._async._attempt
        cancelled = threading.Event()

        async def watched_send(*args: Any, **kwargs: Any) -> Any:
            try:
                return await send(*args, **kwargs)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        monkeypatch.setattr(client._async, "_attempt", watched_send)
        main = threading.get_ident()

        def press_ctrl_c() -> None:
            # Once the request waits at the fake, the main thread waits for its result.
            _until(lambda: fake.call(lambda f: len(f.requests)) == 1)
            signal.pthread_kill(main, signal.SIGALRM)

        previous = signal.signal(signal.SIGALRM, _interrupt)
        presser = threading.Thread(target=press_ctrl_c)
        started = time.monotonic()
        try:
            presser.start()
            with pytest.raises(KeyboardInterrupt):
                client.assistants.retrieve(assistant)
        finally:
            presser.join()
            signal.signal(signal.SIGALRM, previous)
        assert time.monotonic() - started < PROMPT
        assert cancelled.wait(PROMPT)
        assert client.assistants.retrieve(assistant).id == assistant
        thread = client._portal._thread
        client.close()
        assert time.monotonic() - started < PROMPT
        assert thread is not None
        assert not thread.is_alive()
        assert not client._portal.running
        fake.call(_drop_held_requests)
