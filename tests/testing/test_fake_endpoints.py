"""Happy paths of all 36 endpoints: status, envelope and (through the helper) schema."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from revox_async.testing._http.app import ROUTES

from ..contract import openapi
from ._support import (
    CLONED_VOICE,
    EMMA,
    EMMA_VOICE,
    JORDAN_CALL,
    MAIN_LINE,
    PRIYA_CALL,
    RECEPTIONIST,
    SAM_CALL,
    SPRING,
    SUPPORT_LINE,
    search_body,
    serve,
)


def test_routes_cover_every_operation_of_the_contract() -> None:
    served = {f"{method} {path}" for method, path, _ in ROUTES}
    assert len(served) == 36
    documented = {f"{m.upper()} {p}" for p, ops in openapi()["paths"].items() for m in ops}
    assert served == documented


@pytest.mark.asyncio
async def test_assistant_endpoints() -> None:
    async with serve(seed_demo_data=True) as api:
        listed = await api.get("/assistants")
        assert listed.status == 200
        assert {a["id"] for a in listed.body["assistants"]} == {EMMA, RECEPTIONIST}

        bare = await api.get(f"/assistants/{EMMA}")
        assert bare.status == 200
        assert bare.body["id"] == EMMA
        assert "assistant" not in bare.body

        created = await api.post(
            "/assistants",
            {
                "name": "Renewals",
                "prompt": "Ask {{first_name}} about renewing.",
                "voice": {"id": EMMA_VOICE, "provider": "cartesia"},
                "faq_items": [{"question": "Price?", "answer": "Same as last year."}],
                "structured_output_config": [
                    {"name": "renews", "required": True, "type": "boolean"}
                ],
            },
        )
        assert created.status == 200
        assistant = created.body["assistant"]
        assert assistant["name"] == "Renewals"
        assert assistant["voice"] == {
            "id": EMMA_VOICE,
            "provider": "cartesia",
            "model": None,
            "speed": None,
            "volume": None,
        }
        assert assistant["faq_items"][0]["source"] == "human"
        assert assistant["structured_output_config"][0]["enum_options"] is None

        updated = await api.patch(f"/assistants/{assistant['id']}", {"name": "Renewals v2"})
        assert updated.status == 200
        assert updated.body == {
            "assistant": updated.body["assistant"],
            "unpatchedCallsNotice": None,
        }
        assert updated.body["assistant"]["name"] == "Renewals v2"

        cloned = await api.post(f"/assistants/{assistant['id']}/clone")
        assert cloned.status == 200
        copy = cloned.body["assistant"]
        assert copy["name"] == "Renewals v2 (Copy)"
        assert copy["id"] != assistant["id"]
        assert copy["prompt"] == assistant["prompt"]

        deleted = await api.delete(f"/assistants/{assistant['id']}")
        assert (deleted.status, deleted.body) == (200, {"success": True})
        assert (await api.get(f"/assistants/{assistant['id']}")).status == 404


@pytest.mark.asyncio
async def test_update_reports_pending_calls_missing_new_prompt_variables() -> None:
    async with serve(seed_demo_data=True) as api:
        next_week = api.fake.clock.now() + timedelta(days=6)
        await api.post(
            "/call",
            {
                "phone_number": "+16505550129",
                "assistant_id": EMMA,
                "prompt_variables": {"first_name": "Alex"},
                "scheduled_at": next_week.isoformat(),
            },
        )
        updated = await api.patch(
            f"/assistants/{EMMA}", {"prompt": "Hi {{first_name}}, about {{battery_interest}}."}
        )
        # The scheduled call above and Sam's not-launched campaign row lack the variable.
        assert updated.body["unpatchedCallsNotice"] == {
            "count": 3,
            "variables": ["battery_interest"],
        }


@pytest.mark.asyncio
async def test_auth_status_and_user() -> None:
    async with serve() as api:
        status = await api.get("/auth-status")
        assert (status.status, status.body) == (200, {"authenticated": True})
        user = await api.get("/users/me")
        assert user.status == 200
        assert user.body["user"]["email"] == "maya.chen@brightpathsolar.example"


@pytest.mark.asyncio
async def test_call_endpoints() -> None:
    async with serve(seed_demo_data=True) as api:
        created = await api.post(
            "/call",
            {
                "phone_number": "+16505550129",
                "assistant_id": EMMA,
                "prompt_variables": {"first_name": "Alex", "last_name": "Morgan"},
                "metadata": {"crm_lead_id": "LD-21003"},
            },
        )
        assert created.status == 200
        call = created.body["call"]
        assert call["status"] == "queued_for_calling"
        assert call["assistant"]["id"] == EMMA
        assert call["contact"]["first_name"] == "Alex"
        assert call["from_phone_number"] == "+14155550100"
        assert call["last_call_attempt"] is None

        retrieved = await api.get(f"/call/{call['id']}")
        assert retrieved.status == 200
        assert retrieved.body["call"]["id"] == call["id"]

        assert (await api.post(f"/call/{call['id']}/pause")).body == {"success": True}
        assert (await api.get(f"/call/{call['id']}")).body["call"]["status"] == "paused"
        assert (await api.post(f"/call/{call['id']}/resume")).body == {"success": True}
        assert (await api.get(f"/call/{call['id']}")).body["call"]["status"] == (
            "queued_for_calling"
        )
        assert (await api.post(f"/call/{call['id']}/cancel")).body == {"success": True}
        cancelled = (await api.get(f"/call/{call['id']}")).body["call"]
        assert (cancelled["status"], cancelled["is_cancelled"]) == ("cancelled", True)

        found = await api.post("/call/search", search_body())
        assert found.status == 200
        assert found.body["total_count"] == 6
        assert len(found.body["calls"]) == 6

        export = await api.post(
            "/call/export",
            {
                "filters": search_body(campaign_ids=[SPRING]),
                "include_metadata": True,
                "include_structured_output_fields": True,
            },
        )
        assert export.status == 200
        assert export.body["filename"].startswith("calls-export-")
        rows = list(csv.DictReader(io.StringIO(export.body["csv"])))
        jordan = [r for r in rows if r["call_id"] == JORDAN_CALL]
        assert [r["result"] for r in jordan] == ["human", "voicemail"]
        assert jordan[0]["crm_lead_id"] == "LD-20931"
        assert jordan[0]["monthly_bill_usd"] == "180"

        history = await api.get("/calls/phone-history")
        assert history.status == 200
        priya = history.body["phone_history"]["+14155550163"]
        assert priya["count"] == 4
        assert len(priya["campaigns"]) == 2
        assert history.body["phone_history"]["+12125550148"]["do_not_contact"] is True


@pytest.mark.asyncio
async def test_call_with_inline_assistant() -> None:
    async with serve(seed_demo_data=True) as api:
        created = await api.post(
            "/call",
            {
                "phone_number": "+16505550129",
                "assistant": {
                    "prompt": "Confirm the visit on {{slot}}.",
                    "llm_model": {
                        "type": "realtime",
                        "provider": "google",
                        "realtime_model_id": "gemini-live-2.5-flash",
                    },
                },
                "prompt_variables": {"slot": "Thursday"},
            },
        )
        assert created.status == 200
        call = created.body["call"]
        assert call["assistant"]["prompt"] == "Confirm the visit on {{slot}}."
        assert call["llm_model"]["realtime_voice_id"] is None
        assert call["assistant"]["id"] not in api.fake.state.assistants


@pytest.mark.asyncio
async def test_call_search_pages_count_from_one() -> None:
    async with serve(seed_demo_data=True) as api:
        pages = []
        for page in (1, 2, 3):
            reply = await api.post(
                "/call/search", search_body(page=page, page_size=2, sort_direction="asc")
            )
            assert reply.body["total_count"] == 5
            pages.append([c["id"] for c in reply.body["calls"]])
        assert [len(p) for p in pages] == [2, 2, 1]
        assert len({i for p in pages for i in p}) == 5
        beyond = await api.post("/call/search", search_body(page=4, page_size=2))
        assert beyond.body == {"calls": [], "total_count": 5}


@pytest.mark.asyncio
async def test_call_search_honours_filters() -> None:
    async with serve(seed_demo_data=True) as api:

        async def ids(**filters: object) -> set[str]:
            reply = await api.post("/call/search", search_body(**filters))
            assert reply.body["total_count"] == len(reply.body["calls"])
            return {c["id"] for c in reply.body["calls"]}

        assert await ids(campaign_ids=[SPRING]) == {JORDAN_CALL, PRIYA_CALL, SAM_CALL}
        assert await ids(statuses=["scheduled"]) == {PRIYA_CALL}
        assert await ids(outcomes=["interested"]) == {JORDAN_CALL}
        assert await ids(results=["human"], campaign_ids=[SPRING]) == {JORDAN_CALL}
        assert await ids(results=["none"], campaign_ids=[SPRING]) == {PRIYA_CALL, SAM_CALL}
        assert await ids(query="okafor") == {SAM_CALL}
        assert await ids(to_phone_number="+14155550187") == {JORDAN_CALL}
        assert await ids(call_ids=[SAM_CALL, PRIYA_CALL], statuses=["not_launched"]) == {SAM_CALL}
        assert await ids(directions=["inbound"]) == set()
        assert await ids(assistant_ids=[RECEPTIONIST]) == set()
        newest_first = await api.post("/call/search", search_body(sort_by="created_at"))
        stamps = [c["created_at"] for c in newest_first.body["calls"]]
        assert stamps == sorted(stamps, reverse=True)


@pytest.mark.asyncio
async def test_campaign_endpoints() -> None:
    async with serve(seed_demo_data=True) as api:
        listed = await api.get("/campaigns")
        assert listed.status == 200
        assert len(listed.body["campaigns"]) == 2

        created = await api.post(
            "/campaigns",
            {
                "assistant_id": EMMA,
                "name": "Home show leads - March 2025",
                "contacts": [
                    {"to_phone_number": "+14085550121", "prompt_variables": {"first_name": "Tay"}},
                    {"to_phone_number": "+16505550177", "prompt_variables": {"zip": 94025}},
                ],
                "max_concurrent_calls": 3,
            },
        )
        assert created.status == 200
        campaign = created.body["campaign"]
        assert campaign["status"] == "running"
        assert campaign["row_stats"]["not_launched"] == 2
        cid = campaign["id"]

        assert (await api.get(f"/campaigns/{cid}")).body["campaign"]["id"] == cid
        rows = (await api.get(f"/campaigns/{cid}/rows")).body["rows"]
        assert [r["call"]["status"] for r in rows] == ["not_launched", "not_launched"]
        assert rows[1]["input_data"] == {"phone_number": "+16505550177", "zip": "94025"}

        renamed = await api.patch(
            f"/campaigns/{cid}", {"name": "Home show", "max_concurrent_calls": 1}
        )
        assert renamed.body["campaign"]["name"] == "Home show"
        assert renamed.body["campaign"]["max_concurrent_calls"] == 1

        launch = await api.post(
            f"/campaigns/{cid}/launch-calls",
            {
                "mode": "ai_first",
                "selection": {
                    "filters": {
                        "assignee_ids": [],
                        "directions": [],
                        "outcomes": [],
                        "results": [],
                        "statuses": [],
                    },
                    "rows": {"mode": "all_except", "call_ids": []},
                },
            },
        )
        assert launch.body == {
            "launched": 2,
            "skipped": {"active": 0, "attempts_exhausted": 0, "cancelled": 0},
            "session": None,
        }
        assert (await api.post(f"/campaigns/{cid}/pause")).body == {"success": True}
        assert (await api.get(f"/campaigns/{cid}")).body["campaign"]["status"] == "paused"
        assert (await api.post(f"/campaigns/{cid}/resume")).body == {"success": True}
        assert (await api.get(f"/campaigns/{cid}")).body["campaign"]["status"] == "running"

        stats = await api.get(f"/campaigns/{cid}/statistics")
        assert stats.status == 200
        assert stats.body["statistics"]["funnel"]["called"]["imported_rows"] == 2

        export = await api.get(f"/campaigns/{cid}/export")
        assert export.body["filename"].startswith("home-show-")
        header = export.body["csv"].splitlines()[0].split(",")
        assert header[:4] == ["row_index", "phone_number", "first_name", "zip"]

        assert (await api.post(f"/campaigns/{cid}/cancel")).body == {"success": True}
        cancelled = (await api.get(f"/campaigns/{cid}")).body["campaign"]
        assert (cancelled["status"], cancelled["is_cancelled"]) == ("completed", True)

        assert (await api.delete(f"/campaigns/{cid}")).body == {"success": True}
        assert (await api.get(f"/campaigns/{cid}")).status == 404
        assert all(c.campaign_id != cid for c in api.fake.state.calls.values())


@pytest.mark.asyncio
async def test_speed_dial_launch_opens_a_session() -> None:
    async with serve(seed_demo_data=True) as api:
        launch = await api.post(
            f"/campaigns/{SPRING}/launch-calls",
            {
                "mode": "speed_dial",
                "selection": {
                    "filters": {
                        "assignee_ids": [],
                        "directions": ["outbound"],
                        "outcomes": [],
                        "results": [],
                        "statuses": [],
                        "query": "",
                    },
                    "rows": {"mode": "only", "call_ids": [JORDAN_CALL, PRIYA_CALL, SAM_CALL]},
                },
            },
        )
        assert launch.status == 200
        body = launch.body
        # Jordan was reached and can be called again, Priya's retry is pending, Sam is new.
        assert body["skipped"] == {"active": 1, "attempts_exhausted": 0, "cancelled": 0}
        assert body["launched"] == 1
        session = body["session"]
        assert session["status"] == "dialing"
        assert session["total_targets"] == 2
        assert [c["id"] for c in session["in_flight_calls"]] == [session["current_call_id"]]


@pytest.mark.asyncio
async def test_phone_number_endpoints() -> None:
    async with serve(seed_demo_data=True) as api:
        listed = await api.get("/phone-numbers")
        assert listed.status == 200
        by_id = {p["id"]: p for p in listed.body["phone_numbers"]}
        assert by_id[MAIN_LINE]["inbound_assistant"]["id"] == RECEPTIONIST

        updated = await api.patch(
            f"/phone-numbers/{SUPPORT_LINE}",
            {"label": "Support line", "inbound_assistant_id": RECEPTIONIST},
        )
        assert updated.status == 200
        phone = updated.body["phone_number"]
        assert phone["label"] == "Support line"
        assert phone["inbound_assistant"]["id"] == RECEPTIONIST

        cleared = await api.patch(f"/phone-numbers/{SUPPORT_LINE}", {"inbound_assistant_id": None})
        assert cleared.body["phone_number"]["inbound_assistant"] is None

        assert (await api.delete(f"/phone-numbers/{SUPPORT_LINE}")).body == {"success": True}
        remaining = (await api.get("/phone-numbers")).body["phone_numbers"]
        assert [p["id"] for p in remaining] == [MAIN_LINE]


@pytest.mark.asyncio
async def test_voice_endpoints() -> None:
    async with serve(seed_demo_data=True) as api:
        listed = await api.get("/voices")
        assert listed.status == 200
        assert any(v["isCloned"] for v in listed.body["voices"])

        summary = await api.get(f"/voices/{EMMA_VOICE}", params={"provider": "cartesia"})
        assert summary.status == 200
        assert set(summary.body["voice"]) == {"id", "name", "description"}

        preview = await api.post(
            "/voices/preview", {"provider": "cartesia", "voiceId": EMMA_VOICE, "text": "Hello"}
        )
        assert preview.status == 200
        assert preview.headers["Content-Type"] == "audio/wav"
        assert preview.raw[:4] == b"RIFF"
        assert preview.raw[8:12] == b"WAVE"

        audio = base64.b64encode(preview.raw).decode()
        cloned = await api.post(
            "/voices/clone",
            {"audio": audio, "contentType": "audio/wav", "language": "fr", "name": "Lou"},
        )
        assert cloned.status == 200
        assert set(cloned.body) == {"id", "cartesiaVoiceId", "createdAt", "language", "name"}
        new_voice = cloned.body["cartesiaVoiceId"]
        voices = (await api.get("/voices")).body["voices"]
        assert any(v["id"] == new_voice and v["isCloned"] for v in voices)

        assert (await api.delete(f"/voices/{cloned.body['id']}")).body == {"success": True}
        voices = (await api.get("/voices")).body["voices"]
        assert all(v["id"] != new_voice for v in voices)


@pytest.mark.asyncio
async def test_deleting_a_voice_in_use_conflicts() -> None:
    async with serve(seed_demo_data=True) as api:
        await api.patch(
            f"/assistants/{EMMA}",
            {"voice": {"id": "c9e2a7f1-3d5b-48e6-a0c4-7b1f9d3e5a82", "provider": "cartesia"}},
        )
        conflict = await api.delete(f"/voices/{CLONED_VOICE}")
        assert conflict.status == 409
        assert "Solar lead qualification (EN)" in conflict.body["error"]
        stock = await api.delete(f"/voices/{EMMA_VOICE}")
        assert stock.status == 404


def test_seed_data_ships_inside_the_package() -> None:
    import revox_async.testing._store as package

    seed = Path(package.__file__).with_name("seed_data.json")
    assert json.loads(seed.read_text())["assistants"]
