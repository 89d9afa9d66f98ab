"""One measurement of one client in one scenario; the runner repeats and interleaves them.

Every measurement opens a fresh client, warms it up (connections open, lazy set-up done)
outside the timed part, and checks every result is a parsed assistant with the right id.
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from clients import AsyncApi, AsyncClient, Client, SyncApi, SyncClient

PROBE = Path(__file__).with_name("probe_rss.py")
# Linux keeps ru_maxrss across exec, so a direct child of this large process would report this
# process's peak. The probe is therefore started by a small interpreter, whose peak it inherits.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
WARM_UP_CALLS = 8


class WrongResult(AssertionError):
    """A client returned something other than the parsed assistant asked for."""


def check(client: Client, result: object, assistant_id: str) -> None:
    if not client.is_assistant(result, assistant_id):
        raise WrongResult(f"{client.label}: got {type(result).__name__} for {assistant_id}")


def check_all(client: Client, results: Sequence[object], ids: Sequence[str]) -> None:
    if len(results) != len(ids):
        raise WrongResult(f"{client.label}: got {len(results)} assistants, expected {len(ids)}")
    for result, assistant_id in zip(results, ids, strict=True):
        check(client, result, assistant_id)


async def retrieve_each_async(
    client: AsyncClient, api: AsyncApi, ids: Sequence[str]
) -> list[object]:
    results = [await api.retrieve(assistant_id) for assistant_id in ids]
    check_all(client, results, ids)
    return results


def retrieve_each_sync(client: SyncClient, api: SyncApi, ids: Sequence[str]) -> list[object]:
    results = [api.retrieve(assistant_id) for assistant_id in ids]
    check_all(client, results, ids)
    return results


async def _retrieve_concurrently(
    client: AsyncClient, api: AsyncApi, ids: Sequence[str], in_flight: int
) -> None:
    semaphore = asyncio.Semaphore(in_flight)

    async def one(assistant_id: str) -> None:
        async with semaphore:
            result = await api.retrieve(assistant_id)
        check(client, result, assistant_id)

    await asyncio.gather(*(one(assistant_id) for assistant_id in ids))


def concurrent_retrieves(
    client: AsyncClient, base_url: str, ids: Sequence[str], calls: int, in_flight: int
) -> float:
    """Requests per second for ``calls`` retrieves with ``in_flight`` at a time."""
    wanted = [ids[n % len(ids)] for n in range(calls)]

    async def measure() -> float:
        async with client.connect(base_url) as api:
            # As many as will be in flight, so the pool holds its connections before timing.
            await _retrieve_concurrently(client, api, ids[:in_flight], in_flight)
            gc.collect()
            started = time.perf_counter()
            await _retrieve_concurrently(client, api, wanted, in_flight)
            return calls / (time.perf_counter() - started)

    return asyncio.run(measure())


def big_list(client: Client, base_url: str, ids: Sequence[str], calls: int) -> float:
    """Mean seconds per ``assistants.list`` call returning every assistant in ``ids``.

    One retrieve warms the client up: it opens the connection and builds the same parsers.
    """
    if isinstance(client, SyncClient):
        with client.connect(base_url) as api:
            retrieve_each_sync(client, api, ids[:1])
            times = []
            for _ in range(calls):
                gc.collect()
                started = time.perf_counter()
                results = api.list_all()
                times.append(time.perf_counter() - started)
                check_all(client, results, ids)
            return sum(times) / calls

    async def measure() -> float:
        async with client.connect(base_url) as api:
            await retrieve_each_async(client, api, ids[:1])
            times = []
            for _ in range(calls):
                gc.collect()
                started = time.perf_counter()
                results = await api.list_all()
                times.append(time.perf_counter() - started)
                check_all(client, results, ids)
            return sum(times) / calls

    return asyncio.run(measure())


def sequential_retrieves(client: Client, base_url: str, ids: Sequence[str], calls: int) -> float:
    """Wall seconds for ``calls`` retrieves, each sent when the previous one returned."""
    wanted = [ids[n % len(ids)] for n in range(calls)]
    if isinstance(client, SyncClient):
        with client.connect(base_url) as api:
            retrieve_each_sync(client, api, ids[:WARM_UP_CALLS])
            gc.collect()
            started = time.perf_counter()
            retrieve_each_sync(client, api, wanted)
            return time.perf_counter() - started

    async def measure() -> float:
        async with client.connect(base_url) as api:
            await retrieve_each_async(client, api, ids[:WARM_UP_CALLS])
            gc.collect()
            started = time.perf_counter()
            await retrieve_each_async(client, api, wanted)
            return time.perf_counter() - started

    return asyncio.run(measure())


def _child(*args: str) -> str:
    return subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def import_seconds(module: str) -> float:
    """Seconds ``import module`` takes in a fresh interpreter (its start-up excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    # -I: the working directory (a source checkout, say) must not shadow the installed package.
    return float(_child("-I", "-c", code))


def peak_rss_mib(client: Client, base_url: str, calls: int) -> float:
    """Peak RSS of a fresh process that imports ``client``, then retrieves ``calls`` assistants."""
    probe = [sys.executable, str(PROBE), client.key, base_url, str(calls)]
    return int(_child("-c", LAUNCHER, *probe)) / 1024
