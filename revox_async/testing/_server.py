"""The fake server object tests start, and the standalone entry point."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from aiohttp import web

from .._api_key import check_api_key
from .._client import AsyncRevox
from ._clock import FAST_SPEED, FakeClock, default_clock
from ._faults import Faults
from ._http.app import create_app
from ._http.context import RecordedRequest
from ._lifecycle import CallScript, CallTiming, Lifecycle
from ._store import Store


class FakeRevox:
    """A stateful fake of the Revox API served over HTTP on a loopback port.

    Use it as ``async with FakeRevox(seed_demo_data=True) as fake:`` and point a client at
    ``fake.url`` with ``fake.api_key``. Calls progress through their lifecycle as the fake's
    clock moves. Without a ``clock``, inside a pytest test time stands still until
    :meth:`advance` moves it; elsewhere it runs 100 times faster than wall time until the
    first :meth:`advance`, so that a script's ``calls.wait`` returns within seconds. Pass
    ``clock=FakeClock()`` for a clock that only moves when told to.
    """

    def __init__(
        self,
        *,
        seed_demo_data: bool = False,
        api_key: str | None = None,
        drift: bool = False,
        clock: FakeClock | None = None,
        timing: CallTiming | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.api_key: str = api_key or f"rvx_test_{secrets.token_urlsafe(24)}"
        self.drift: bool = drift
        self.clock: FakeClock = clock or default_clock()
        self.lifecycle: Lifecycle = Lifecycle(self.clock, timing)
        self.state: Store = Store(self.clock, self.lifecycle, seed_demo_data=seed_demo_data)
        self.faults: Faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._clients: list[AsyncRevox] = []

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``; routes hang directly off it."""
        if self._url is None:
            raise RuntimeError("the fake server is not started")
        return self._url

    async def start(self) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(create_app(self), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    def client(self, **options: Any) -> AsyncRevox:
        """An :class:`AsyncRevox` bound to this fake, closed with it.

        ``options`` are those of ``AsyncRevox`` (``timeout``, ``max_retries``, ...).
        """
        client = AsyncRevox(self.api_key, base_url=self.url, **options)
        self._clients.append(client)
        return client

    async def close(self) -> None:
        clients, self._clients = self._clients, []
        for client in clients:
            await client.close()
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> FakeRevox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and run every call transition due by then."""
        now = self.clock.advance(seconds)
        self.state.tick()
        return now

    def script_number(
        self,
        phone_number: str,
        *,
        answers: bool = True,
        result: str | None = None,
        dial_error: str | None = None,
        outcome: str | None = None,
        structured_output: Mapping[str, Any] | None = None,
        transcript: Sequence[Mapping[str, Any]] | None = None,
        talk_seconds: float | None = None,
    ) -> CallScript:
        """Decide what happens on every call to ``phone_number``; see :class:`CallScript`."""
        script = CallScript(
            answers=answers,
            result=result,
            dial_error=dial_error,
            outcome=outcome,
            structured_output=structured_output,
            transcript=transcript,
            talk_seconds=talk_seconds,
        )
        self.lifecycle.scripts[phone_number] = script
        return script


def run_server(
    host: str = "127.0.0.1",
    port: int = 8080,
    seed_demo_data: bool = True,
    *,
    api_key: str | None = None,
    speed: float = FAST_SPEED,
) -> None:
    """Serve a fake until interrupted; calls progress on their own.

    Its clock runs ``speed`` fake seconds per real second (``speed=1`` follows wall time), as
    fast as ``revox-async --fake`` by default, so that a call ends within a second. SIGINT and
    SIGTERM stop it cleanly, with one line saying so. Raises :class:`ValueError` for a port
    outside 0-65535 or an ``api_key`` no client would send, and :class:`OSError` when the
    address cannot be listened on (a port already in use, an unknown host).
    """
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be between 0 and 65535, got {port}")
    if api_key is not None:
        check_api_key(api_key, "api_key")
    clock = FakeClock(realtime=True, speed=speed)

    async def serve() -> None:
        stopped = asyncio.Event()
        caught: list[str] = []
        _stop_on_signals(stopped, caught)
        fake = FakeRevox(
            seed_demo_data=seed_demo_data,
            api_key=api_key,
            clock=clock,
            host=host,
            port=port,
        )
        await fake.start()
        print(f"Fake Revox API listening on {fake.url}", flush=True)
        print(f"API key: {fake.api_key}", flush=True)
        try:
            await stopped.wait()
        finally:
            await fake.close()
        print(f"Fake Revox API stopped ({caught[0]})", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


def _stop_on_signals(stopped: asyncio.Event, caught: list[str]) -> None:
    """Set ``stopped`` on SIGINT or SIGTERM, noting which one came in ``caught``.

    Installed explicitly for both: a server started as a background job of a script inherits
    SIGINT as ignored, and SIGTERM's default would end the process without closing the fake.
    """
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread receives signals
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):

        def stop(name: str = number.name) -> None:
            caught.append(name)
            stopped.set()

        with contextlib.suppress(NotImplementedError):  # no loop signal handlers on Windows
            loop.add_signal_handler(number, stop)
