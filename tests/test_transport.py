"""Retries, timeouts and failures over a real loopback connection."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from revox_async import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncRevox,
    ConflictError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    Timeout,
)

from ._helpers import KEY, NO_WAIT, LoopbackServer, Reply, example, refused_url

ASSISTANT = example("assistants.retrieve")
CREATED = example("assistants.create")
OK = Reply(json=ASSISTANT)
UNAVAILABLE = Reply(status=503, json={"error": "busy"})


def _gap(server: LoopbackServer) -> float:
    """Seconds between the arrivals of the first two requests the server received."""
    first, second = server.requests[:2]
    return second.received_at - first.received_at


@pytest.mark.asyncio
async def test_reads_are_retried_until_success(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply("GET", "/assistants/a", UNAVAILABLE, Reply(status=502), OK)
    raw = await client.with_raw_response(client.assistants.retrieve, "a")
    assert raw.data.id == ASSISTANT["id"]
    assert raw.info.retries_taken == 2
    assert server.count("GET", "/assistants/a") == 3


@pytest.mark.asyncio
async def test_retries_stop_at_max_retries(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply("GET", "/assistants/a", UNAVAILABLE)
    with pytest.raises(InternalServerError, match="busy"):
        await client.assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 3
    server.requests.clear()
    with pytest.raises(InternalServerError):
        await client.with_options(max_retries=0).assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [408, 429, 500, 504])
async def test_idempotent_writes_retry_transient_statuses(
    server: LoopbackServer, client: AsyncRevox, status: int
) -> None:
    server.reply(
        "PATCH", "/assistants/a", Reply(status=status), Reply(json=example("assistants.update"))
    )
    await client.assistants.update("a", name="x")
    assert server.count("PATCH", "/assistants/a") == 2


@pytest.mark.asyncio
async def test_conflict_is_not_retried(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply("DELETE", "/assistants/a", Reply(status=409, json={"error": "in use"}))
    with pytest.raises(ConflictError, match="in use"):
        await client.assistants.delete("a")
    assert server.count("DELETE", "/assistants/a") == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (UNAVAILABLE, InternalServerError),
        (Reply(status=500), InternalServerError),
        (Reply(status=408), APIStatusError),
        (Reply(drop=True), APIConnectionError),
    ],
    ids=["503", "500", "408", "dropped"],
)
async def test_creations_are_never_resent_once_they_may_have_arrived(
    server: LoopbackServer, client: AsyncRevox, failure: Reply, error: type[APIError]
) -> None:
    server.reply("POST", "/assistants", failure, Reply(json=CREATED))
    server.reply("POST", "/assistants/a/clone", failure, Reply(json=CREATED))
    with pytest.raises(error) as created:
        await client.assistants.create(name="n", prompt="p")
    with pytest.raises(error) as cloned:
        await client.assistants.clone("a")
    assert type(created.value) is type(cloned.value) is error
    assert server.count("POST", "/assistants") == 1
    assert server.count("POST", "/assistants/a/clone") == 1
    if isinstance(created.value, APIStatusError):
        assert created.value.status_code == failure.status
    else:
        assert isinstance(created.value, APIConnectionError)
        assert created.value.maybe_processed


@pytest.mark.asyncio
async def test_creations_are_resent_after_429(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply("POST", "/assistants", Reply(status=429), Reply(json=CREATED))
    created = await client.assistants.create(name="n", prompt="p")
    assert created.id == CREATED["assistant"]["id"]
    assert server.count("POST", "/assistants") == 2


@pytest.mark.asyncio
async def test_dropped_connection_on_a_read_is_retried(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/assistants/a", Reply(drop=True), OK)
    await client.assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 2


def _attempts(caplog: pytest.LogCaptureFixture, method: str, path: str) -> list[str]:
    """The attempts the client logged for a route, each as its outcome."""
    prefix = f"{method} {path} -> "
    return [
        r.getMessage().removeprefix(prefix).split(" (attempt")[0]
        for r in caplog.records
        if r.name == "revox_async" and r.getMessage().startswith(prefix)
    ]


@pytest.mark.asyncio
async def test_refused_connection_is_retried_even_for_creations(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="revox_async")
    with refused_url() as url:
        async with AsyncRevox(KEY, base_url=url) as client:
            with pytest.raises(APIConnectionError, match="cannot connect") as info:
                await client.with_options(retry_policy=NO_WAIT).assistants.create(
                    name="n", prompt="p"
                )
    assert not info.value.maybe_processed
    assert isinstance(info.value.__cause__, OSError)
    # The first attempt and both retries NO_WAIT allows.
    assert len(_attempts(caplog, "POST", "/assistants")) == 1 + NO_WAIT.max_retries


@pytest.mark.asyncio
async def test_a_refused_plain_http_connection_says_what_failed_without_tls_talk() -> None:
    with refused_url() as url:
        async with AsyncRevox(KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIConnectionError) as info:
                await client.assistants.list()
    message = str(info.value)
    assert f"cannot connect to {url.removeprefix('http://')}: Connection refused" in message
    assert "ssl" not in message.lower()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after-ms": "300"},
        {"retry-after": "0.3"},
    ],
)
async def test_retry_after_is_honoured(
    server: LoopbackServer, client: AsyncRevox, headers: dict[str, str]
) -> None:
    server.reply("GET", "/assistants/a", Reply(status=429, headers=headers), OK)
    await client.assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 2
    # The upper bound only tells the wait from the seconds a misread unit would give.
    assert 0.3 <= _gap(server) < 3


@pytest.mark.asyncio
async def test_retry_after_as_http_date(server: LoopbackServer, client: AsyncRevox) -> None:
    # Two seconds ahead, cut to the second by the date format: a wait from 1 to 2 s, less the
    # time the 503 takes to arrive. NO_WAIT's own backoff is zero, so any wait is the date's.
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
    server.reply("GET", "/assistants/a", Reply(status=503, headers={"retry-after": when}), OK)
    await client.assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 2
    assert 0.5 <= _gap(server) < 10


@pytest.mark.asyncio
async def test_retry_after_past_the_deadline_fails_at_once(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/assistants/a", Reply(status=429, headers={"retry-after": "120"}), OK)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        await client.with_options(timeout=30).assistants.retrieve("a")
    # Waiting would take 120 s, the timeout 30: failing at once takes neither.
    assert time.monotonic() - started < 15
    assert info.value.retry_after == 120
    assert server.count("GET", "/assistants/a") == 1


@pytest.mark.asyncio
async def test_slow_reads_time_out_within_the_total_budget(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/assistants/a", Reply(json=ASSISTANT, delay=60))
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        await client.with_options(timeout=0.5).assistants.retrieve("a")
    # Far below one attempt's 60 s, and the 0.5 s are a lower bound of the call.
    assert 0.5 <= time.monotonic() - started < 20
    assert 1 <= server.count("GET", "/assistants/a") <= 3


@pytest.mark.asyncio
async def test_a_timed_out_creation_is_not_resent(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("POST", "/assistants", Reply(json=CREATED, delay=5))
    with pytest.raises(APITimeoutError) as info:
        await client.with_options(timeout=Timeout(total=0.3, connect=0.3)).assistants.create(
            name="n", prompt="p"
        )
    assert info.value.maybe_processed
    assert server.count("POST", "/assistants") == 1


@pytest.mark.asyncio
async def test_backoff_waits_between_attempts(
    server: LoopbackServer, client: AsyncRevox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="revox_async")
    # Full jitter may draw any wait up to the cap, zero included: a seed whose first draw is
    # above one half makes the wait long enough to tell from none.
    state = random.getstate()
    try:
        random.seed(0)
        assert random.random() > 0.5
        random.seed(0)
        server.reply("GET", "/assistants/a", UNAVAILABLE, OK)
        slow = RetryPolicy(max_retries=1, initial_delay=0.4, max_delay=0.4)
        await client.with_options(retry_policy=slow).assistants.retrieve("a")
    finally:
        random.setstate(state)
    (planned,) = [
        float(r.getMessage().split(" in ")[1].split(" s ")[0])
        for r in caplog.records
        if r.getMessage().startswith("retrying")
    ]
    assert 0.2 < planned <= 0.4
    assert _gap(server) >= planned


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(body=b'{"id": "a", "na'), "not valid JSON"),
        (Reply(body=b"<html>oops</html>", content_type="text/html"), "expected JSON"),
        (Reply(body=b""), "not valid JSON"),
        (Reply(json={"id": 5}), "required field missing"),
    ],
)
async def test_malformed_success_is_a_validation_error(
    server: LoopbackServer, client: AsyncRevox, reply: Reply, reason: str
) -> None:
    server.reply("GET", "/assistants/a", reply)
    with pytest.raises(APIResponseValidationError, match=reason):
        await client.assistants.retrieve("a")
    assert server.count("GET", "/assistants/a") == 1


@pytest.mark.asyncio
async def test_html_error_page_maps_to_status_error(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply(
        "GET",
        "/assistants/a",
        Reply(status=502, body=b"<h1>Bad gateway</h1>", content_type="text/html"),
    )
    with pytest.raises(InternalServerError, match="Bad gateway") as info:
        await client.with_options(max_retries=0).assistants.retrieve("a")
    assert info.value.body == "<h1>Bad gateway</h1>"


@pytest.mark.asyncio
async def test_large_bodies_are_streamed_and_resent_whole(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    prompt = "x" * (3 * 1024 * 1024)
    server.reply("PATCH", "/assistants/a", UNAVAILABLE, Reply(json=example("assistants.update")))
    await client.assistants.update("a", prompt=prompt)
    bodies = [r.json() for r in server.requests]
    assert bodies == [{"prompt": prompt}, {"prompt": prompt}]


@pytest.mark.asyncio
async def test_a_read_timeout_leaves_time_to_retry_a_read(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/assistants/a", Reply(json=ASSISTANT, delay=2), OK)
    server.reply("POST", "/assistants", Reply(json=CREATED, delay=2))
    patient = client.with_options(timeout=Timeout(total=5, connect=1, read=0.3))
    assert (await patient.assistants.retrieve("a")).id == ASSISTANT["id"]
    assert server.count("GET", "/assistants/a") == 2
    with pytest.raises(APITimeoutError):
        await patient.assistants.create(name="n", prompt="p")
    assert server.count("POST", "/assistants") == 1


@pytest.mark.asyncio
async def test_waiting_for_a_free_connection_is_not_a_connect_timeout(
    server: LoopbackServer,
) -> None:
    # One connection, held 0.6 s by the first call: the second waits for it three times longer
    # than the connect timeout, yet it is the client's own queue, bounded by the total only.
    server.reply(
        "POST", "/assistants", Reply(json=CREATED, delay=0.6), Reply(json=CREATED, delay=0.6)
    )
    timeout = Timeout(total=5.0, connect=0.2)
    async with AsyncRevox(
        KEY, base_url=server.url, connection_limit=1, timeout=timeout, max_retries=0
    ) as client:
        first, second = await asyncio.gather(
            client.assistants.create(name="one", prompt="p"),
            client.assistants.create(name="two", prompt="p"),
        )
    assert first.id and second.id
    assert server.count("POST", "/assistants") == 2
