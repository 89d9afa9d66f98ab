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

from aiohttp import web

from revox_async import AsyncRevox, Revox

from ._helpers import KEY
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
    seen: list[Headers] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append([(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers])
        return web.json_response(example("assistants.retrieve"))

    app = web.Application()
    app.router.add_get("/assistants/a", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        if sync:
            await asyncio.to_thread(_send_sync, url, defaults, derived, options)
        else:
            async with AsyncRevox(KEY, base_url=url, default_headers=defaults, **options) as c:
                await (
                    c.with_options(default_headers=derived) if derived else c
                ).assistants.retrieve("a")
    finally:
        await runner.cleanup()
    (headers,) = seen
    return headers


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
