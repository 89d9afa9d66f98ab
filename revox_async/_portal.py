"""An event loop in a background thread, for running the async client from sync code.

The loop runs in a daemon thread behind an anyio blocking portal. Daemon, because a sync client
someone forgot to close must not keep the interpreter from exiting; its session is still closed
at exit by the client's finalizer, which runs while daemon threads are alive.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ._errors import RevoxError

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

T = TypeVar("T")


class PortalThread:
    """Starts its thread on first use; :meth:`shutdown` stops it for good."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _ensure_started(self) -> BlockingPortal:
        with self._lock:
            if self._closed:
                raise RevoxError("this client is closed; create a new one")
            if self._portal is None:
                ready: concurrent.futures.Future[BlockingPortal] = concurrent.futures.Future()
                self._thread = threading.Thread(
                    target=_serve, args=(ready,), name="revox-async-portal", daemon=True
                )
                self._thread.start()
                self._portal = ready.result()
            return self._portal

    def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call()`` on the loop and wait for its result in this thread."""
        future = self._ensure_started().start_task_soon(call)
        try:
            return future.result()
        except BaseException:
            # Interrupted while waiting (KeyboardInterrupt): stop the task rather than leave it
            # running unobserved. A no-op when the task itself raised.
            future.cancel()
            raise

    def shutdown(self, last: Callable[[], Awaitable[None]]) -> None:
        """Run ``last()`` on the loop, then stop the loop and join its thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            portal, thread = self._portal, self._thread
        if portal is None or thread is None:
            return
        try:
            portal.call(last)
        finally:
            portal.call(portal.stop)
            thread.join()


def _serve(ready: concurrent.futures.Future[BlockingPortal]) -> None:
    # anyio is imported here, on first use of a sync client, to keep it out of the start-up
    # of programs that only use the async client.
    import anyio
    from anyio.from_thread import BlockingPortal

    async def main() -> None:
        async with BlockingPortal() as portal:
            ready.set_result(portal)
            await portal.sleep_until_stopped()

    try:
        anyio.run(main, backend="asyncio")
    except BaseException as exc:  # surface start-up failures to the waiting caller
        if not ready.done():
            ready.set_exception(exc)
        raise
