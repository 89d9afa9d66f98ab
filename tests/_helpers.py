"""What the tests share: the key, ids and retry policies, the loopback HTTP server, refused
URLs, and the checks the resource tests repeat (never resent, resent after 429, sync twins).

:class:`LoopbackServer` serves scripted replies on a loopback address and records every request
with its headers exactly as they arrived (repeats and spelling kept). It can also serve chosen
routes with their path parameters, answer through a function of the test, serve TLS, and run
on a loop thread of its own (:meth:`LoopbackServer.start` / :meth:`LoopbackServer.close`).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import attrs
import pytest
from aiohttp import web

from revox_async import APIConnectionError, AsyncRevox, InternalServerError, RetryPolicy, Revox
from revox_async._sync.methods import ASYNC_TWIN

from .contract import EXAMPLES, example, seed_example

T = TypeVar("T")

__all__ = [
    "ASSISTANT_ID",
    "DROPPED",
    "FAILURES",
    "KEY",
    "NO_WAIT",
    "RATE_LIMITED",
    "UNAVAILABLE",
    "LoopbackServer",
    "RawHeaders",
    "Recorded",
    "Reply",
    "Respond",
    "call_json",
    "check_never_resent",
    "check_resent_after_429",
    "check_sync_twin",
    "collect",
    "example",
    "in_order",
    "in_sync_client",
    "page",
    "refused_url",
    "request",
    "seed_example",
]

KEY = "rvx_test_0123456789abcdef"
# The id of the assistant in the contract's examples.
ASSISTANT_ID = "a3f1c9e2-6b4d-4e8a-9c21-7d5e0b8f4a16"
NO_WAIT = RetryPolicy(max_retries=2, initial_delay=0.0)


@attrs.frozen
class Reply:
    """What the server does for one request: answer, wait, or drop the connection.

    ``drop`` closes the connection without answering; ``delay`` waits before answering.
    """

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    drop: bool = False


class RawHeaders(Mapping[str, str]):
    """The headers of a request as they arrived, looked up without regard to case.

    Looking up a header the request carried more than once fails the test: a repeated
    ``Authorization`` must not pass for a single one. :meth:`getall` gives every value.
    """

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self.raw = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in raw)

    def getall(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.raw if key.lower() == wanted]

    def __getitem__(self, name: str) -> str:
        values = self.getall(name)
        if not values:
            raise KeyError(name)
        assert len(values) == 1, f"{name} sent {len(values)} times: {values}"
        return values[0]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key.lower() for key, _ in self.raw))

    def __len__(self) -> int:
        return len({key.lower() for key, _ in self.raw})

    def __repr__(self) -> str:
        return f"RawHeaders({list(self.raw)!r})"


@attrs.frozen
class Recorded:
    """One request as the server saw it.

    ``route`` is the template of the route it reached (None for the catch-all) and ``params``
    its decoded path parameters; ``received_at`` is :func:`time.monotonic` on arrival.
    """

    method: str
    path: str
    headers: RawHeaders
    body: bytes
    route: str | None = None
    params: dict[str, str] = attrs.field(factory=dict)
    received_at: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


Respond = Callable[[web.Request], Awaitable["Reply | web.StreamResponse | None"]]
"""A test's own answer to a request; None falls back to the scripted replies."""


class LoopbackServer:
    """Serves scripted replies on a loopback address. Unscripted routes answer 404.

    ``reply(method, path, *replies)`` queues replies for a route; the last one repeats.
    ``routes`` adds routes as (method, template) pairs, ``{id}`` matching one path segment.
    ``respond`` answers first when given.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        ssl_context: ssl.SSLContext | None = None,
        routes: Iterable[tuple[str, str]] = (),
        respond: Respond | None = None,
    ) -> None:
        self.requests: list[Recorded] = []
        self.respond = respond
        self._host = host
        self._ssl_context = ssl_context
        self._replies: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        app = web.Application(client_max_size=16 * 1024 * 1024)
        for method, template in routes:
            # aiohttp's default parameter pattern refuses braces; the API's ids do not.
            pattern = template.replace("{id}", "{id:[^/]+}")
            app.router.add_route(method, pattern, functools.partial(self._handle, template))
        app.router.add_route("*", "/{tail:.*}", functools.partial(self._handle, None))
        # Handlers still sleeping on a scripted delay are not worth waiting for at teardown.
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, access_log=None)
        self.url = ""

    def reply(self, method: str, path: str, *replies: Reply) -> None:
        self._replies[(method, path)].extend(replies)

    def reply_json(self, method: str, path: str, payload: Any) -> None:
        self.reply(method, path, Reply(json=payload))

    def count(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if (r.method, r.path) == (method, path))

    async def _handle(self, route: str | None, request: web.Request) -> web.StreamResponse:
        received_at = time.monotonic()
        params = {} if route is None else dict(request.match_info)
        self.requests.append(
            Recorded(
                request.method,
                request.raw_path,
                RawHeaders(request.raw_headers),
                await request.read(),
                route,
                params,
                received_at,
            )
        )
        answer = None if self.respond is None else await self.respond(request)
        if isinstance(answer, web.StreamResponse):
            return answer
        if answer is None:
            queue = self._replies.get((request.method, request.raw_path))
            if not queue:
                return web.json_response({"error": "no such route"}, status=404)
            answer = queue.popleft() if len(queue) > 1 else queue[0]
        return await self._serve(request, answer)

    @staticmethod
    async def _serve(request: web.Request, reply: Reply) -> web.StreamResponse:
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.drop:
            assert request.transport is not None
            request.transport.abort()
            raise asyncio.CancelledError
        body = reply.body if reply.body is not None else json.dumps(reply.json).encode()
        return web.Response(
            status=reply.status, body=body, headers=reply.headers, content_type=reply.content_type
        )

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, 0, ssl_context=self._ssl_context)
        await site.start()
        port = self._runner.addresses[0][1]
        scheme = "https" if self._ssl_context else "http"
        host = f"[{self._host}]" if ":" in self._host else self._host
        self.url = f"{scheme}://{host}:{port}"

    async def close(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> LoopbackServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


@contextlib.contextmanager
def refused_url() -> Iterator[str]:
    """A loopback base URL whose every connection is refused.

    The port stays bound, never listening, until the block ends: the kernel refuses connections
    to it, and no other socket can take it in the meantime.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


# -- the resource tests ------------------------------------------------------------------------


@contextlib.contextmanager
def html_site(body: bytes, statuses: Mapping[str, int] | None = None) -> Iterator[str]:
    """A plain web site on loopback, served from a thread of its own so that a command run in
    a subprocess can reach it while the test waits: every GET answers ``body`` as HTML, with
    the status ``statuses`` gives the path without its last segment (404 otherwise)."""
    by_prefix = dict(statuses or {})

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(by_prefix.get(self.path.rpartition("/")[0], 404))
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


CHILD_LIMIT = 15
"""Seconds a forked child may take before it counts as hung."""


def in_forked_child(work: Callable[[], int]) -> int:
    """Fork; run ``work`` in the child (bounded by an alarm) and exit with its result; return
    the child's exit code. A child that outlives ``CHILD_LIMIT`` is killed and fails the test."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 70
        try:
            signal.alarm(CHILD_LIMIT)
            code = work()
        finally:
            os._exit(code)
    deadline = time.monotonic() + CHILD_LIMIT + 5
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the child process hung")
        time.sleep(0.02)


ROOT = Path(__file__).resolve().parents[1]
"""The repository: the working directory of scripts run by :func:`run_python`."""


def run_python(
    script: str, *args: str, timeout: float = 120, cwd: str | os.PathLike[str] = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (dedented) in a fresh interpreter with warnings as errors; fail the test
    with its stderr unless it exits 0."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


DROPPED = Reply(drop=True)
UNAVAILABLE = Reply(status=503, json={"error": "try later"})
RATE_LIMITED = Reply(status=429, json={"error": "slow down"}, headers={"Retry-After": "0"})


def request(name: str) -> Any:
    """A request body example, from ``requests/`` or ``extra/requests/``."""
    for folder in ("requests", "extra/requests"):
        path = EXAMPLES / folder / f"{name}.json"
        if path.exists():
            return json.loads(path.read_text())
    raise FileNotFoundError(name)


def call_json(call_id: str = "call-1", status: str = "completed") -> dict[str, Any]:
    """The example call with another id and status."""
    call: dict[str, Any] = copy.deepcopy(example("call.retrieve")["call"])
    call.update(id=call_id, status=status)
    return call


def page(ids: list[str], total: int) -> dict[str, Any]:
    """A ``calls.search`` response holding calls with these ids."""
    return {"calls": [call_json(i) for i in ids], "total_count": total}


async def collect(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]


async def in_order(**steps: Awaitable[Any]) -> dict[str, Any]:
    """Await the steps one after the other; their results by name (None for acknowledgements)."""
    return {name: await step for name, step in steps.items()}


async def in_sync_client(server: LoopbackServer, work: Callable[[Revox], T]) -> T:
    """Run ``work`` with a sync client of ``server`` in a worker thread, so the server keeps
    serving on this event loop, and close the client afterwards."""

    def run() -> T:
        with Revox(KEY, base_url=server.url) as root:
            return work(root.with_options(retry_policy=NO_WAIT))

    return await asyncio.to_thread(run)


FAILURES = {
    "dropped": (DROPPED, APIConnectionError),
    "503": (UNAVAILABLE, InternalServerError),
}
"""How a side effect's first attempt fails, and the error expected."""


async def check_never_resent(
    server: LoopbackServer,
    client: AsyncRevox,
    failure: str,
    route: tuple[str, str],
    invoke: Callable[[AsyncRevox], Awaitable[object]],
    ok: Any,
) -> None:
    """A side effect answered by a dropped connection or a 503 is sent once and raises."""
    method, path = route
    reply, error = FAILURES[failure]
    server.reply(method, path, reply, Reply(json=ok))
    with pytest.raises(error):
        await invoke(client)
    assert server.count(method, path) == 1


async def check_resent_after_429(
    server: LoopbackServer,
    client: AsyncRevox,
    route: tuple[str, str],
    invoke: Callable[[AsyncRevox], Awaitable[object]],
    ok: Any,
) -> None:
    """A side effect answered by 429 (refused before processing) is sent again and succeeds."""
    method, path = route
    server.reply(method, path, RATE_LIMITED, Reply(json=ok))
    await invoke(client)
    assert server.count(method, path) == 2


def check_sync_twin(sync_method: Callable[..., Any], async_method: Callable[..., Any]) -> None:
    """The sync method runs exactly ``async_method`` (the same function, bound to the same
    resource), and introspection (``help``, ``inspect.signature``) reads that method."""
    twin = getattr(sync_method, ASYNC_TWIN)
    assert twin.__func__ is async_method.__func__  # type: ignore[attr-defined]
    assert twin.__self__ is async_method.__self__  # type: ignore[attr-defined]
    assert sync_method.__wrapped__ is twin  # type: ignore[attr-defined]
    assert sync_method.__name__ == async_method.__name__
