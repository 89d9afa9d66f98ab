"""``campaigns.launch(id)`` without a selection launches every pending call, and only those."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from revox_async import AsyncRevox
from revox_async.models import LAUNCH_PENDING, CallStatus
from revox_async.testing import FakeClock, FakeRevox

from ._helpers import ASSISTANT_ID

NUMBERS = ["+33611111111", "+33622222222", "+33633333333"]
CONTRACT = Path(__file__).parent / "contract" / "openapi.json"


def test_the_pending_selection_is_what_the_contract_asks_for() -> None:
    schemas = json.loads(CONTRACT.read_text())["components"]["schemas"]
    sent = LAUNCH_PENDING.to_dict()
    for part, schema in (
        ("filters", "CampaignLaunchSelectionFilters"),
        ("rows", "CampaignLaunchSelectionRows"),
    ):
        required = schemas[schema]["required"]
        assert set(required) <= set(sent[part]), part
    statuses = schemas["CampaignLaunchSelectionFilters"]["properties"]["statuses"]["items"]["enum"]
    assert sent["filters"]["statuses"] == ["not_launched"]
    assert set(sent["filters"]["statuses"]) <= set(statuses)
    assert sent["filters"]["assignee_ids"] == sent["filters"]["outcomes"] == []
    assert sent["rows"] == {"mode": "all_except", "call_ids": []}


@pytest.mark.asyncio
async def test_launch_without_arguments_sends_the_pending_calls_only() -> None:
    async with FakeRevox(seed_demo_data=True, clock=FakeClock()) as fake:
        client: AsyncRevox = fake.client()
        campaign = await client.campaigns.create(
            assistant_id=ASSISTANT_ID,
            name="Default launch",
            contacts=[{"to_phone_number": n, "prompt_variables": {}} for n in NUMBERS],
        )
        rows = await client.campaigns.get_rows(campaign.id)
        first = rows[0].call
        assert first is not None
        await client.campaigns.launch(
            campaign.id,
            mode="ai_first",
            selection={
                **LAUNCH_PENDING.to_dict(),
                "rows": {"mode": "only", "call_ids": [first.id]},
            },
        )
        fake.advance(3600)
        assert (await client.calls.retrieve(first.id)).status is CallStatus.COMPLETED

        result = await client.campaigns.launch(campaign.id)

        assert result.launched == 2
        assert result.skipped.active == 0
        fake.advance(1)
        statuses = {
            row.phone_number: row.call.status
            for row in await client.campaigns.get_rows(campaign.id)
            if row.call is not None
        }
        assert statuses[NUMBERS[0]] is CallStatus.COMPLETED
        assert statuses[NUMBERS[1]] is not CallStatus.NOT_LAUNCHED
        assert statuses[NUMBERS[2]] is not CallStatus.NOT_LAUNCHED
        launches = [r for r in fake.requests if r.path.endswith("/launch-calls")]
        assert launches[-1].body == {"mode": "ai_first", "selection": LAUNCH_PENDING.to_dict()}


@pytest.mark.asyncio
async def test_arguments_given_replace_the_defaults() -> None:
    async with FakeRevox(seed_demo_data=True, clock=FakeClock()) as fake:
        client = fake.client()
        campaign = await client.campaigns.create(
            assistant_id=ASSISTANT_ID,
            name="Scheduled",
            contacts=[{"to_phone_number": NUMBERS[0], "prompt_variables": {}}],
        )
        await client.campaigns.launch(campaign.id, scheduled_at="2030-01-01T09:00:00Z")
        launch = [r for r in fake.requests if r.path.endswith("/launch-calls")][-1]
        assert launch.body is not None
        assert launch.body["scheduled_at"] == "2030-01-01T09:00:00Z"
        assert launch.body["selection"] == LAUNCH_PENDING.to_dict()
        with pytest.raises(ValueError, match="scheduled_at is for ai_first launches only"):
            await client.campaigns.launch(
                campaign.id, mode="speed_dial", scheduled_at="2030-01-01T09:00:00Z"
            )
