"""Shared fixtures: a recording loopback server, clients bound to it, the aioresponses shim."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

import aioresponses.core
import pytest_asyncio
from aiohttp import ClientResponse

from revox_async import AsyncRevox, RetryPolicy

from ._server import LoopbackServer
from .contract import example, seed_example

pytest_plugins = ["pytester"]
__all__ = ["KEY", "NO_WAIT", "example", "seed_example"]

KEY = "rvx_test_0123456789abcdef"
NO_WAIT = RetryPolicy(max_retries=2, initial_delay=0.0)


class _StreamWriterStandIn:
    output_size = 0


# aioresponses 0.7.9 builds ClientResponse without the `stream_writer` argument that aiohttp
# 3.14 requires (pnuckowski/aioresponses#289, fixed by the unreleased PR #288). aiohttp only
# reads its `output_size`, so a stand-in is enough. Remove once a fixed aioresponses ships.
if "stream_writer" in inspect.signature(ClientResponse.__init__).parameters:

    class _ShimmedClientResponse(ClientResponse):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", _StreamWriterStandIn())
            super().__init__(*args, **kwargs)

    aioresponses.core.ClientResponse = _ShimmedClientResponse  # type: ignore[attr-defined]


@pytest_asyncio.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer() as srv:
        yield srv


@pytest_asyncio.fixture
async def client(server: LoopbackServer) -> AsyncIterator[AsyncRevox]:
    async with AsyncRevox(KEY, base_url=server.url) as revox:
        yield revox.with_options(retry_policy=NO_WAIT)
