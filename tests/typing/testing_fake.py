"""The fake server, its helpers and the pytest fixtures' types."""

from __future__ import annotations

from datetime import datetime

from typing_extensions import assert_type

from revox_async import AsyncRevox, Revox
from revox_async.models.users import User
from revox_async.testing import (
    CallScript,
    FakeClock,
    FakeRevox,
    FakeRevoxThread,
    Faults,
    RecordedRequest,
)


async def fake_server() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        assert_type(fake, FakeRevox)
        assert_type(fake.url, str)
        assert_type(fake.api_key, str)
        assert_type(fake.clock, FakeClock)
        assert_type(fake.faults, Faults)
        assert_type(fake.advance(60), datetime)
        assert_type(fake.script_number("+33612345678", result="voicemail"), CallScript)
        assert_type(fake.client(max_retries=0), AsyncRevox)


def fake_thread() -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        assert_type(fake, FakeRevoxThread)
        assert_type(fake.url, str)
        assert_type(fake.client(), Revox)
        assert_type(fake.call(lambda server: server.faults), Faults)


def recorded(request: RecordedRequest) -> None:
    assert_type(request.method, str)
    assert_type(request.path, str)


# Tests as users write them against the plugin's fixtures, annotated as the testing guide shows.
async def uses_async_fixtures(revox_fake: FakeRevox, revox_client: AsyncRevox) -> None:
    revox_fake.faults.fail_next(503)
    assert_type(await revox_client.users.retrieve(), User)
    assert_type(revox_fake.requests, list[RecordedRequest])


def uses_sync_fixtures(revox_fake_thread: FakeRevoxThread, revox_sync_client: Revox) -> None:
    revox_fake_thread.advance(10)
    assert_type(revox_sync_client.users.retrieve(), User)
