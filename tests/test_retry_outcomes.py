"""What a retry's answer means after an attempt the server may have carried out, and what a
call that never got a pooled connection reports."""

from __future__ import annotations

import asyncio
import time

import pytest

from revox_async import (
    APIError,
    APITimeoutError,
    AsyncRevox,
    ConflictError,
    NotFoundError,
    RetryPolicy,
    Revox,
    Timeout,
)

from ._helpers import KEY, LoopbackServer, Reply
from .contract import example

POLICY = RetryPolicy(max_retries=2, initial_delay=0.0)
# The first attempt's answer comes after its read limit: the server got it and may have acted.
STALLED = Reply(json={"success": True}, delay=2.0)
GONE = Reply(status=404, json={"error": "assistant not found"})
DELETE_PATH = "/assistants/a"


def _client(server: LoopbackServer, **options: object) -> AsyncRevox:
    return AsyncRevox(
        KEY,
        base_url=server.url,
        timeout=Timeout(total=20, read=0.3),
        retry_policy=POLICY,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "first", [STALLED, Reply(status=503), Reply(drop=True)], ids=["timeout", "503", "dropped"]
)
async def test_a_delete_answered_404_after_an_ambiguous_attempt_succeeded(
    server: LoopbackServer, first: Reply
) -> None:
    server.reply("DELETE", DELETE_PATH, first, GONE)
    async with _client(server) as client:
        await client.assistants.delete("a")
    assert server.count("DELETE", DELETE_PATH) == 2


@pytest.mark.asyncio
async def test_a_raw_delete_answered_404_after_an_ambiguous_attempt_shows_that_response(
    server: LoopbackServer,
) -> None:
    server.reply("DELETE", DELETE_PATH, STALLED, GONE)
    async with _client(server) as client:
        raw = await client.with_raw_response(client.assistants.delete, "a")
    assert raw.data is None
    assert raw.status_code == 404
    assert raw.info.retries_taken == 1
    assert raw.info.maybe_processed_before is True


@pytest.mark.asyncio
async def test_the_sync_client_agrees(server: LoopbackServer) -> None:
    server.reply("DELETE", DELETE_PATH, STALLED, GONE)

    def work() -> None:
        with Revox(
            KEY, base_url=server.url, timeout=Timeout(total=20, read=0.3), retry_policy=POLICY
        ) as client:
            client.assistants.delete("a")

    await asyncio.to_thread(work)
    assert server.count("DELETE", DELETE_PATH) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize("first", [None, Reply(status=429)], ids=["first-attempt", "after-429"])
async def test_a_delete_of_something_that_was_never_there_still_fails(
    server: LoopbackServer, first: Reply | None
) -> None:
    server.reply("DELETE", DELETE_PATH, *([first] if first else []), GONE)
    async with _client(server) as client:
        with pytest.raises(NotFoundError) as info:
            await client.assistants.delete("a")
    assert not info.value.maybe_processed_before
    assert "earlier attempt" not in str(info.value)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "action"),
    [("/call/c/cancel", "calls.cancel"), ("/campaigns/c/pause", "campaigns.pause")],
)
async def test_a_conflict_after_an_ambiguous_attempt_is_raised_and_says_why(
    server: LoopbackServer, path: str, action: str
) -> None:
    server.reply("POST", path, STALLED, Reply(status=409, json={"error": "already done"}))
    async with _client(server) as client:
        resource, method = action.split(".")
        with pytest.raises(ConflictError) as info:
            await getattr(getattr(client, resource), method)("c")
    assert info.value.maybe_processed_before
    assert "an earlier attempt, which failed after it was sent, may have done this" in str(
        info.value
    )
    assert server.count("POST", path) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("replies", "noted"),
    [
        ([STALLED, Reply(json={"success": False})], True),
        ([Reply(status=429), Reply(json={"success": False})], False),
        ([Reply(json={"success": False})], False),
    ],
    ids=["after-timeout", "after-429", "first-attempt"],
)
async def test_success_false_says_whether_an_earlier_attempt_may_have_acted(
    server: LoopbackServer, replies: list[Reply], noted: bool
) -> None:
    server.reply("POST", "/call/c/cancel", *replies)
    async with _client(server) as client:
        with pytest.raises(APIError, match="success=false") as info:
            await client.calls.cancel("c")
    assert ("an earlier attempt" in str(info.value)) is noted


@pytest.mark.asyncio
async def test_raw_responses_of_acknowledged_actions_keep_their_metadata(
    server: LoopbackServer,
) -> None:
    server.reply("POST", "/call/c/cancel", STALLED, Reply(json={"success": True}))
    async with _client(server) as client:
        raw = await client.with_raw_response(client.calls.cancel, "c")
    assert raw.data is None
    assert (raw.status_code, raw.info.retries_taken) == (200, 1)
    assert raw.info.maybe_processed_before


async def _hold_the_only_connection(
    server: LoopbackServer, client: AsyncRevox
) -> asyncio.Task[object]:
    server.reply("GET", "/assistants/slow", Reply(json=example("assistants.retrieve"), delay=3))
    holder: asyncio.Task[object] = asyncio.create_task(
        client.with_options(timeout=10).assistants.retrieve("slow")
    )
    for _ in range(500):
        if server.count("GET", "/assistants/slow"):
            return holder
        await asyncio.sleep(0.01)
    raise AssertionError("the slow request never reached the server")


@pytest.mark.asyncio
async def test_a_total_spent_waiting_for_a_pooled_connection_sent_nothing(
    server: LoopbackServer,
) -> None:
    server.reply("POST", "/assistants", Reply(json=example("assistants.create")))
    async with _client(server, connection_limit=1) as client:
        holder = await _hold_the_only_connection(server, client)
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as info:
            await client.with_options(timeout=0.5).assistants.create(name="n", prompt="p")
        assert time.monotonic() - started < 5
        holder.cancel()
        with pytest.raises(asyncio.CancelledError):
            await holder
    assert not info.value.maybe_processed
    assert "nothing was sent" in str(info.value)
    assert server.count("POST", "/assistants") == 0


@pytest.mark.asyncio
async def test_a_timeout_after_the_request_left_is_still_maybe_processed(
    server: LoopbackServer,
) -> None:
    server.reply("POST", "/assistants", Reply(json=example("assistants.create"), delay=3))
    async with _client(server, connection_limit=1) as client:
        with pytest.raises(APITimeoutError) as info:
            await client.with_options(timeout=0.5).assistants.create(name="n", prompt="p")
    assert info.value.maybe_processed
    assert server.count("POST", "/assistants") == 1
