"""Retry storms: the retry budget bounds what an outage costs the server, on both clients.

A loopback server, in a thread of its own, answers ``GET /auth-status`` and counts every request
it receives. Each call is tagged with an ``x-call`` header (through ``with_options``) so the
server can fail chosen calls once, whatever the order in which concurrent requests arrive.

What must hold:

- during a total outage, 1,000 concurrent calls send 1,000 first attempts and only the retries
  the budget pays for (100 with the defaults): 1,100 requests, against 3,000 without a budget;
- isolated failures (1 call in 20) are all retried, and every call succeeds;
- once the outage ends, successes refill the bucket and retries resume;
- clients made by ``with_options`` draw from the same bucket, unless given another budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import pytest
from aiohttp import web

from revox_async import (
    APIConnectionError,
    APIError,
    AsyncRevox,
    InternalServerError,
    RetryBudget,
    RetryPolicy,
    Revox,
)
from revox_async._sync.portal import PortalThread

from .._helpers import KEY, NO_WAIT, LoopbackServer, Reply

CALLS = 1000
SYNC_THREADS = 50
UNBUDGETED = RetryPolicy(max_retries=2, initial_delay=0.0, budget=None)
DEFAULT = RetryBudget()
AFFORDABLE_RETRIES = DEFAULT.capacity // DEFAULT.retry_cost


class StormServer:
    """Answers ``GET /auth-status``: 503 during an outage, or on the first request of a call
    whose tag is in ``fail_once``; otherwise ``{"authenticated": true}``. ``requests`` counts
    the requests received."""

    def __init__(self) -> None:
        self.outage = False
        self.fail_once: set[str] = set()
        self._failed: set[str] = set()
        self.loopback = LoopbackServer(respond=self._respond)

    @property
    def url(self) -> str:
        return self.loopback.url

    @property
    def requests(self) -> int:
        return len(self.loopback.requests)

    def reset_count(self) -> None:
        self.loopback.requests.clear()

    async def _respond(self, request: web.Request) -> Reply | None:
        if (request.method, request.path) != ("GET", "/auth-status"):
            return None
        tag = request.headers.get("x-call", "")
        if self.outage or (tag in self.fail_once and tag not in self._failed):
            self._failed.add(tag)
            return Reply(status=503, json={"error": "service unavailable"})
        return Reply(json={"authenticated": True})


@pytest.fixture
def server() -> Iterator[StormServer]:
    storm = StormServer()
    # Served from a loop thread of its own, as the sync client's calls need.
    loop = PortalThread()
    loop.run(storm.loopback.start)
    try:
        yield storm
    finally:
        loop.shutdown(storm.loopback.close)


Outcome = bool | BaseException


class Side(Protocol):
    """One client, async or sync, seen through the same few operations."""

    def fire(self, tags: Sequence[str], policy: RetryPolicy = NO_WAIT) -> list[Outcome]:
        """Check the key once per tag, all at once; each call's result or error."""
        ...

    def close(self) -> None: ...


class AsyncSide:
    """An ``AsyncRevox`` on a loop of its own, kept across rounds like a long-lived client."""

    def __init__(self, url: str) -> None:
        self._loop = asyncio.new_event_loop()
        # No total limit: on a loaded machine a thousand calls queued for the pool could run
        # out of time and end without their last attempt, which these counts do not expect.
        self._client = AsyncRevox(KEY, base_url=url, timeout=None)

    def fire(self, tags: Sequence[str], policy: RetryPolicy = NO_WAIT) -> list[Outcome]:
        async def one(tag: str) -> bool:
            tagged = self._client.with_options(default_headers={"x-call": tag}, retry_policy=policy)
            return await tagged.auth_status.retrieve()

        async def every() -> list[Outcome]:
            return await asyncio.gather(*(one(tag) for tag in tags), return_exceptions=True)

        return self._loop.run_until_complete(every())

    def close(self) -> None:
        self._loop.run_until_complete(self._client.close())
        self._loop.close()


class SyncSide:
    """A ``Revox`` shared by a pool of threads."""

    def __init__(self, url: str) -> None:
        self._client = Revox(KEY, base_url=url, timeout=None)  # as AsyncSide's

    def fire(self, tags: Sequence[str], policy: RetryPolicy = NO_WAIT) -> list[Outcome]:
        def one(tag: str) -> Outcome:
            tagged = self._client.with_options(default_headers={"x-call": tag}, retry_policy=policy)
            try:
                return tagged.auth_status.retrieve()
            except Exception as exc:
                return exc

        with ThreadPoolExecutor(SYNC_THREADS) as pool:
            return list(pool.map(one, tags))

    def close(self) -> None:
        self._client.close()


SIDES: dict[str, Callable[[str], Side]] = {"async": AsyncSide, "sync": SyncSide}


@pytest.fixture(params=sorted(SIDES))
def side(request: pytest.FixtureRequest, server: StormServer) -> Iterator[Side]:
    client = SIDES[request.param](server.url)
    try:
        yield client
    finally:
        client.close()


def _tags(count: int, prefix: str = "call") -> list[str]:
    return [f"{prefix}-{n}" for n in range(count)]


def _errors(outcomes: list[Outcome]) -> list[APIError]:
    return [outcome for outcome in outcomes if isinstance(outcome, APIError)]


def test_an_outage_costs_the_server_only_the_retries_the_budget_pays_for(
    server: StormServer, side: Side
) -> None:
    server.outage = True
    outcomes = side.fire(_tags(CALLS))
    assert server.requests == CALLS + AFFORDABLE_RETRIES == 1100
    errors = _errors(outcomes)
    assert len(errors) == CALLS
    assert all(isinstance(error, InternalServerError) for error in errors)
    # A call that did not use all its retries was refused one, and says so. The others spent
    # two retries each (how many depends on how concurrent the calls were): 50 at most.
    refused = [error for error in errors if error.retry_budget_spent]
    assert len(refused) >= CALLS - AFFORDABLE_RETRIES // NO_WAIT.max_retries
    assert all("retry budget is spent" in str(error) for error in refused)


def test_without_a_budget_an_outage_triples_the_load(server: StormServer, side: Side) -> None:
    server.outage = True
    outcomes = side.fire(_tags(CALLS), UNBUDGETED)
    assert server.requests == CALLS * (1 + UNBUDGETED.max_retries) == 3000
    errors = _errors(outcomes)
    assert len(errors) == CALLS
    assert not any(error.retry_budget_spent for error in errors)
    assert "retry budget" not in str(errors[0])


def test_isolated_failures_are_retried_every_time(server: StormServer, side: Side) -> None:
    tags = _tags(CALLS)
    server.fail_once = set(tags[::20])
    outcomes = side.fire(tags)
    assert outcomes == [True] * CALLS
    assert server.requests == CALLS + len(server.fail_once) == 1050


def test_isolated_failures_are_retried_in_a_long_run_of_them(
    server: StormServer, side: Side
) -> None:
    # Rounds of 1,000 calls with 50 failures each, as many as it takes to need more retries than
    # a full bucket pays for (150 against 100): every one is made, since the successes around
    # them keep refilling it.
    rounds = AFFORDABLE_RETRIES // (CALLS // 20) + 1
    for round_number in range(rounds):
        tags = _tags(CALLS, prefix=f"round-{round_number}")
        server.fail_once = set(tags[::20])
        assert side.fire(tags) == [True] * CALLS
    assert server.requests == rounds * (CALLS + CALLS // 20)


def _drain(server: StormServer, side: Side, policy: RetryPolicy = NO_WAIT) -> None:
    server.outage = True
    side.fire(_tags(2 * AFFORDABLE_RETRIES, prefix="outage"), policy)
    server.outage = False
    server.reset_count()


def test_retries_resume_when_the_outage_ends(server: StormServer, side: Side) -> None:
    _drain(server, side)
    server.fail_once = {"refused", "retried"}
    [refused] = side.fire(["refused"])
    assert isinstance(refused, InternalServerError)
    assert refused.retry_budget_spent
    assert server.requests == 1

    # Each success earns a token back; five pay for one retry.
    assert side.fire(_tags(DEFAULT.retry_cost, prefix="healthy")) == [True] * DEFAULT.retry_cost
    server.reset_count()
    assert side.fire(["retried"]) == [True]
    assert server.requests == 2


def test_clients_made_by_with_options_share_the_bucket(server: StormServer, side: Side) -> None:
    _drain(server, side)
    server.fail_once = {"same-budget", "other-budget", "no-budget"}
    longer = RetryPolicy(max_retries=5, initial_delay=0.0)
    [same] = side.fire(["same-budget"], longer)
    assert isinstance(same, InternalServerError)
    assert same.retry_budget_spent

    # Another budget is another bucket, still full; no budget retries as before.
    own = RetryPolicy(initial_delay=0.0, budget=RetryBudget(capacity=10))
    assert side.fire(["other-budget"], own) == [True]
    assert side.fire(["no-budget"], UNBUDGETED) == [True]
    assert server.requests == 1 + 2 + 2


@pytest.mark.asyncio
async def test_connections_that_could_not_be_opened_are_retried_for_free(
    refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="revox_async")
    tight = RetryPolicy(initial_delay=0.0, budget=RetryBudget(capacity=5))
    async with AsyncRevox(KEY, base_url=refused_url) as root:
        client = root.with_options(retry_policy=tight)
        for _ in range(3):
            with pytest.raises(APIConnectionError) as refused:
                await client.auth_status.retrieve()
            assert not refused.value.retry_budget_spent
    # Nine attempts: three per call, as if there were no budget. None reached a server.
    attempts = sum(r.name == "revox_async" and r.levelno == logging.INFO for r in caplog.records)
    assert attempts == 3 * (1 + tight.max_retries)
