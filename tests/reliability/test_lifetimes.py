"""Client lifetimes: resources and derived clients keep their client open, and a client closes on
close(), on leaving ``with``, or once nothing refers to it, without blocking who drops it."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from revox_async import AsyncRevox, ClientClosedError, Revox, RevoxError
from revox_async._sync.portal import PortalThread
from tests._helpers import KEY, LoopbackServer, call_json, page, run_python

BOUND = 5.0
"""Seconds within which a dropped client's thread must have ended."""


@pytest_asyncio.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer() as served:
        served.reply_json("GET", "/assistants", {"assistants": []})
        served.reply_json("POST", "/call/search", page(["a", "b"], 2))
        yield served


def _ended(portal: PortalThread) -> bool:
    thread = portal._thread
    if thread is not None:
        thread.join(BOUND)
    return not portal.running


# The sync client runs in a worker thread: the loopback server serves on the test's loop.


@pytest.mark.asyncio
async def test_sync_one_liners_work(server: LoopbackServer) -> None:
    def work() -> list[object]:
        return [
            Revox(KEY, base_url=server.url).assistants.list(),
            Revox(KEY, base_url=server.url).with_options(timeout=5).assistants.list(),
            [call.id for call in Revox(KEY, base_url=server.url).calls.search(page_size=2)],
        ]

    assert await asyncio.to_thread(work) == [[], [], ["a", "b"]]


@pytest.mark.asyncio
async def test_a_kept_sync_resource_keeps_its_client_open_and_closes_it_when_dropped(
    server: LoopbackServer,
) -> None:
    def work() -> tuple[bool, bool]:
        assistants = Revox(KEY, base_url=server.url).assistants
        derived = Revox(KEY, base_url=server.url).with_options(max_retries=0)
        gc.collect()
        assert assistants.list() == []
        assert derived.assistants.list() == []
        portals = assistants._portal, derived._portal
        del assistants, derived
        gc.collect()
        return _ended(portals[0]), _ended(portals[1])

    assert await asyncio.to_thread(work) == (True, True)


@pytest.mark.asyncio
async def test_closing_a_sync_derived_client_leaves_its_open_parent_alone(
    server: LoopbackServer,
) -> None:
    def work() -> None:
        with Revox(KEY, base_url=server.url) as client:
            with client.with_options(timeout=5) as derived:
                assert derived.assistants.list() == []
            assert derived.is_closed
            assert not client.is_closed
            assert client.assistants.list() == []
            with pytest.raises(RevoxError, match="closed"):
                derived.assistants.list()
            other = client.with_options(max_retries=0)
        assert client.is_closed
        assert other.is_closed
        assert not client._portal.running

    await asyncio.to_thread(work)


@pytest.mark.asyncio
async def test_the_last_sync_client_of_a_pool_closes_it(server: LoopbackServer) -> None:
    def work() -> bool:
        derived = Revox(KEY, base_url=server.url).with_options(timeout=5)
        assert derived.assistants.list() == []
        derived.close()
        return derived.is_closed and not derived._portal.running

    assert await asyncio.to_thread(work)


@pytest.mark.asyncio
async def test_a_dropped_sync_client_does_not_block_a_thread_holding_its_portal_lock(
    server: LoopbackServer,
) -> None:
    # The collector may finalize a client in any thread, at any point of that thread's work:
    # here, while that thread holds the portal's lock, both in the loop thread and outside it.
    def drop_under_the_lock(on_loop_thread: bool) -> bool:
        holder = [Revox(KEY, base_url=server.url)]
        assert holder[0].assistants.list() == []
        portal = holder[0]._portal
        loop = portal._loop
        assert loop is not None
        done = threading.Event()

        def drop() -> None:
            with portal._lock:
                holder.clear()
                gc.collect()
            done.set()

        if on_loop_thread:
            loop.call_soon_threadsafe(drop)
        else:
            drop()
        return done.wait(BOUND) and _ended(portal)

    assert await asyncio.to_thread(drop_under_the_lock, True)
    assert await asyncio.to_thread(drop_under_the_lock, False)


@pytest.mark.asyncio
async def test_a_sync_client_dropped_during_a_call_of_its_resource_stays_open_for_it(
    server: LoopbackServer,
) -> None:
    server.reply_json("GET", "/call/c-1", {"call": call_json("c-1", "completed")})

    def work() -> str:
        calls = Revox(KEY, base_url=server.url).calls
        wait = calls.wait
        del calls
        gc.collect()
        return wait("c-1").id

    assert await asyncio.to_thread(work) == "c-1"


@pytest.mark.asyncio
async def test_an_async_client_nothing_refers_to_is_closed_on_its_running_loop(
    server: LoopbackServer,
) -> None:
    assert await AsyncRevox(KEY, base_url=server.url).assistants.list() == []
    assistants = AsyncRevox(KEY, base_url=server.url).with_options(timeout=5).assistants
    gc.collect()
    assert await assistants.list() == []
    transport = assistants._client._transport
    session = transport._session
    assert session is not None
    del assistants, transport
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gc.collect()
        await _until_closed(session)


async def _until_closed(session: aiohttp.ClientSession) -> None:
    deadline = time.monotonic() + BOUND
    while not session.closed:
        assert time.monotonic() < deadline, "the dropped client's session stayed open"
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_closing_an_async_derived_client_whose_parent_is_gone_closes_the_pool(
    server: LoopbackServer,
) -> None:
    derived = AsyncRevox(KEY, base_url=server.url).with_options(timeout=5)
    assert await derived.assistants.list() == []
    await derived.close()
    assert derived.is_closed
    assert derived._transport.closed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del derived
        gc.collect()


@pytest.mark.asyncio
async def test_an_async_derived_client_in_a_with_block_leaves_its_open_parent_alone(
    server: LoopbackServer,
) -> None:
    async with AsyncRevox(KEY, base_url=server.url) as client:
        async with client.with_options(timeout=5) as derived:
            assert await derived.assistants.list() == []
        assert derived.is_closed
        assert not client.is_closed
        with pytest.raises(ClientClosedError, match="closed"):
            await derived.assistants.list()
        assert await client.assistants.list() == []
        other = client.with_options(max_retries=0)
    assert other.is_closed
    with pytest.raises(ClientClosedError):
        await other.assistants.list()
    assert len(server.requests) == 2


@pytest.mark.asyncio
async def test_two_async_derived_clients_close_the_pool_with_the_last(
    server: LoopbackServer,
) -> None:
    root = AsyncRevox(KEY, base_url=server.url)
    first, second = root.with_options(timeout=5), root.with_options(max_retries=0)
    del root
    await first.close()
    assert not second.is_closed
    assert await second.assistants.list() == []
    await second.close()
    assert second._transport.closed


def test_a_sync_client_kept_only_by_a_resource_is_closed_at_exit(tmp_path: Path) -> None:
    script = (
        "import asyncio, atexit, threading\n"
        "held = []\n"
        "# Registered first, so it runs last: after the SDK's own exit hook.\n"
        "atexit.register(lambda: print('closed' if held[0].closed else 'open'))\n"
        "from revox_async import Revox\n"
        "from tests._helpers import LoopbackServer\n"
        "ready = threading.Event()\n"
        "url = []\n"
        "async def serve():\n"
        "    async with LoopbackServer() as server:\n"
        "        server.reply_json('GET', '/assistants', {'assistants': []})\n"
        "        url.append(server.url)\n"
        "        ready.set()\n"
        "        await asyncio.sleep(60)\n"
        "threading.Thread(target=asyncio.run, args=(serve(),), daemon=True).start()\n"
        "ready.wait(10)\n"
        f"assistants = Revox({KEY!r}, base_url=url[0]).assistants\n"
        "print(assistants.list())\n"
        "held.append(assistants._async._client._transport)\n"
    )
    result = run_python(script, timeout=30)
    assert result.stdout.split() == ["[]", "closed"]
    assert "Unclosed" not in result.stderr


@pytest.fixture
def no_thread_leak() -> Iterator[None]:
    before = {thread.ident for thread in threading.enumerate()}
    yield
    deadline = time.monotonic() + BOUND
    while {thread.ident for thread in threading.enumerate()} - before:
        assert time.monotonic() < deadline, "a portal thread outlived its client"
        time.sleep(0.01)


@pytest.mark.usefixtures("no_thread_leak")
def test_a_sync_client_that_never_sent_a_request_closes_without_a_thread() -> None:
    client = Revox(KEY, base_url="http://127.0.0.1:9")
    derived = client.with_options(timeout=5)
    client.close()
    assert client.is_closed
    assert derived.is_closed
    assert not client._portal.running
