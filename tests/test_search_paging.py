"""calls.search against a server that serves fewer calls per page than asked."""

from __future__ import annotations

import pytest

from revox_async import AsyncRevox, Revox

from ._helpers import LoopbackServer, Reply, in_sync_client, page

# Five matching calls, served at most two per page whatever page_size asks for.
CAPPED = [page(["a", "b"], 5), page(["c", "d"], 5), page(["e"], 5)]


def _pages_requested(server: LoopbackServer) -> list[int]:
    return [r.json()["page"] for r in server.requests if r.path == "/call/search"]


@pytest.mark.asyncio
async def test_a_capped_page_size_does_not_end_the_search(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("POST", "/call/search", *(Reply(json=p) for p in CAPPED))
    found = [call.id async for call in client.calls.search(page_size=5)]
    assert found == ["a", "b", "c", "d", "e"]
    assert _pages_requested(server) == [1, 2, 3]


@pytest.mark.asyncio
async def test_the_sync_pager_reads_every_capped_page(server: LoopbackServer) -> None:
    server.reply("POST", "/call/search", *(Reply(json=p) for p in CAPPED))

    def work(client: Revox) -> list[str]:
        return [call.id for call in client.calls.search(page_size=5)]

    assert await in_sync_client(server, work) == ["a", "b", "c", "d", "e"]
    assert _pages_requested(server) == [1, 2, 3]


@pytest.mark.asyncio
async def test_a_short_page_that_completes_the_total_ends_the_search(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("POST", "/call/search", Reply(json=page(["a", "b"], 2)))
    found = [call.id async for call in client.calls.search(page_size=5)]
    assert found == ["a", "b"]
    assert _pages_requested(server) == [1]
