"""Headers as they reach the server: each one once, whatever the spelling of the caller's own,
on every attempt, read from the raw request rather than a merged mapping."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from revox_async import AsyncRevox

from ._helpers import KEY, NO_WAIT, LoopbackServer, Reply, in_sync_client

AUTHENTICATED = Reply(json={"authenticated": True})


def _repeated(server: LoopbackServer) -> list[list[str]]:
    """For each request, the header names it carried more than once."""
    return [
        [name for name, count in Counter(n.lower() for n, _ in r.headers.raw).items() if count > 1]
        for r in server.requests
    ]


@pytest.mark.asyncio
async def test_every_attempt_carries_each_header_once(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/auth-status", Reply(status=503), Reply(status=502), AUTHENTICATED)
    assert await client.auth_status.retrieve() is True
    assert len(server.requests) == 3
    assert _repeated(server) == [[], [], []]
    assert [r.headers.getall("Authorization") for r in server.requests] == [[f"Bearer {KEY}"]] * 3


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION"])
async def test_a_default_header_of_any_spelling_never_replaces_the_key(
    server: LoopbackServer, name: str
) -> None:
    server.reply("GET", "/auth-status", AUTHENTICATED)
    # The caller's defaults cannot replace authentication, however they spell it: refused
    # when given, so nothing is sent with the wrong credentials.
    with pytest.raises(ValueError, match=r"(?i)must not set authorization"):
        AsyncRevox(KEY, base_url=server.url, default_headers={name: "Bearer other"})
    async with AsyncRevox(KEY, base_url=server.url, default_headers={"x-trace": "1"}) as client:
        await client.with_options(retry_policy=NO_WAIT).auth_status.retrieve()
    (request,) = server.requests
    assert request.headers.getall("authorization") == [f"Bearer {KEY}"]
    assert request.headers.getall("X-Trace") == ["1"]
    assert _repeated(server) == [[]]


@pytest.mark.asyncio
async def test_the_sync_client_sends_each_header_once(server: LoopbackServer) -> None:
    server.reply("GET", "/auth-status", Reply(status=503), AUTHENTICATED)
    assert await in_sync_client(server, lambda client: client.auth_status.retrieve()) is True
    assert _repeated(server) == [[], []]
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in server.requests)


@pytest.mark.asyncio
async def test_the_server_sees_a_repeated_header(server: LoopbackServer) -> None:
    """What the checks above rely on: a header sent twice is seen twice, and looking it up as
    one fails the test."""
    # Written by hand: HTTP clients merge repeated headers before sending.
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"GET /auth-status HTTP/1.1\r\nHost: loopback\r\nAuthorization: Bearer a\r\n"
        b"authorization: Bearer b\r\nConnection: close\r\n\r\n"
    )
    await writer.drain()
    assert (await reader.readline()).startswith(b"HTTP/1.1 404")
    writer.close()
    await writer.wait_closed()
    (request,) = server.requests
    assert request.headers.getall("AUTHORIZATION") == ["Bearer a", "Bearer b"]
    assert _repeated(server) == [["authorization"]]
    with pytest.raises(AssertionError, match="Authorization sent 2 times"):
        request.headers["Authorization"]
