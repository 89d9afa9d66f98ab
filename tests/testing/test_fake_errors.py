"""Strict-server behaviour: auth, unknown ids and routes, bad bodies, the request log, drift."""

from __future__ import annotations

from typing import Any

import pytest

from ._support import EMMA, EMMA_VOICE, JORDAN_CALL, SPRING, search_body, serve


@pytest.mark.asyncio
async def test_requests_without_the_right_key_get_401() -> None:
    async with serve(seed_demo_data=True) as api:
        wrong = await api.get("/assistants", key="rvx_wrong")
        assert wrong.status == 401
        assert wrong.body == {"error": "invalid API key"}
        missing = await api.request("GET", "/auth-status", headers={"Authorization": ""})
        assert missing.status == 401
        assert "Bearer" in missing.body["error"]
        # Rejected before reaching the handler: nothing was created.
        before = len(api.fake.state.calls)
        denied = await api.post("/call", {"phone_number": "+16505550129"}, key="nope")
        assert denied.status == 401
        assert len(api.fake.state.calls) == before


@pytest.mark.asyncio
async def test_every_response_has_a_request_id() -> None:
    async with serve() as api:
        replies = [
            await api.get("/auth-status"),
            await api.get("/auth-status", key="bad"),
            await api.get("/nowhere"),
        ]
        ids = [r.headers["x-request-id"] for r in replies]
        assert all(i.startswith("req_") for i in ids)
        assert len(set(ids)) == 3
        assert [r.request_id for r in api.fake.requests] == ids


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/assistants/missing"),
        ("PATCH", "/assistants/missing"),
        ("DELETE", "/assistants/missing"),
        ("POST", "/assistants/missing/clone"),
        ("GET", "/call/missing"),
        ("POST", "/call/missing/cancel"),
        ("POST", "/call/missing/pause"),
        ("POST", "/call/missing/resume"),
        ("GET", "/campaigns/missing"),
        ("PATCH", "/campaigns/missing"),
        ("DELETE", "/campaigns/missing"),
        ("GET", "/campaigns/missing/rows"),
        ("GET", "/campaigns/missing/export"),
        ("GET", "/campaigns/missing/statistics"),
        ("POST", "/campaigns/missing/pause"),
        ("POST", "/campaigns/missing/resume"),
        ("POST", "/campaigns/missing/cancel"),
        ("PATCH", "/phone-numbers/missing"),
        ("DELETE", "/phone-numbers/missing"),
        ("DELETE", "/voices/missing"),
    ],
)
async def test_unknown_ids_are_404(method: str, path: str) -> None:
    async with serve(seed_demo_data=True) as api:
        reply = await api.request(method, path, json_body={} if method == "PATCH" else None)
        assert reply.status == 404
        assert "missing" in reply.body["error"]


@pytest.mark.asyncio
async def test_unknown_voice_and_launch_of_unknown_campaign_are_404() -> None:
    async with serve(seed_demo_data=True) as api:
        voice = await api.get(f"/voices/{EMMA_VOICE}", params={"provider": "elevenlabs"})
        assert voice.status == 404
        launch = await api.post("/campaigns/missing/launch-calls", _launch_body())
        assert launch.status == 404


@pytest.mark.asyncio
async def test_unknown_routes_and_methods_answer_json() -> None:
    async with serve() as api:
        route = await api.get("/v2/assistants")
        assert route.status == 404
        assert route.body == {"error": "no route for GET /v2/assistants"}
        method = await api.request("PUT", "/assistants")
        assert method.status == 405
        assert "error" in method.body
        assert "GET" in method.headers["Allow"]


@pytest.mark.asyncio
async def test_bodies_that_are_not_json_objects_are_400() -> None:
    async with serve() as api:
        not_json = await api.request(
            "POST", "/call", data=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert not_json.status == 400
        assert not_json.body == {"error": "request body is not valid JSON"}
        array = await api.post("/call", [1, 2])
        assert array.status == 400
        empty = await api.request("POST", "/call")
        assert empty.status == 400
        form = await api.request(
            "POST", "/call", data=b"phone_number=1", headers={"Content-Type": "text/plain"}
        )
        assert form.status == 415


def _launch_body(**filters: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "assignee_ids": [],
        "directions": [],
        "outcomes": [],
        "results": [],
        "statuses": [],
    }
    base.update(filters)
    return {
        "mode": "ai_first",
        "selection": {"filters": base, "rows": {"mode": "only", "call_ids": []}},
    }


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/call", {}, "phone_number: is required"),
        ("/call", {"phone_number": "0612345678"}, "phone_number: must be an E.164 number"),
        (
            "/call",
            {"phone_number": "+33612345678", "assistant_id": 7},
            "assistant_id: must be a string",
        ),
        (
            "/call",
            {"phone_number": "+33612345678", "assistant_id": "nope"},
            "assistant_id: no assistant with id nope",
        ),
        (
            "/call",
            {"phone_number": "+33612345678", "assistant_id": EMMA, "metadata": {"a": 1}},
            "metadata.a: must be a string",
        ),
        (
            "/call",
            {"phone_number": "+33612345678", "assistant_id": EMMA, "scheduled_at": "tomorrow"},
            "scheduled_at: must be an ISO 8601 date-time",
        ),
        # Forms that datetime.fromisoformat reads from Python 3.11 on only: refused on every
        # Python, so what the fake accepts does not depend on the one running it.
        (
            "/call",
            {
                "phone_number": "+33612345678",
                "assistant_id": EMMA,
                "scheduled_at": "20261201T100000Z",
            },
            "scheduled_at: must be an ISO 8601 date-time",
        ),
        (
            "/call",
            {
                "phone_number": "+33612345678",
                "assistant_id": EMMA,
                "scheduled_at": "2026-12-01T10:00:00.5Z",
            },
            "scheduled_at: must be an ISO 8601 date-time",
        ),
        ("/call", {"phone_number": "+33612345678", "colour": "red"}, "colour: unknown field"),
        ("/assistants", {"name": "x"}, "prompt: is required"),
        (
            "/assistants",
            {"name": "x", "prompt": "p", "first_sentence_mode": "loud"},
            "first_sentence_mode: must be one of 'generated', 'static', 'none'",
        ),
        (
            "/assistants",
            {"name": "x", "prompt": "p", "llm_model": {"type": "gpt-9"}},
            "llm_model.type: must be one of",
        ),
        (
            "/assistants",
            {"name": "x", "prompt": "p", "llm_model": {"type": "dedicated-instance"}},
            "llm_model.name: is required",
        ),
        (
            "/assistants",
            {
                "name": "x",
                "prompt": "p",
                "voice": {"id": "v", "provider": "cartesia", "speed": "1"},
            },
            "voice.speed: must be a number",
        ),
        (
            "/assistants",
            {
                "name": "x",
                "prompt": "p",
                "call_retry_config": {
                    "allowed_days": ["funday"],
                    "call_twice_in_a_row": False,
                    "calling_windows": [],
                    "max_retry_attempts": 3,
                },
            },
            "call_retry_config.allowed_days[0]: must be one of",
        ),
        (
            "/campaigns",
            {
                "assistant_id": EMMA,
                "name": "c",
                "contacts": [
                    {"to_phone_number": "+14085550121", "prompt_variables": {}},
                    {"to_phone_number": "555", "prompt_variables": {}},
                ],
            },
            "contacts[1].to_phone_number: must be an E.164 number",
        ),
        (
            "/campaigns",
            {"assistant_id": EMMA, "name": "c", "contacts": [], "max_concurrent_calls": 0},
            "max_concurrent_calls: must be greater than 0",
        ),
        ("/call/search", search_body(page=0), "page: must be at least 1"),
        ("/call/search", search_body(page_size=5000), "page_size: must be at least 1 and at most"),
        ("/call/search", {"page": 1, "page_size": 10}, "assignee_ids: is required"),
        ("/call/search", search_body(statuses=["ringing"]), "statuses[0]: must be one of"),
        ("/call/search", search_body(sort_by="colour"), "sort_by: must be one of"),
        ("/call/export", {"filters": search_body(page="1")}, "filters.page: must be an integer"),
        (f"/campaigns/{SPRING}/launch-calls", {"mode": "ai_first"}, "selection: is required"),
        (
            f"/campaigns/{SPRING}/launch-calls",
            _launch_body(outcomes=["thrilled"]),
            "selection.filters.outcomes[0]: must be one of",
        ),
        ("/voices/preview", {"provider": "acme", "voiceId": "v"}, "provider: must be one of"),
        (
            "/voices/clone",
            {"audio": "%%%", "contentType": "audio/wav", "language": "en", "name": "n"},
            "audio: must be base64-encoded audio",
        ),
        (
            "/voices/clone",
            {"audio": "UklGRg==", "contentType": "audio/flac", "language": "en", "name": "n"},
            "contentType: must be one of",
        ),
    ],
)
async def test_bad_fields_are_422_and_named(path: str, body: Any, message: str) -> None:
    async with serve(seed_demo_data=True) as api:
        before = len(api.fake.state.calls)
        reply = await api.post(path, body)
        assert reply.status == 422, reply.body
        assert reply.body["error"].startswith(message)
        assert len(api.fake.state.calls) == before


@pytest.mark.asyncio
async def test_patch_bodies_are_checked_too() -> None:
    async with serve(seed_demo_data=True) as api:
        reply = await api.patch(f"/campaigns/{SPRING}", {"name": ""})
        assert (reply.status, reply.body) == (422, {"error": "name: must not be empty"})
        reply = await api.patch(f"/assistants/{EMMA}", {"type": "solo"})
        assert reply.status == 422
        assert reply.body["error"].startswith("type: must be one of")


@pytest.mark.asyncio
async def test_voice_retrieve_requires_a_valid_provider() -> None:
    async with serve() as api:
        missing = await api.get(f"/voices/{EMMA_VOICE}")
        assert (missing.status, missing.body) == (422, {"error": "provider: is required"})
        bad = await api.get(f"/voices/{EMMA_VOICE}", params={"provider": "acme"})
        assert bad.status == 422
        assert bad.body["error"].startswith("provider: must be one of")


@pytest.mark.asyncio
async def test_invalid_state_transitions_conflict() -> None:
    async with serve(seed_demo_data=True) as api:
        assert (await api.post(f"/call/{JORDAN_CALL}/cancel")).status == 409
        assert (await api.post(f"/call/{JORDAN_CALL}/pause")).status == 409
        assert (await api.post(f"/campaigns/{SPRING}/cancel")).status == 200
        assert (await api.post(f"/campaigns/{SPRING}/pause")).status == 409
        launch = await api.post(f"/campaigns/{SPRING}/launch-calls", _launch_body())
        assert (launch.status, launch.body) == (409, {"error": "campaign is cancelled"})


@pytest.mark.asyncio
async def test_request_log_redacts_the_key() -> None:
    async with serve() as api:
        await api.post("/call/search", search_body(page=2), params={"debug": "1"})
        await api.get("/users/me", key="wrong")
        search, user = api.fake.requests
        assert (search.method, search.path, search.query) == (
            "POST",
            "/call/search",
            {"debug": "1"},
        )
        assert search.body["page"] == 2
        assert search.status == 200
        assert search.headers["Authorization"] == "Bearer ***"
        assert user.status == 401
        assert user.body is None
        assert api.fake.api_key not in repr(api.fake.requests)


@pytest.mark.asyncio
async def test_drift_adds_fields_and_unknown_enum_values() -> None:
    async with serve(seed_demo_data=True, drift=True) as api:
        call = (await api.get(f"/call/{JORDAN_CALL}")).body
        assert "x_new_field" in call
        assert call["call"]["status"] == "voicemail_screening"
        assert call["call"]["llm_model"]["type"] == "future-model"
        assert call["call"]["last_call_attempt"]["result"] == "carrier_screening"
        assert "x_new_field" in call["call"]["contact"]
        assert "x_new_field" in call["call"]["assistant"]["voice"]
        # Maps keep their data: a new key there would be a new value, not a new field.
        assert "x_new_field" not in call["call"]["metadata"]
        assert "x_new_field" not in call["call"]["last_call_attempt"]["structured_output"]
        campaigns = (await api.get("/campaigns")).body["campaigns"]
        assert {c["status"] for c in campaigns} == {"archived"}
        history = (await api.get("/calls/phone-history")).body["phone_history"]
        assert all(key.startswith("+") for key in history if key != "x_new_field")
        assert "x_new_field" in history["+14155550187"]
        phones = (await api.get("/phone-numbers")).body["phone_numbers"]
        assert {p["provider"] for p in phones} == {"future-carrier"}

        api.fake.drift = False
        plain = (await api.get(f"/call/{JORDAN_CALL}")).body
        assert "x_new_field" not in plain
        assert plain["call"]["status"] == "completed"
