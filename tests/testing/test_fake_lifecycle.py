"""Calls and campaigns moving through their lifecycle as the fake clock advances."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from revox_async.testing import CallScript, CallTiming, FakeClock
from revox_async.testing._clock import isoformat

from ._support import EMMA, PRIYA_CALL, SPRING, Api, serve

LEAD = "+33612345678"
ALL_ROWS: dict[str, Any] = {
    "filters": {
        "assignee_ids": [],
        "directions": [],
        "outcomes": [],
        "results": [],
        "statuses": [],
    },
    "rows": {"mode": "all_except", "call_ids": []},
}


async def _call(api: Api, call_id: str) -> dict[str, Any]:
    reply = await api.get(f"/call/{call_id}")
    assert reply.status == 200
    call: dict[str, Any] = reply.body["call"]
    return call


async def _place(api: Api, number: str = LEAD, **extra: Any) -> str:
    body = {"phone_number": number, "assistant_id": EMMA, **extra}
    reply = await api.post("/call", body)
    assert reply.status == 200, reply.body
    call_id: str = reply.body["call"]["id"]
    return call_id


def test_clock_is_aware_utc_and_only_moves_forward() -> None:
    clock = FakeClock()
    start = clock.now()
    assert start.tzinfo is not None
    assert start.utcoffset() == timedelta(0)
    assert clock.advance(90) == start + timedelta(seconds=90)
    assert clock.now() == start + timedelta(seconds=90)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2025, 1, 1))
    live = FakeClock(datetime(2030, 1, 1, tzinfo=timezone.utc), realtime=True)
    assert live.now() >= datetime(2030, 1, 1, tzinfo=timezone.utc)


@pytest.mark.asyncio
async def test_unscripted_call_is_answered_by_a_human_and_completes() -> None:
    async with serve(seed_demo_data=True) as api:
        call_id = await _place(api, prompt_variables={"first_name": "Alex"})
        created = await _call(api, call_id)
        statuses = [created["status"]]
        for _ in range(8):
            api.fake.advance(6)
            statuses.append((await _call(api, call_id))["status"])
        assert statuses[0] == "queued_for_calling"
        assert "calling" in statuses
        assert "post_processing" in statuses
        assert statuses[-1] == "completed"

        call = await _call(api, call_id)
        attempt = call["last_call_attempt"]
        assert call["is_completed"] is True
        assert call["outcome"] == "completed"
        assert call["calls_count"] == 1
        assert call["call_attempts"] == [attempt]
        assert (attempt["status"], attempt["result"]) == ("completed", "human")
        assert attempt["started_at"] < attempt["answered_at"] < attempt["ended_at"]
        assert attempt["transcript"][0]["content"].startswith("Hi Alex, this is Emma")
        assert {m["role"] for m in attempt["transcript"]} == {"assistant", "user"}
        # One plausible value per configured field, typed per the field's type.
        output = attempt["structured_output"]
        assert isinstance(output["homeowner"], bool)
        assert isinstance(output["monthly_bill_usd"], (int, float))
        assert output["roof_type"] in ("asphalt_shingle", "tile", "metal", "flat")
        datetime.strptime(output["preferred_callback_date"], "%Y-%m-%d")


@pytest.mark.asyncio
async def test_scripted_number_sets_outcome_output_and_transcript() -> None:
    async with serve(seed_demo_data=True) as api:
        script = api.fake.script_number(
            LEAD,
            outcome="interested",
            structured_output={"monthly_bill_usd": 250, "battery": "yes"},
            transcript=[{"role": "user", "content": "Call me Tuesday."}],
        )
        assert isinstance(script, CallScript)
        call_id = await _place(api)
        api.fake.advance(120)
        call = await _call(api, call_id)
        attempt = call["last_call_attempt"]
        assert call["outcome"] == "interested"
        assert attempt["transcript"] == [{"role": "user", "content": "Call me Tuesday."}]
        assert attempt["structured_output"]["monthly_bill_usd"] == 250
        assert attempt["structured_output"]["battery"] == "yes"
        assert attempt["structured_output"]["homeowner"] is True


@pytest.mark.asyncio
async def test_voicemail_is_retried_until_attempts_run_out() -> None:
    async with serve(seed_demo_data=True) as api:
        api.fake.script_number(LEAD, result="voicemail")
        call_id = await _place(api)
        api.fake.advance(60)
        call = await _call(api, call_id)
        # Emma's retry config: 3 attempts, 7200 s apart.
        assert call["status"] == "scheduled"
        assert call["last_call_attempt"]["result"] == "voicemail"
        assert call["last_call_attempt"]["end_reason"] == "voicemail"
        assert call["last_call_attempt"]["structured_output"] is None
        api.fake.advance(2 * 7200 + 120)
        call = await _call(api, call_id)
        assert call["status"] == "completed"
        assert call["calls_count"] == 3
        assert [a["result"] for a in call["call_attempts"]] == ["voicemail"] * 3
        started = [a["started_at"] for a in call["call_attempts"]]
        assert started == sorted(started, reverse=True)
        assert call["outcome"] is None


@pytest.mark.asyncio
async def test_unanswered_and_failing_numbers() -> None:
    async with serve(seed_demo_data=True) as api:
        api.fake.script_number("+33600000001", answers=False)
        api.fake.script_number("+33600000002", answers=False, dial_error="number_non_attributed")
        no_answer = await _place(api, "+33600000001")
        dead = await _place(api, "+33600000002")
        api.fake.advance(30)
        missed = await _call(api, no_answer)
        attempt = missed["last_call_attempt"]
        assert missed["status"] == "scheduled"
        assert (attempt["dial_error"], attempt["answered_at"], attempt["result"]) == (
            "no_answer",
            None,
            None,
        )
        errored = await _call(api, dead)
        assert errored["status"] == "errored"
        assert errored["last_call_attempt"]["status"] == "error"


def test_scripts_reject_contradictions() -> None:
    with pytest.raises(ValueError, match="dial_error"):
        CallScript(answers=True, dial_error="busy")
    with pytest.raises(ValueError, match="result"):
        CallScript(answers=False, result="human")
    with pytest.raises(ValueError, match="outcome"):
        CallScript(outcome="ecstatic")


@pytest.mark.asyncio
async def test_scheduled_call_waits_for_its_time() -> None:
    clock = FakeClock()
    async with serve(seed_demo_data=True, clock=clock) as api:
        at = (clock.now() + timedelta(hours=1)).isoformat()
        call_id = await _place(api, scheduled_at=at)
        api.fake.advance(3590)
        assert (await _call(api, call_id))["status"] == "scheduled"
        api.fake.advance(20)
        assert (await _call(api, call_id))["status"] == "calling"


@pytest.mark.asyncio
async def test_custom_timing() -> None:
    timing = CallTiming(
        dial_delay_seconds=0, ring_seconds=1, talk_seconds=2, post_processing_seconds=1
    )
    async with serve(seed_demo_data=True, timing=timing) as api:
        call_id = await _place(api)
        api.fake.advance(4)
        assert (await _call(api, call_id))["status"] == "completed"


@pytest.mark.asyncio
async def test_cancel_hangs_up_and_pause_holds_retries() -> None:
    async with serve(seed_demo_data=True) as api:
        talking = await _place(api, "+33600000003")
        api.fake.advance(10)
        assert (await api.post(f"/call/{talking}/cancel")).status == 200
        call = await _call(api, talking)
        assert call["status"] == "cancelled"
        assert call["last_call_attempt"]["end_reason"] == "client_initiated"
        api.fake.advance(600)
        assert (await _call(api, talking))["status"] == "cancelled"

        api.fake.script_number("+33600000004", result="voicemail")
        held = await _place(api, "+33600000004")
        api.fake.advance(3)
        assert (await api.post(f"/call/{held}/pause")).status == 200
        api.fake.advance(8000)
        call = await _call(api, held)
        assert (call["status"], call["calls_count"]) == ("paused", 1)
        assert (await api.post(f"/call/{held}/resume")).status == 200
        api.fake.advance(60)
        assert (await _call(api, held))["calls_count"] == 2


@pytest.mark.asyncio
async def test_calls_sharing_a_concurrency_key_ring_one_at_a_time() -> None:
    async with serve(seed_demo_data=True) as api:
        key = {"concurrency": {"key": "sales-line"}}
        first = await _place(api, "+33600000005", **key)
        second = await _place(api, "+33600000006", **key)
        api.fake.advance(10)
        assert (await _call(api, first))["status"] == "calling"
        assert (await _call(api, second))["status"] == "queued_for_calling"
        api.fake.advance(40)
        assert (await _call(api, second))["status"] in ("calling", "post_processing")


@pytest.mark.asyncio
async def test_seeded_retry_is_dialed_at_its_scheduled_time() -> None:
    async with serve(seed_demo_data=True) as api:
        start = api.fake.clock.now()
        priya = await _call(api, PRIYA_CALL)
        assert priya["status"] == "scheduled"
        # The seed schedules the retry 1 h 30 min 31 s after the moment the fake starts at.
        due = isoformat(start + timedelta(minutes=90, seconds=31))
        assert priya["scheduled_at"] == due
        api.fake.advance(90 * 60 + 40)
        priya = await _call(api, PRIYA_CALL)
        assert priya["calls_count"] == 2
        assert priya["last_call_attempt"]["started_at"] == due


async def _campaign(api: Api, size: int, **extra: Any) -> str:
    contacts = [
        {"to_phone_number": f"+3361000{i:04d}", "prompt_variables": {"first_name": f"Lead{i}"}}
        for i in range(size)
    ]
    body = {"assistant_id": EMMA, "name": "Load test", "contacts": contacts, **extra}
    reply = await api.post("/campaigns", body)
    assert reply.status == 200, reply.body
    campaign_id: str = reply.body["campaign"]["id"]
    return campaign_id


async def _statuses(api: Api, campaign_id: str) -> list[str]:
    rows = (await api.get(f"/campaigns/{campaign_id}/rows")).body["rows"]
    return [row["call"]["status"] for row in rows]


@pytest.mark.asyncio
async def test_launch_respects_max_concurrent_calls() -> None:
    async with serve(seed_demo_data=True) as api:
        campaign_id = await _campaign(api, 5, max_concurrent_calls=2)
        assert await _statuses(api, campaign_id) == ["not_launched"] * 5
        launch = await api.post(
            f"/campaigns/{campaign_id}/launch-calls", {"mode": "ai_first", "selection": ALL_ROWS}
        )
        assert launch.body["launched"] == 5

        peak = 0
        for _ in range(60):
            api.fake.advance(3)
            statuses = await _statuses(api, campaign_id)
            peak = max(peak, statuses.count("calling"))
            assert statuses.count("calling") <= 2
        assert peak == 2
        assert await _statuses(api, campaign_id) == ["completed"] * 5
        campaign = (await api.get(f"/campaigns/{campaign_id}")).body["campaign"]
        assert campaign["status"] == "completed"

        again = await api.post(
            f"/campaigns/{campaign_id}/launch-calls", {"mode": "ai_first", "selection": ALL_ROWS}
        )
        assert again.body["launched"] == 5  # reached contacts still have attempts left


@pytest.mark.asyncio
async def test_campaign_statistics_add_up() -> None:
    async with serve(seed_demo_data=True) as api:
        campaign_id = await _campaign(api, 6, max_concurrent_calls=3)
        api.fake.script_number("+33610000000", outcome="interested")
        api.fake.script_number("+33610000001", outcome="requested_callback_later")
        api.fake.script_number("+33610000002", outcome="not_interested")
        api.fake.script_number("+33610000003", result="voicemail")
        api.fake.script_number("+33610000004", answers=False)
        rows = (await api.get(f"/campaigns/{campaign_id}/rows")).body["rows"]
        held_back = {"mode": "all_except", "call_ids": [rows[5]["call"]["id"]]}
        launch = {"mode": "ai_first", "selection": {**ALL_ROWS, "rows": held_back}}
        assert (await api.post(f"/campaigns/{campaign_id}/launch-calls", launch)).status == 200
        api.fake.advance(120)

        stats = (await api.get(f"/campaigns/{campaign_id}/statistics")).body["statistics"]
        funnel = stats["funnel"]
        assert funnel["called"] == {"count": 5, "imported_rows": 6}
        reached = funnel["reached"]
        assert reached["count"] == 3
        assert reached["count"] == reached["inbound"] + reached["outbound"] - reached["overlap"]
        assert reached["pct_of_called"] == 60.0
        assert funnel["hot_leads"]["count"] == 2
        leads = stats["leads"]
        assert len(leads["interested"]) + len(leads["callback_requested"]) == 2
        assert leads["interested"][0]["phone"] == "+33610000000"
        breakdown = {b["outcome"]: b["count"] for b in stats["outcome_breakdown"]}
        assert breakdown == {
            "interested": 1,
            "requested_callback_later": 1,
            "not_interested": 1,
        }
        assert sum(breakdown[o] for o in stats["hot_lead_outcomes"]) == funnel["hot_leads"]["count"]
        assert stats["effort"]["calls_total"] == 5
        assert stats["campaign"]["has_activity"] is True

        campaign = (await api.get(f"/campaigns/{campaign_id}")).body["campaign"]
        row_stats = campaign["row_stats"]
        assert sum(v for k, v in row_stats.items() if k != "total") == row_stats["total"] == 6
        assert row_stats["not_launched"] == 1
        assert row_stats["retry"] == 2
        assert campaign["funnel_stats"] == {"hot": 2, "talked_to_human": 3, "total_leads": 6}


@pytest.mark.asyncio
async def test_pausing_a_campaign_holds_queued_calls() -> None:
    async with serve(seed_demo_data=True) as api:
        campaign_id = await _campaign(api, 3, max_concurrent_calls=1)
        await api.post(
            f"/campaigns/{campaign_id}/launch-calls", {"mode": "ai_first", "selection": ALL_ROWS}
        )
        api.fake.advance(2)
        await api.post(f"/campaigns/{campaign_id}/pause")
        assert await _statuses(api, campaign_id) == ["calling", "paused", "paused"]
        api.fake.advance(300)
        assert await _statuses(api, campaign_id) == ["completed", "paused", "paused"]
        await api.post(f"/campaigns/{campaign_id}/resume")
        api.fake.advance(300)
        assert await _statuses(api, campaign_id) == ["completed"] * 3


@pytest.mark.asyncio
async def test_cancelling_a_campaign_aborts_waiting_calls() -> None:
    async with serve(seed_demo_data=True) as api:
        campaign_id = await _campaign(api, 3, max_concurrent_calls=1)
        await api.post(
            f"/campaigns/{campaign_id}/launch-calls", {"mode": "ai_first", "selection": ALL_ROWS}
        )
        api.fake.advance(2)
        await api.post(f"/campaigns/{campaign_id}/cancel")
        api.fake.advance(300)
        assert await _statuses(api, campaign_id) == ["completed", "cancelled", "cancelled"]
        stats = (await api.get(f"/campaigns/{campaign_id}")).body["campaign"]["row_stats"]
        assert (stats["completed"], stats["skipped"]) == (1, 2)


@pytest.mark.asyncio
async def test_scheduled_launch_and_the_seeded_campaign() -> None:
    clock = FakeClock()
    async with serve(seed_demo_data=True, clock=clock) as api:
        later = (clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        selection = {
            **ALL_ROWS,
            "filters": {**ALL_ROWS["filters"], "statuses": ["not_launched"]},
        }
        launch = await api.post(
            f"/campaigns/{SPRING}/launch-calls",
            {"mode": "ai_first", "selection": selection, "scheduled_at": later},
        )
        assert launch.body["launched"] == 1
        campaign = (await api.get(f"/campaigns/{SPRING}")).body["campaign"]
        assert campaign["scheduled_at"] == later.replace("Z", ".000Z")
        assert campaign["row_stats"]["pending"] == 1
