"""An event loop in a background thread, for running the async client from sync code.

Each call crosses into the loop with ``anyio.from_thread.run`` and the loop's token, and runs
there in an anyio cancel scope. A caller interrupted while it waits (Ctrl-C) cancels that scope
through ``anyio.from_thread.run_sync``, so the call stops rather than run on unobserved.

The thread is a daemon, because a sync client someone forgot to close must not keep the
interpreter from exiting; its session is still closed at exit by the client's exit hook, which
runs while daemon threads are alive. In a forked child the parent's thread does not exist: the
first call there starts a new one and leaves the parent's loop alone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import anyio
import anyio.from_thread
import anyio.lowlevel

from .._errors import RevoxError
from . import fork

T = TypeVar("T")

THREAD_NAME = "revox-async-portal"

_DRAIN_POLL = 0.001
"""Seconds between checks, once the loop is stopping, for callers still on their way in."""


class _Call(Generic[T]):
    """One sync call, run on the loop in a cancel scope that its interrupted caller cancels."""

    __slots__ = ("_interrupted", "_make", "_scope", "finished")

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make
        self._scope: anyio.CancelScope | None = None
        self._interrupted = False
        self.finished = False
        """Whether the call ran to its end: its outcome, not an interruption, is what the
        caller got."""

    async def run(self) -> T:
        try:
            if not self._interrupted:
                # Made here: a cancel scope belongs to the loop that enters it.
                with anyio.CancelScope() as self._scope:
                    return await self._make()
        finally:
            self.finished = True
        # Interrupted, before it started or by its cancelled scope: its caller has stopped
        # waiting.
        raise anyio.get_cancelled_exc_class()

    def interrupt(self) -> None:
        """On the loop: cancel the call, or, if it has not started yet, as soon as it does."""
        self._interrupted = True
        if self._scope is not None:
            self._scope.cancel()


class PortalThread:
    """Starts its thread on first use (in each process); :meth:`shutdown` stops it for good."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._token: anyio.lowlevel.EventLoopToken | None = None
        self._thread: threading.Thread | None = None
        self._thread_id: int | None = None
        self._closed = False
        self._callers = 0
        """Threads inside :meth:`run`: the loop is not closed before they have all left."""
        self._pid = os.getpid()
        fork.track(self)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def forget_parent(self) -> None:
        """In a forked child: drop the parent's loop and thread, never touching them."""
        with fork.reset_lock:
            if self._pid == os.getpid():
                return
            if isinstance(self._loop, asyncio.BaseEventLoop):
                # Its finalizer would close it, unregistering the parent's file descriptors
                # from the epoll instance both processes share: the parent's loop would stop
                # waking up. Marked closed, it is never closed.
                setattr(self._loop, "_closed", True)  # noqa: B010
            fork.abandon(self._loop, self._thread)
            self._lock = threading.Lock()
            self._loop = None
            self._token = None
            self._thread = None
            self._thread_id = None
            self._callers = 0
            self._pid = os.getpid()

    def _enter(self) -> anyio.lowlevel.EventLoopToken:
        if self._pid != os.getpid():
            self.forget_parent()
        with self._lock:
            if self._closed:
                raise RevoxError("this client is closed; create a new one")
            token = self._token
            if token is None:
                token = self._start()
            self._callers += 1
            return token

    def _leave(self) -> None:
        with self._lock:
            self._callers -= 1

    def _start(self) -> anyio.lowlevel.EventLoopToken:
        ready: concurrent.futures.Future[
            tuple[asyncio.AbstractEventLoop, anyio.lowlevel.EventLoopToken]
        ] = concurrent.futures.Future()
        thread = threading.Thread(target=self._serve, args=(ready,), name=THREAD_NAME, daemon=True)
        thread.start()
        self._thread = thread
        self._thread_id = thread.ident
        self._loop, self._token = ready.result()
        return self._token

    def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call()`` on the loop and wait for its result in this thread."""
        if threading.get_ident() == self._thread_id:
            # The loop would wait for itself forever.
            raise RevoxError(
                "a sync client was called from its own event loop thread; in a coroutine, "
                "await the AsyncRevox method instead"
            )
        token = self._enter()
        pending = _Call(call)
        try:
            return anyio.from_thread.run(pending.run, token=token)
        except BaseException:
            if not pending.finished:
                # Interrupted while waiting (KeyboardInterrupt): stop the call rather than
                # leave it running unobserved.
                anyio.from_thread.run_sync(pending.interrupt, token=token)
            raise
        finally:
            self._leave()

    def release(self, last: Callable[[], Awaitable[None]]) -> None:
        """Have the loop run ``last()`` and then stop, without waiting for either.

        For the collector, which may run this in any thread, the loop thread included, at any
        point of that thread's work, even while it holds this portal's lock: so no lock is
        taken. Nothing else submits at the same time, as every caller holds what is being
        collected. In a forked child that never used this portal there is nothing to stop.
        """
        if self._closed or self._pid != os.getpid():
            return
        self._closed = True
        if self._loop is not None:
            self._finish_soon(self._loop, last)

    def shutdown(self, last: Callable[[], Awaitable[None]]) -> None:
        """Run ``last()`` on the loop, then stop the loop and join its thread. Idempotent.

        In a forked child that never used this portal, the parent's thread is merely forgotten.
        """
        if self._pid != os.getpid():
            self.forget_parent()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, token, thread = self._loop, self._token, self._thread
        if loop is None or token is None or thread is None:
            return
        if threading.get_ident() == self._thread_id:
            # Run by the loop thread itself (the garbage collector may finalize a client there):
            # waiting would deadlock. The loop lets ``last()`` finish after it stops, as it does
            # every call still in flight, and the thread then ends on its own.
            self._finish_soon(loop, last)
            return
        try:
            anyio.from_thread.run(_awaited, last, token=token)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()

    @staticmethod
    def _finish_soon(loop: asyncio.AbstractEventLoop, last: Callable[[], Awaitable[None]]) -> None:
        # The stop comes after the start: the loop then lets ``last()`` finish, as it does every
        # call still in flight, and the thread ends on its own. Nobody waits for its outcome.
        loop.call_soon_threadsafe(asyncio.ensure_future, _quietly(last))
        loop.call_soon_threadsafe(loop.stop)

    def _serve(
        self,
        ready: concurrent.futures.Future[
            tuple[asyncio.AbstractEventLoop, anyio.lowlevel.EventLoopToken]
        ],
    ) -> None:
        try:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            ready.set_result((loop, loop.run_until_complete(_current_token())))
        except BaseException as exc:  # surface start-up failures to the waiting caller
            ready.set_exception(exc)
            raise
        try:
            loop.run_forever()
            loop.run_until_complete(self._drain())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    async def _drain(self) -> None:
        """Once stopped: let every call finish, so that each caller gets its outcome, including
        those of callers that were let in just before the stop and have yet to reach the loop."""
        this = asyncio.current_task()
        while True:
            pending = asyncio.all_tasks() - {this}
            if pending:
                await asyncio.wait(pending)
            elif self._callers:
                await asyncio.sleep(_DRAIN_POLL)
            else:
                return


async def _current_token() -> anyio.lowlevel.EventLoopToken:
    return anyio.lowlevel.current_token()


async def _awaited(last: Callable[[], Awaitable[None]]) -> None:
    await last()


async def _quietly(last: Callable[[], Awaitable[None]]) -> None:
    with contextlib.suppress(Exception):
        await last()
