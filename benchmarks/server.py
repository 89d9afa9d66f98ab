"""The loopback API server the benchmarks talk to, run in a process of its own.

It serves ``GET /assistants/{id}`` and ``GET /assistants`` from bodies encoded once at start-up,
so per request it does little more than aiohttp's own HTTP work. Run as a script it prints the
port it listens on, then serves until its standard input closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import payloads
from aiohttp import web

JSON = "application/json"


def make_app(count: int) -> web.Application:
    variants = payloads.assistants(count)
    bodies = {variant["id"]: encode(variant) for variant in variants}
    listing = encode({"assistants": variants})

    def authorized(request: web.Request) -> bool:
        return request.headers.get("Authorization", "").startswith("Bearer ")

    async def retrieve(request: web.Request) -> web.Response:
        if not authorized(request):
            return web.json_response({"error": "Unauthorized"}, status=401)
        body = bodies.get(request.match_info["id"])
        if body is None:
            return web.json_response({"error": "Assistant not found"}, status=404)
        return web.Response(body=body, content_type=JSON)

    async def list_all(request: web.Request) -> web.Response:
        if not authorized(request):
            return web.json_response({"error": "Unauthorized"}, status=401)
        return web.Response(body=listing, content_type=JSON)

    app = web.Application()
    app.router.add_get("/assistants", list_all)
    app.router.add_get("/assistants/{id}", retrieve)
    return app


def encode(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


async def serve(count: int) -> None:
    runner = web.AppRunner(make_app(count), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(runner.addresses[0][1], flush=True)
        # The parent closes our stdin to stop us; this survives the parent being killed too.
        await asyncio.to_thread(sys.stdin.read)
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def running_server(count: int) -> Iterator[str]:
    """Start the server in a child process; yield its base URL; stop it on exit."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__)), "--assistants", str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        port = process.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError("the benchmark server failed to start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assistants", type=int, default=1000, help="distinct assistants served")
    asyncio.run(serve(parser.parse_args().assistants))


if __name__ == "__main__":
    main()
