"""Fault injection: error statuses, Retry-After forms, delays, dropped connections, bad bodies."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timezone

import aiohttp
import pytest

from revox_async.testing import Fault

from ._support import EMMA, serve

NEW_CALL = {"phone_number": "+16505550129", "assistant_id": EMMA}


@pytest.mark.asyncio
async def test_status_fault_with_retry_after_seconds() -> None:
    async with serve(seed_demo_data=True) as api:
        api.fake.faults.fail_next(status=503, retry_after="2")
        failed = await api.get("/assistants")
        assert failed.status == 503
        assert failed.headers["Retry-After"] == "2"
        assert failed.body == {"error": "Service Unavailable (injected fault)"}
        assert "x-request-id" in failed.headers
        assert (await api.get("/assistants")).status == 200


@pytest.mark.asyncio
async def test_retry_after_as_http_date_number_and_milliseconds() -> None:
    async with serve() as api:
        when = datetime(2025, 3, 14, 17, 0, 30, tzinfo=timezone.utc)
        api.fake.faults.fail_next(status=429, retry_after=when)
        api.fake.faults.fail_next(status=429, retry_after=1.5)
        api.fake.faults.fail_next(status=429, retry_after="Fri, 14 Mar 2025 17:00:30 GMT")
        api.fake.faults.fail_next(status=503, retry_after_ms=250)
        dated = await api.get("/auth-status")
        assert (dated.status, dated.headers["Retry-After"]) == (
            429,
            "Fri, 14 Mar 2025 17:00:30 GMT",
        )
        assert (await api.get("/auth-status")).headers["Retry-After"] == "1.5"
        verbatim = await api.get("/auth-status")
        assert verbatim.headers["Retry-After"] == "Fri, 14 Mar 2025 17:00:30 GMT"
        millis = await api.get("/auth-status")
        assert millis.headers["retry-after-ms"] == "250"
        assert "Retry-After" not in millis.headers


@pytest.mark.asyncio
async def test_status_fault_does_not_process_the_request() -> None:
    async with serve(seed_demo_data=True) as api:
        before = len(api.fake.state.calls)
        api.fake.faults.fail_next(route="POST /call", status=500, body={"message": "boom"})
        failed = await api.post("/call", NEW_CALL)
        assert (failed.status, failed.body) == (500, {"message": "boom"})
        assert len(api.fake.state.calls) == before


@pytest.mark.asyncio
async def test_faults_only_hit_matching_routes_in_order() -> None:
    async with serve(seed_demo_data=True) as api:
        api.fake.faults.fail_next(2, route="POST /call/{id}/cancel", status=502)
        api.fake.faults.fail_next(route="/auth-status", status=504)
        assert (await api.get("/assistants")).status == 200
        assert (await api.get("/auth-status")).status == 504
        created = await api.post("/call", NEW_CALL)
        call_id = created.body["call"]["id"]
        assert (await api.post(f"/call/{call_id}/cancel")).status == 502
        assert [f.remaining for f in api.fake.faults.pending] == [1]
        assert (await api.post(f"/call/{call_id}/cancel")).status == 502
        assert (await api.post(f"/call/{call_id}/cancel")).status == 200
        assert api.fake.faults.pending == []


@pytest.mark.asyncio
async def test_concrete_paths_and_generic_add() -> None:
    async with serve(seed_demo_data=True) as api:
        fault = api.fake.faults.add(Fault(route=f"GET /assistants/{EMMA}", status=418, times=1))
        assert (await api.get(f"/assistants/{EMMA}")).status == 418
        assert fault.hits == 1
        api.fake.faults.fail_next(route="DELETE /assistants/{id}")
        api.fake.faults.clear()
        assert (await api.get(f"/assistants/{EMMA}")).status == 200


@pytest.mark.asyncio
async def test_delay_then_normal_processing() -> None:
    async with serve() as api:
        api.fake.faults.fail_next(status=None, delay=0.3)
        started = time.monotonic()
        reply = await api.get("/auth-status")
        assert reply.status == 200
        assert time.monotonic() - started >= 0.3


@pytest.mark.asyncio
async def test_delay_lets_a_client_time_out() -> None:
    async with serve() as api:
        api.fake.faults.fail_next(status=None, delay=0.5)
        with pytest.raises(asyncio.TimeoutError):
            await api.session.get(
                api.fake.url + "/auth-status",
                headers={"Authorization": f"Bearer {api.fake.api_key}"},
                timeout=aiohttp.ClientTimeout(total=0.1),
            )


@pytest.mark.asyncio
async def test_drop_before_leaves_state_unchanged() -> None:
    async with serve(seed_demo_data=True) as api:
        before = set(api.fake.state.calls)
        api.fake.faults.fail_next(route="POST /call", drop="before")
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await api.post("/call", NEW_CALL)
        assert set(api.fake.state.calls) == before
        record = api.fake.requests[-1]
        assert (record.path, record.status, record.dropped) == ("/call", None, True)
        assert (await api.post("/call", NEW_CALL)).status == 200


@pytest.mark.asyncio
async def test_drop_after_processes_the_request_but_loses_the_answer() -> None:
    async with serve(seed_demo_data=True) as api:
        before = set(api.fake.state.calls)
        api.fake.faults.fail_next(route="POST /call", drop="after")
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await api.post("/call", NEW_CALL)
        created = set(api.fake.state.calls) - before
        assert len(created) == 1
        call = api.fake.state.calls[created.pop()]
        assert call.data["to_phone_number"] == NEW_CALL["phone_number"]
        assert api.fake.requests[-1].status is None


@pytest.mark.asyncio
async def test_malformed_error_body() -> None:
    async with serve() as api:
        api.fake.faults.fail_next(status=502, malformed_body=True)
        reply = await api.session.get(
            api.fake.url + "/auth-status", headers={"Authorization": f"Bearer {api.fake.api_key}"}
        )
        async with reply:
            assert reply.status == 502
            assert reply.content_type == "application/json"
            with pytest.raises(json.JSONDecodeError):
                json.loads(await reply.read())


@pytest.mark.asyncio
async def test_malformed_success_body_after_processing() -> None:
    async with serve(seed_demo_data=True) as api:
        before = len(api.fake.state.calls)
        api.fake.faults.fail_next(route="POST /call", status=None, malformed_body=True)
        async with api.session.post(
            api.fake.url + "/call",
            json=NEW_CALL,
            headers={"Authorization": f"Bearer {api.fake.api_key}"},
        ) as reply:
            assert reply.status == 200
            raw = await reply.read()
        assert raw.startswith(b'{"call": ')
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)
        assert len(api.fake.state.calls) == before + 1


@pytest.mark.asyncio
async def test_custom_body_and_content_type() -> None:
    async with serve() as api:
        api.fake.faults.fail_next(
            status=502,
            body="<html><body>Bad gateway</body></html>",
            content_type="text/html",
            headers={"x-should-retry": "false"},
        )
        reply = await api.get("/auth-status")
        assert reply.status == 502
        assert reply.headers["Content-Type"].startswith("text/html")
        assert reply.raw == b"<html><body>Bad gateway</body></html>"
        assert reply.headers["x-should-retry"] == "false"


def test_fault_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="times"):
        Fault(times=0)
    with pytest.raises(ValueError, match="drop"):
        Fault(drop="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="route"):
        Fault(route=" ")
