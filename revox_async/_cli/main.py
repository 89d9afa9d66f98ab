"""The entry point of ``revox-async``: its options, then a resource command, the fake or the demo.

Output is JSON by default and a table on a terminal (``--json``/``--table`` choose). Errors print
one line on stderr and exit non-zero; they never print a traceback or the API key. The commands
themselves live in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from .._api_key import ENV_VAR, check_api_key
from .._client import AsyncRevox
from .._errors import RevoxError
from .._version import __version__
from .commands import COMMANDS, ID_HELP, Command
from .errors import (
    UsageError,
    api_error_line,
    argument_error,
    client_option_error,
    one_line,
)
from .fake import embedded_fake
from .inputs import positive_seconds


def _keys_in(argv: Sequence[str]) -> list[str]:
    """The API keys given in ``argv`` (``--api-key KEY``, ``--api-key=KEY``) or the environment."""
    keys = [os.environ.get("REVOX_API_KEY", "")]
    keys += [value for option, value in itertools.pairwise(argv) if option == "--api-key"]
    keys += [arg.partition("=")[2] for arg in argv if arg.startswith("--api-key=")]
    return [key for key in keys if key]


def _add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """The options every resource command takes, before the command or after it."""

    def default(value: object) -> object:
        # After the command, an option left out must not undo the same option given before it.
        return argparse.SUPPRESS if after_command else value

    parser.add_argument(
        "--api-key", default=default(None), metavar="KEY", help=f"the API key (default: ${ENV_VAR})"
    )
    parser.add_argument(
        "--base-url",
        default=default(None),
        metavar="URL",
        help="the API root (default: $REVOX_BASE_URL, else the public API)",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=default(60.0),
        metavar="SECONDS",
        help="time budget of each request, retries included (60)",
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=default(False),
        help="allow a plain http:// --base-url to another machine (the key travels unencrypted)",
    )
    parser.add_argument(
        "--fake",
        action="store_true",
        default=default(False),
        help="run against an embedded fake Revox with demo data (no key, no network)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        default=default(None),
        help="print JSON (the default when the output is not a terminal)",
    )
    output.add_argument(
        "--table",
        dest="output",
        action="store_const",
        const="table",
        default=default(None),
        help="print tables and reports (the default on a terminal)",
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        default=default(False),
        help="in tables, show every field and cut nothing, however wide the terminal",
    )


def build_parser(secrets: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line's parser; its usage errors show each of ``secrets`` as ``***``."""

    class Parser(argparse.ArgumentParser):
        # argparse quotes the arguments it rejects, and "--api-key KEY" placed after the
        # command is one of them.
        def error(self, message: str) -> NoReturn:
            for secret in secrets:
                message = message.replace(secret, "***")
            # One line, as every other error: the usage text is what --help is for.
            self.exit(2, f"error: {one_line(message)} (see {self.prog} --help)\n")

    parser = Parser(prog="revox-async", description="Talk to the Revox API from the command line.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, after_command=False)
    commands = parser.add_subparsers(
        dest="resource", required=True, metavar="COMMAND", help="what to work on, or demo"
    )

    demo = commands.add_parser("demo", help="a guided tour against the embedded fake Revox")
    demo.add_argument(
        "--code",
        action="store_true",
        help="print the tour as one program to adapt, instead of running it",
    )
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
            _add_global_options(group, after_command=True)
            resources[resource] = group.add_subparsers(
                dest="command", required=True, metavar="COMMAND", help="what to do"
            )
        sub = resources[resource].add_parser(name, help=command.help, description=command.help)
        if command.takes_id:
            sub.add_argument("id", metavar="ID", help=ID_HELP[resource])
        if command.options is not None:
            command.options(sub)
        _add_global_options(sub, after_command=True)
    return parser


def _checked_key(given: str | None) -> str:
    """The key a command sends, checked here so that a malformed one is a usage error."""
    source, key = ("--api-key", given) if given is not None else (ENV_VAR, os.environ.get(ENV_VAR))
    if given is None and not key:
        raise UsageError(f"no API key: give --api-key KEY or set {ENV_VAR} (or try --fake)")
    try:
        return check_api_key(key, source)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None


async def _handled(command: Command, client: AsyncRevox, args: argparse.Namespace) -> Any:
    try:
        return await command.handler(client, args)
    except (TypeError, ValueError) as exc:
        # The SDK checks arguments before sending anything: what was typed is wrong.
        raise argument_error(exc, command.fields) from None


async def _run(args: argparse.Namespace) -> Any:
    command = COMMANDS[(args.resource, args.command)]
    if args.fake:
        async with embedded_fake() as fake:
            try:
                client = fake.client(timeout=args.timeout)
            except (TypeError, ValueError) as exc:
                raise client_option_error(exc) from None
            return await _handled(command, client, args)
    key = _checked_key(args.api_key)
    try:
        client = AsyncRevox(
            key,
            base_url=args.base_url,
            timeout=args.timeout,
            allow_insecure_http=args.allow_insecure_http,
        )
    except (TypeError, ValueError) as exc:
        raise client_option_error(exc) from None
    async with client:
        return await _handled(command, client, args)


def _print(text: str) -> int:
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # The reader went away (``| head``): silence the interpreter's own flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_keys_in(argv)).parse_args(argv)
    try:
        if args.resource == "fake-server":
            from ..testing import run_server

            try:
                if args.server_key is not None:
                    check_api_key(args.server_key, "--api-key")
                run_server(args.host, args.port, api_key=args.server_key, speed=args.speed)
            except (TypeError, ValueError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            except OSError as exc:
                # The text asyncio builds around the reason differs across Python versions
                # (3.13 adds "[errno 98]"); the errno says the same on all of them.
                if exc.errno:
                    reason = os.strerror(exc.errno).lower()
                else:
                    reason = str(exc.strerror or exc).rpartition(": ")[2]
                print(f"error: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
                return 1
            return 0
        if args.resource == "demo":
            from .demo import demo_program, run_demo

            if args.code:
                return _print(demo_program().rstrip("\n"))
            asyncio.run(run_demo())
            return 0
        result = asyncio.run(_run(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Python 3.10's asyncio.run lets the interrupt out wherever the loop was, and a coroutine
        # made but not yet started then dies unawaited; its warning would follow this line.
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        print("interrupted", file=sys.stderr)
        return 130
    except RevoxError as exc:
        print(f"error: {api_error_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        # Even a failure nobody foresaw is one line: a traceback is no message for a shell.
        print(f"error: {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        return 1
    output = args.output or ("table" if sys.stdout.isatty() else "json")
    text = COMMANDS[(args.resource, args.command)].printed(result, args, output)
    return 0 if text is None else _print(text)
