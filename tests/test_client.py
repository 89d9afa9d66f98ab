"""``AsyncRevox`` configuration, lifecycle, raw responses, logging."""

from __future__ import annotations

import asyncio
import gc
import logging
import subprocess
import sys
import warnings

import aiohttp
import pytest

from revox_async import (
    AsyncRevox,
    AuthenticationError,
    RevoxError,
    Timeout,
)
from revox_async._config import DEFAULT_BASE_URL
from revox_async._logging import configure_from_env
from revox_async._logging import logger as sdk_logger

from ._helpers import KEY, LoopbackServer, Reply, example

ASSISTANT = example("assistants.retrieve")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REVOX_API_KEY", "REVOX_BASE_URL", "REVOX_LOG"):
        monkeypatch.delenv(name, raising=False)


def test_missing_key_is_a_clear_error_at_construction() -> None:
    with pytest.raises(RevoxError, match="REVOX_API_KEY"):
        AsyncRevox()


def test_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVOX_API_KEY", "env-key")
    assert AsyncRevox().base_url == DEFAULT_BASE_URL
    monkeypatch.setenv("REVOX_BASE_URL", "https://staging.revox.test/api/")
    assert AsyncRevox().base_url == "https://staging.revox.test/api"
    assert AsyncRevox(base_url="https://other.test").base_url == "https://other.test"


def test_repr_never_shows_the_key() -> None:
    client = AsyncRevox("sk-secret-value")
    assert "sk-secret-value" not in repr(client)
    assert "sk-secret-value" not in repr(client._config)
    assert "sk-secret-value" not in repr(client.with_options(timeout=3))


def test_plain_http_to_another_host_is_refused() -> None:
    with pytest.raises(ValueError, match="allow_insecure_http"):
        AsyncRevox(KEY, base_url="http://api.revox.test")
    AsyncRevox(KEY, base_url="http://api.revox.test", allow_insecure_http=True)


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_bad_timeouts_are_refused(timeout: object) -> None:
    with pytest.raises((TypeError, ValueError), match="timeout"):
        AsyncRevox(KEY, timeout=timeout)  # type: ignore[arg-type]


def test_timeout_forms() -> None:
    assert AsyncRevox(KEY, timeout=5).timeout == Timeout(total=5.0, connect=5.0)
    assert AsyncRevox(KEY, timeout=None).timeout.total is None
    custom = Timeout(total=30, connect=2)
    assert AsyncRevox(KEY, timeout=custom).timeout is custom


def test_with_options_changes_only_what_it_is_given() -> None:
    client = AsyncRevox(KEY, max_retries=4, default_headers={"X-A": "1"})
    derived = client.with_options(timeout=7, default_headers={"X-B": "2"})
    assert derived.max_retries == 4
    assert derived.timeout.total == 7
    assert derived._config.default_headers == {"X-A": "1", "X-B": "2"}
    assert derived._transport is client._transport
    assert client.timeout.total == 60


@pytest.mark.asyncio
async def test_session_is_created_lazily_and_closed_once(server: LoopbackServer) -> None:
    server.reply_json("GET", "/assistants/a", ASSISTANT)
    client = AsyncRevox(KEY, base_url=server.url)
    assert client._transport._session is None
    await client.assistants.retrieve("a")
    session = client._transport._session
    assert session is not None and not session.closed
    await client.close()
    await client.close()
    assert session.closed and client.is_closed
    with pytest.raises(RevoxError, match="closed"):
        await client.assistants.retrieve("a")


@pytest.mark.asyncio
async def test_derived_clients_share_the_pool_and_do_not_close_it(server: LoopbackServer) -> None:
    server.reply_json("GET", "/assistants/a", ASSISTANT)
    async with AsyncRevox(KEY, base_url=server.url) as client:
        derived = client.with_options(timeout=5)
        async with derived:
            await derived.assistants.retrieve("a")
        await client.assistants.retrieve("a")
        assert client._transport._session is derived._transport._session
    assert derived.is_closed


@pytest.mark.asyncio
async def test_a_caller_owned_session_is_used_and_never_closed(server: LoopbackServer) -> None:
    server.reply_json("GET", "/assistants/a", ASSISTANT)
    async with aiohttp.ClientSession() as session:
        async with AsyncRevox(KEY, base_url=server.url, session=session) as client:
            await client.assistants.retrieve("a")
        assert not session.closed
        async with session.get(f"{server.url}/assistants/a") as response:
            assert response.status == 200


def test_using_a_client_from_another_event_loop_is_a_clear_error() -> None:
    async def make() -> AsyncRevox:
        client = AsyncRevox(KEY, base_url="http://127.0.0.1:9")
        client._transport._get_session()
        return client

    client = asyncio.run(make())

    async def reuse() -> None:
        with pytest.raises(RevoxError, match="another event loop"):
            await client.assistants.list()
        await client.close()

    asyncio.run(reuse())


@pytest.mark.asyncio
async def test_raw_response_exposes_metadata_without_a_second_request(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("GET", "/assistants/a", Reply(json=ASSISTANT, headers={"x-request-id": "req-7"}))
    raw = await client.with_raw_response(client.assistants.retrieve, "a")
    assert raw.parse() is raw.data
    assert raw.data.id == ASSISTANT["id"]
    assert (raw.status_code, raw.request_id) == (200, "req-7")
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.info.method == "GET"
    assert raw.info.url == f"{server.url}/assistants/a"
    assert server.count("GET", "/assistants/a") == 1


@pytest.mark.asyncio
async def test_raw_responses_of_concurrent_calls_do_not_mix(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    for i in range(20):
        server.reply(
            "GET", f"/assistants/a{i}", Reply(json=ASSISTANT, headers={"x-request-id": f"r{i}"})
        )
    raws = await asyncio.gather(
        *(client.with_raw_response(client.assistants.retrieve, f"a{i}") for i in range(20))
    )
    assert [r.request_id for r in raws] == [f"r{i}" for i in range(20)]


@pytest.mark.asyncio
async def test_logs_name_the_call_and_never_the_key(
    server: LoopbackServer, client: AsyncRevox, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply("GET", "/assistants/a", Reply(status=503), Reply(json=ASSISTANT))
    server.reply("GET", "/assistants/b", Reply(status=401, json={"error": "bad key"}))
    with caplog.at_level(logging.DEBUG, logger="revox_async"):
        await client.assistants.retrieve("a")
        with pytest.raises(AuthenticationError) as info:
            await client.assistants.retrieve("b")
    lines = [r.getMessage() for r in caplog.records]
    assert "GET /assistants/a -> 503 (attempt 1" in lines[0]
    assert any(line.startswith("retrying assistants.retrieve in") for line in lines)
    assert any("GET /assistants/a -> 200 (attempt 2" in line for line in lines)
    assert all(KEY not in line for line in lines)
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert KEY not in str(info.value.headers)


def test_revox_log_env_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVOX_LOG", "debug")
    monkeypatch.setattr(sdk_logger, "handlers", [])
    monkeypatch.setattr(sdk_logger, "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    configure_from_env()
    assert sdk_logger.level == logging.DEBUG
    assert len(sdk_logger.handlers) == 1
    configure_from_env()
    assert len(sdk_logger.handlers) == 1


def test_revox_log_leaves_printing_to_an_app_that_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVOX_LOG", "info")
    monkeypatch.setattr(sdk_logger, "handlers", [])
    monkeypatch.setattr(sdk_logger, "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.NullHandler()])
    configure_from_env()
    assert sdk_logger.level == logging.INFO
    assert sdk_logger.handlers == []


@pytest.mark.asyncio
async def test_many_concurrent_calls_share_one_client(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply_json("GET", "/assistants/a", ASSISTANT)
    results = await asyncio.gather(*(client.assistants.retrieve("a") for _ in range(200)))
    assert len({r.id for r in results}) == 1
    assert server.count("GET", "/assistants/a") == 200


@pytest.mark.asyncio
async def test_raw_response_refuses_a_pager_with_a_clear_error(
    server: LoopbackServer, client: AsyncRevox
) -> None:
    with pytest.raises(TypeError, match="search_page"):
        await client.with_raw_response(client.calls.search)  # type: ignore[arg-type]
    assert server.requests == []


def test_models_build_from_plain_dicts() -> None:
    from revox_async.models import Assistant

    data = example("assistants.retrieve")
    assistant = Assistant.from_dict(data)
    assert assistant.id == data["id"]
    assert assistant.to_dict() == data


@pytest.mark.asyncio
async def test_a_client_left_open_says_how_to_close_it(server: LoopbackServer) -> None:
    async def leave_open() -> None:
        client = AsyncRevox(KEY, base_url=server.url)
        await client.assistants.retrieve("a")

    def leave_open_and_collect() -> None:
        asyncio.run(leave_open())
        gc.collect()

    async def closed_properly() -> None:
        async with AsyncRevox(KEY, base_url=server.url) as client:
            await client.assistants.retrieve("a")

    server.reply_json("GET", "/assistants/a", ASSISTANT)
    # Each on a loop of its own, in a thread, while this loop serves.
    await asyncio.to_thread(asyncio.run, closed_properly())
    gc.collect()  # nothing to say about a client that was closed
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        await asyncio.to_thread(leave_open_and_collect)
        ours = [str(w.message) for w in warned if "AsyncRevox" in str(w.message)]
        # aiohttp's own warnings hold the session, whose pool then warns when released.
        warned.clear()
        gc.collect()
    assert len(ours) == 1
    assert "async with AsyncRevox() as client:" in ours[0]
    assert "await client.close()" in ours[0]


def test_the_hint_reaches_a_script_that_exits_with_a_client_open() -> None:
    script = (
        "import asyncio\n"
        "from revox_async import AsyncRevox\n"
        "client = AsyncRevox('k', base_url='http://127.0.0.1:9', max_retries=0)\n"
        "async def main():\n"
        "    client._transport._get_session()\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "await client.close()" in result.stderr


def test_importing_the_package_leaves_the_sync_client_and_the_models_for_later() -> None:
    script = (
        "import sys\n"
        "import revox_async\n"
        "print(sorted(m for m in sys.modules if m.startswith('revox_async.')))\n"
        "revox_async.Revox, revox_async.AudioClip\n"
        "print('revox_async._sync.client' in sys.modules,"
        " 'revox_async.models.voices' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, after = result.stdout.splitlines()
    assert "revox_async.models" not in loaded
    assert "revox_async._sync.client" not in loaded
    assert "revox_async.resources" not in loaded
    assert after == "True True"
