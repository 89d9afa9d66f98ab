"""Drift mode plays a newer API, which accepts back what it sends: read, then update, works."""

from __future__ import annotations

from typing import Any

import pytest

from revox_async import UnprocessableEntityError
from revox_async.models import UnknownLlmModel
from revox_async.testing import FakeRevox, FakeRevoxThread

from ._support import EMMA, SPRING

NEW_FIELD = {"x_new_field": {"added_in": "2099-01", "enabled": True}}


@pytest.mark.asyncio
async def test_an_assistant_read_in_drift_mode_goes_back_into_an_update() -> None:
    async with FakeRevox(seed_demo_data=True, drift=True) as fake:
        client = fake.client(max_retries=0)
        assistant = await client.assistants.retrieve(EMMA)
        assert assistant.voice is not None
        assert assistant.voice.extra == NEW_FIELD
        assert assistant.call_retry_config is not None
        assert isinstance(assistant.llm_model, UnknownLlmModel)

        result = await client.assistants.update(
            EMMA,
            voice=assistant.voice,
            llm_model=assistant.llm_model,
            call_retry_config=assistant.call_retry_config,
        )
        updated = result.assistant
        assert updated.voice == assistant.voice
        assert updated.llm_model == assistant.llm_model
        assert updated.call_retry_config == assistant.call_retry_config
        sent = fake.requests[-1].body
        # A field the SDK does not know goes no further than the model; a kind of model it
        # does not know goes back whole.
        assert "x_new_field" not in sent["voice"]
        assert sent["llm_model"]["type"] == "future-model"


@pytest.mark.asyncio
async def test_a_campaign_read_in_drift_mode_goes_back_into_an_update() -> None:
    async with FakeRevox(seed_demo_data=True, drift=True) as fake:
        client = fake.client(max_retries=0)
        campaign = await client.campaigns.retrieve(SPRING)
        assert campaign.call_retry_config is not None
        assert campaign.call_retry_config.extra == NEW_FIELD

        updated = await client.campaigns.update(
            SPRING, name="Renamed", call_retry_config=campaign.call_retry_config
        )
        assert updated.name == "Renamed"
        assert updated.call_retry_config == campaign.call_retry_config


def test_the_sync_client_round_trips_in_drift_mode_too() -> None:
    with FakeRevoxThread(seed_demo_data=True, drift=True) as fake:
        client = fake.client(max_retries=0)
        assistant = client.assistants.retrieve(EMMA)
        assert assistant.voice is not None
        result = client.assistants.update(
            EMMA, voice=assistant.voice, llm_model=assistant.llm_model
        )
        assert result.assistant.voice == assistant.voice
        assert result.assistant.llm_model == assistant.llm_model


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            {"voice": {"id": "v1", "provider": "cartesia", **NEW_FIELD}},
            TypeError,
            "voice got an unexpected key 'x_new_field'",
        ),
        (
            {"llm_model": {"type": "future-model", "future_model_ref": "revox-omni-2"}},
            UnprocessableEntityError,
            "llm_model.type: must be one of",
        ),
    ],
)
def test_without_drift_the_newer_fields_are_refused(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(max_retries=0)
        with pytest.raises(error, match=message):
            client.assistants.update(EMMA, **arguments)
