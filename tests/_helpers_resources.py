"""Helpers for the resource tests: contract examples, call variants, the never-resend check."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

from revox_async import APIConnectionError, AsyncRevox, InternalServerError, Revox

from ._server import LoopbackServer, Reply
from .conftest import KEY, NO_WAIT, example
from .contract import EXAMPLES

T = TypeVar("T")

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
    "429": (RATE_LIMITED, None),
}
"""How a side effect's first attempt fails, and the error expected (None: resent, succeeds)."""


async def check_never_resent(
    server: LoopbackServer,
    client: AsyncRevox,
    failure: str,
    route: tuple[str, str],
    invoke: Callable[[AsyncRevox], Awaitable[object]],
    ok: Any,
) -> None:
    """A side effect answered by a dropped connection or a 503 is sent once and raises; one
    answered by 429 (refused before processing) is sent again and succeeds."""
    method, path = route
    reply, error = FAILURES[failure]
    server.reply(method, path, reply, Reply(json=ok))
    if error is None:
        await invoke(client)
        assert server.count(method, path) == 2
    else:
        with pytest.raises(error):
            await invoke(client)
        assert server.count(method, path) == 1
