"""Child process of the peak-RSS scenario: ``probe_rss.py CLIENT BASE_URL CALLS``.

Imports one client, retrieves CALLS distinct assistants one after the other and keeps them, as
an application holding what it fetched would, then prints its peak RSS in KiB.
"""

from __future__ import annotations

import asyncio
import resource
import sys

import clients
import payloads
from scenarios import retrieve_each_async, retrieve_each_sync


async def retrieve_async(
    client: clients.AsyncClient, base_url: str, ids: list[str]
) -> list[object]:
    async with client.connect(base_url) as api:
        return await retrieve_each_async(client, api, ids)


def main() -> None:
    key, base_url, calls = sys.argv[1:]
    client = clients.by_key(key)
    ids = payloads.assistant_ids(int(calls))
    # The helpers hold every result until they return, so the peak includes them all.
    if isinstance(client, clients.SyncClient):
        with client.connect(base_url) as api:
            retrieve_each_sync(client, api, ids)
    else:
        asyncio.run(retrieve_async(client, base_url, ids))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux counts ru_maxrss in KiB, macOS in bytes.
    print(peak // 1024 if sys.platform == "darwin" else peak)


if __name__ == "__main__":
    main()
