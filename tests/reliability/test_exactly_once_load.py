"""Exactly-once under load: many concurrent creates, a share of them struck by faults that
leave their outcome unknown, end with one call per caller, each returned to its caller."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from typing import Any

import pytest

from revox_async import RetryPolicy, Timeout
from revox_async.models import Call
from revox_async.resources._exactly_once import REFERENCE_KEY
from revox_async.testing import FakeRevox

from .._helpers import ASSISTANT_ID

CALLS = 500
STRUCK = 150
"""30% of the first sends meet a fault whose outcome the client cannot know."""
READ = 10.0
"""Generous: on a loaded machine a request the fake answers normally must not time out."""
FAULTS: list[dict[str, Any]] = [
    {"drop": "after"},
    {"drop": "before"},
    {"status": 500, "acted": True},
    {"status": 503},
    {"status": None, "late": READ + 0.5},
    {"status": 502, "delay": READ + 0.5},
]
POLICY = RetryPolicy(max_retries=3, initial_delay=0.0, reconcile_window=0.5, budget=None)


def _phone(i: int) -> str:
    return f"+336100{i:05d}"


async def _settled(fake: FakeRevox) -> None:
    for _ in range(1000):
        if all(r.status is not None or r.dropped for r in fake.requests):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the fake still holds a request")


@pytest.mark.asyncio
async def test_concurrent_creates_under_ambiguous_faults_place_each_call_once() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(
            retry_policy=POLICY, timeout=Timeout(total=60.0, connect=5.0, read=READ)
        )
        kinds = itertools.cycle(FAULTS)
        for _ in range(STRUCK):
            fake.faults.fail_next(route="POST /call", **next(kinds))

        async def place(i: int) -> Call:
            return await client.calls.create(
                phone_number=_phone(i), assistant_id=ASSISTANT_ID, reference=f"load-{i}"
            )

        results = await asyncio.gather(*(place(i) for i in range(CALLS)))
        await _settled(fake)

        assert fake.faults.pending == []
        for i, call in enumerate(results):
            assert call.to_phone_number == _phone(i)
            assert (call.metadata or {})[REFERENCE_KEY] == f"load-{i}"
        references = Counter(
            (c.data["metadata"] or {}).get(REFERENCE_KEY)
            for c in fake.state.calls.values()
            if c.data["to_phone_number"].startswith("+336100")
        )
        assert references == Counter({f"load-{i}": 1 for i in range(CALLS)})
        placed = {
            c.id
            for c in fake.state.calls.values()
            if c.data["to_phone_number"].startswith("+336100")
        }
        assert {call.id for call in results} == placed
        assert sum(r.path == "/call" for r in fake.requests) > CALLS
