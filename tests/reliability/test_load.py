"""Load: one client shared by many tasks, or by many threads, against the fake server.

What must hold under load:

- every caller gets its own answer: each asks about a distinct assistant, or places a call with
  distinct metadata, and checks what comes back;
- the fake's request log holds exactly what the callers sent: nothing lost, nothing twice;
- the server never sees more connections open at once than the client's ``connection_limit``
  (counted by the server itself, as connections are made and lost);
- memory stays flat: after warm-up rounds, later rounds of the same work add (almost) nothing;
- no warning at all: no unclosed session, socket or transport.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from revox_async import AsyncRevox
from revox_async.testing import FakeRevox, FakeRevoxThread, RecordedRequest

# Deselected by the quick sessions (-m "not slow"); the full ones run it.
pytestmark = pytest.mark.slow

TASKS = 1000
ROUNDS = 10
UNTRACED_ROUNDS = 2
WARM_UP_ROUNDS = 6
"""Rounds before the baseline: the traced ones replace what untraced rounds left (names,
timestamps) with traced objects, which would otherwise look like growth. On a loaded machine
the pool may still open connections (and their buffers) in the fifth round, hence six."""
ASYNC_CONNECTION_LIMIT = 16
GROWTH_LIMIT = 256 * 1024
"""Bytes the measured rounds (4,000 requests) may add, a quarter in each round: a leak of ~65
bytes per request (one object kept per request: an instance, a small tuple) would exceed it,
while a loaded machine's extra buffers and connections stay within."""

THREADS = 32
CALLS_PER_THREAD = 8
SYNC_CONNECTION_LIMIT = 8

Sent = tuple[str, str, str]
"""A request as (method, path, the part of its body that makes it distinct)."""


@attrs.define
class ConnectionGauge:
    """Server-side connections: open now, most open at once, opened in all."""

    open: int = 0
    peak: int = 0
    opened: int = 0


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[ConnectionGauge]:
    """Counts the connections of every aiohttp server in the process (here: the fake only)."""
    gauge = ConnectionGauge()
    made, lost = web.Server.connection_made, web.Server.connection_lost

    def connection_made(
        server: web.Server, handler: RequestHandler, transport: asyncio.Transport
    ) -> None:
        gauge.open += 1
        gauge.opened += 1
        gauge.peak = max(gauge.peak, gauge.open)
        made(server, handler, transport)

    def connection_lost(
        server: web.Server, handler: RequestHandler, exc: BaseException | None = None
    ) -> None:
        gauge.open -= 1
        lost(server, handler, exc)

    monkeypatch.setattr(web.Server, "connection_made", connection_made)
    monkeypatch.setattr(web.Server, "connection_lost", connection_lost)
    yield gauge
    assert gauge.open == 0, "a connection outlived its server"


@pytest.fixture
def no_warnings() -> Iterator[None]:
    """Fails the test on any warning, including those only garbage collection reveals."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
        gc.collect()
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []


def received(requests: list[RecordedRequest], distinct: str) -> Counter[Sent]:
    """The fake's log in the shape of ``Sent``, each request answered with a 200."""
    assert [r.status for r in requests] == [200] * len(requests)
    return Counter(
        (r.method, r.path, json.dumps((r.body or {}).get(distinct), sort_keys=True))
        for r in requests
    )


def sent(method: str, path: str, distinct: Any = None) -> Sent:
    return (method, path, json.dumps(distinct, sort_keys=True))


async def create_assistants(client: AsyncRevox, fake: FakeRevox) -> list[str]:
    """TASKS assistants, created at once; each task checks it got the one it named."""

    async def create(i: int) -> tuple[str, Sent]:
        assistant = await client.assistants.create(name=f"assistant {i}", prompt="Be brief.")
        assert assistant.name == f"assistant {i}"
        return assistant.id, sent("POST", "/assistants", f"assistant {i}")

    created = await asyncio.gather(*(create(i) for i in range(TASKS)))
    ids = [assistant_id for assistant_id, _ in created]
    assert len(set(ids)) == TASKS
    assert received(fake.requests, "name") == Counter(request for _, request in created)
    fake.requests.clear()
    return ids


async def one_round(
    client: AsyncRevox, fake: FakeRevox, ids: list[str], names: list[str], round_no: int
) -> None:
    """Half the tasks rename their assistant, the other half read theirs back, all at once."""

    async def rename(i: int) -> Sent:
        name = f"assistant {i} in round {round_no}"
        result = await client.assistants.update(ids[i], name=name)
        assert (result.assistant.id, result.assistant.name) == (ids[i], name)
        names[i] = name
        return sent("PATCH", f"/assistants/{ids[i]}", name)

    async def read(i: int) -> Sent:
        assistant = await client.assistants.retrieve(ids[i])
        assert (assistant.id, assistant.name) == (ids[i], names[i])
        return sent("GET", f"/assistants/{ids[i]}")

    requests = await asyncio.gather(
        *(rename(i) if (i + round_no) % 2 else read(i) for i in range(TASKS))
    )
    assert received(fake.requests, "name") == Counter(requests)
    fake.requests.clear()


def _traced() -> tracemalloc.Snapshot:
    gc.collect()
    return tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_warnings")
async def test_one_async_client_shared_by_a_thousand_tasks(connections: ConnectionGauge) -> None:
    async with FakeRevox() as fake:
        client = fake.client(connection_limit=ASYNC_CONNECTION_LIMIT)
        ids = await create_assistants(client, fake)
        names = [f"assistant {i}" for i in range(TASKS)]
        for round_no in range(1, UNTRACED_ROUNDS + 1):
            await one_round(client, fake, ids, names, round_no)
        # Tracing slows every allocation fourfold, so the first warm-up rounds run untraced.
        tracemalloc.start()
        try:
            memory = []
            for round_no in range(UNTRACED_ROUNDS + 1, ROUNDS + 1):
                await one_round(client, fake, ids, names, round_no)
                gc.collect()
                memory.append(tracemalloc.get_traced_memory()[0])
                if round_no == WARM_UP_ROUNDS:
                    baseline = _traced()
            growth = _traced().compare_to(baseline, "lineno")
        finally:
            tracemalloc.stop()
    steps = [later - earlier for earlier, later in itertools.pairwise(memory)]
    # Growth in each measured round. A leak grows every round; a buffer or a table that
    # resizes does so once. So every round but the largest must stay under its share.
    measured = steps[WARM_UP_ROUNDS - UNTRACED_ROUNDS - 1 :]
    per_round = GROWTH_LIMIT / len(measured)
    assert sorted(measured)[-2] < per_round, (steps, [str(stat) for stat in growth[:10]])
    assert 1 < connections.peak <= ASYNC_CONNECTION_LIMIT, connections
    assert connections.opened <= ASYNC_CONNECTION_LIMIT, connections


@pytest.mark.usefixtures("no_warnings")
def test_one_sync_client_shared_by_32_threads(connections: ConnectionGauge) -> None:
    with FakeRevoxThread() as fake:
        client = fake.client(connection_limit=SYNC_CONNECTION_LIMIT)
        assistant = client.assistants.create(
            name="Reception", prompt="Be brief.", from_phone_number="+33100000000"
        )

        def place_calls(thread: int) -> list[Sent]:
            requests = []
            for n in range(CALLS_PER_THREAD):
                # The reference key carries the caller's own reference, so the body is known.
                metadata = {
                    "thread": str(thread),
                    "call": str(n),
                    "revox_reference": f"{thread}-{n}",
                }
                call = client.calls.create(
                    phone_number=f"+3361{thread:02d}{n:05d}",
                    assistant_id=assistant.id,
                    metadata=metadata,
                )
                assert call.metadata == metadata
                again = client.calls.retrieve(call.id)
                assert (again.id, again.metadata) == (call.id, metadata)
                requests += [sent("POST", "/call", metadata), sent("GET", f"/call/{call.id}")]
            return requests

        with ThreadPoolExecutor(THREADS) as pool:
            per_thread = list(pool.map(place_calls, range(THREADS)))
        log = fake.call(lambda fake: received(fake.requests, "metadata"))
    expected = [sent("POST", "/assistants"), *(r for requests in per_thread for r in requests)]
    assert log == Counter(expected)
    assert sum(log.values()) == 1 + THREADS * CALLS_PER_THREAD * 2
    assert 1 < connections.peak <= SYNC_CONNECTION_LIMIT, connections
    assert connections.opened <= SYNC_CONNECTION_LIMIT, connections
