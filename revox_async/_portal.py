"""An event loop in a background thread, for running the async client from sync code.

Each call crosses to the loop with ``call_soon_threadsafe`` and waits on a bare lock that the
task's completion releases: the cheapest hand-off measured (see docs/performance.md), about a
third of the cost of an anyio blocking portal, with the same guarantees. Waiting on a lock keeps
Ctrl-C working: on POSIX the wait is interrupted by signals, and the interrupted call is
cancelled.

The thread is a daemon, because a sync client someone forgot to close must not keep the
interpreter from exiting; its session is still closed at exit by the client's exit hook, which
runs while daemon threads are alive. In a forked child the parent's thread does not exist: the
first call there starts a new one and leaves the parent's loop alone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, cast

from . import _fork
from ._errors import RevoxError

T = TypeVar("T")

THREAD_NAME = "revox-async-portal"


class _Call(Generic[T]):
    """One sync call in flight: started on the loop, awaited by the calling thread."""

    __slots__ = ("_make", "_task", "done", "failure", "outcome")

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make
        self._task: asyncio.Future[T] | None = None
        self.done = threading.Lock()
        self.done.acquire()
        self.outcome: T | None = None
        self.failure: BaseException | None = None

    def start(self) -> None:
        """On the loop: start the coroutine as a task (its own context, like any task)."""
        try:
            self._task = asyncio.ensure_future(self._make())
        except BaseException as exc:  # a call that raises before it is awaitable
            self.failure = exc
            self.done.release()
            return
        self._task.add_done_callback(self._finish)

    def _finish(self, task: asyncio.Future[T]) -> None:
        if task.cancelled():
            self.failure = asyncio.CancelledError()
        elif (exc := task.exception()) is not None:
            self.failure = exc
        else:
            self.outcome = task.result()
        self.done.release()

    def cancel(self) -> None:
        """On the loop: stop the task (scheduled after :meth:`start`, so the task exists)."""
        if self._task is not None:
            self._task.cancel()


class PortalThread:
    """Starts its thread on first use (in each process); :meth:`shutdown` stops it for good."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._thread_id: int | None = None
        self._closed = False
        self._pid = os.getpid()
        _fork.track(self)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def forget_parent(self) -> None:
        """In a forked child: drop the parent's loop and thread, never touching them."""
        with _fork.reset_lock:
            if self._pid == os.getpid():
                return
            if isinstance(self._loop, asyncio.BaseEventLoop):
                # Its finalizer would close it, unregistering the parent's file descriptors
                # from the epoll instance both processes share: the parent's loop would stop
                # waking up. Marked closed, it is never closed.
                setattr(self._loop, "_closed", True)  # noqa: B010
            _fork.abandon(self._loop, self._thread)
            self._lock = threading.Lock()
            self._loop = None
            self._thread = None
            self._thread_id = None
            self._pid = os.getpid()

    def _submit(self, call: _Call[Any], *, closing: bool = False) -> asyncio.AbstractEventLoop:
        if self._pid != os.getpid():
            self.forget_parent()
        with self._lock:
            if self._closed and not closing:
                raise RevoxError("this client is closed; create a new one")
            loop = self._loop
            if loop is None:
                loop = self._loop = self._start()
            # Under the lock, so that shutdown's stop is always queued after every call.
            loop.call_soon_threadsafe(call.start)
            return loop

    def _start(self) -> asyncio.AbstractEventLoop:
        ready: concurrent.futures.Future[asyncio.AbstractEventLoop] = concurrent.futures.Future()
        self._thread = threading.Thread(target=_serve, args=(ready,), name=THREAD_NAME, daemon=True)
        self._thread.start()
        self._thread_id = self._thread.ident
        return ready.result()

    def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call()`` on the loop and wait for its result in this thread."""
        if threading.get_ident() == self._thread_id:
            # The loop would wait for itself forever.
            raise RevoxError(
                "a sync client was called from its own event loop thread; in a coroutine, "
                "await the AsyncRevox method instead"
            )
        pending: _Call[T] = _Call(call)
        loop = self._submit(pending)
        try:
            pending.done.acquire()
        except BaseException:
            # Interrupted while waiting (KeyboardInterrupt): stop the task rather than leave it
            # running unobserved.
            loop.call_soon_threadsafe(pending.cancel)
            raise
        if pending.failure is not None:
            raise pending.failure
        return cast(T, pending.outcome)

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
        loop = self._loop
        if loop is None:
            return
        final: _Call[None] = _Call(last)
        # The stop comes after the start: the loop then lets ``last()`` finish, as it does
        # every call still in flight, and the thread ends on its own.
        loop.call_soon_threadsafe(final.start)
        loop.call_soon_threadsafe(loop.stop)

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
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        final: _Call[None] = _Call(last)
        if threading.get_ident() == self._thread_id:
            # Run by the loop thread itself (the garbage collector may finalize a client there):
            # waiting would deadlock. The loop finishes ``last()`` after it stops, as it does
            # every call still in flight, and the thread then ends on its own.
            self._submit(final, closing=True)
            loop.stop()
            return
        try:
            self._submit(final, closing=True)
            final.done.acquire()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
        if final.failure is not None:
            raise final.failure


def _serve(ready: concurrent.futures.Future[asyncio.AbstractEventLoop]) -> None:
    try:
        loop = asyncio.new_event_loop()
    except BaseException as exc:  # surface start-up failures to the waiting caller
        ready.set_exception(exc)
        raise
    asyncio.set_event_loop(loop)
    loop.call_soon(ready.set_result, loop)
    try:
        loop.run_forever()
        # Calls still running when the portal stops end on their own once the session is
        # closed: let them finish, so that every caller gets its outcome.
        pending = asyncio.all_tasks(loop)
        if pending:
            loop.run_until_complete(asyncio.wait(pending))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
