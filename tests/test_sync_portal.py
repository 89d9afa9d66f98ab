"""The sync client's loop thread: calls cross through anyio with the caller's context, an
interrupted call is cancelled, and closing ends every caller's wait, even a caller's on its way in.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from importlib import metadata
from typing import Any

import anyio.from_thread
import pytest

from revox_async import RevoxError
from revox_async._sync.portal import PortalThread, _Call

BOUND = 10.0
"""Seconds within which every thread of a test must have ended: a hang fails instead."""

_where = contextvars.ContextVar("where", default="unset")


async def _nothing() -> None:
    pass


async def _one() -> int:
    return 1


def test_anyio_is_a_runtime_requirement() -> None:
    required = [r for r in metadata.requires("revox-async") or [] if "extra ==" not in r]
    assert any(r.startswith("anyio") for r in required)


def test_a_call_sees_the_callers_context_and_its_changes_stay_on_the_loop() -> None:
    portal = PortalThread()

    async def swap() -> str:
        seen = _where.get()
        _where.set("changed on the loop")
        return seen

    token = _where.set("caller")
    try:
        assert portal.run(swap) == "caller"
        assert _where.get() == "caller"
    finally:
        _where.reset(token)
        portal.shutdown(_nothing)
    assert not portal.running


@pytest.mark.asyncio
async def test_a_call_interrupted_before_it_starts_never_runs() -> None:
    ran = False

    async def make() -> int:
        nonlocal ran
        ran = True
        return 1

    call = _Call(make)
    call.interrupt()
    with pytest.raises(asyncio.CancelledError):
        await call.run()
    assert call.finished
    assert not ran


@pytest.mark.asyncio
async def test_an_interrupted_call_is_cancelled_where_it_waits() -> None:
    waiting = asyncio.Event()
    cancelled = asyncio.Event()

    async def make() -> int:
        waiting.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 1

    call = _Call(make)
    task = asyncio.ensure_future(call.run())
    await waiting.wait()
    assert not call.finished
    call.interrupt()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cancelled.is_set()
    assert call.finished


def test_a_call_that_fails_is_finished_and_its_error_reaches_the_caller() -> None:
    portal = PortalThread()

    async def fail() -> int:
        raise LookupError("from the loop")

    try:
        with pytest.raises(LookupError, match="from the loop"):
            portal.run(fail)
        # The loop still serves: a failed call was not taken for an interruption.
        assert portal.run(_one) == 1
    finally:
        portal.shutdown(_nothing)


def test_closing_while_threads_keep_calling_ends_every_callers_wait() -> None:
    portal = PortalThread()
    assert portal.run(_one) == 1
    ended: list[BaseException] = []
    all_calling = threading.Barrier(5)

    def keep_calling() -> None:
        all_calling.wait()
        try:
            while True:
                portal.run(_one)
        except RevoxError as exc:
            ended.append(exc)

    # Daemons: were a caller left waiting, the test fails on the join instead of hanging.
    callers = [threading.Thread(target=keep_calling, daemon=True) for _ in range(4)]
    for caller in callers:
        caller.start()
    all_calling.wait()
    portal.shutdown(_nothing)
    for caller in callers:
        caller.join(BOUND)
    assert not any(caller.is_alive() for caller in callers)
    assert len(ended) == len(callers)
    assert all("closed" in str(exc) for exc in ended)
    assert not portal.running


def test_closing_waits_for_a_caller_let_in_before_it_that_has_yet_to_reach_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portal = PortalThread()
    assert portal.run(_one) == 1
    on_its_way, go = threading.Event(), threading.Event()
    outcome: list[int] = []
    cross = anyio.from_thread.run

    def slow_crossing(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is caller:
            on_its_way.set()
            go.wait(BOUND)
        return cross(*args, **kwargs)

    monkeypatch.setattr(anyio.from_thread, "run", slow_crossing)
    caller = threading.Thread(target=lambda: outcome.append(portal.run(_one)), daemon=True)
    closer = threading.Thread(target=portal.shutdown, args=(_nothing,), daemon=True)
    caller.start()
    assert on_its_way.wait(BOUND)
    closer.start()
    # The loop has stopped taking calls, but it cannot end while a caller it let in still waits.
    closer.join(0.2)
    assert closer.is_alive()
    go.set()
    caller.join(BOUND)
    closer.join(BOUND)
    assert outcome == [1]
    assert not closer.is_alive()
    assert not portal.running


def test_a_failing_last_step_of_shutdown_reaches_its_caller_and_the_thread_still_ends() -> None:
    portal = PortalThread()
    assert portal.run(_one) == 1

    async def last() -> None:
        raise OSError("closing failed")

    with pytest.raises(OSError, match="closing failed"):
        portal.shutdown(last)
    assert not portal.running
    with pytest.raises(RevoxError, match="closed"):
        portal.run(_one)
