"""Shared fixtures: a recording loopback server, clients bound to it, the aioresponses shim;
the hypothesis profiles.

Test modules import what they share from ``tests/_helpers.py``, never from here.

``ci`` (the default profile) is quick and deterministic: the same inputs on every run and
machine, so a red build is reproducible and a green one means something. ``deep`` explores far
more, with fresh inputs each time and failures saved for replay, for a local hunt::

    HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest -q tests/reliability/test_fuzz.py
"""

from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aioresponses.core
import pytest
import pytest_asyncio
from aiohttp import ClientResponse
from hypothesis import settings

from revox_async import AsyncRevox

from ._helpers import KEY, NO_WAIT, LoopbackServer
from ._helpers import refused_url as refused

pytest_plugins = ["pytester"]

settings.register_profile(
    "ci",
    max_examples=75,
    deadline=None,
    derandomize=True,
    # A database would replay earlier failures and make two runs of one commit differ.
    database=None,
    print_blob=True,
)
settings.register_profile("deep", max_examples=3000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback base URL whose every connection is refused, its port held for the test."""
    with refused() as url:
        yield url
