"""Every endpoint, through the public SDK, against the fake Revox, on both clients.

One workflow serves both clients: ``do`` turns a method's return value into its result (the
identity for the sync client, running the coroutine for the async one), so the steps are
written once and the assertions hold for both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from revox_async import APIConnectionError, AsyncRevox, Revox
from revox_async.models import (
    AudioClip,
    Call,
    CallStatus,
    Campaign,
    CampaignStatistics,
    ClonedVoice,
    CsvExport,
    UnknownLlmModel,
    User,
)
from revox_async.testing import FakeRevox, FakeRevoxThread

from ._helpers import ASSISTANT_ID

ASSISTANT = ASSISTANT_ID
PHONE_NUMBER = "2c7e9a1f-6b3d-4f80-a5c2-8e1d4b7f093a"
STOCK_VOICE = ("a0e99841-438c-4a64-b679-ae501e7d6091", "cartesia")
WAV = b"RIFF" + bytes(2000)


@pytest.fixture(params=["async", "sync"])
def bound(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Callable[[Any], Any], Any]]:
    """(client, do, fake) for one kind of client; the fake serves from its own thread.

    ``do`` also turns the result of ``calls.search`` (an iterator) into a list.
    """
    with FakeRevoxThread(seed_demo_data=True) as fake:
        if request.param == "sync":
            yield fake.client(max_retries=0), _identity, fake
            return
        loop = asyncio.new_event_loop()
        client = AsyncRevox(fake.api_key, base_url=fake.url, max_retries=0)
        try:
            yield client, lambda value: _resolve(loop, value), fake
        finally:
            loop.run_until_complete(client.close())
            loop.close()


def _identity(value: Any) -> Any:
    return list(value) if isinstance(value, Iterator) else value


def _resolve(loop: asyncio.AbstractEventLoop, value: Any) -> Any:
    if hasattr(value, "__anext__"):

        async def collect() -> list[Any]:
            return [item async for item in value]

        return loop.run_until_complete(collect())
    return loop.run_until_complete(value)


def test_an_assistant_is_created_read_updated_cloned_and_deleted(
    bound: tuple[Any, Callable[[Any], Any], FakeRevoxThread],
) -> None:
    client, do, _ = bound
    listed = do(client.assistants.list())
    assert ASSISTANT in [a.id for a in listed]
    created = do(client.assistants.create(name="Desk", prompt="Be brief.", voicemail_message=None))
    assert do(client.assistants.retrieve(created.id)) == created
    updated = do(client.assistants.update(created.id, name="Front desk"))
    assert updated.assistant.name == "Front desk"
    copy = do(client.assistants.clone(created.id))
    assert copy.name == "Front desk (Copy)"
    do(client.assistants.delete(copy.id))
    assert copy.id not in [a.id for a in do(client.assistants.list())]


def test_calls_lifecycle(bound: tuple[Any, Callable[[Any], Any], FakeRevoxThread]) -> None:
    client, do, fake = bound
    fake.call(lambda f: f.script_number("+33612345678", outcome="interested"))
    call = do(client.calls.create(phone_number="+33612345678", assistant_id=ASSISTANT))
    assert isinstance(call, Call)
    assert call.status in (CallStatus.QUEUED_FOR_CALLING, CallStatus.CALLING)
    fake.advance(120)
    done = do(client.calls.wait(call.id, timeout=5, poll_interval=0.01))
    assert done.status is CallStatus.COMPLETED
    assert done.outcome == "interested"
    assert done.last_call_attempt is not None and done.last_call_attempt.transcript

    paused = do(client.calls.create(phone_number="+33687654321", assistant_id=ASSISTANT))
    do(client.calls.pause(paused.id))
    assert do(client.calls.retrieve(paused.id)).status is CallStatus.PAUSED
    do(client.calls.resume(paused.id))
    do(client.calls.cancel(paused.id))
    assert do(client.calls.retrieve(paused.id)).status is CallStatus.CANCELLED

    every = do(client.calls.search(page_size=2))
    page = do(client.calls.search_page(page=1, page_size=2))
    assert len(every) == page.total_count >= 2
    assert len({c.id for c in every}) == len(every)
    completed = do(client.calls.search(statuses=["completed"]))
    assert completed and all(c.status is CallStatus.COMPLETED for c in completed)
    export = do(client.calls.export(statuses=["completed"]))
    assert isinstance(export, CsvExport) and export.csv.count("\n") >= 1
    history = do(client.calls.phone_history())
    assert "+33612345678" in history


def test_a_campaign_is_created_launched_paced_and_wound_down(
    bound: tuple[Any, Callable[[Any], Any], FakeRevoxThread],
) -> None:
    client, do, fake = bound
    numbers = [f"+3361000000{i}" for i in range(4)]
    campaign = do(
        client.campaigns.create(
            assistant_id=ASSISTANT,
            name="Spring",
            contacts=[{"to_phone_number": n, "prompt_variables": {}} for n in numbers],
            max_concurrent_calls=2,
        )
    )
    assert isinstance(campaign, Campaign)
    assert do(client.campaigns.update(campaign.id, name="Spring 2")).name == "Spring 2"
    assert campaign.id in [c.id for c in do(client.campaigns.list())]
    launch = do(
        client.campaigns.launch(
            campaign.id,
            mode="ai_first",
            selection={"filters": {}, "rows": {"mode": "all_except", "call_ids": []}},
        )
    )
    assert launch.launched == len(numbers)
    fake.advance(3)
    calling = do(client.calls.search(campaign_ids=[campaign.id], statuses=["calling"]))
    assert len(calling) == 2  # max_concurrent_calls; the other two wait their turn
    fake.advance(600)
    rows = do(client.campaigns.get_rows(campaign.id))
    assert sorted(r.phone_number for r in rows) == numbers
    stats = do(client.campaigns.statistics(campaign.id))
    assert isinstance(stats, CampaignStatistics)
    assert stats.funnel.called.count == len(numbers)
    assert do(client.campaigns.export_rows(campaign.id)).filename.endswith(".csv")
    do(client.campaigns.pause(campaign.id))
    do(client.campaigns.resume(campaign.id))
    do(client.campaigns.cancel(campaign.id))
    assert do(client.campaigns.retrieve(campaign.id)).is_cancelled
    do(client.campaigns.delete(campaign.id))


def test_numbers_voices_and_the_account_round_trip(
    bound: tuple[Any, Callable[[Any], Any], FakeRevoxThread],
) -> None:
    client, do, _ = bound
    number = do(client.phone_numbers.update(PHONE_NUMBER, label="Main line"))
    assert number.label == "Main line"
    assert PHONE_NUMBER in [n.id for n in do(client.phone_numbers.list())]
    do(client.phone_numbers.delete(PHONE_NUMBER))
    voices = do(client.voices.list())
    assert STOCK_VOICE[0] in [v.id for v in voices]
    summary = do(client.voices.retrieve(STOCK_VOICE[0], provider=STOCK_VOICE[1]))
    assert summary.id == STOCK_VOICE[0]
    clip = do(client.voices.preview(provider=STOCK_VOICE[1], voice_id=STOCK_VOICE[0], text="Hi"))
    assert isinstance(clip, AudioClip)
    assert clip.content.startswith(b"RIFF") and clip.content_type == "audio/wav"
    cloned = do(client.voices.clone(name="Me", language="en", content_type="audio/wav", audio=WAV))
    assert isinstance(cloned, ClonedVoice)
    do(client.voices.delete(cloned.id))
    assert isinstance(do(client.users.retrieve()), User)
    assert do(client.auth_status.retrieve()) is True


@pytest.mark.asyncio
async def test_schema_drift_is_absorbed() -> None:
    async with FakeRevox(seed_demo_data=True, drift=True) as fake:
        client = fake.client()
        assistant = (await client.assistants.list())[0]
        assert isinstance(assistant.llm_model, UnknownLlmModel)
        assert assistant.llm_model.type == "future-model"
        assert "x_new_field" in assistant.extra
        call = (await client.calls.search_page()).calls[0]
        assert call.status == "voicemail_screening"
        assert not isinstance(call.status, CallStatus)
        raw = fake.requests[-1]
        assert raw.status == 200


@pytest.mark.asyncio
async def test_dropped_after_processing_is_never_placed_twice() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client()
        before = len(fake.state.calls)
        fake.faults.fail_next(route="POST /call", drop="after")
        with pytest.raises(APIConnectionError, match="connection") as info:
            await client.calls.create(
                phone_number="+33612345678", assistant_id=ASSISTANT, exactly_once=False
            )
        assert info.value.maybe_processed
        assert len(fake.state.calls) == before + 1
        assert [r.method for r in fake.requests if r.path == "/call"] == ["POST"]


def test_sync_client_type() -> None:
    with FakeRevoxThread() as fake:
        assert isinstance(fake.client(), Revox)
