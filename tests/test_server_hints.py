"""Retry-After and x-should-retry, as a loopback server sends them, on both clients."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from revox_async import (
    AsyncRevox,
    BadRequestError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    Revox,
)

from ._helpers import KEY, LoopbackServer, Reply
from .contract import example

ASSISTANT = example("assistants.retrieve")
OK = Reply(json=ASSISTANT)
PATH = "/assistants/a"
# No backoff of its own: a hint counted as absent is retried at once.
POLICY = RetryPolicy(max_retries=1, initial_delay=0.0)
QUICK = 5.0
"""Generous bound (s) on a call that must not have slept; every hint it stands for is longer."""


def _date(seconds: float) -> str:
    return format_datetime(datetime.now(timezone.utc) + timedelta(seconds=seconds), usegmt=True)


ABSENT = ["1e400", "-5", "nan", "inf", "soon", "Fri, 99 Foo 2026 25:61:00 GMT"]
"""Hints that count as absent: the policy's own backoff applies."""

TOO_LONG = {"61": 61.0, "86400": 86400.0}
"""Hints past the 60 s cap of a call without a total timeout, and past a 10 s total."""


async def _retrieve(server: LoopbackServer, *, timeout: float | None, sync: bool) -> None:
    if not sync:
        async with AsyncRevox(
            KEY, base_url=server.url, timeout=timeout, retry_policy=POLICY
        ) as client:
            await client.assistants.retrieve("a")
        return

    def work() -> None:
        with Revox(KEY, base_url=server.url, timeout=timeout, retry_policy=POLICY) as client:
            client.assistants.retrieve("a")

    await asyncio.to_thread(work)


TIMEOUTS = pytest.mark.parametrize("timeout", [10.0, None], ids=["total", "no-total"])
CLIENTS = pytest.mark.parametrize("sync", [False, True], ids=["async", "sync"])


@pytest.mark.asyncio
@TIMEOUTS
@CLIENTS
@pytest.mark.parametrize("hint", [*ABSENT, "0", "past-date"])
async def test_absent_or_immediate_hints_retry_at_once(
    server: LoopbackServer, hint: str, timeout: float | None, sync: bool
) -> None:
    value = _date(-3600) if hint == "past-date" else hint
    server.reply("GET", PATH, Reply(status=503, headers={"retry-after": value}), OK)
    started = time.monotonic()
    await _retrieve(server, timeout=timeout, sync=sync)
    assert time.monotonic() - started < QUICK
    assert server.count("GET", PATH) == 2


@pytest.mark.asyncio
@TIMEOUTS
@CLIENTS
@pytest.mark.parametrize("hint", [*TOO_LONG, "future-date"])
async def test_hints_longer_than_the_call_may_wait_raise_at_once(
    server: LoopbackServer, hint: str, timeout: float | None, sync: bool
) -> None:
    value = _date(3600) if hint == "future-date" else hint
    server.reply("GET", PATH, Reply(status=503, headers={"retry-after": value}), OK)
    started = time.monotonic()
    with pytest.raises(InternalServerError) as info:
        await _retrieve(server, timeout=timeout, sync=sync)
    assert time.monotonic() - started < QUICK
    assert server.count("GET", PATH) == 1
    expected = TOO_LONG.get(hint, 3600.0)
    assert info.value.retry_after == pytest.approx(expected, abs=5)


@pytest.mark.asyncio
@TIMEOUTS
async def test_a_short_hint_is_waited(server: LoopbackServer, timeout: float | None) -> None:
    server.reply("GET", PATH, Reply(status=503, headers={"retry-after": "1.5"}), OK)
    started = time.monotonic()
    await _retrieve(server, timeout=timeout, sync=False)
    assert time.monotonic() - started >= 1.5
    assert server.count("GET", PATH) == 2


@pytest.mark.asyncio
async def test_sixty_seconds_is_past_a_ten_second_total(server: LoopbackServer) -> None:
    server.reply("GET", PATH, Reply(status=429, headers={"retry-after": "60"}), OK)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        await _retrieve(server, timeout=10.0, sync=False)
    assert time.monotonic() - started < QUICK
    assert info.value.retry_after == 60.0
    assert server.count("GET", PATH) == 1


@pytest.mark.asyncio
async def test_sixty_seconds_without_a_total_is_waited(server: LoopbackServer) -> None:
    server.reply("GET", PATH, Reply(status=503, headers={"retry-after": "60"}), OK)
    async with AsyncRevox(KEY, base_url=server.url, timeout=None, retry_policy=POLICY) as client:
        call = asyncio.create_task(client.assistants.retrieve("a"))
        # A hint counted as absent would be retried at once and the call would be over.
        done, _ = await asyncio.wait({call}, timeout=1.0)
        assert not done
        assert server.count("GET", PATH) == 1
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    assert server.count("GET", PATH) == 1


@pytest.mark.asyncio
async def test_the_cap_on_hints_is_a_policy_setting(server: LoopbackServer) -> None:
    server.reply("GET", PATH, Reply(status=503, headers={"retry-after": "30"}), OK)
    strict = RetryPolicy(max_retries=1, initial_delay=0.0, max_retry_after=10.0)
    async with AsyncRevox(KEY, base_url=server.url, timeout=None, retry_policy=strict) as client:
        started = time.monotonic()
        with pytest.raises(InternalServerError) as info:
            await client.assistants.retrieve("a")
    assert time.monotonic() - started < QUICK
    assert info.value.retry_after == 30.0
    assert server.count("GET", PATH) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("headers", "hint"),
    [({"retry-after-ms": "1e400", "retry-after": "0"}, 0.0), ({"retry-after-ms": "nan"}, None)],
)
async def test_an_unusable_millisecond_hint_falls_back(
    server: LoopbackServer, headers: dict[str, str], hint: float | None
) -> None:
    server.reply("GET", PATH, Reply(status=503, headers=headers))
    async with AsyncRevox(KEY, base_url=server.url, retry_policy=POLICY) as client:
        with pytest.raises(InternalServerError) as info:
            await client.assistants.retrieve("a")
    assert info.value.retry_after == hint
    assert server.count("GET", PATH) == 2


@pytest.mark.asyncio
@CLIENTS
async def test_should_retry_false_stops_a_retryable_status(
    server: LoopbackServer, sync: bool
) -> None:
    server.reply("GET", PATH, Reply(status=503, headers={"x-should-retry": "false"}), OK)
    with pytest.raises(InternalServerError):
        await _retrieve(server, timeout=10.0, sync=sync)
    assert server.count("GET", PATH) == 1


@pytest.mark.asyncio
@CLIENTS
async def test_should_retry_true_retries_a_safe_endpoint(
    server: LoopbackServer, sync: bool
) -> None:
    server.reply("GET", PATH, Reply(status=400, headers={"X-Should-Retry": "True"}), OK)
    await _retrieve(server, timeout=10.0, sync=sync)
    assert server.count("GET", PATH) == 2


@pytest.mark.asyncio
async def test_without_the_header_a_client_error_is_not_retried(server: LoopbackServer) -> None:
    server.reply("GET", PATH, Reply(status=400), OK)
    with pytest.raises(BadRequestError):
        await _retrieve(server, timeout=10.0, sync=False)
    assert server.count("GET", PATH) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "should_retry", "error"),
    [
        (409, "true", ConflictError),
        (503, "true", InternalServerError),
        (429, "false", RateLimitError),
    ],
)
async def test_a_side_effect_follows_its_own_rule_whatever_the_server_says(
    server: LoopbackServer, status: int, should_retry: str, error: type[Exception]
) -> None:
    server.reply(
        "POST",
        "/assistants",
        Reply(status=status, headers={"x-should-retry": should_retry}),
        Reply(json=example("assistants.create")),
    )
    async with AsyncRevox(KEY, base_url=server.url, retry_policy=POLICY) as client:
        with pytest.raises(error):
            await client.assistants.create(name="n", prompt="p")
    assert server.count("POST", "/assistants") == 1


@pytest.mark.asyncio
async def test_a_refused_side_effect_is_still_retried_without_the_header(
    server: LoopbackServer,
) -> None:
    server.reply("POST", "/assistants", Reply(status=429), Reply(json=example("assistants.create")))
    async with AsyncRevox(KEY, base_url=server.url, retry_policy=POLICY) as client:
        await client.assistants.create(name="n", prompt="p")
    assert server.count("POST", "/assistants") == 2
