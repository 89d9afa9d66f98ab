"""The async client: resource methods, the pager, with_options and with_raw_response."""

from __future__ import annotations

from typing_extensions import assert_type

from revox_async import (
    AsyncPager,
    AsyncRevox,
    AudioClip,
    CallSearchResult,
    CampaignLaunchResult,
    CsvExport,
    RawResponse,
    ResponseInfo,
)
from revox_async.models.assistants import Assistant, AssistantUpdateResult
from revox_async.models.calls import Call
from revox_async.models.campaigns import Campaign
from revox_async.models.phone_numbers import PhoneNumber
from revox_async.models.users import User
from revox_async.models.voices import Voice


async def resources(client: AsyncRevox) -> None:
    assert_type(await client.assistants.list(), list[Assistant])
    assert_type(await client.assistants.retrieve("a"), Assistant)
    assert_type(await client.assistants.create(name="n", prompt="p"), Assistant)
    assert_type(await client.assistants.update("a", name="n"), AssistantUpdateResult)
    assert_type(await client.assistants.delete("a"), None)
    assert_type(await client.calls.create(phone_number="+33612345678", assistant_id="a"), Call)
    assert_type(await client.calls.wait("c", timeout=5), Call)
    assert_type(await client.calls.search_page(page=2), CallSearchResult)
    assert_type(await client.calls.export(), CsvExport)
    assert_type(await client.campaigns.list(), list[Campaign])
    assert_type(
        await client.campaigns.launch("c", mode="ai_first", selection={}), CampaignLaunchResult
    )
    assert_type(await client.phone_numbers.list(), list[PhoneNumber])
    assert_type(await client.voices.list(), list[Voice])
    assert_type(
        await client.voices.preview(text="hi", voice_id="v", provider="cartesia"), AudioClip
    )
    assert_type(await client.users.retrieve(), User)
    assert_type(await client.auth_status.retrieve(), bool)


async def pager(client: AsyncRevox) -> None:
    calls = client.calls.search(statuses=["completed"], page_size=50)
    assert_type(calls, AsyncPager[Call])
    async for call in calls:
        assert_type(call, Call)
    assert_type(await anext(client.calls.search()), Call)


async def options_and_raw_responses(client: AsyncRevox) -> None:
    fast = client.with_options(timeout=5, max_retries=0)
    assert_type(fast, AsyncRevox)
    raw = await fast.with_raw_response(fast.assistants.retrieve, "a")
    assert_type(raw, RawResponse[Assistant])
    assert_type(raw.data, Assistant)
    assert_type(raw.parse(), Assistant)
    assert_type(raw.request_id, str | None)
    assert_type(raw.info, ResponseInfo)
    listed = await client.with_raw_response(client.calls.search_page, page_size=10)
    assert_type(listed.data, CallSearchResult)


async def rejected(client: AsyncRevox) -> None:
    await client.assistants.retrieve(42)  # type: ignore[arg-type]
    await client.assistants.create(name="n", prompt="p", colour="red")  # type: ignore[call-arg]
    client.with_options(timeout="soon")  # type: ignore[arg-type]
    await client.with_raw_response(client.assistants.retrieve, 42)  # type: ignore[arg-type]
