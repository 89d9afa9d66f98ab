"""``campaigns`` on both clients: every endpoint, launch results, CSV rows, safety and checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from revox_async import AsyncRevox, CampaignLaunchResult, CsvExport, Revox
from revox_async.models import (
    Campaign,
    CampaignContact,
    CampaignLaunchFilters,
    CampaignLaunchRows,
    CampaignLaunchSelection,
    CampaignRow,
    CampaignStatistics,
    CampaignStatus,
    LaunchMode,
    RowSelectionMode,
    SpeedDialSession,
)

from ._helpers import (
    ASSISTANT_ID,
    KEY,
    UNAVAILABLE,
    LoopbackServer,
    Reply,
    check_never_resent,
    check_resent_after_429,
    example,
    in_order,
    in_sync_client,
)

CP_ID = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"
CONTACT = {"to_phone_number": "+14085550121", "prompt_variables": {"first_name": "Taylor"}}
SELECTION = {
    "filters": {"statuses": ["not_launched"]},
    "rows": {"mode": "all_except", "call_ids": []},
}
SELECTION_JSON = {
    "filters": {
        "assignee_ids": [],
        "directions": [],
        "outcomes": [],
        "results": [],
        "statuses": ["not_launched"],
    },
    "rows": {"mode": "all_except", "call_ids": []},
}
ROUTES = [
    ("POST", "/campaigns", example("campaigns.create")),
    ("GET", f"/campaigns/{CP_ID}", example("campaigns.retrieve")),
    ("PATCH", f"/campaigns/{CP_ID}", example("campaigns.update")),
    ("GET", "/campaigns", example("campaigns.list")),
    ("DELETE", f"/campaigns/{CP_ID}", {"success": True}),
    ("POST", f"/campaigns/{CP_ID}/cancel", {"success": True}),
    ("POST", f"/campaigns/{CP_ID}/pause", {"success": True}),
    ("POST", f"/campaigns/{CP_ID}/resume", {"success": True}),
    ("POST", f"/campaigns/{CP_ID}/launch-calls", example("campaigns.launch")),
    ("GET", f"/campaigns/{CP_ID}/statistics", example("campaigns.statistics")),
    ("GET", f"/campaigns/{CP_ID}/rows", example("campaigns.get_rows")),
    ("GET", f"/campaigns/{CP_ID}/export", example("campaigns.export_rows")),
]


def _serve_all(server: LoopbackServer) -> None:
    for method, path, payload in ROUTES:
        server.reply_json(method, path, payload)


def _check_results(results: dict[str, Any]) -> None:
    assert isinstance(results["create"], Campaign)
    assert results["create"].to_dict() == example("campaigns.create")["campaign"]
    assert results["retrieve"].to_dict() == example("campaigns.retrieve")["campaign"]
    assert results["retrieve"].status is CampaignStatus.RUNNING
    assert results["update"].to_dict() == example("campaigns.update")["campaign"]
    assert [c.to_dict() for c in results["list"]] == example("campaigns.list")["campaigns"]
    for name in ("delete", "cancel", "pause", "resume"):
        assert results[name] is None
    launch = results["launch"]
    assert isinstance(launch, CampaignLaunchResult)
    assert (launch.launched, launch.skipped.active, launch.session) == (38, 2, None)
    assert isinstance(results["statistics"], CampaignStatistics)
    assert results["statistics"].to_dict() == example("campaigns.statistics")["statistics"]
    assert results["statistics"].funnel.hot_leads.count == 12
    rows = results["get_rows"]
    assert all(isinstance(row, CampaignRow) for row in rows)
    assert [row.to_dict() for row in rows] == example("campaigns.get_rows")["rows"]
    assert isinstance(results["export_rows"], CsvExport)
    assert results["export_rows"].to_dict() == example("campaigns.export_rows")


def _check_requests(server: LoopbackServer) -> None:
    assert [(r.method, r.path) for r in server.requests] == [(m, p) for m, p, _ in ROUTES]
    for r in server.requests:
        assert r.headers["Authorization"] == f"Bearer {KEY}"
    create, _, update = server.requests[:3]
    assert create.json() == {"assistant_id": ASSISTANT_ID, "name": "Leads", "contacts": [CONTACT]}
    assert update.json() == {"name": "Leads v2", "from_phone_number": None}
    assert server.requests[8].json() == {"mode": "ai_first", "selection": SELECTION_JSON}
    assert server.requests[3].body == b""


@pytest.mark.asyncio
async def test_every_method_on_the_async_client(server: LoopbackServer, client: AsyncRevox) -> None:
    _serve_all(server)
    campaigns = client.campaigns
    results = await in_order(
        create=campaigns.create(assistant_id=ASSISTANT_ID, name="Leads", contacts=[CONTACT]),
        retrieve=campaigns.retrieve(CP_ID),
        update=campaigns.update(CP_ID, name="Leads v2", from_phone_number=None),
        list=campaigns.list(),
        delete=campaigns.delete(CP_ID),
        cancel=campaigns.cancel(CP_ID),
        pause=campaigns.pause(CP_ID),
        resume=campaigns.resume(CP_ID),
        launch=campaigns.launch(CP_ID, mode="ai_first", selection=SELECTION),
        statistics=campaigns.statistics(CP_ID),
        get_rows=campaigns.get_rows(CP_ID),
        export_rows=campaigns.export_rows(CP_ID),
    )
    _check_results(results)
    _check_requests(server)


@pytest.mark.asyncio
async def test_every_method_on_the_sync_client(server: LoopbackServer) -> None:
    _serve_all(server)

    def work(client: Revox) -> dict[str, Any]:
        campaigns = client.campaigns
        return {
            "create": campaigns.create(assistant_id=ASSISTANT_ID, name="Leads", contacts=[CONTACT]),
            "retrieve": campaigns.retrieve(CP_ID),
            "update": campaigns.update(CP_ID, name="Leads v2", from_phone_number=None),
            "list": campaigns.list(),
            "delete": campaigns.delete(CP_ID),
            "cancel": campaigns.cancel(CP_ID),
            "pause": campaigns.pause(CP_ID),
            "resume": campaigns.resume(CP_ID),
            "launch": campaigns.launch(CP_ID, mode="ai_first", selection=SELECTION),
            "statistics": campaigns.statistics(CP_ID),
            "get_rows": campaigns.get_rows(CP_ID),
            "export_rows": campaigns.export_rows(CP_ID),
        }

    _check_results(await in_sync_client(server, work))
    _check_requests(server)


@pytest.mark.asyncio
async def test_models_or_dicts_build_the_same_bodies(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("POST", "/campaigns", example("campaigns.create"))
    server.reply_json("POST", f"/campaigns/{CP_ID}/launch-calls", example("campaigns.launch"))
    await client.campaigns.create(
        assistant_id=ASSISTANT_ID,
        name="Leads",
        contacts=[
            CampaignContact(
                to_phone_number="+14085550121", prompt_variables={"first_name": "Taylor"}
            )
        ],
    )
    await client.campaigns.launch(
        CP_ID,
        mode=LaunchMode.AI_FIRST,
        selection=CampaignLaunchSelection(
            filters=CampaignLaunchFilters(statuses=["not_launched"]),
            rows=CampaignLaunchRows(mode=RowSelectionMode.ALL_EXCEPT, call_ids=[]),
        ),
        scheduled_at=datetime(2025, 3, 17, 16, 0, tzinfo=timezone.utc),
    )
    create, launch = (r.json() for r in server.requests)
    assert create["contacts"] == [CONTACT]
    assert launch == {
        "mode": "ai_first",
        "selection": SELECTION_JSON,
        "scheduled_at": "2025-03-17T16:00:00.000Z",
    }


@pytest.mark.asyncio
async def test_a_speed_dial_launch_returns_its_session(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    payload = example("extra/campaigns.launch.speed_dial")
    server.reply_json("POST", f"/campaigns/{CP_ID}/launch-calls", payload)
    result = await client.campaigns.launch(CP_ID, mode="speed_dial", selection=SELECTION)
    assert isinstance(result.session, SpeedDialSession)
    assert result.session.in_flight_calls[0].id == result.session.current_call_id
    assert result.to_dict() == payload


@pytest.mark.asyncio
async def test_export_rows_saves_the_csv(
    server: LoopbackServer, client: AsyncRevox, tmp_path: Path
) -> None:
    server.reply_json("GET", f"/campaigns/{CP_ID}/export", example("campaigns.export_rows"))
    export = await client.campaigns.export_rows(CP_ID)
    saved = export.save(tmp_path)
    assert saved == tmp_path / "spring-2025-quote-follow-ups-2025-03-14.csv"
    assert saved.read_text() == example("campaigns.export_rows")["csv"]


BAD_CREATE: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"contacts": []}, ValueError, "contacts must not be empty"),
    (
        {"contacts": [{"to_phone_number": "4085550121", "prompt_variables": {}}]},
        ValueError,
        r"contacts\[0\].to_phone_number",
    ),
    ({"contacts": [{"to_phone_number": "+14085550121"}]}, ValueError, "contacts"),
    ({"contacts": CONTACT}, TypeError, "contacts"),
    ({"contacts": [CONTACT], "from_phone_number": "+0"}, ValueError, "from_phone_number"),
    ({"contacts": [CONTACT], "name": " "}, ValueError, "name"),
    (
        {
            "contacts": [CONTACT],
            "call_retry_config": {
                "calling_windows": [],
                "max_retry_attempts": 0,
                "allowed_days": [],
                "call_twice_in_a_row": False,
            },
        },
        ValueError,
        "call_retry_config.max_retry_attempts",
    ),
    ({"contacts": [CONTACT], "max_concurrent_calls": "3"}, TypeError, "max_concurrent_calls"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("params", "error", "field"), BAD_CREATE)
async def test_bad_create_input_is_refused_before_sending(
    server: LoopbackServer,
    client: AsyncRevox,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        await client.campaigns.create(**{"assistant_id": ASSISTANT_ID, "name": "Leads", **params})
    assert server.requests == []


@pytest.mark.asyncio
async def test_create_requires_contacts(server: LoopbackServer, client: AsyncRevox) -> None:
    with pytest.raises(TypeError, match="'contacts'"):
        await client.campaigns.create(assistant_id=ASSISTANT_ID, name="Leads")  # type: ignore[call-arg]
    assert server.requests == []


BAD_OTHER: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("update", {"from_phone_number": "555-0100"}, ValueError, "from_phone_number"),
    ("update", {"name": ""}, ValueError, "name"),
    ("update", {"assistant_id": ASSISTANT_ID}, TypeError, "'assistant_id'"),
    (
        "launch",
        {"mode": "speed_dial", "selection": SELECTION, "scheduled_at": "2025-03-17"},
        ValueError,
        "scheduled_at",
    ),
    ("launch", {"mode": "ai_first", "selection": {"filters": {}}}, ValueError, "selection"),
    ("launch", {"mode": 1, "selection": SELECTION}, TypeError, "mode"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("method", "params", "error", "field"), BAD_OTHER)
async def test_bad_update_or_launch_input_is_refused_before_sending(
    server: LoopbackServer,
    client: AsyncRevox,
    method: str,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        await getattr(client.campaigns, method)(CP_ID, **params)
    assert server.requests == []


SIDE_EFFECTS = ["launch", "resume", "create"]


def _side_effect(
    action: str,
) -> tuple[tuple[str, str], Callable[[AsyncRevox], Awaitable[object]], Any]:
    """The route of a campaign side effect, how to invoke it, and its success body."""
    route, ok = {
        "launch": (("POST", f"/campaigns/{CP_ID}/launch-calls"), example("campaigns.launch")),
        "resume": (("POST", f"/campaigns/{CP_ID}/resume"), {"success": True}),
        "create": (("POST", "/campaigns"), example("campaigns.create")),
    }[action]

    def invoke(c: AsyncRevox) -> Awaitable[object]:
        if action == "launch":
            return c.campaigns.launch(CP_ID, mode="ai_first", selection=SELECTION)
        if action == "resume":
            return c.campaigns.resume(CP_ID)
        return c.campaigns.create(assistant_id=ASSISTANT_ID, name="Leads", contacts=[CONTACT])

    return route, invoke, ok


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["dropped", "503"])
@pytest.mark.parametrize("action", SIDE_EFFECTS)
async def test_side_effects_are_never_resent(
    server: LoopbackServer, client: AsyncRevox, action: str, failure: str
) -> None:
    route, invoke, ok = _side_effect(action)
    await check_never_resent(server, client, failure, route, invoke, ok)


@pytest.mark.asyncio
@pytest.mark.parametrize("action", SIDE_EFFECTS)
async def test_side_effects_are_resent_after_429(
    server: LoopbackServer, client: AsyncRevox, action: str
) -> None:
    route, invoke, ok = _side_effect(action)
    await check_resent_after_429(server, client, route, invoke, ok)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("method", "http"), [("cancel", "POST"), ("pause", "POST"), ("delete", "DELETE")]
)
async def test_state_changes_safe_to_repeat_are_retried(
    server: LoopbackServer, client: AsyncRevox, method: str, http: str
) -> None:
    path = f"/campaigns/{CP_ID}" + ("" if method == "delete" else f"/{method}")
    server.reply(http, path, UNAVAILABLE, Reply(json={"success": True}))
    await getattr(client.campaigns, method)(CP_ID)
    assert server.count(http, path) == 2


@pytest.mark.asyncio
async def test_update_is_retried(server: LoopbackServer, client: AsyncRevox) -> None:
    path = f"/campaigns/{CP_ID}"
    server.reply("PATCH", path, UNAVAILABLE, Reply(json=example("campaigns.update")))
    campaign = await client.campaigns.update(CP_ID, max_concurrent_calls=8)
    assert campaign.max_concurrent_calls == 8
    assert server.count("PATCH", path) == 2
