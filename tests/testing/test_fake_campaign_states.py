"""The fake's campaign states are the contract's: ``running``, ``paused`` and ``completed``.

The contract has no state for a campaign never launched, and its example of ``campaigns.create``
answers ``running``; ``row_stats.not_launched`` is what tells that nothing was dialed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from revox_async.models import CampaignStatus
from revox_async.testing import FakeClock, FakeRevox

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
ASSISTANT = "a3f1c9e2-6b4d-4e8a-9c21-7d5e0b8f4a16"


def test_the_contract_knows_three_states_and_shows_a_new_campaign_running() -> None:
    schemas = json.loads((CONTRACT / "openapi.json").read_text())["components"]["schemas"]
    assert schemas["Campaign"]["properties"]["status"]["enum"] == ["running", "paused", "completed"]
    example = json.loads((CONTRACT / "examples" / "campaigns.create.json").read_text())
    assert example["campaign"]["status"] == "running"


@pytest.mark.asyncio
async def test_a_campaign_goes_through_the_contract_states() -> None:
    async with FakeRevox(seed_demo_data=True, clock=FakeClock()) as fake:
        client = fake.client()
        campaign = await client.campaigns.create(
            assistant_id=ASSISTANT,
            name="States",
            contacts=[{"to_phone_number": "+33611111111", "prompt_variables": {}}],
        )
        assert campaign.status is CampaignStatus.RUNNING
        assert campaign.row_stats is not None
        assert (campaign.row_stats.not_launched, campaign.row_stats.total) == (1, 1)

        await client.campaigns.pause(campaign.id)
        assert (await client.campaigns.retrieve(campaign.id)).status is CampaignStatus.PAUSED
        await client.campaigns.resume(campaign.id)
        await client.campaigns.launch(campaign.id)
        fake.advance(3600)
        done = await client.campaigns.retrieve(campaign.id)
        assert done.status is CampaignStatus.COMPLETED
        assert done.row_stats is not None
        assert done.row_stats.not_launched == 0
