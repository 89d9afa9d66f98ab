"""The fake served from a background thread, for sync code and sync tests.

A sync client blocks its caller, so a fake on the caller's own event loop could never answer.
This runs the fake on the same kind of portal thread the sync client uses.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from .._sync.client import Revox
from .._sync.portal import PortalThread
from ._server import FakeRevox

T = TypeVar("T")


class FakeRevoxThread:
    """``with FakeRevoxThread(seed_demo_data=True) as fake:`` serves a :class:`FakeRevox`.

    Takes the keyword arguments of ``FakeRevox``. Reach the fake's state with :meth:`call`, so
    that it is read or changed on the thread that serves requests. An application that lives
    longer than a ``with`` block calls :meth:`start` and :meth:`stop` instead.
    """

    def __init__(self, **options: Any) -> None:
        self._fake = FakeRevox(**options)
        self._portal = PortalThread()
        self._clients: list[Revox] = []
        self._stopped = False

    @property
    def url(self) -> str:
        return self._fake.url

    @property
    def api_key(self) -> str:
        return self._fake.api_key

    def call(self, function: Callable[[FakeRevox], T]) -> T:
        """Run ``function(fake)`` on the serving thread and return its result."""

        async def apply() -> T:
            return function(self._fake)

        return self._portal.run(apply)

    def advance(self, seconds: float) -> None:
        """Move the fake's clock, as :meth:`FakeRevox.advance`."""
        self.call(lambda fake: fake.advance(seconds))

    def client(self, **options: Any) -> Revox:
        """A :class:`Revox` bound to this fake, closed with it."""
        client = Revox(self.api_key, base_url=self.url, **options)
        self._clients.append(client)
        return client

    def start(self) -> None:
        """Serve from the background thread; does nothing when already serving."""
        if self._stopped:
            raise RuntimeError("this FakeRevoxThread is stopped; create a new one")
        self._portal.run(self._fake.start)

    def stop(self) -> None:
        """Close its clients and the fake, and end the thread; does nothing the second time."""
        self._stopped = True
        clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        self._portal.shutdown(self._fake.close)

    def __enter__(self) -> FakeRevoxThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
