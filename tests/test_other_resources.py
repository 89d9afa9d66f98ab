"""``phone_numbers``, ``voices``, ``users`` and ``auth_status`` on both clients."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses

from revox_async import AsyncRevox, AudioClip, Revox
from revox_async.models import (
    ClonedVoice,
    PhoneNumber,
    PhoneNumberType,
    User,
    Voice,
    VoiceLanguage,
    VoiceProvider,
    VoiceSummary,
)
from revox_async.resources._checks import MAX_CLONE_AUDIO_BYTES, check_audio_base64

from ._helpers import (
    KEY,
    NO_WAIT,
    UNAVAILABLE,
    LoopbackServer,
    Reply,
    check_never_resent,
    check_resent_after_429,
    example,
    in_order,
    in_sync_client,
)

PN_ID = "e9d3b6a0-1f4c-4a72-8b5e-c3a9f2d7e148"
V_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
ASSISTANT_ID = "c41d8a37-2f6e-4b90-8d15-9e3a7c0b62f8"
PREVIEW = example("voices.preview")
WAV = base64.b64decode(PREVIEW["body_base64"])
AUDIO_TYPE = PREVIEW["headers"]["content-type"]
ROUTES = [
    ("GET", "/phone-numbers", Reply(json=example("phone_numbers.list"))),
    ("PATCH", f"/phone-numbers/{PN_ID}", Reply(json=example("phone_numbers.update"))),
    ("DELETE", f"/phone-numbers/{PN_ID}", Reply(json={"success": True})),
    ("GET", "/voices", Reply(json=example("voices.list"))),
    ("GET", f"/voices/{V_ID}?provider=cartesia", Reply(json=example("voices.retrieve"))),
    ("POST", "/voices/clone", Reply(json=example("voices.clone"))),
    ("DELETE", f"/voices/{V_ID}", Reply(json={"success": True})),
    ("POST", "/voices/preview", Reply(body=WAV, content_type=AUDIO_TYPE)),
    ("GET", "/users/me", Reply(json=example("users.retrieve"))),
    ("GET", "/auth-status", Reply(json=example("auth_status.retrieve"))),
]


def _serve_all(server: LoopbackServer) -> None:
    for method, path, reply in ROUTES:
        server.reply(method, path, reply)


def _check_results(results: dict[str, Any]) -> None:
    numbers = results["phone_numbers.list"]
    assert all(isinstance(n, PhoneNumber) for n in numbers)
    assert [n.to_dict() for n in numbers] == example("phone_numbers.list")["phone_numbers"]
    assert numbers[0].type is PhoneNumberType.OWNED_NUMBER
    updated = results["phone_numbers.update"]
    assert updated.to_dict() == example("phone_numbers.update")["phone_number"]
    assert updated.inbound_assistant is not None and updated.inbound_assistant.id == ASSISTANT_ID
    voices = results["voices.list"]
    assert all(isinstance(v, Voice) for v in voices)
    assert [v.to_dict() for v in voices] == example("voices.list")["voices"]
    assert [v.is_cloned for v in voices] == [False, False, None, False, True]
    assert voices[0].model_compat == "universal"
    summary = results["voices.retrieve"]
    assert isinstance(summary, VoiceSummary)
    assert summary.to_dict() == example("voices.retrieve")["voice"]
    cloned = results["voices.clone"]
    assert isinstance(cloned, ClonedVoice)
    assert cloned.to_dict() == example("voices.clone")
    assert cloned.cartesia_voice_id == "c9e2a7f1-3d5b-48e6-a0c4-7b1f9d3e5a82"
    assert cloned.created_at.year == 2025
    assert results["phone_numbers.delete"] is results["voices.delete"] is None
    assert results["voices.preview"] == AudioClip(content=WAV, content_type="audio/wav")
    user = results["users.retrieve"]
    assert isinstance(user, User)
    assert user.to_dict() == example("users.retrieve")["user"]
    assert results["auth_status.retrieve"] is True


def _check_requests(server: LoopbackServer) -> None:
    assert [(r.method, r.path) for r in server.requests] == [(m, p) for m, p, _ in ROUTES]
    for r in server.requests:
        assert r.headers["Authorization"] == f"Bearer {KEY}"
    sent = {(r.method, r.path): r for r in server.requests}
    assert sent["PATCH", f"/phone-numbers/{PN_ID}"].json() == {"label": None}
    assert sent["POST", "/voices/clone"].json() == {
        "name": "Maya",
        "language": "en",
        "contentType": "audio/wav",
        "audio": PREVIEW["body_base64"],
    }
    preview = sent["POST", "/voices/preview"]
    assert preview.json() == {"provider": "cartesia", "voiceId": V_ID, "speed": 1.2}
    assert preview.headers["Accept"] == "*/*"
    assert sent["GET", "/voices"].headers["Accept"] == "application/json"


def _work(clone_audio: bytes | str) -> dict[str, Any]:
    return {
        "clone": {
            "name": "Maya",
            "language": "en",
            "content_type": "audio/wav",
            "audio": clone_audio,
        },
        "preview": {"provider": VoiceProvider.CARTESIA, "voice_id": V_ID, "speed": 1.2},
    }


@pytest.mark.asyncio
async def test_every_method_on_the_async_client(server: LoopbackServer, client: AsyncRevox) -> None:
    _serve_all(server)
    args = _work(WAV)
    results = await in_order(
        **{
            "phone_numbers.list": client.phone_numbers.list(),
            "phone_numbers.update": client.phone_numbers.update(PN_ID, label=None),
            "phone_numbers.delete": client.phone_numbers.delete(PN_ID),
            "voices.list": client.voices.list(),
            "voices.retrieve": client.voices.retrieve(V_ID, provider=VoiceProvider.CARTESIA),
            "voices.clone": client.voices.clone(**args["clone"]),
            "voices.delete": client.voices.delete(V_ID),
            "voices.preview": client.voices.preview(**args["preview"]),
            "users.retrieve": client.users.retrieve(),
            "auth_status.retrieve": client.auth_status.retrieve(),
        }
    )
    _check_results(results)
    _check_requests(server)


@pytest.mark.asyncio
async def test_every_method_on_the_sync_client(server: LoopbackServer) -> None:
    _serve_all(server)
    args = _work(PREVIEW["body_base64"])

    def work(client: Revox) -> dict[str, Any]:
        return {
            "phone_numbers.list": client.phone_numbers.list(),
            "phone_numbers.update": client.phone_numbers.update(PN_ID, label=None),
            "phone_numbers.delete": client.phone_numbers.delete(PN_ID),
            "voices.list": client.voices.list(),
            "voices.retrieve": client.voices.retrieve(V_ID, provider="cartesia"),
            "voices.clone": client.voices.clone(**args["clone"]),
            "voices.delete": client.voices.delete(V_ID),
            "voices.preview": client.voices.preview(**args["preview"]),
            "users.retrieve": client.users.retrieve(),
            "auth_status.retrieve": client.auth_status.retrieve(),
        }

    _check_results(await in_sync_client(server, work))
    _check_requests(server)


@pytest.mark.asyncio
async def test_preview_audio_can_be_saved(
    server: LoopbackServer, client: AsyncRevox, tmp_path: Path
) -> None:
    server.reply("POST", "/voices/preview", Reply(body=WAV, content_type="audio/mpeg"))
    clip = await client.voices.preview(provider="elevenlabs", voice_id="el-1", text="Hello")
    assert clip.content_type == "audio/mpeg"
    assert clip.save(tmp_path / "hello.mp3").read_bytes() == WAV
    assert "RIFF" not in repr(clip)


@pytest.mark.asyncio
async def test_preview_is_retried_as_a_safe_read(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("POST", "/voices/preview", UNAVAILABLE, Reply(body=WAV, content_type="audio/wav"))
    clip = await client.voices.preview(provider="gradium", voice_id="g-1")
    assert clip.content == WAV
    assert server.count("POST", "/voices/preview") == 2


@pytest.mark.asyncio
async def test_phone_number_update_sends_only_what_was_given(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("PATCH", f"/phone-numbers/{PN_ID}", example("phone_numbers.update"))
    await client.phone_numbers.update(PN_ID, inbound_assistant_id=ASSISTANT_ID)
    await client.phone_numbers.update(PN_ID, inbound_assistant_id=None)
    assert [r.json() for r in server.requests] == [
        {"inbound_assistant_id": ASSISTANT_ID},
        {"inbound_assistant_id": None},
    ]


@pytest.mark.asyncio
async def test_clone_accepts_bytes_or_base64_alike(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("POST", "/voices/clone", example("voices.clone"))
    common = {"name": "Maya", "language": VoiceLanguage.EN, "content_type": "audio/wav"}
    await client.voices.clone(**common, audio=b"\x00\x01audio")
    await client.voices.clone(**common, audio=base64.b64encode(b"\x00\x01audio").decode())
    first, second = (r.json() for r in server.requests)
    assert first == second
    assert first["audio"] == "AAFhdWRpbw=="


GOOD_CLONE: dict[str, Any] = {
    "name": "Maya",
    "language": "en",
    "content_type": "audio/wav",
    "audio": b"RIFF",
}
BAD_CLONE: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"audio": "not base64!"}, ValueError, "audio must be base64"),
    ({"audio": "QUJD\n"}, ValueError, "audio must be base64"),
    ({"audio": "QUJ"}, ValueError, "audio must be base64"),
    ({"audio": "é"}, ValueError, "audio must be base64"),
    ({"audio": b""}, ValueError, "audio must not be empty"),
    ({"audio": b"\x00" * (MAX_CLONE_AUDIO_BYTES + 1)}, ValueError, "audio is 7864321 bytes"),
    ({"audio": 42}, TypeError, "audio"),
    ({"name": " "}, ValueError, "name"),
    ({"language": None}, TypeError, "language"),
    ({"contentType": "audio/wav"}, TypeError, "'contentType'"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("params", "error", "field"), BAD_CLONE)
async def test_bad_clone_input_is_refused_before_sending(
    server: LoopbackServer,
    client: AsyncRevox,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        await client.voices.clone(**{**GOOD_CLONE, **params})
    assert server.requests == []


def test_the_largest_allowed_recording_passes_the_check_and_one_byte_more_does_not() -> None:
    audio = base64.b64encode(b"\x00" * MAX_CLONE_AUDIO_BYTES).decode()
    check_audio_base64(audio, "voices.clone: audio")
    too_long = base64.b64encode(b"\x00" * (MAX_CLONE_AUDIO_BYTES + 1)).decode()
    with pytest.raises(ValueError, match=r"voices\.clone: audio"):
        check_audio_base64(too_long, "voices.clone: audio")


BAD_PREVIEW: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"provider": "cartesia"}, TypeError, "'voice_id'"),
    ({"voice_id": V_ID}, TypeError, "'provider'"),
    ({"provider": "cartesia", "voice_id": ""}, ValueError, "voice_id"),
    ({"provider": "elevenlabs", "voice_id": V_ID, "speed": 1.3}, ValueError, "speed"),
    ({"provider": "cartesia", "voice_id": V_ID, "volume": 2.5}, ValueError, "volume"),
    ({"provider": "cartesia", "voiceId": V_ID}, TypeError, "'voiceId'"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("params", "error", "field"), BAD_PREVIEW)
async def test_bad_preview_input_is_refused_before_sending(
    server: LoopbackServer,
    client: AsyncRevox,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        await client.voices.preview(**params)
    assert server.requests == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("provider", "error"), [(None, TypeError), ("", ValueError), (3, TypeError)]
)
async def test_retrieve_needs_a_provider(
    server: LoopbackServer, client: AsyncRevox, provider: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="provider"):
        await client.voices.retrieve(V_ID, provider=provider)
    with pytest.raises(TypeError, match="provider"):
        await client.voices.retrieve(V_ID)  # type: ignore[call-arg]
    assert server.requests == []


async def _clone(c: AsyncRevox) -> object:
    return await c.voices.clone(**GOOD_CLONE)


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["dropped", "503"])
async def test_clone_is_never_resent(
    server: LoopbackServer, client: AsyncRevox, failure: str
) -> None:
    await check_never_resent(
        server, client, failure, ("POST", "/voices/clone"), _clone, example("voices.clone")
    )


@pytest.mark.asyncio
async def test_clone_is_resent_after_429(server: LoopbackServer, client: AsyncRevox) -> None:
    await check_resent_after_429(
        server, client, ("POST", "/voices/clone"), _clone, example("voices.clone")
    )


@pytest.mark.asyncio
async def test_deletes_are_retried(server: LoopbackServer, client: AsyncRevox) -> None:
    for path in (f"/voices/{V_ID}", f"/phone-numbers/{PN_ID}"):
        server.reply("DELETE", path, UNAVAILABLE, Reply(json={"success": True}))
    await client.voices.delete(V_ID)
    await client.phone_numbers.delete(PN_ID)
    assert server.count("DELETE", f"/voices/{V_ID}") == 2
    assert server.count("DELETE", f"/phone-numbers/{PN_ID}") == 2


@pytest.mark.asyncio
async def test_an_unauthenticated_status_is_false(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("GET", "/auth-status", {"authenticated": False})
    assert await client.auth_status.retrieve() is False


@pytest.mark.asyncio
async def test_preview_with_aioresponses() -> None:
    base = "https://api.revox.test"
    with aioresponses() as mocked:
        mocked.post(f"{base}/voices/preview", body=WAV, content_type="audio/ogg")
        async with AsyncRevox(KEY, base_url=base) as root:
            clip = await root.with_options(retry_policy=NO_WAIT).voices.preview(
                provider="cartesia", voice_id=V_ID
            )
        ((_, sent),) = mocked.requests.items()
    assert clip == AudioClip(content=WAV, content_type="audio/ogg")
    assert sent[0].kwargs["headers"]["Accept"] == "*/*"
