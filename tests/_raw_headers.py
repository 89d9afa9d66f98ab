"""The raw request headers a loopback server receives from either client, duplicates kept.

Run as a module (``python -m tests._raw_headers '<json>'``) it prints them as JSON, so that a
test can compare a process without OpenTelemetry against its own.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from typing import Any

from revox_async import AsyncRevox, Revox

from ._helpers import KEY, LoopbackServer, Reply
from .contract import example

Headers = list[tuple[str, str]]


async def received(
    defaults: Mapping[str, str],
    derived: Mapping[str, str] | None = None,
    *,
    sync: bool = False,
    **options: Any,
) -> Headers:
    """The headers of one ``assistants.retrieve``, sent by a client with ``defaults`` (and
    then ``with_options(default_headers=derived)`` when given), in the order they came."""
    async with LoopbackServer() as server:
        server.reply("GET", "/assistants/a", Reply(json=example("assistants.retrieve")))
        if sync:
            await asyncio.to_thread(_send_sync, server.url, defaults, derived, options)
        else:
            async with AsyncRevox(
                KEY, base_url=server.url, default_headers=defaults, **options
            ) as c:
                await (
                    c.with_options(default_headers=derived) if derived else c
                ).assistants.retrieve("a")
    (request,) = server.requests
    return list(request.headers.raw)


def _send_sync(
    url: str,
    defaults: Mapping[str, str],
    derived: Mapping[str, str] | None,
    options: Mapping[str, Any],
) -> None:
    with Revox(KEY, base_url=url, default_headers=defaults, **options) as client:
        (client.with_options(default_headers=derived) if derived else client).assistants.retrieve(
            "a"
        )


def main() -> None:
    setup = json.loads(sys.argv[1])
    headers = asyncio.run(received(setup["defaults"], setup["derived"], sync=setup["sync"]))
    print(json.dumps(headers))


if __name__ == "__main__":
    main()
