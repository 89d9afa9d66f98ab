"""The sync facade: same coroutines, one portal thread, safe from threads and running loops."""

from __future__ import annotations

import asyncio
import gc
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from revox_async import AsyncRevox, NotFoundError, Revox, RevoxError
from revox_async.resources.assistants import Assistants, AsyncAssistants

from ._helpers import KEY, LoopbackServer, Reply, check_sync_twin, example

ASSISTANT = example("assistants.retrieve")


def _portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "revox-async-portal"]


@pytest.mark.parametrize("name", ["list", "retrieve", "create", "update", "delete", "clone"])
def test_sync_methods_run_their_async_twins_and_share_their_docs(name: str) -> None:
    client = Revox(KEY)
    sync_method = getattr(client.assistants, name)
    async_method = getattr(client._async.assistants, name)
    check_sync_twin(sync_method, async_method)
    assert sync_method.__doc__ == async_method.__doc__
    assert getattr(Assistants, name).__doc__ == getattr(AsyncAssistants, name).__doc__
    client.close()


def test_no_thread_starts_before_first_use_and_none_is_left_after_close(refused_url: str) -> None:
    before = len(_portal_threads())
    client = Revox(KEY, base_url=refused_url, max_retries=0)
    assert len(_portal_threads()) == before
    with pytest.raises(RevoxError):
        client.assistants.list()
    assert len(_portal_threads()) == before + 1
    session = client._async._transport._session
    assert session is not None and not session.closed
    client.close()
    client.close()
    assert len(_portal_threads()) == before
    assert session.closed
    with pytest.raises(RevoxError, match="closed"):
        client.assistants.list()


def test_a_forgotten_client_is_cleaned_up_when_collected(refused_url: str) -> None:
    before = len(_portal_threads())
    client = Revox(KEY, base_url=refused_url, max_retries=0)
    with pytest.raises(RevoxError):
        client.assistants.list()
    thread = client._portal._thread
    session = client._async._transport._session
    assert session is not None and not session.closed
    del client
    gc.collect()
    # The collector hands the closing to the loop thread rather than wait for it.
    assert thread is not None
    thread.join(timeout=5)
    assert len(_portal_threads()) == before
    assert session.closed


@pytest.mark.asyncio
async def test_one_client_shared_by_many_threads(server: LoopbackServer) -> None:
    for i in range(64):
        server.reply("GET", f"/assistants/a{i}", Reply(json={**ASSISTANT, "id": f"a{i}"}))

    def work() -> list[str]:
        with Revox(KEY, base_url=server.url) as client, ThreadPoolExecutor(16) as pool:
            return list(pool.map(lambda i: client.assistants.retrieve(f"a{i}").id, range(64)))

    assert await asyncio.to_thread(work) == [f"a{i}" for i in range(64)]


@pytest.mark.asyncio
async def test_works_inside_a_running_event_loop(server: LoopbackServer) -> None:
    """Like a Jupyter cell: sync code called from a coroutine, on a thread that runs a loop."""
    server.reply_json("GET", "/assistants/a", ASSISTANT)

    def notebook() -> str:
        async def cell() -> str:
            with Revox(KEY, base_url=server.url) as client:
                return client.assistants.retrieve("a").id

        return asyncio.run(cell())

    assert await asyncio.to_thread(notebook) == ASSISTANT["id"]


@pytest.mark.asyncio
async def test_errors_and_raw_responses_cross_the_portal(server: LoopbackServer) -> None:
    server.reply("GET", "/assistants/a", Reply(json=ASSISTANT, headers={"x-request-id": "r1"}))

    def work() -> tuple[str | None, str]:
        with Revox(KEY, base_url=server.url) as client:
            raw = client.with_raw_response(client.assistants.retrieve, "a")
            with pytest.raises(NotFoundError):
                client.assistants.retrieve("missing")
            with pytest.raises(TypeError, match="method of a resource"):
                client.with_raw_response(len, "abc")
            return raw.request_id, raw.data.id

    assert await asyncio.to_thread(work) == ("r1", ASSISTANT["id"])


@pytest.mark.asyncio
async def test_with_options_shares_the_thread(server: LoopbackServer) -> None:
    server.reply_json("GET", "/assistants/a", ASSISTANT)

    def work() -> int:
        with Revox(KEY, base_url=server.url) as client:
            derived = client.with_options(timeout=5, max_retries=0)
            assert derived.max_retries == 0 and derived.timeout.total == 5
            derived.assistants.retrieve("a")
            derived.close()
            client.assistants.retrieve("a")
            return len(_portal_threads())

    before = len(_portal_threads())
    assert await asyncio.to_thread(work) == before + 1
    assert len(_portal_threads()) == before


def test_sync_client_takes_the_async_settings() -> None:
    client = Revox(KEY, base_url="https://api.revox.test", timeout=9, max_retries=5)
    assert isinstance(client._async, AsyncRevox)
    assert (client.base_url, client.timeout.total, client.max_retries) == (
        "https://api.revox.test",
        9.0,
        5,
    )
    assert KEY not in repr(client)
    client.close()


def test_interpreter_exits_cleanly_with_a_client_left_open() -> None:
    import subprocess
    import sys

    script = (
        "from revox_async import Revox, RevoxError\n"
        "client = Revox('k', base_url='http://127.0.0.1:9', max_retries=0)\n"
        "try:\n"
        "    client.assistants.list()\n"
        "except RevoxError:\n"
        "    pass\n"
        "assert client._async._transport._session is not None\n"
        "print('done')\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-X", "dev", "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done\n"
    # Development mode also reports any loop step slower than 0.1 s (a first import on a busy
    # machine): timing, not a leak. Anything else on stderr is a warning or an error.
    slow_step = re.compile(r"Executing <.*> took \d+\.\d+ seconds")
    assert [line for line in result.stderr.splitlines() if not slow_step.fullmatch(line)] == []


def test_a_sync_call_from_the_clients_own_loop_thread_fails_instead_of_hanging() -> None:
    client = Revox(KEY, base_url="http://127.0.0.1:9", max_retries=0)
    portal = client._portal

    async def reenter() -> None:
        client.assistants.list()

    with pytest.raises(RevoxError, match="own event loop thread"):
        portal.run(reenter)
    client.close()
    assert not portal.running


def test_closing_from_the_loop_thread_itself_stops_it_without_deadlock() -> None:
    """As when the garbage collector finalizes a client on its loop thread."""
    client = Revox(KEY, base_url="http://127.0.0.1:9", max_retries=0)
    portal = client._portal

    async def close_here() -> None:
        client.close()

    portal.run(close_here)
    thread = portal._thread
    assert thread is not None
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert client.is_closed
