"""A loopback HTTP server for tests: scripted replies per route, every request recorded."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from types import TracebackType
from typing import Any

import attrs
from aiohttp import web


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


@attrs.frozen
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class LoopbackServer:
    """Serves scripted replies on 127.0.0.1. Unscripted routes answer 404.

    ``reply(method, path, *replies)`` queues replies for a route; the last one repeats.
    """

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._replies: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Handlers still sleeping on a scripted delay are not worth waiting for at teardown.
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        self.url = ""

    def reply(self, method: str, path: str, *replies: Reply) -> None:
        self._replies[(method, path)].extend(replies)

    def reply_json(self, method: str, path: str, payload: Any) -> None:
        self.reply(method, path, Reply(json=payload))

    def count(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if (r.method, r.path) == (method, path))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Recorded(request.method, request.raw_path, dict(request.headers), await request.read())
        )
        queue = self._replies.get((request.method, request.raw_path))
        if not queue:
            return web.json_response({"error": "no such route"}, status=404)
        reply = queue.popleft() if len(queue) > 1 else queue[0]
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

    async def __aenter__(self) -> LoopbackServer:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._runner.cleanup()
