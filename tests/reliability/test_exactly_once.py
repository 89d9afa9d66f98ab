"""Exactly-once call placement: every fault that leaves a create's outcome unknown, on both
clients, ends with one call in the fake carrying the reference, and that call returned."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import attrs
import pytest

from revox_async import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    RetryPolicy,
    Timeout,
)
from revox_async.models import Call
from revox_async.resources._exactly_once import REFERENCE_KEY, SEARCHES, reconciled_calls
from revox_async.testing import FakeRevox, FakeRevoxThread

from .._helpers import ASSISTANT_ID

PHONE = "+33612345678"
READ = 2.0
"""Seconds the client waits for an answer; the late faults answer after ``LATE``. Generous,
so that only the faults, not a loaded machine, leave an outcome unknown."""
LATE = 3.0
FAST = RetryPolicy(max_retries=2, initial_delay=0.0, reconcile_window=0.05)
TIMEOUT = Timeout(total=10.0, connect=1.0, read=READ)
SETTLE_POLLS = 500


@attrs.frozen
class Kind:
    name: str
    options: dict[str, Any]
    acted: bool
    error: type[APIError]


KINDS = [
    Kind("dropped-after-acting", {"drop": "after"}, True, APIConnectionError),
    Kind("late-after-acting", {"status": None, "late": LATE}, True, APITimeoutError),
    Kind("500-after-acting", {"status": 500, "acted": True}, True, InternalServerError),
    Kind("dropped-before-acting", {"drop": "before"}, False, APIConnectionError),
    Kind("late-before-acting", {"status": 503, "delay": LATE}, False, APITimeoutError),
    Kind("503-before-acting", {"status": 503}, False, InternalServerError),
    Kind("408-before-acting", {"status": 408}, False, APIStatusError),
    Kind("409-before-acting", {"status": 409}, False, ConflictError),
]
IDS = [k.name for k in KINDS]


def _with_reference(fake: FakeRevox, reference: str) -> list[str]:
    return [
        c.id
        for c in fake.state.calls.values()
        if (c.data["metadata"] or {}).get(REFERENCE_KEY) == reference
    ]


def _is_settled(fake: FakeRevox) -> bool:
    # A request the client gave up on may still be in the fake's hands.
    return all(r.status is not None or r.dropped for r in fake.requests)


async def _settled(fake: FakeRevox) -> None:
    for _ in range(SETTLE_POLLS):
        if _is_settled(fake):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the fake still holds a request")


def _creates(fake: FakeRevox) -> int:
    return sum(r.method == "POST" and r.path == "/call" for r in fake.requests)


def _sends_expected(kind: Kind, strikes: int) -> int:
    # After acting, the first send placed the call and it is found; before acting, each
    # struck send is found absent and followed by one more.
    return 1 if kind.acted else strikes + 1


@pytest.mark.asyncio
@pytest.mark.parametrize("strikes", [1, 2])
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_async_client_places_one_call(kind: Kind, strikes: int) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.faults.fail_next(strikes, route="POST /call", **kind.options)
        with reconciled_calls() as found:
            call = await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="order-42"
            )
        await _settled(fake)
        assert _with_reference(fake, "order-42") == [call.id]
        assert isinstance(call, Call)
        assert call.metadata == {REFERENCE_KEY: "order-42"}
        assert _creates(fake) == _sends_expected(kind, strikes)
        assert [c.id for c in found] == ([call.id] if kind.acted else [])


@pytest.mark.parametrize("strikes", [1, 2])
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_sync_client_places_one_call(kind: Kind, strikes: int) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.call(lambda f: f.faults.fail_next(strikes, route="POST /call", **kind.options))
        call = client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID)
        reference = (call.metadata or {})[REFERENCE_KEY]
        for _ in range(SETTLE_POLLS):
            if fake.call(_is_settled):
                break
            time.sleep(0.02)
        assert fake.call(lambda f: _with_reference(f, reference)) == [call.id]
        assert fake.call(_creates) == _sends_expected(kind, strikes)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_faults_beyond_max_retries_raise_and_place_at_most_one_call(kind: Kind) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.faults.fail_next(FAST.max_retries + 1, route="POST /call", **kind.options)
        if kind.acted:
            call = await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-1"
            )
            assert _with_reference(fake, "r-1") == [call.id]
        else:
            with pytest.raises(kind.error, match="not resent: max_retries"):
                await client.calls.create(
                    phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-1"
                )
            assert _with_reference(fake, "r-1") == []
        await _settled(fake)
        assert _creates(fake) == (1 if kind.acted else FAST.max_retries + 1)


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
async def test_the_opt_out_raises_at_once_and_never_resends(kind: Kind) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        per_call = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        per_client = fake.client(
            retry_policy=attrs.evolve(FAST, reconcile_creates=False), timeout=TIMEOUT
        )
        fake.faults.fail_next(2, route="POST /call", **kind.options)
        with pytest.raises(kind.error):
            await per_call.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, exactly_once=False
            )
        with pytest.raises(kind.error):
            await per_client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID)
        await _settled(fake)
        assert _creates(fake) == 2
        assert not any(r.path == "/call/search" for r in fake.requests)
        placed = [c for c in fake.state.calls.values() if c.data["to_phone_number"] == PHONE]
        assert len(placed) == (2 if kind.acted else 0)
        # Opted out, the call carries no reference unless the caller gave one.
        assert all(c.data["metadata"] is None for c in placed)


@pytest.mark.asyncio
async def test_success_is_one_request_with_the_reference() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        call = await client.calls.create(
            phone_number=PHONE, assistant_id=ASSISTANT_ID, metadata={"lead": "LD-1"}
        )
        assert [(r.method, r.path) for r in fake.requests] == [("POST", "/call")]
        reference = (call.metadata or {})[REFERENCE_KEY]
        assert len(reference) == 36
        assert call.metadata == {"lead": "LD-1", REFERENCE_KEY: reference}


@pytest.mark.asyncio
async def test_a_failed_search_raises_the_original_error_without_resending() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=attrs.evolve(FAST, max_retries=0), timeout=TIMEOUT)
        fake.faults.fail_next(route="POST /call", drop="before")
        fake.faults.fail_next(route="POST /call/search", status=503)
        with pytest.raises(APIConnectionError, match="search for reference 'r-9' failed too"):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-9"
            )
        assert _creates(fake) == 1


@pytest.mark.asyncio
async def test_a_spent_total_timeout_reconciles_but_never_resends() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=Timeout(total=READ, connect=READ))
        fake.faults.fail_next(route="POST /call", status=503, delay=LATE)
        with pytest.raises(APITimeoutError, match="total timeout is spent"):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-2"
            )
        fake.faults.fail_next(route="POST /call", status=None, late=LATE)
        call = await client.calls.create(
            phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-3"
        )
        await _settled(fake)
        assert _with_reference(fake, "r-2") == []
        assert _with_reference(fake, "r-3") == [call.id]
        assert _creates(fake) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize("lag", [0, SEARCHES - 1])
async def test_a_search_lag_shorter_than_the_searches_still_finds_the_call(lag: int) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        fake.state.search_lag = lag
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.faults.fail_next(route="POST /call", drop="after")
        call = await client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID)
        assert _creates(fake) == 1
        assert sum(r.path == "/call/search" for r in fake.requests) == lag + 1
        assert [c.id for c in fake.state.calls.values() if c.data["to_phone_number"] == PHONE] == [
            call.id
        ]


@pytest.mark.asyncio
async def test_a_search_lag_as_long_as_the_searches_is_what_would_duplicate() -> None:
    # The bound the guide documents: a lag of SEARCHES searches hides the call from all of them.
    async with FakeRevox(seed_demo_data=True) as fake:
        fake.state.search_lag = SEARCHES
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.faults.fail_next(route="POST /call", drop="after")
        await client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-4")
        assert len(_with_reference(fake, "r-4")) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"reference": " "}, ValueError, "reference"),
        ({"reference": 42}, TypeError, "reference must be a str"),
        ({"exactly_once": "yes"}, TypeError, "exactly_once must be a bool or None"),
        (
            {"reference": "a", "metadata": {REFERENCE_KEY: "b"}},
            ValueError,
            "give one of them",
        ),
    ],
)
async def test_bad_references_are_refused_before_sending(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        with pytest.raises(error, match=message):
            await client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID, **arguments)
        assert fake.requests == []


@pytest.mark.asyncio
async def test_a_reference_in_the_callers_metadata_is_the_reference() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=TIMEOUT)
        fake.faults.fail_next(route="POST /call", drop="after")
        call = await client.calls.create(
            phone_number=PHONE, assistant_id=ASSISTANT_ID, metadata={REFERENCE_KEY: "mine"}
        )
        assert _with_reference(fake, "mine") == [call.id]


@pytest.mark.asyncio
async def test_a_resend_gets_only_what_is_left_of_the_total_timeout() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(retry_policy=FAST, timeout=Timeout(total=2.0, connect=1.0))
        fake.faults.fail_next(route="POST /call", status=503, delay=1.2)
        # The resend would get this 503 after 1.5 s with a budget of its own; cut to what is
        # left (under 0.8 s), it times out first.
        fake.faults.fail_next(route="POST /call", status=503, delay=1.5)
        with pytest.raises(APITimeoutError, match="total timeout is spent"):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, reference="r-5"
            )
        await _settled(fake)
        assert _creates(fake) == 2
        assert _with_reference(fake, "r-5") == []
