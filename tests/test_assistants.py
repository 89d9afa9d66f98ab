"""``assistants`` on both clients, against a real loopback server and with aioresponses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import aioresponses

from revox_async import APIError, AsyncRevox, NotFoundError, Revox
from revox_async.models import (
    Assistant,
    CallingWindow,
    CallRetryConfig,
    StructuredOutputField,
    VoiceSettings,
)

from ._helpers import ASSISTANT_ID, KEY, LoopbackServer, Reply, example, in_sync_client, request


def _serve_all(server: LoopbackServer) -> None:
    server.reply_json("GET", "/assistants", example("assistants.list"))
    server.reply_json("GET", f"/assistants/{ASSISTANT_ID}", example("assistants.retrieve"))
    server.reply_json("POST", "/assistants", example("assistants.create"))
    server.reply_json("PATCH", f"/assistants/{ASSISTANT_ID}", example("assistants.update"))
    server.reply_json("DELETE", f"/assistants/{ASSISTANT_ID}", {"success": True})
    server.reply_json("POST", f"/assistants/{ASSISTANT_ID}/clone", example("assistants.clone"))


def _check_requests(server: LoopbackServer) -> None:
    methods = [(r.method, r.path) for r in server.requests]
    assert methods == [
        ("GET", "/assistants"),
        ("GET", f"/assistants/{ASSISTANT_ID}"),
        ("POST", "/assistants"),
        ("PATCH", f"/assistants/{ASSISTANT_ID}"),
        ("DELETE", f"/assistants/{ASSISTANT_ID}"),
        ("POST", f"/assistants/{ASSISTANT_ID}/clone"),
    ]
    for sent in server.requests:
        assert sent.headers["Authorization"] == f"Bearer {KEY}"
        assert sent.headers["User-Agent"].startswith("revox-async/")
    assert server.requests[2].json() == {"name": "Front desk", "prompt": "Be kind."}
    assert server.requests[3].json() == {"voicemail_message": None, "voice": VOICE_DICT}
    assert server.requests[0].body == b""


VOICE_DICT = {"id": "v-1", "provider": "elevenlabs", "speed": 1.1}


def _check_results(results: dict[str, Any]) -> None:
    assert [a.name for a in results["list"]] == [
        a["name"] for a in example("assistants.list")["assistants"]
    ]
    assert results["retrieve"].to_dict() == example("assistants.retrieve")
    assert isinstance(results["create"], Assistant)
    assert results["create"].to_dict() == example("assistants.create")["assistant"]
    assert results["update"].assistant.to_dict() == example("assistants.update")["assistant"]
    assert results["update"].unpatched_calls_notice.count == 3
    assert results["delete"] is None
    assert results["clone"].to_dict() == example("assistants.clone")["assistant"]


@pytest.mark.asyncio
async def test_every_method_on_the_async_client(server: LoopbackServer, client: AsyncRevox) -> None:
    _serve_all(server)
    results = {
        "list": await client.assistants.list(),
        "retrieve": await client.assistants.retrieve(ASSISTANT_ID),
        "create": await client.assistants.create(name="Front desk", prompt="Be kind."),
        "update": await client.assistants.update(
            ASSISTANT_ID,
            voicemail_message=None,
            voice=VoiceSettings(id="v-1", provider="elevenlabs", speed=1.1),
        ),
    }
    await client.assistants.delete(ASSISTANT_ID)
    results["delete"] = None
    results["clone"] = await client.assistants.clone(ASSISTANT_ID)
    _check_results(results)
    _check_requests(server)


@pytest.mark.asyncio
async def test_every_method_on_the_sync_client(server: LoopbackServer) -> None:
    _serve_all(server)

    def work(client: Revox) -> dict[str, Any]:
        return {
            "list": client.assistants.list(),
            "retrieve": client.assistants.retrieve(ASSISTANT_ID),
            "create": client.assistants.create(name="Front desk", prompt="Be kind."),
            "update": client.assistants.update(
                ASSISTANT_ID, voicemail_message=None, voice=VOICE_DICT
            ),
            "delete": client.assistants.delete(ASSISTANT_ID),
            "clone": client.assistants.clone(ASSISTANT_ID),
        }

    _check_results(await in_sync_client(server, work))
    _check_requests(server)


@pytest.mark.asyncio
async def test_nested_inputs_accept_models_or_dicts_alike(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("POST", "/assistants", example("assistants.create"))
    retry = {
        "calling_windows": [
            {
                "calling_window_start_time": "9am",
                "calling_window_end_time": "17:30",
                "retry_delay_seconds": 600,
            }
        ],
        "max_retry_attempts": 2,
        "allowed_days": ["monday"],
        "call_twice_in_a_row": False,
    }
    fields = [{"name": "email", "required": True, "type": "string"}]
    await client.assistants.create(
        name="n", prompt="p", call_retry_config=retry, structured_output_config=fields
    )
    await client.assistants.create(
        name="n",
        prompt="p",
        call_retry_config=CallRetryConfig(
            calling_windows=[
                CallingWindow(
                    calling_window_start_time="9am",
                    calling_window_end_time="17:30",
                    retry_delay_seconds=600,
                )
            ],
            max_retry_attempts=2,
            allowed_days=["monday"],
            call_twice_in_a_row=False,
        ),
        structured_output_config=[
            StructuredOutputField(name="email", required=True, type="string")
        ],
    )
    first, second = (r.json() for r in server.requests)
    assert (
        first
        == second
        == {
            "name": "n",
            "prompt": "p",
            "call_retry_config": retry,
            "structured_output_config": fields,
        }
    )


@pytest.mark.asyncio
async def test_create_body_matches_the_contract_example(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    body = request("assistants.create")
    server.reply_json("POST", "/assistants", example("assistants.create"))
    await client.assistants.create(**body)
    assert server.requests[0].json() == body


DAYS = {"allowed_days": ["monday"], "call_twice_in_a_row": False}

BAD_INPUTS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"voice": {"id": "v", "provider": "elevenlabs", "speed": 1.4}}, ValueError, "voice.speed"),
    ({"voice": {"id": "v", "provider": "cartesia", "speed": 0.5}}, ValueError, "voice.speed"),
    ({"voice": {"id": "v", "provider": "cartesia", "volume": 3}}, ValueError, "voice.volume"),
    ({"voice": {"id": "", "provider": "cartesia"}}, ValueError, "voice.id"),
    ({"voice": {"provider": "cartesia"}}, ValueError, "voice"),
    ({"voice": "cartesia"}, TypeError, "voice"),
    (
        {"structured_output_config": [{"name": " ", "required": True, "type": "string"}]},
        ValueError,
        r"structured_output_config\[0\].name",
    ),
    (
        {
            "call_retry_config": {
                "calling_windows": [
                    {
                        "calling_window_start_time": "25:00",
                        "calling_window_end_time": "6pm",
                        "retry_delay_seconds": 1,
                    }
                ],
                "max_retry_attempts": 1,
                **DAYS,
            }
        },
        ValueError,
        "calling_window_start_time",
    ),
    (
        {"call_retry_config": {"calling_windows": [], "max_retry_attempts": 0, **DAYS}},
        ValueError,
        "max_retry_attempts",
    ),
    (
        {"call_retry_config": {"calling_windows": [], "max_retry_attempts": 1}},
        ValueError,
        "call_retry_config.allowed_days is required",
    ),
    (
        {"transfer_destinations": [{"label": "desk", "phone_number": "0612345678"}]},
        ValueError,
        r"transfer_destinations\[0\].phone_number",
    ),
    ({"from_phone_number": "+1 555"}, ValueError, "from_phone_number"),
    ({"thinking_sound_probability": 1.5}, ValueError, "thinking_sound_probability"),
    (
        {
            "custom_tools": [
                {
                    "name": "Check Area",
                    "description": "d",
                    "method": "GET",
                    "url": "u",
                    "headers": [],
                    "query_params": [],
                    "input_schema": [],
                }
            ]
        },
        ValueError,
        "custom_tools",
    ),
    ({"first_sentence_delay_ms": "400"}, TypeError, "first_sentence_delay_ms"),
    ({"ivr_navigation_enabled": 1}, TypeError, "ivr_navigation_enabled"),
    ({"faq_items": {"question": "q"}}, TypeError, "faq_items"),
    ({"nmae": "typo"}, TypeError, "nmae"),
    ({"name": ""}, ValueError, "name"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("params", "error", "field"), BAD_INPUTS)
async def test_bad_input_is_refused_before_sending(
    server: LoopbackServer,
    client: AsyncRevox,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        await client.assistants.update(ASSISTANT_ID, **params)
    with pytest.raises(error, match=field):
        await client.assistants.create(**{"name": "n", "prompt": "p", **params})
    assert server.requests == []


@pytest.mark.asyncio
async def test_create_requires_name_and_prompt(server: LoopbackServer, client: AsyncRevox) -> None:
    with pytest.raises(TypeError, match="'prompt'"):
        await client.assistants.create(name="n")  # type: ignore[call-arg]
    assert server.requests == []


@pytest.mark.asyncio
async def test_ids_are_encoded_so_they_stay_in_their_segment(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    with pytest.raises(NotFoundError):
        await client.assistants.retrieve("../users/me")
    with pytest.raises(NotFoundError):
        await client.assistants.delete("a/b")
    assert [r.path for r in server.requests] == ["/assistants/..%2Fusers%2Fme", "/assistants/a%2Fb"]


@pytest.mark.asyncio
async def test_delete_reporting_failure_raises(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply_json("DELETE", "/assistants/x", {"success": False})
    with pytest.raises(APIError, match="success=false"):
        await client.assistants.delete("x")


@pytest.mark.asyncio
async def test_not_found_carries_the_server_message(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply(
        "GET",
        "/assistants/missing",
        Reply(status=404, json={"error": "Assistant not found"}, headers={"x-request-id": "r-9"}),
    )
    with pytest.raises(NotFoundError) as info:
        await client.assistants.retrieve("missing")
    assert info.value.message == "Assistant not found"
    assert info.value.request_id == "r-9"
    assert info.value.url == f"{server.url}/assistants/missing"


@pytest.mark.asyncio
async def test_with_aioresponses() -> None:
    base = "https://api.revox.test"
    with aioresponses() as mocked:
        mocked.get(f"{base}/assistants/{ASSISTANT_ID}", payload=example("assistants.retrieve"))
        mocked.post(
            re.compile(rf"{re.escape(base)}/assistants/.*/clone"),
            payload=example("assistants.clone"),
        )
        async with AsyncRevox(KEY, base_url=base) as client:
            assistant = await client.assistants.retrieve(ASSISTANT_ID)
            copy = await client.assistants.clone(ASSISTANT_ID)
    assert assistant.id == ASSISTANT_ID
    assert copy.name.endswith("(Copy)")


@pytest.mark.asyncio
@pytest.mark.parametrize("field", ["first_sentence", "end_of_call_sentence", "voice", "type"])
async def test_fields_the_api_cannot_clear_refuse_none(
    server: LoopbackServer, client: AsyncRevox, field: str
) -> None:
    with pytest.raises(TypeError, match=f"{field} must not be None"):
        await client.assistants.update(ASSISTANT_ID, **{field: None})  # type: ignore[arg-type]
    assert server.requests == []
