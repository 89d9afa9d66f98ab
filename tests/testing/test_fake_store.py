"""The fake's store: one part per resource, each the mapping of its records by id."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from revox_async.testing import FakeClock
from revox_async.testing._lifecycle import Lifecycle
from revox_async.testing._store import Store
from revox_async.testing._wire import ErrorReply

from .._helpers import ASSISTANT_ID

PHONE = "+33612345678"


def _store(*, seed_demo_data: bool) -> Store:
    clock = FakeClock(datetime(2025, 3, 14, 17, 0, tzinfo=timezone.utc))
    return Store(clock, Lifecycle(clock), seed_demo_data=seed_demo_data)


def test_each_part_reads_as_its_records() -> None:
    store = _store(seed_demo_data=True)
    assert ASSISTANT_ID in store.assistants
    assert store.assistants[ASSISTANT_ID]["id"] == ASSISTANT_ID
    assert len(store.assistants) == len(store.assistants.list_assistants())
    assert set(store.calls) == {call.id for call in store.simulated_calls()}
    assert dict(store.phone_numbers) == store.phone_numbers.records
    with pytest.raises(KeyError):
        _ = store.calls["no-such-call"]


def test_an_empty_organization_keeps_the_provider_voices_only() -> None:
    store = _store(seed_demo_data=False)
    assert store.assistants == {}
    assert store.calls == {}
    assert store.campaigns == {}
    assert store.voices.catalog
    assert not any(voice["isCloned"] for voice in store.voices.catalog)


def test_parts_act_on_each_other_through_the_store() -> None:
    store = _store(seed_demo_data=True)
    calls_before = set(store.calls)
    campaign = store.campaigns.create_campaign(
        {"assistant_id": ASSISTANT_ID, "name": "Parts", "contacts": [{"to_phone_number": PHONE}]}
    )
    (created,) = set(store.calls) - calls_before
    assert store.calls[created].campaign_id == campaign["id"]
    assert store.lane_limits(store.calls[created]) == {}

    store.campaigns.delete_campaign(campaign["id"])
    assert set(store.calls) == calls_before
    assert campaign["id"] not in store.campaigns


def test_a_refusal_carries_its_status() -> None:
    store = _store(seed_demo_data=False)
    with pytest.raises(ErrorReply) as refused:
        store.calls.create_call({"phone_number": PHONE, "assistant_id": ASSISTANT_ID})
    assert refused.value.status == 422
    assert "assistant_id" in refused.value.message
