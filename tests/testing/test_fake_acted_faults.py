"""The fake's faults that act before failing, and its search lag."""

from __future__ import annotations

import pytest

from revox_async import APITimeoutError, InternalServerError, Timeout
from revox_async.testing import FakeRevox
from revox_async.testing._faults import Fault

from .._helpers import ASSISTANT_ID

PHONE = "+33612345678"


def _placed(fake: FakeRevox) -> int:
    return sum(c.data["to_phone_number"] == PHONE for c in fake.state.calls.values())


@pytest.mark.asyncio
async def test_acted_processes_the_request_then_answers_the_status() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        fake.faults.fail_next(route="POST /call", status=500, acted=True)
        with pytest.raises(InternalServerError):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, exactly_once=False
            )
        assert _placed(fake) == 1
        assert [r.status for r in fake.requests] == [500]


@pytest.mark.asyncio
async def test_a_status_without_acted_processes_nothing() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        fake.faults.fail_next(route="POST /call", status=500)
        with pytest.raises(InternalServerError):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, exactly_once=False
            )
        assert _placed(fake) == 0


@pytest.mark.asyncio
async def test_late_processes_the_request_before_the_client_gives_up() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(timeout=Timeout(total=5.0, read=0.3))
        fake.faults.fail_next(route="POST /call", status=None, late=1.0)
        with pytest.raises(APITimeoutError):
            await client.calls.create(
                phone_number=PHONE, assistant_id=ASSISTANT_ID, exactly_once=False
            )
        # Processed before the wait began: the call exists although no answer arrived.
        assert _placed(fake) == 1


@pytest.mark.parametrize(("delay", "late"), [(0.0, -1.0), (-0.5, 0.0)])
def test_negative_waits_are_refused(delay: float, late: float) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        Fault(delay=delay, late=late)


@pytest.mark.asyncio
async def test_a_new_call_stays_out_of_the_next_searches_of_the_lag() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        fake.state.search_lag = 2
        client = fake.client()
        call = await client.calls.create(phone_number=PHONE, assistant_id=ASSISTANT_ID)
        seen = [
            [c.id for c in (await client.calls.search_page(to_phone_number=PHONE)).calls]
            for _ in range(3)
        ]
        assert seen == [[], [], [call.id]]
        # The lag is the fake's model of a search index: a retrieve sees the call at once.
        assert (await client.calls.retrieve(call.id)).id == call.id
