"""The cost of one sync call's trip to an event loop thread and back, with a trivial coroutine.

The options a sync facade over async code can choose from, measured side by side: the floor is
a loop driven by the calling thread itself (no hop; it cannot share one pool between threads).
revox-async's own row is its portal thread, which crosses with ``anyio.from_thread.run``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import anyio.from_thread
import anyio.lowlevel


async def _trivial() -> int:
    return 1


@dataclass(frozen=True)
class Hop:
    key: str
    label: str
    open: Callable[[], Any]
    """A context manager yielding a function that makes one call."""


@contextmanager
def _same_thread() -> Iterator[Callable[[], int]]:
    loop = asyncio.new_event_loop()
    try:
        yield lambda: loop.run_until_complete(_trivial())
    finally:
        loop.close()


@contextmanager
def _loop_thread() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


@contextmanager
def _run_coroutine_threadsafe() -> Iterator[Callable[[], int]]:
    with _loop_thread() as loop:
        yield lambda: asyncio.run_coroutine_threadsafe(_trivial(), loop).result()


@contextmanager
def _lock_handoff() -> Iterator[Callable[[], int]]:
    """The hop revox-async used before anyio: ``call_soon_threadsafe`` and a bare lock."""

    def call(loop: asyncio.AbstractEventLoop) -> int:
        done = threading.Lock()
        done.acquire()
        outcome: list[int] = []

        def finish(task: asyncio.Future[int]) -> None:
            outcome.append(task.result())
            done.release()

        def start() -> None:
            asyncio.ensure_future(_trivial()).add_done_callback(finish)

        loop.call_soon_threadsafe(start)
        done.acquire()
        return outcome[0]

    with _loop_thread() as loop:
        yield lambda: call(loop)


@contextmanager
def _anyio_portal() -> Iterator[Callable[[], int]]:
    with anyio.from_thread.start_blocking_portal() as portal:
        yield lambda: portal.call(_trivial)


@contextmanager
def _anyio_from_thread() -> Iterator[Callable[[], int]]:
    async def token() -> anyio.lowlevel.EventLoopToken:
        return anyio.lowlevel.current_token()

    with _loop_thread() as loop:
        current = asyncio.run_coroutine_threadsafe(token(), loop).result()
        yield lambda: anyio.from_thread.run(_trivial, token=current)


@contextmanager
def _revox_async_portal() -> Iterator[Callable[[], int]]:
    from revox_async._sync.portal import PortalThread

    portal = PortalThread()

    async def nothing() -> None:
        pass

    try:
        yield lambda: portal.run(_trivial)
    finally:
        portal.shutdown(nothing)


HOPS = [
    Hop("same-thread", "no hop: loop run by the caller", _same_thread),
    Hop("revox-async", "revox-async PortalThread.run (anyio)", _revox_async_portal),
    Hop("anyio-run", "anyio.from_thread.run(token=...)", _anyio_from_thread),
    Hop("lock", "call_soon_threadsafe + a bare lock", _lock_handoff),
    Hop("threadsafe", "asyncio.run_coroutine_threadsafe", _run_coroutine_threadsafe),
    Hop("anyio-portal", "anyio BlockingPortal.call", _anyio_portal),
]


def seconds_per_call(hop: Hop, calls: int) -> float:
    """Mean seconds of one call from a plain thread (not the loop's), after a warm-up."""
    with hop.open() as call:
        for _ in range(50):
            call()
        started = time.perf_counter()
        for _ in range(calls):
            call()
        elapsed: float = (time.perf_counter() - started) / calls
        return elapsed
