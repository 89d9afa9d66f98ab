"""The API contract's examples, end to end through the SDK.

Every response example parses into the return type of its method and ``to_dict()`` gives the
JSON back exactly; every request example is what the SDK sends for the matching keyword
arguments.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest

from revox_async import AsyncRevox, AudioClip
from revox_async.models import RevoxModel

from ._helpers import ASSISTANT_ID, LoopbackServer, Reply, example, request
from .contract import EXAMPLES

ID = "x-1"
Invoke = Callable[[AsyncRevox], Awaitable[Any]]


@attrs.frozen
class Case:
    """How to reach an example through the SDK: the route it is served on and the call."""

    method: str
    path: str
    invoke: Invoke
    envelope: str | None = None


def _kw(name: str, **renames: str) -> dict[str, Any]:
    """A request example as keyword arguments, with the API's camelCase keys renamed."""
    return {renames.get(k, k): v for k, v in request(name).items()}


RESPONSES: dict[str, Case] = {
    "assistants.clone": Case(
        "POST", f"/assistants/{ID}/clone", lambda c: c.assistants.clone(ID), "assistant"
    ),
    "assistants.create": Case(
        "POST", "/assistants", lambda c: c.assistants.create(name="n", prompt="p"), "assistant"
    ),
    "assistants.delete": Case("DELETE", f"/assistants/{ID}", lambda c: c.assistants.delete(ID)),
    "assistants.list": Case("GET", "/assistants", lambda c: c.assistants.list(), "assistants"),
    "assistants.retrieve": Case("GET", f"/assistants/{ID}", lambda c: c.assistants.retrieve(ID)),
    "assistants.update": Case(
        "PATCH", f"/assistants/{ID}", lambda c: c.assistants.update(ID, name="n")
    ),
    "auth_status.retrieve": Case(
        "GET", "/auth-status", lambda c: c.auth_status.retrieve(), "authenticated"
    ),
    "call.cancel": Case("POST", f"/call/{ID}/cancel", lambda c: c.calls.cancel(ID)),
    "call.create": Case(
        "POST",
        "/call",
        lambda c: c.calls.create(phone_number="+16505550129", assistant_id="a"),
        "call",
    ),
    "call.export": Case("POST", "/call/export", lambda c: c.calls.export()),
    "call.pause": Case("POST", f"/call/{ID}/pause", lambda c: c.calls.pause(ID)),
    "call.phone_history": Case(
        "GET", "/calls/phone-history", lambda c: c.calls.phone_history(), "phone_history"
    ),
    "call.resume": Case("POST", f"/call/{ID}/resume", lambda c: c.calls.resume(ID)),
    "call.retrieve": Case("GET", f"/call/{ID}", lambda c: c.calls.retrieve(ID), "call"),
    "call.search": Case("POST", "/call/search", lambda c: c.calls.search_page()),
    "campaigns.cancel": Case("POST", f"/campaigns/{ID}/cancel", lambda c: c.campaigns.cancel(ID)),
    "campaigns.create": Case(
        "POST", "/campaigns", lambda c: c.campaigns.create(**_kw("campaigns.create")), "campaign"
    ),
    "campaigns.delete": Case("DELETE", f"/campaigns/{ID}", lambda c: c.campaigns.delete(ID)),
    "campaigns.export_rows": Case(
        "GET", f"/campaigns/{ID}/export", lambda c: c.campaigns.export_rows(ID)
    ),
    "campaigns.get_rows": Case(
        "GET", f"/campaigns/{ID}/rows", lambda c: c.campaigns.get_rows(ID), "rows"
    ),
    "campaigns.launch": Case(
        "POST",
        f"/campaigns/{ID}/launch-calls",
        lambda c: c.campaigns.launch(ID, **_kw("campaigns.launch")),
    ),
    "extra/campaigns.launch.speed_dial": Case(
        "POST",
        f"/campaigns/{ID}/launch-calls",
        lambda c: c.campaigns.launch(ID, **_kw("campaigns.launch.speed_dial")),
    ),
    "campaigns.list": Case("GET", "/campaigns", lambda c: c.campaigns.list(), "campaigns"),
    "campaigns.pause": Case("POST", f"/campaigns/{ID}/pause", lambda c: c.campaigns.pause(ID)),
    "campaigns.resume": Case("POST", f"/campaigns/{ID}/resume", lambda c: c.campaigns.resume(ID)),
    "campaigns.retrieve": Case(
        "GET", f"/campaigns/{ID}", lambda c: c.campaigns.retrieve(ID), "campaign"
    ),
    "campaigns.statistics": Case(
        "GET", f"/campaigns/{ID}/statistics", lambda c: c.campaigns.statistics(ID), "statistics"
    ),
    "campaigns.update": Case(
        "PATCH", f"/campaigns/{ID}", lambda c: c.campaigns.update(ID, name="n"), "campaign"
    ),
    "phone_numbers.delete": Case(
        "DELETE", f"/phone-numbers/{ID}", lambda c: c.phone_numbers.delete(ID)
    ),
    "phone_numbers.list": Case(
        "GET", "/phone-numbers", lambda c: c.phone_numbers.list(), "phone_numbers"
    ),
    "phone_numbers.update": Case(
        "PATCH", f"/phone-numbers/{ID}", lambda c: c.phone_numbers.update(ID), "phone_number"
    ),
    "users.retrieve": Case("GET", "/users/me", lambda c: c.users.retrieve(), "user"),
    "voices.clone": Case(
        "POST",
        "/voices/clone",
        lambda c: c.voices.clone(**_kw("voices.clone", contentType="content_type")),
    ),
    "voices.delete": Case("DELETE", f"/voices/{ID}", lambda c: c.voices.delete(ID)),
    "voices.list": Case("GET", "/voices", lambda c: c.voices.list(), "voices"),
    "voices.preview": Case(
        "POST", "/voices/preview", lambda c: c.voices.preview(provider="cartesia", voice_id="v")
    ),
    "voices.retrieve": Case(
        "GET",
        f"/voices/{ID}?provider=gradium",
        lambda c: c.voices.retrieve(ID, provider="gradium"),
        "voice",
    ),
}


def _as_json(value: Any) -> Any:
    if isinstance(value, RevoxModel):
        return value.to_dict()
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    return value


def _stems(folder: str, label: str = "") -> set[str]:
    return {label + path.stem for path in (EXAMPLES / folder).glob("*.json")}


def test_every_response_example_is_covered() -> None:
    assert _stems(".") | _stems("extra", "extra/") == set(RESPONSES)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(set(RESPONSES) - {"voices.preview"}))
async def test_response_example_round_trips(
    server: LoopbackServer, client: AsyncRevox, name: str
) -> None:
    case = RESPONSES[name]
    payload = example(name)
    server.reply_json(case.method, case.path, payload)
    result = await case.invoke(client)
    if payload == {"success": True}:
        assert result is None  # {success: true} is acknowledged, not returned
        return
    expected = payload[case.envelope] if case.envelope else payload
    assert _as_json(result) == expected
    assert server.requests[0].path == case.path


@pytest.mark.asyncio
async def test_preview_example_is_returned_as_audio(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    described = example("voices.preview")
    audio = base64.b64decode(described["body_base64"])
    content_type = described["headers"]["content-type"]
    case = RESPONSES["voices.preview"]
    server.reply(
        case.method,
        case.path,
        Reply(status=described["status"], body=audio, content_type=content_type),
    )
    assert await case.invoke(client) == AudioClip(content=audio, content_type=content_type)


def _export(c: AsyncRevox) -> Awaitable[Any]:
    body = request("call.export")
    filters = dict(body.pop("filters"))
    return c.calls.export(
        page=filters.pop("page"), page_size=filters.pop("page_size"), **filters, **body
    )


REQUESTS: dict[str, Case] = {
    "assistants.create": Case(
        "POST", "/assistants", lambda c: c.assistants.create(**_kw("assistants.create"))
    ),
    "assistants.update": Case(
        "PATCH",
        f"/assistants/{ASSISTANT_ID}",
        lambda c: c.assistants.update(ASSISTANT_ID, **_kw("assistants.update")),
    ),
    "extra/assistants.update.custom_llm": Case(
        "PATCH",
        f"/assistants/{ASSISTANT_ID}",
        lambda c: c.assistants.update(ASSISTANT_ID, **_kw("assistants.update.custom_llm")),
    ),
    # Opted out of reconciling, the body is the example's, without a reference added.
    "call.create": Case(
        "POST", "/call", lambda c: c.calls.create(**_kw("call.create"), exactly_once=False)
    ),
    "extra/call.create.inline_assistant": Case(
        "POST",
        "/call",
        lambda c: c.calls.create(**_kw("call.create.inline_assistant"), exactly_once=False),
    ),
    "call.export": Case("POST", "/call/export", _export),
    "call.search": Case(
        "POST", "/call/search", lambda c: c.calls.search_page(**_kw("call.search"))
    ),
    "campaigns.create": Case(
        "POST", "/campaigns", lambda c: c.campaigns.create(**_kw("campaigns.create"))
    ),
    "campaigns.launch": Case(
        "POST",
        f"/campaigns/{ID}/launch-calls",
        lambda c: c.campaigns.launch(ID, **_kw("campaigns.launch")),
    ),
    "extra/campaigns.launch.speed_dial": Case(
        "POST",
        f"/campaigns/{ID}/launch-calls",
        lambda c: c.campaigns.launch(ID, **_kw("campaigns.launch.speed_dial")),
    ),
    "campaigns.update": Case(
        "PATCH", f"/campaigns/{ID}", lambda c: c.campaigns.update(ID, **_kw("campaigns.update"))
    ),
    "phone_numbers.update": Case(
        "PATCH",
        f"/phone-numbers/{ID}",
        lambda c: c.phone_numbers.update(ID, **_kw("phone_numbers.update")),
    ),
    "voices.clone": RESPONSES["voices.clone"],
    "voices.preview": Case(
        "POST",
        "/voices/preview",
        lambda c: c.voices.preview(**_kw("voices.preview", voiceId="voice_id")),
    ),
}

# What the server answers while the request examples are sent.
REQUEST_REPLIES = {
    "assistants.create": "assistants.create",
    "assistants.update": "assistants.update",
    "extra/assistants.update.custom_llm": "assistants.update",
    "call.create": "call.create",
    "extra/call.create.inline_assistant": "call.create",
    "call.export": "call.export",
    "call.search": "call.search",
    "campaigns.create": "campaigns.create",
    "campaigns.launch": "campaigns.launch",
    "extra/campaigns.launch.speed_dial": "extra/campaigns.launch.speed_dial",
    "campaigns.update": "campaigns.update",
    "phone_numbers.update": "phone_numbers.update",
    "voices.clone": "voices.clone",
}


def test_every_request_example_is_covered() -> None:
    assert _stems("requests") | _stems("extra/requests", "extra/") == set(REQUESTS)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(REQUESTS))
async def test_request_example_is_what_the_sdk_sends(
    server: LoopbackServer, client: AsyncRevox, name: str
) -> None:
    case = REQUESTS[name]
    if name == "voices.preview":
        server.reply(case.method, case.path, Reply(body=b"RIFF", content_type="audio/wav"))
    else:
        server.reply_json(case.method, case.path, example(REQUEST_REPLIES[name]))
    await case.invoke(client)
    (sent,) = server.requests
    assert (sent.method, sent.path) == (case.method, case.path)
    assert sent.json() == request(name.removeprefix("extra/"))
