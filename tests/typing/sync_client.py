"""The sync client: the same methods returning results directly, pages as a plain iterator."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import assert_type

from revox_async import (
    AudioClip,
    CallSearchResult,
    CampaignLaunchResult,
    CsvExport,
    RawResponse,
    Revox,
)
from revox_async.models.assistants import Assistant, AssistantUpdateResult
from revox_async.models.calls import Call
from revox_async.models.campaigns import Campaign
from revox_async.models.phone_numbers import PhoneNumber
from revox_async.models.users import User
from revox_async.models.voices import Voice


def resources(client: Revox) -> None:
    assert_type(client.assistants.list(), list[Assistant])
    assert_type(client.assistants.retrieve("a"), Assistant)
    assert_type(client.assistants.create(name="n", prompt="p"), Assistant)
    assert_type(client.assistants.update("a", name="n"), AssistantUpdateResult)
    assert_type(client.assistants.delete("a"), None)
    assert_type(client.calls.create(phone_number="+33612345678", assistant_id="a"), Call)
    assert_type(client.calls.wait("c", timeout=5), Call)
    assert_type(client.calls.search_page(page=2), CallSearchResult)
    assert_type(client.calls.export(), CsvExport)
    assert_type(client.campaigns.list(), list[Campaign])
    assert_type(client.campaigns.launch("c", mode="ai_first", selection={}), CampaignLaunchResult)
    assert_type(client.phone_numbers.list(), list[PhoneNumber])
    assert_type(client.voices.list(), list[Voice])
    assert_type(client.voices.preview(text="hi", voice_id="v", provider="cartesia"), AudioClip)
    assert_type(client.users.retrieve(), User)
    assert_type(client.auth_status.retrieve(), bool)


def pager(client: Revox) -> None:
    calls = client.calls.search(statuses=["completed"], page_size=50)
    assert_type(calls, Iterator[Call])
    for call in calls:
        assert_type(call, Call)


def options_and_raw_responses(client: Revox) -> None:
    with client.with_options(timeout=5, max_retries=0) as fast:
        assert_type(fast, Revox)
        raw = fast.with_raw_response(fast.assistants.retrieve, "a")
        assert_type(raw, RawResponse[Assistant])
        assert_type(raw.data, Assistant)
        assert_type(raw.status_code, int)


def rejected(client: Revox) -> None:
    client.assistants.retrieve(42)  # type: ignore[arg-type]
    client.assistants.create(name="n", prompt="p", colour="red")  # type: ignore[call-arg]
    client.calls.search(page=2)  # type: ignore[call-arg]
    client.with_options(session=None)  # type: ignore[call-arg]
    client.with_raw_response(client.assistants.retrieve, 42)  # type: ignore[arg-type]
