"""One set of client options: both constructors, with_options and the fakes' clients."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from revox_async import AsyncRevox, InternalServerError, RetryPolicy, Revox
from revox_async.testing import FakeRevox, FakeRevoxThread

from ._helpers import KEY

ROUTE = "GET /assistants"
NO_RETRY = RetryPolicy(max_retries=0, initial_delay=0.0)
TWO_QUICK_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.0)


def _parameters(function: Any, *, leave_out: set[str]) -> dict[str, Any]:
    return {
        name: (parameter.kind, parameter.default)
        for name, parameter in inspect.signature(function).parameters.items()
        if name not in leave_out
    }


def test_both_constructors_take_the_same_options() -> None:
    sync = _parameters(Revox.__init__, leave_out={"self"})
    # The sync client has no aiohttp session of the caller's: it runs its own loop.
    asynchronous = _parameters(AsyncRevox.__init__, leave_out={"self", "session"})
    assert sync == asynchronous
    assert "retry_policy" in sync


def test_with_options_takes_only_constructor_options() -> None:
    derived = set(_parameters(AsyncRevox.with_options, leave_out={"self"}))
    assert derived <= set(_parameters(AsyncRevox.__init__, leave_out={"self"}))
    assert "retry_policy" in derived


@pytest.mark.parametrize("make", [AsyncRevox, Revox], ids=["async", "sync"])
def test_the_retry_policy_and_max_retries_combine_as_in_with_options(make: Any) -> None:
    policy = RetryPolicy(max_retries=5, initial_delay=0.1)
    client = make(KEY, base_url="http://127.0.0.1:9", retry_policy=policy)
    assert client.max_retries == 5
    overridden = make(KEY, base_url="http://127.0.0.1:9", retry_policy=policy, max_retries=1)
    assert overridden.max_retries == 1
    assert client.with_options(max_retries=1).max_retries == 1
    assert make(KEY, base_url="http://127.0.0.1:9").max_retries == 2
    for built in (client, overridden):
        if isinstance(built, Revox):
            built.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(("policy", "attempts"), [(NO_RETRY, 1), (TWO_QUICK_RETRIES, 3)])
async def test_the_async_fakes_client_sends_with_the_given_policy(
    revox_fake: FakeRevox, policy: RetryPolicy, attempts: int
) -> None:
    revox_fake.faults.fail_next(5, route=ROUTE)
    client = revox_fake.client(retry_policy=policy)
    with pytest.raises(InternalServerError):
        await client.assistants.list()
    assert len(revox_fake.requests) == attempts


@pytest.mark.asyncio
@pytest.mark.parametrize(("policy", "attempts"), [(NO_RETRY, 1), (TWO_QUICK_RETRIES, 3)])
async def test_both_constructors_send_with_the_given_policy(
    revox_fake: FakeRevox, policy: RetryPolicy, attempts: int
) -> None:
    revox_fake.faults.fail_next(10, route=ROUTE)
    async with AsyncRevox(KEY, base_url=revox_fake.url, retry_policy=policy) as client:
        with pytest.raises(InternalServerError):
            await client.assistants.list()
    assert len(revox_fake.requests) == attempts

    def sync() -> None:
        with Revox(KEY, base_url=revox_fake.url, retry_policy=policy) as sync_client:
            sync_client.assistants.list()

    with pytest.raises(InternalServerError):
        await asyncio.to_thread(sync)
    assert len(revox_fake.requests) == 2 * attempts


@pytest.mark.parametrize(("policy", "attempts"), [(NO_RETRY, 1), (TWO_QUICK_RETRIES, 3)])
def test_the_threaded_fakes_client_sends_with_the_given_policy(
    revox_fake_thread: FakeRevoxThread, policy: RetryPolicy, attempts: int
) -> None:
    revox_fake_thread.call(lambda fake: fake.faults.fail_next(5, route=ROUTE))
    client = revox_fake_thread.client(retry_policy=policy)
    with pytest.raises(InternalServerError):
        client.assistants.list()
    assert revox_fake_thread.call(lambda fake: len(fake.requests)) == attempts
