"""The cost of one sync call's trip to an event loop thread and back, with a trivial coroutine.

The options a sync facade over async code can choose from, measured side by side: the floor is
a loop driven by the calling thread itself (no hop; it cannot share one pool between threads).
anyio's rows are left out when anyio is not installed.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


async def _trivial() -> int:
    return 1


@dataclass(frozen=True)
class Hop:
    key: str
    label: str
    open: Callable[[], Any]
    """A context manager yielding a function that makes one call."""
    requires: tuple[str, ...] = ()


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


def _anyio(module: str) -> Any:
    # Untyped here, so that type-checking the benchmarks does not need anyio installed.
    return importlib.import_module(f"anyio.{module}")


@contextmanager
def _anyio_portal() -> Iterator[Callable[[], int]]:
    with _anyio("from_thread").start_blocking_portal() as portal:
        yield lambda: portal.start_task_soon(_trivial).result()


@contextmanager
def _anyio_from_thread() -> Iterator[Callable[[], int]]:
    from_thread = _anyio("from_thread")

    async def token() -> Any:
        return _anyio("lowlevel").current_token()

    with _loop_thread() as loop:
        current = asyncio.run_coroutine_threadsafe(token(), loop).result()
        yield lambda: from_thread.run(_trivial, token=current)


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
    Hop("revox-async", "revox-async PortalThread.run", _revox_async_portal),
    Hop("threadsafe", "asyncio.run_coroutine_threadsafe", _run_coroutine_threadsafe),
    Hop("anyio-run", "anyio.from_thread.run(token=...)", _anyio_from_thread, ("anyio",)),
    Hop("anyio-portal", "anyio BlockingPortal.start_task_soon", _anyio_portal, ("anyio",)),
]


def installed_hops() -> list[Hop]:
    return [h for h in HOPS if all(importlib.util.find_spec(m) for m in h.requires)]


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
