"""``calls`` on both clients: every endpoint, paging, waiting, CSV files, safety and checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from revox_async import (
    APIError,
    AsyncPager,
    AsyncRevox,
    CallSearchResult,
    CallWaitTimeout,
    CsvExport,
    InternalServerError,
    Revox,
    RevoxError,
)
from revox_async.models import Call, CallStatus, PhoneHistoryEntry

from ._helpers import (
    ASSISTANT_ID,
    KEY,
    UNAVAILABLE,
    LoopbackServer,
    Reply,
    call_json,
    check_never_resent,
    check_resent_after_429,
    check_sync_twin,
    collect,
    example,
    in_order,
    in_sync_client,
    page,
)

C_ID = "3e9a7c1d-5b2f-4d84-a6e0-8f1b2c9d7e53"
EMPTY_FILTERS: dict[str, list[str]] = {
    name: []
    for name in (
        "assignee_ids",
        "assistant_ids",
        "campaign_ids",
        "directions",
        "from_phone_numbers",
        "outcomes",
        "results",
        "statuses",
    )
}


def _serve_all(server: LoopbackServer) -> None:
    server.reply_json("POST", "/call", example("call.create"))
    server.reply_json("GET", f"/call/{C_ID}", example("call.retrieve"))
    server.reply_json("POST", "/call/search", example("call.search"))
    server.reply_json("POST", "/call/export", example("call.export"))
    for action in ("cancel", "pause", "resume"):
        server.reply_json("POST", f"/call/{C_ID}/{action}", {"success": True})
    server.reply_json("GET", "/calls/phone-history", example("call.phone_history"))


def _check_results(results: dict[str, Any]) -> None:
    assert isinstance(results["create"], Call)
    assert results["create"].to_dict() == example("call.create")["call"]
    assert results["retrieve"].to_dict() == example("call.retrieve")["call"]
    assert isinstance(results["search_page"], CallSearchResult)
    assert results["search_page"].total_count == 137
    assert [c.id for c in results["search"]] == [c["id"] for c in example("call.search")["calls"]]
    assert isinstance(results["export"], CsvExport)
    assert results["export"].to_dict() == example("call.export")
    assert results["cancel"] is results["pause"] is results["resume"] is None
    history = results["phone_history"]
    assert all(isinstance(entry, PhoneHistoryEntry) for entry in history.values())
    assert {k: v.to_dict() for k, v in history.items()} == example("call.phone_history")[
        "phone_history"
    ]
    assert results["wait"].status is CallStatus.COMPLETED


def _check_requests(server: LoopbackServer) -> None:
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/call"),
        ("GET", f"/call/{C_ID}"),
        ("POST", "/call/search"),
        # The example's one short page says 137 calls match: the pager asks for page 2 and
        # stops when it repeats page 1.
        ("POST", "/call/search"),
        ("POST", "/call/search"),
        ("POST", "/call/export"),
        ("POST", f"/call/{C_ID}/cancel"),
        ("POST", f"/call/{C_ID}/pause"),
        ("POST", f"/call/{C_ID}/resume"),
        ("GET", "/calls/phone-history"),
        ("GET", f"/call/{C_ID}"),
    ]
    for r in server.requests:
        assert r.headers["Authorization"] == f"Bearer {KEY}"
    create, _, search_page, search, search_again, export = server.requests[:6]
    assert create.json() == {
        "phone_number": "+16505550129",
        "assistant_id": ASSISTANT_ID,
        "metadata": {"revox_reference": "order-42"},
    }
    assert create.headers["Idempotency-Key"] == "order-42"
    assert search_page.json() == {
        **EMPTY_FILTERS,
        "statuses": ["completed"],
        "page": 3,
        "page_size": 2,
    }
    assert search.json() == {**EMPTY_FILTERS, "page": 1, "page_size": 50}
    assert search_again.json() == {**EMPTY_FILTERS, "page": 2, "page_size": 50}
    assert export.json() == {
        "filters": {**EMPTY_FILTERS, "assistant_ids": [ASSISTANT_ID], "page": 1, "page_size": 100},
        "include_metadata": True,
    }
    assert "Idempotency-Key" not in search.headers


@pytest.mark.asyncio
async def test_every_method_on_the_async_client(server: LoopbackServer, client: AsyncRevox) -> None:
    _serve_all(server)
    calls = client.calls
    results = await in_order(
        create=calls.create(
            phone_number="+16505550129",
            assistant_id=ASSISTANT_ID,
            idempotency_key="order-42",
            reference="order-42",
        ),
        retrieve=calls.retrieve(C_ID),
        search_page=calls.search_page(page=3, page_size=2, statuses=["completed"]),
        search=collect(calls.search(page_size=50)),
        export=calls.export(assistant_ids=[ASSISTANT_ID], include_metadata=True),
        cancel=calls.cancel(C_ID),
        pause=calls.pause(C_ID),
        resume=calls.resume(C_ID),
        phone_history=calls.phone_history(),
        wait=calls.wait(C_ID),
    )
    _check_results(results)
    _check_requests(server)


@pytest.mark.asyncio
async def test_every_method_on_the_sync_client(server: LoopbackServer) -> None:
    _serve_all(server)

    def work(client: Revox) -> dict[str, Any]:
        calls = client.calls
        return {
            "create": calls.create(
                phone_number="+16505550129",
                assistant_id=ASSISTANT_ID,
                idempotency_key="order-42",
                reference="order-42",
            ),
            "retrieve": calls.retrieve(C_ID),
            "search_page": calls.search_page(page=3, page_size=2, statuses=["completed"]),
            "search": list(calls.search(page_size=50)),
            "export": calls.export(assistant_ids=[ASSISTANT_ID], include_metadata=True),
            "cancel": calls.cancel(C_ID),
            "pause": calls.pause(C_ID),
            "resume": calls.resume(C_ID),
            "phone_history": calls.phone_history(),
            "wait": calls.wait(C_ID),
        }

    _check_results(await in_sync_client(server, work))
    _check_requests(server)


# Paging


def _pages_requested(server: LoopbackServer) -> list[int]:
    return [r.json()["page"] for r in server.requests if r.path == "/call/search"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("pages", "expected_ids", "expected_pages"),
    [
        pytest.param(
            [page(["a", "b"], 3), page(["c"], 3)], ["a", "b", "c"], [1, 2], id="short-last-page"
        ),
        pytest.param([page(["a", "b"], 99), page([], 99)], ["a", "b"], [1, 2], id="empty-page"),
        pytest.param(
            [page(["a", "b"], 4), page(["c", "d"], 4), page(["e", "f"], 4)],
            ["a", "b", "c", "d"],
            [1, 2],
            id="total-count-reached",
        ),
        pytest.param([page([], 0)], [], [1], id="no-results"),
        pytest.param([page(["a", "b"], 99)], ["a", "b"], [1, 2], id="page-ignored-by-server"),
    ],
)
async def test_search_stops_at_the_end(
    server: LoopbackServer,
    client: AsyncRevox,
    pages: list[dict[str, Any]],
    expected_ids: list[str],
    expected_pages: list[int],
) -> None:
    server.reply("POST", "/call/search", *(Reply(json=p) for p in pages))
    found = [call.id async for call in client.calls.search(page_size=2)]
    assert found == expected_ids
    assert _pages_requested(server) == expected_pages


@pytest.mark.asyncio
async def test_search_sends_filters_and_walks_pages_lazily(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply(
        "POST", "/call/search", Reply(json=page(["a", "b"], 3)), Reply(json=page(["c"], 3))
    )
    pager = client.calls.search(page_size=2, directions=["outbound"], query="roof")
    assert isinstance(pager, AsyncPager)
    assert server.requests == []
    assert (await anext(pager)).id == "a"
    assert _pages_requested(server) == [1]
    assert [call.id async for call in pager] == ["b", "c"]
    assert server.requests[1].json() == {
        **EMPTY_FILTERS,
        "directions": ["outbound"],
        "query": "roof",
        "page": 2,
        "page_size": 2,
    }
    with pytest.raises(StopAsyncIteration):
        await anext(pager)
    assert len(server.requests) == 2


@pytest.mark.asyncio
async def test_a_server_error_mid_search_raises_without_looping(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("POST", "/call/search", Reply(json=page(["a", "b"], 10)), UNAVAILABLE)
    pager = client.calls.search(page_size=2)
    assert [(await anext(pager)).id, (await anext(pager)).id] == ["a", "b"]
    with pytest.raises(InternalServerError):
        await anext(pager)
    assert _pages_requested(server) == [1, 2, 2, 2]  # page 2 tried 1 + max_retries times


@pytest.mark.asyncio
async def test_the_sync_search_makes_one_portal_trip_per_page(server: LoopbackServer) -> None:
    server.reply(
        "POST",
        "/call/search",
        Reply(json=page(["a", "b"], 5)),
        Reply(json=page(["c", "d"], 5)),
        Reply(json=page(["e"], 5)),
    )

    def work(client: Revox) -> tuple[list[str], int]:
        portal = client._portal
        trips = 0
        run = portal.run

        def counting_run(call: Callable[[], Awaitable[Any]]) -> Any:
            nonlocal trips
            trips += 1
            return run(call)

        portal.run = counting_run  # type: ignore[method-assign]
        ids = [call.id for call in client.calls.search(page_size=2)]
        return ids, trips

    ids, trips = await in_sync_client(server, work)
    assert ids == ["a", "b", "c", "d", "e"]
    assert trips == 3
    assert _pages_requested(server) == [1, 2, 3]


@pytest.mark.asyncio
async def test_search_page_returns_calls_and_total(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("POST", "/call/search", page(["a"], 41))
    result = await client.calls.search_page(page=5, page_size=1, call_ids=["a"])
    assert [c.id for c in result.calls] == ["a"]
    assert result.total_count == 41
    assert server.requests[0].json()["call_ids"] == ["a"]


# Waiting


@pytest.mark.asyncio
async def test_wait_reports_each_status_change_and_returns_the_final_call(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    statuses = ["queued_for_calling", "calling", "calling", "post_processing", "completed"]
    server.reply("GET", "/call/c-9", *(Reply(json={"call": call_json("c-9", s)}) for s in statuses))
    seen: list[str] = []
    call = await client.calls.wait(
        "c-9", poll_interval=0.001, on_progress=lambda c: seen.append(c.status)
    )
    assert call.status is CallStatus.COMPLETED
    assert call.is_finished
    assert seen == ["queued_for_calling", "calling", "post_processing", "completed"]
    assert server.count("GET", "/call/c-9") == 5


@pytest.mark.asyncio
async def test_wait_accepts_an_async_progress_callback(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    statuses = ["calling", "cancelled"]
    server.reply("GET", "/call/c-9", *(Reply(json={"call": call_json("c-9", s)}) for s in statuses))
    seen: list[str] = []

    async def progress(call: Call) -> None:
        seen.append(call.status)

    call = await client.calls.wait("c-9", poll_interval=0.001, on_progress=progress)
    assert call.status is CallStatus.CANCELLED
    assert seen == ["calling", "cancelled"]


@pytest.mark.asyncio
async def test_wait_gives_up_at_the_deadline_with_the_last_call(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply(
        "GET",
        "/call/c-9",
        Reply(json={"call": call_json("c-9", "queued_for_calling")}),
        Reply(json={"call": call_json("c-9", "calling")}),
    )
    seen: list[str] = []
    with pytest.raises(CallWaitTimeout) as info:
        await client.calls.wait(
            "c-9",
            # Wide enough for a cold first request and two more on a machine loaded by other
            # test workers.
            timeout=3.0,
            poll_interval=0.01,
            max_poll_interval=0.04,
            on_progress=lambda c: seen.append(c.status),
        )
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value, RevoxError)
    assert info.value.call.status is CallStatus.CALLING
    assert "c-9" in str(info.value) and "calling" in str(info.value)
    assert seen == ["queued_for_calling", "calling"]
    # Backoff capped at 40 ms: at most one poll per 40 ms (and the first), not one per 10 ms.
    assert 3 <= server.count("GET", "/call/c-9") <= 3.0 / 0.04 + 1


@pytest.mark.asyncio
async def test_wait_on_the_sync_client(server: LoopbackServer) -> None:
    statuses = ["calling", "errored"]
    server.reply("GET", "/call/c-9", *(Reply(json={"call": call_json("c-9", s)}) for s in statuses))
    seen: list[str] = []

    def work(client: Revox) -> Call:
        return client.calls.wait(
            "c-9", poll_interval=0.001, on_progress=lambda c: seen.append(c.status)
        )

    call = await in_sync_client(server, work)
    assert call.status is CallStatus.ERRORED
    assert seen == ["calling", "errored"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("params", "field"),
    [({"timeout": 0}, "timeout"), ({"poll_interval": -1}, "poll_interval")],
)
async def test_wait_refuses_nonsense_timings(
    server: LoopbackServer, client: AsyncRevox, params: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValueError, match=field):
        await client.calls.wait("c-9", **params)
    assert server.requests == []


# CSV exports


@pytest.mark.asyncio
async def test_export_saves_into_a_directory_or_a_named_file(
    server: LoopbackServer, client: AsyncRevox, tmp_path: Path
) -> None:
    server.reply_json("POST", "/call/export", example("call.export"))
    export = await client.calls.export()
    saved = export.save(tmp_path)
    assert saved == tmp_path / "calls-export-2025-03-14.csv"
    assert saved.read_bytes() == example("call.export")["csv"].encode()
    named = export.save(tmp_path / "mine.csv")
    assert named == tmp_path / "mine.csv"
    assert named.read_text() == export.csv
    assert "call_id" not in repr(export)


@pytest.mark.parametrize("filename", ["../../etc/evil.csv", "..", "", "a\\..\\b.csv"])
def test_a_hostile_file_name_stays_in_the_directory(tmp_path: Path, filename: str) -> None:
    target = tmp_path / "out"
    target.mkdir()
    saved = CsvExport(csv="a,b\r\n1,2\r\n", filename=filename).save(target)
    assert saved.parent == target
    assert saved.read_bytes() == b"a,b\r\n1,2\r\n"


# Creating calls


@pytest.mark.asyncio
async def test_create_with_an_inline_assistant_and_a_datetime(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("POST", "/call", example("call.create"))
    when = datetime(2025, 3, 19, 19, 0, tzinfo=timezone(timedelta(hours=2)))
    await client.calls.create(
        phone_number="+16505550129",
        assistant={"prompt": "Confirm the visit.", "custom_tools": []},
        scheduled_at=when,
        metadata={"lead": "LD-1"},
        reference="LD-1",
    )
    await client.calls.create(
        phone_number="+16505550129",
        assistant_id=ASSISTANT_ID,
        scheduled_at=datetime(2025, 3, 19, 17, 0, tzinfo=timezone.utc),
    )
    first, second = (r.json() for r in server.requests)
    assert first == {
        "phone_number": "+16505550129",
        "assistant": {"prompt": "Confirm the visit.", "custom_tools": []},
        "scheduled_at": "2025-03-19T19:00:00+02:00",
        "metadata": {"lead": "LD-1", "revox_reference": "LD-1"},
    }
    assert second["scheduled_at"] == "2025-03-19T17:00:00.000Z"
    assert "Idempotency-Key" not in server.requests[0].headers


BAD_CREATE: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"phone_number": "0612345678", "assistant_id": ASSISTANT_ID}, ValueError, "phone_number"),
    ({"phone_number": "+1 650 555", "assistant_id": ASSISTANT_ID}, ValueError, "phone_number"),
    ({"phone_number": 16505550129, "assistant_id": ASSISTANT_ID}, TypeError, "phone_number"),
    (
        {"phone_number": "+16505550129", "assistant_id": ASSISTANT_ID, "from_phone_number": "555"},
        ValueError,
        "from_phone_number",
    ),
    ({"phone_number": "+16505550129"}, ValueError, "assistant_id or assistant; neither"),
    (
        {
            "phone_number": "+16505550129",
            "assistant_id": ASSISTANT_ID,
            "assistant": {"prompt": "p"},
        },
        ValueError,
        "assistant_id or assistant; both",
    ),
    ({"phone_number": "+16505550129", "assistant": "p"}, TypeError, "assistant must be a dict"),
    ({"phone_number": "+16505550129", "assistant": {"name": "n"}}, TypeError, "'name'"),
    ({"phone_number": "+16505550129", "assistant": {"voice": {}}}, TypeError, "'prompt'"),
    (
        {
            "phone_number": "+16505550129",
            "assistant": {
                "prompt": "p",
                "voice": {"id": "v", "provider": "elevenlabs", "speed": 2},
            },
        },
        ValueError,
        "assistant: voice.speed",
    ),
    ({"assistant_id": ASSISTANT_ID}, TypeError, "'phone_number'"),
    (
        {"phone_number": "+16505550129", "assistant_id": ASSISTANT_ID, "skip": True},
        TypeError,
        "'skip'",
    ),
    (
        {"phone_number": "+16505550129", "assistant_id": ASSISTANT_ID, "idempotency_key": " "},
        ValueError,
        "idempotency_key",
    ),
    (
        {"phone_number": "+16505550129", "assistant_id": ASSISTANT_ID, "concurrency": {}},
        ValueError,
        "concurrency",
    ),
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
        await client.calls.create(**params)
    assert server.requests == []


BAD_SEARCH: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"page_size": 0}, ValueError, "page_size"),
    ({"page_size": 2.5}, TypeError, "page_size"),
    ({"statuses": "completed"}, TypeError, "statuses"),
    ({"sort_direction": 1}, TypeError, "sort_direction"),
    ({"assistant": "a"}, TypeError, "'assistant'"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("params", "error", "field"), BAD_SEARCH)
async def test_bad_search_input_is_refused_at_the_call(
    server: LoopbackServer,
    client: AsyncRevox,
    params: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error, match=field):
        client.calls.search(**params)
    with pytest.raises(error, match=field):
        await client.calls.search_page(**params)
    with pytest.raises(error, match=field):
        await client.calls.export(**params)
    with pytest.raises(ValueError, match="page"):
        await client.calls.search_page(page=0)
    assert server.requests == []


@pytest.mark.asyncio
async def test_bad_search_input_is_refused_by_the_sync_client_before_iterating(
    server: LoopbackServer,
) -> None:
    def work(client: Revox) -> None:
        with pytest.raises(TypeError, match="statuses"):
            client.calls.search(statuses="completed")

    await in_sync_client(server, work)
    assert server.requests == []


# Side effects


async def _create(c: AsyncRevox) -> object:
    return await c.calls.create(
        phone_number="+16505550129", assistant_id=ASSISTANT_ID, idempotency_key="k-1"
    )


def _resume(c: AsyncRevox) -> Awaitable[None]:
    return c.calls.resume(C_ID)


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["dropped", "503"])
async def test_create_is_never_resent(
    server: LoopbackServer, client: AsyncRevox, failure: str
) -> None:
    await check_never_resent(
        server, client, failure, ("POST", "/call"), _create, example("call.create")
    )
    assert server.requests[0].headers["Idempotency-Key"] == "k-1"


@pytest.mark.asyncio
async def test_create_is_resent_after_429_with_the_same_idempotency_key(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    await check_resent_after_429(server, client, ("POST", "/call"), _create, example("call.create"))
    assert [r.headers["Idempotency-Key"] for r in server.requests] == ["k-1", "k-1"]


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["dropped", "503"])
async def test_resume_is_never_resent(
    server: LoopbackServer, client: AsyncRevox, failure: str
) -> None:
    await check_never_resent(
        server, client, failure, ("POST", f"/call/{C_ID}/resume"), _resume, {"success": True}
    )


@pytest.mark.asyncio
async def test_resume_is_resent_after_429(server: LoopbackServer, client: AsyncRevox) -> None:
    await check_resent_after_429(
        server, client, ("POST", f"/call/{C_ID}/resume"), _resume, {"success": True}
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("action", ["cancel", "pause"])
async def test_cancel_and_pause_are_retried(
    server: LoopbackServer, client: AsyncRevox, action: str
) -> None:
    path = f"/call/{C_ID}/{action}"
    server.reply("POST", path, UNAVAILABLE, Reply(json={"success": True}))
    await getattr(client.calls, action)(C_ID)
    assert server.count("POST", path) == 2


@pytest.mark.asyncio
async def test_reads_are_retried(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply("POST", "/call/search", UNAVAILABLE, Reply(json=page(["a"], 1)))
    server.reply("POST", "/call/export", UNAVAILABLE, Reply(json=example("call.export")))
    assert [c.id async for c in client.calls.search()] == ["a"]
    await client.calls.export()
    assert server.count("POST", "/call/search") == server.count("POST", "/call/export") == 2


@pytest.mark.asyncio
async def test_a_refused_cancel_raises(server: LoopbackServer, client: AsyncRevox) -> None:
    server.reply_json("POST", f"/call/{C_ID}/cancel", {"success": False})
    with pytest.raises(APIError, match="success=false"):
        await client.calls.cancel(C_ID)


def test_sync_twins_run_their_async_methods() -> None:
    client = Revox(KEY)
    try:
        for name in ("search", "search_page", "wait", "create"):
            check_sync_twin(getattr(client.calls, name), getattr(client._async.calls, name))
    finally:
        client.close()
