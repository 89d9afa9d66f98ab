"""The ``revox-async`` command line: resource commands, the fake server, and the demo.

Output is JSON by default and a table on a terminal (``--json``/``--table`` choose). Errors print
one line on stderr and exit non-zero; they never print a traceback or the API key.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, NamedTuple, NoReturn

from ._client import AsyncRevox
from ._errors import RevoxError
from ._model import RevoxModel
from .models.calls import Call

Handler = Callable[[AsyncRevox, argparse.Namespace], Awaitable[Any]]

FAKE_SECONDS_PER_TICK = 2.0
"""With ``--fake``, fake time runs this many seconds per tick (50 ticks a second)."""


def plain_text(value: object) -> str:
    """An open enum's value (a known member or an unknown string) as text."""
    return str(getattr(value, "value", value))


def _call_progress(call: Call) -> None:
    # On stderr, so the final JSON on stdout stays clean for pipes.
    print(f"call {call.id}: {plain_text(call.status)}", file=sys.stderr)


async def _calls_create(client: AsyncRevox, args: argparse.Namespace) -> Any:
    variables = dict(pair.split("=", 1) for pair in args.var)
    params: dict[str, Any] = {"phone_number": args.to, "assistant_id": args.assistant}
    if args.from_number:
        params["from_phone_number"] = args.from_number
    if variables:
        params["prompt_variables"] = variables
    if args.scheduled_at:
        params["scheduled_at"] = args.scheduled_at
    return await client.calls.create(**params)


async def _calls_search(client: AsyncRevox, args: argparse.Namespace) -> Any:
    filters: dict[str, Any] = {}
    for name in SEARCH_FILTERS.values():
        if getattr(args, name):
            filters[name] = getattr(args, name)
    calls = []
    async for call in client.calls.search(**filters):
        calls.append(call)
        if len(calls) >= args.limit:
            break
    return calls


async def _calls_wait(client: AsyncRevox, args: argparse.Namespace) -> Any:
    return await client.calls.wait(args.id, timeout=args.max_wait, on_progress=_call_progress)


class Command(NamedTuple):
    help: str
    handler: Handler
    takes_id: bool = False


def _by_id(help_text: str, method: Callable[[AsyncRevox, str], Awaitable[Any]]) -> Command:
    async def handler(client: AsyncRevox, args: argparse.Namespace) -> Any:
        return await method(client, args.id)

    return Command(help_text, handler, takes_id=True)


def _plain(help_text: str, method: Callable[[AsyncRevox], Awaitable[Any]]) -> Command:
    async def handler(client: AsyncRevox, args: argparse.Namespace) -> Any:
        return await method(client)

    return Command(help_text, handler)


COMMANDS: dict[tuple[str, str], Command] = {
    ("assistants", "list"): _plain("list assistants", lambda c: c.assistants.list()),
    ("assistants", "get"): _by_id("show one assistant", lambda c, i: c.assistants.retrieve(i)),
    ("assistants", "clone"): _by_id("copy an assistant", lambda c, i: c.assistants.clone(i)),
    ("assistants", "delete"): _by_id("delete an assistant", lambda c, i: c.assistants.delete(i)),
    ("calls", "create"): Command("place a call", _calls_create),
    ("calls", "get"): _by_id("show one call", lambda c, i: c.calls.retrieve(i)),
    ("calls", "wait"): Command("wait for a call to finish, showing progress", _calls_wait, True),
    ("calls", "search"): Command("search calls", _calls_search),
    ("calls", "cancel"): _by_id("cancel a call", lambda c, i: c.calls.cancel(i)),
    ("calls", "pause"): _by_id("pause a call", lambda c, i: c.calls.pause(i)),
    ("calls", "resume"): _by_id("resume a paused call", lambda c, i: c.calls.resume(i)),
    ("campaigns", "list"): _plain("list campaigns", lambda c: c.campaigns.list()),
    ("campaigns", "get"): _by_id("show one campaign", lambda c, i: c.campaigns.retrieve(i)),
    ("campaigns", "stats"): _by_id("campaign statistics", lambda c, i: c.campaigns.statistics(i)),
    ("campaigns", "rows"): _by_id("a campaign's rows", lambda c, i: c.campaigns.get_rows(i)),
    ("phone-numbers", "list"): _plain("list phone numbers", lambda c: c.phone_numbers.list()),
    ("voices", "list"): _plain("list voices", lambda c: c.voices.list()),
    ("users", "me"): _plain("the user the key belongs to", lambda c: c.users.retrieve()),
    ("auth-status", "get"): _plain("whether the key works", lambda c: c.auth_status.retrieve()),
}
"""Every resource command, by (resource, command) as typed on the command line."""

SEARCH_FILTERS = {
    "status": "statuses",
    "assistant": "assistant_ids",
    "campaign": "campaign_ids",
    "outcome": "outcomes",
}


def _keys_in(argv: Sequence[str]) -> list[str]:
    """The API keys given in ``argv`` (``--api-key KEY``, ``--api-key=KEY``) or the environment."""
    keys = [os.environ.get("REVOX_API_KEY", "")]
    keys += [value for option, value in itertools.pairwise(argv) if option == "--api-key"]
    keys += [arg.partition("=")[2] for arg in argv if arg.startswith("--api-key=")]
    return [key for key in keys if key]


def build_parser(secrets: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line's parser; its usage errors show each of ``secrets`` as ``***``."""

    class Parser(argparse.ArgumentParser):
        # argparse quotes the arguments it rejects, and "--api-key KEY" placed after the
        # command is one of them.
        def error(self, message: str) -> NoReturn:
            for secret in secrets:
                message = message.replace(secret, "***")
            super().error(message)

    parser = Parser(prog="revox-async", description="Talk to the Revox API from the command line.")
    parser.add_argument("--api-key", help="API key (default: $REVOX_API_KEY)")
    parser.add_argument("--base-url", help="API root (default: $REVOX_BASE_URL or the public API)")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per call, retries included"
    )
    parser.add_argument(
        "--fake", action="store_true", help="run against an embedded fake Revox with demo data"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", dest="output", action="store_const", const="json")
    output.add_argument("--table", dest="output", action="store_const", const="table")
    commands = parser.add_subparsers(dest="resource", required=True, metavar="COMMAND")

    commands.add_parser("demo", help="a guided tour against the embedded fake Revox")
    server = commands.add_parser("fake-server", help="serve a fake Revox until interrupted")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on")
    server.add_argument("--port", type=int, default=8080, help="port to listen on (0: any free)")
    server.add_argument("--api-key", dest="server_key", help="key to accept (default: random)")
    server.add_argument(
        "--speed",
        type=float,
        default=100.0,
        help="fake seconds per real second, as with --fake (1: wall time)",
    )

    resources: dict[str, argparse._SubParsersAction[Parser]] = {}
    for (resource, name), command in COMMANDS.items():
        if resource not in resources:
            group = commands.add_parser(resource, help=f"{resource} commands")
            resources[resource] = group.add_subparsers(dest="command", required=True)
        sub = resources[resource].add_parser(name, help=command.help)
        if command.takes_id:
            sub.add_argument("id")
    create = resources["calls"].choices["create"]
    create.add_argument("--to", required=True, help="number to call, E.164 (+33612345678)")
    create.add_argument("--assistant", required=True, help="assistant id")
    create.add_argument("--from", dest="from_number", help="caller number, E.164")
    create.add_argument("--scheduled-at", help="ISO 8601 time to place the call")
    create.add_argument(
        "--var", action="append", default=[], metavar="KEY=VALUE", help="a prompt variable"
    )
    wait = resources["calls"].choices["wait"]
    wait.add_argument("--max-wait", type=float, default=600.0, help="seconds to wait at most")
    search = resources["calls"].choices["search"]
    for flag, field in SEARCH_FILTERS.items():
        search.add_argument(f"--{flag}", dest=field, action="append", help=f"filter on {field}")
    search.add_argument("--limit", type=int, default=100, help="most calls to show")
    return parser


def _jsonable(value: Any) -> Any:
    if isinstance(value, RevoxModel):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 48 else text[:47] + "…"


TABLE_FIRST = ("id", "name", "status", "to_phone_number", "phone_number", "outcome", "label")
"""Columns shown first in tables when the objects have them; other plain fields fill up."""
TABLE_WIDTH = 6


def _table(rows: list[dict[str, Any]]) -> str:
    scalar = [k for k in rows[0] if not isinstance(rows[0][k], (dict, list))]
    columns = [k for k in TABLE_FIRST if k in scalar]
    columns += [k for k in scalar if k not in columns][: max(0, TABLE_WIDTH - len(columns))]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def render(result: Any, output: str) -> str:
    """The text printed for a command's result."""
    data = _jsonable(result)
    if output == "json" or not isinstance(data, (list, dict)):
        return json.dumps(data, indent=2, ensure_ascii=False)
    if isinstance(data, dict):
        width = max((len(k) for k in data), default=0)
        return "\n".join(f"{k.ljust(width)}  {_cell(v)}" for k, v in data.items())
    return _table(data) if data else "(none)"


@contextlib.asynccontextmanager
async def _embedded_fake() -> AsyncIterator[Any]:
    """A fake Revox with demo data whose clock runs fast, so calls progress while you watch."""
    from .testing import FakeRevox

    async with FakeRevox(seed_demo_data=True) as fake:

        async def tick() -> None:
            while True:
                await asyncio.sleep(0.02)
                fake.advance(FAKE_SECONDS_PER_TICK)

        ticker = asyncio.create_task(tick())
        try:
            yield fake
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker


async def _run(args: argparse.Namespace) -> Any:
    handler = COMMANDS[(args.resource, args.command)].handler
    if args.fake:
        async with _embedded_fake() as fake:
            return await handler(fake.client(timeout=args.timeout), args)
    async with AsyncRevox(args.api_key, base_url=args.base_url, timeout=args.timeout) as client:
        return await handler(client, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_keys_in(argv)).parse_args(argv)
    try:
        if args.resource == "fake-server":
            from .testing import run_server

            try:
                run_server(args.host, args.port, api_key=args.server_key, speed=args.speed)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            except OSError as exc:
                # aiohttp prefixes the reason with the address, which the line already names.
                reason = str(exc.strerror or exc).rpartition(": ")[2]
                print(f"error: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
                return 1
            return 0
        if args.resource == "demo":
            from ._demo import run_demo

            asyncio.run(run_demo())
            return 0
        result = asyncio.run(_run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (RevoxError, ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result is not None:
        output = args.output or ("table" if sys.stdout.isatty() else "json")
        try:
            print(render(result, output), flush=True)
        except BrokenPipeError:
            # The reader went away (``| head``): silence the interpreter's own flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return 0
