"""Every time and count setting is checked when given, on both clients and through the fake."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from revox_async import AsyncRevox, RetryBudget, RetryPolicy, Revox, Timeout
from revox_async.testing import FakeRevox

from ._helpers import KEY

NAN = math.nan
INF = math.inf

Client = Callable[..., Any]


@contextmanager
def _built(make: Client, **options: Any) -> Iterator[Any]:
    client = make(KEY, base_url="http://127.0.0.1:9", **options)
    try:
        yield client
    finally:
        if isinstance(client, Revox):
            client.close()


CLIENTS = pytest.mark.parametrize("make", [AsyncRevox, Revox], ids=["async", "sync"])

BAD_TIMES: list[tuple[object, type[Exception]]] = [
    (NAN, ValueError),
    (-1, ValueError),
    (0, ValueError),
    (True, TypeError),
    ("5", TypeError),
    ([5], TypeError),
]
BAD_COUNTS: list[tuple[object, type[Exception]]] = [
    (-1, ValueError),
    (True, TypeError),
    (1.5, TypeError),
    (NAN, TypeError),
    (INF, TypeError),
    ("2", TypeError),
]


@CLIENTS
@pytest.mark.parametrize(("value", "error"), BAD_TIMES)
def test_a_bad_timeout_is_refused_by_the_constructor(
    make: Client, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="timeout"), _built(make, timeout=value):
        pass


@CLIENTS
@pytest.mark.parametrize(("value", "error"), BAD_COUNTS)
def test_a_bad_max_retries_is_refused_by_the_constructor(
    make: Client, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="max_retries"), _built(make, max_retries=value):
        pass


@CLIENTS
@pytest.mark.parametrize(("value", "error"), [*BAD_COUNTS, (0, ValueError)])
def test_a_bad_connection_limit_is_refused_by_the_constructor(
    make: Client, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="connection_limit"), _built(make, connection_limit=value):
        pass


@CLIENTS
@pytest.mark.parametrize(("value", "error"), BAD_TIMES)
def test_with_options_refuses_a_bad_timeout(
    make: Client, value: Any, error: type[Exception]
) -> None:
    with _built(make) as client, pytest.raises(error, match="timeout"):
        client.with_options(timeout=value)


@CLIENTS
@pytest.mark.parametrize(("value", "error"), BAD_COUNTS)
def test_with_options_refuses_a_bad_max_retries(
    make: Client, value: Any, error: type[Exception]
) -> None:
    with _built(make) as client, pytest.raises(error, match="max_retries"):
        client.with_options(max_retries=value)


@CLIENTS
@pytest.mark.parametrize("option", ["retry_policy"])
def test_a_retry_policy_must_be_one(make: Client, option: str) -> None:
    with pytest.raises(TypeError, match="retry_policy"), _built(make, **{option: {"x": 1}}):
        pass


@CLIENTS
def test_an_infinite_timeout_means_no_limit(make: Client) -> None:
    with _built(make, timeout=INF) as client:
        assert client.timeout.total is None
        assert client.timeout.connect == 10.0
        assert client.with_options(timeout=INF).timeout.total is None
        assert client.with_options(timeout=Timeout(total=5, read=INF)).timeout.read is None


@pytest.mark.parametrize("field", ["total", "connect", "read"])
@pytest.mark.parametrize(("value", "error"), BAD_TIMES)
def test_timeout_checks_each_field(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"Timeout.{field}"):
        Timeout(**{field: value})


@pytest.mark.parametrize("field", ["total", "connect", "read"])
def test_timeout_reads_inf_and_none_as_no_limit(field: str) -> None:
    assert getattr(Timeout(**{field: INF}), field) is None
    assert getattr(Timeout(**{field: None}), field) is None
    assert getattr(Timeout(**{field: 3}), field) == 3.0


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("max_retries", -1, ValueError),
        ("max_retries", True, TypeError),
        ("max_retries", 2.0, TypeError),
        ("initial_delay", -0.5, ValueError),
        ("initial_delay", NAN, ValueError),
        ("initial_delay", INF, ValueError),
        ("max_delay", "8", TypeError),
        ("max_delay", INF, ValueError),
        ("max_retry_after", 0, ValueError),
        ("max_retry_after", INF, ValueError),
        ("max_retry_after", NAN, ValueError),
        ("max_retry_after", False, TypeError),
        ("budget", 500, TypeError),
    ],
)
def test_retry_policy_checks_each_field(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"RetryPolicy.{field}"):
        RetryPolicy(**{field: value})


@pytest.mark.parametrize(
    "field", ["capacity", "retry_cost", "timeout_retry_cost", "success_refill"]
)
@pytest.mark.parametrize(("value", "error"), BAD_COUNTS)
def test_retry_budget_checks_each_field(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"RetryBudget.{field}"):
        RetryBudget(**{field: value})


def test_zero_delays_and_refills_are_allowed() -> None:
    policy = RetryPolicy(max_retries=0, initial_delay=0, max_delay=0)
    assert policy.backoff(3) == 0.0
    assert RetryBudget(success_refill=0).success_refill == 0


@pytest.mark.parametrize(
    ("argument", "value", "error"),
    [
        ("poll_interval", INF, ValueError),
        ("poll_interval", NAN, ValueError),
        ("poll_interval", 0, ValueError),
        ("poll_interval", True, TypeError),
        ("max_poll_interval", INF, ValueError),
        ("max_poll_interval", -1, ValueError),
        ("timeout", NAN, ValueError),
        ("timeout", -1, ValueError),
        ("timeout", "600", TypeError),
    ],
)
@pytest.mark.asyncio
async def test_calls_wait_checks_its_times_before_any_request(
    revox_fake: FakeRevox, argument: str, value: Any, error: type[Exception]
) -> None:
    client = revox_fake.client()
    with pytest.raises(error, match=f"calls.wait: {argument}"):
        await client.calls.wait("any", **{argument: value})

    def sync() -> None:
        with Revox(KEY, base_url=revox_fake.url) as sync_client:
            sync_client.calls.wait("any", **{argument: value})

    with pytest.raises(error, match=f"calls.wait: {argument}"):
        await asyncio.to_thread(sync)
    assert revox_fake.requests == []


def _run(method: Callable[..., Any], **arguments: Any) -> Any:
    result = method(**arguments)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (-1, ValueError), (True, TypeError), (2.5, TypeError)]
)
@pytest.mark.parametrize("method", ["search", "search_page", "export"])
@CLIENTS
def test_page_sizes_are_checked_when_given(
    make: Client, method: str, value: Any, error: type[Exception]
) -> None:
    with _built(make) as client, pytest.raises(error, match=f"calls.{method}: page_size"):
        _run(getattr(client.calls, method), page_size=value)


@pytest.mark.asyncio
async def test_fake_clients_check_the_same_settings(revox_fake: FakeRevox) -> None:
    with pytest.raises(ValueError, match="timeout"):
        revox_fake.client(timeout=NAN)
    with pytest.raises(ValueError, match="connection_limit"):
        revox_fake.client(connection_limit=0)
    with pytest.raises(TypeError, match="retry_policy"):
        revox_fake.client(retry_policy=60)
    assert revox_fake.client(retry_policy=RetryPolicy(max_retries=4)).max_retries == 4


@pytest.mark.asyncio
async def test_a_client_without_limits_still_sends(revox_fake: FakeRevox) -> None:
    client = revox_fake.client(timeout=Timeout(total=INF, connect=INF, read=INF))
    assert client.timeout == Timeout(total=None, connect=None, read=None)
    assert await client.assistants.list()
    completed = (await client.calls.search_page(statuses=["completed"])).calls[0]
    waited = await client.with_options(timeout=INF).calls.wait(completed.id, timeout=INF)
    assert waited.is_finished
