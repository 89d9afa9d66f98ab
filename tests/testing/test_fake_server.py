"""The FakeRevox object itself: start/close, seeding, the standalone server, cheap import."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys

import aiohttp
import pytest

from revox_async.testing import FakeRevox

from ._support import serve


@pytest.mark.asyncio
async def test_start_and_close_are_idempotent() -> None:
    fake = FakeRevox(api_key="rvx_fixed")
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url
    await fake.start()
    url = fake.url
    await fake.start()
    assert fake.url == url
    assert url.startswith("http://127.0.0.1:")
    assert not url.endswith(":0")
    async with (
        aiohttp.ClientSession() as session,
        session.get(url + "/auth-status", headers={"Authorization": "Bearer rvx_fixed"}) as reply,
    ):
        assert reply.status == 200
    await fake.close()
    await fake.close()
    with pytest.raises(RuntimeError):
        _ = fake.url


@pytest.mark.asyncio
async def test_each_fake_gets_its_own_port_key_and_state() -> None:
    async with FakeRevox() as one, FakeRevox(seed_demo_data=True) as two:
        assert one.url != two.url
        assert one.api_key != two.api_key
        assert one.state.assistants == {}
        assert len(two.state.assistants) == 2
        # The stock voice catalog exists even without demo data.
        assert one.state.voices.catalog
        assert not any(v["isCloned"] for v in one.state.voices.catalog)


@pytest.mark.asyncio
async def test_empty_organization_needs_a_caller_id() -> None:
    async with serve() as api:
        created = await api.post("/assistants", {"name": "A", "prompt": "Say hi."})
        assistant_id = created.body["assistant"]["id"]
        body = {"phone_number": "+16505550129", "assistant_id": assistant_id}
        refused = await api.post("/call", body)
        assert refused.status == 422
        assert refused.body["error"].startswith("from_phone_number:")
        accepted = await api.post("/call", {**body, "from_phone_number": "+14155550100"})
        assert accepted.status == 200


@pytest.mark.asyncio
async def test_run_server_serves_until_interrupted() -> None:
    code = "from revox_async.testing import run_server; run_server(port=0)"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        url_line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        key_line = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        url = url_line.rsplit(" ", 1)[1].strip()
        key = key_line.rsplit(" ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + "/campaigns", headers={"Authorization": f"Bearer {key}"}) as reply,
        ):
            assert reply.status == 200
            assert len((await reply.json())["campaigns"]) == 2
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = (
        "import sys, json, revox_async.testing as t; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('revox_async.testing'))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, text=True
    ).stdout
    assert json.loads(output) == ["revox_async.testing"]
