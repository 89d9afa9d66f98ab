"""The resource commands: what each one asks the SDK, its options, and how a person reads it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NamedTuple, TextIO

from .._client import AsyncRevox
from ..models.assistants import AssistantUpdateResult
from ..models.calls import Call, CallStatus
from ..models.campaigns import CampaignLaunchResult, CampaignRow
from ..models.common import CallOutcome
from ..resources._exactly_once import reconciled_calls
from ..resources.assistants import AssistantCreateParams, AssistantUpdateParams
from .errors import UsageError
from .inputs import (
    aware_datetime,
    contacts_file,
    name_value,
    positive_int,
    positive_seconds,
    settings_file,
    text_file,
)
from .output import Layout, render, statistics_text, table

Handler = Callable[[AsyncRevox, argparse.Namespace], Awaitable[Any]]
Options = Callable[[argparse.ArgumentParser], None]


class Command(NamedTuple):
    """One ``revox-async RESOURCE COMMAND``."""

    help: str
    handler: Handler
    takes_id: bool = False
    options: Options | None = None
    done: str | None = None
    """What a command with no result did, told on a terminal: ``"Deleted assistant {id}"``."""
    text: Callable[[Any, Layout], str] | None = None
    """The result as a person reads it, instead of the plain table."""
    fields: Mapping[str, str] = {}
    """The option that sets each SDK argument, to name it when the SDK refuses a value."""
    raw: bool = False
    """The result is text printed as it is, whatever the output format (a CSV file)."""

    def printed(self, result: Any, args: argparse.Namespace, output: str) -> str | None:
        """What to print for ``result`` in the ``output`` format (``json`` or ``table``)."""
        if result is None:
            return self.done.format(id=args.id) if self.done and output == "table" else None
        if self.raw:
            return str(result).removesuffix("\n")
        layout = Layout.for_terminal(wide=args.wide)
        if output == "table" and self.text is not None:
            return self.text(result, layout)
        return render(result, output, layout)


def _by_id(
    help_text: str,
    method: Callable[[AsyncRevox, str], Awaitable[Any]],
    *,
    done: str | None = None,
    text: Callable[[Any, Layout], str] | None = None,
) -> Command:
    async def handler(client: AsyncRevox, args: argparse.Namespace) -> Any:
        return await method(client, args.id)

    return Command(help_text, handler, takes_id=True, done=done, text=text)


def _plain(help_text: str, method: Callable[[AsyncRevox], Awaitable[Any]]) -> Command:
    async def handler(client: AsyncRevox, args: argparse.Namespace) -> Any:
        return await method(client)

    return Command(help_text, handler)


# --- assistants -----------------------------------------------------------------------------

ASSISTANT_FIELDS = ("name", "prompt", "first_sentence", "from_phone_number")
"""Assistant fields set by the option of the same name."""
ASSISTANT_OPTIONS = {
    "name": "--name",
    "prompt": "--prompt",
    "first_sentence": "--first-sentence",
    "from_phone_number": "--from",
    "voice": "--voice",
}
"""The option that sets each assistant field; other fields come from ``--settings``."""


def _assistant_options(parser: argparse.ArgumentParser, *, create: bool) -> None:
    parser.add_argument("--name", required=create, help="the assistant's name")
    prompt = parser.add_mutually_exclusive_group(required=create)
    prompt.add_argument(
        "--prompt", help="the instructions the assistant follows; {{NAME}} puts in a variable"
    )
    prompt.add_argument("--prompt-file", metavar="FILE", help="read the prompt from a text file")
    parser.add_argument("--first-sentence", help="what the assistant says first")
    parser.add_argument("--voice", metavar="VOICE_ID", help="a voice id from `voices list`")
    parser.add_argument(
        "--voice-provider",
        metavar="PROVIDER",
        help="the voice's provider (default: looked up in `voices list`)",
    )
    parser.add_argument(
        "--from", dest="from_phone_number", metavar="NUMBER", help="caller number, E.164"
    )
    parser.add_argument(
        "--settings",
        metavar="FILE",
        help="a JSON file of further settings, by the API's field names; options win over it",
    )


async def _voice_provider(client: AsyncRevox, voice_id: str) -> str:
    for voice in await client.voices.list():
        if voice.id == voice_id:
            return str(voice.provider)
    raise UsageError(
        f"no voice has the id {voice_id!r}; `revox-async voices list` shows them "
        "(or give --voice-provider)"
    )


def _settings(path: str, known: frozenset[str]) -> dict[str, Any]:
    settings = settings_file(path)
    unknown = sorted(set(settings) - known)
    if unknown:
        raise UsageError(
            f"{path}: unknown field {unknown[0]!r}; the fields are {', '.join(sorted(known))}"
        )
    return settings


async def _assistant_settings(
    client: AsyncRevox, args: argparse.Namespace, known: frozenset[str]
) -> dict[str, Any]:
    settings = _settings(args.settings, known) if args.settings else {}
    if args.prompt_file:
        settings["prompt"] = text_file(args.prompt_file)
    for field in ASSISTANT_FIELDS:
        if getattr(args, field) is not None:
            settings[field] = getattr(args, field)
    if args.voice_provider is not None and args.voice is None:
        raise UsageError("--voice-provider goes with --voice VOICE_ID")
    if args.voice is not None:
        provider = args.voice_provider or await _voice_provider(client, args.voice)
        settings["voice"] = {"id": args.voice, "provider": provider}
    return settings


async def _assistants_create(client: AsyncRevox, args: argparse.Namespace) -> Any:
    known = AssistantCreateParams.__required_keys__ | AssistantCreateParams.__optional_keys__
    return await client.assistants.create(**await _assistant_settings(client, args, known))


async def _assistants_update(client: AsyncRevox, args: argparse.Namespace) -> Any:
    known = AssistantUpdateParams.__required_keys__ | AssistantUpdateParams.__optional_keys__
    settings = await _assistant_settings(client, args, known)
    if not settings:
        raise UsageError(
            "nothing to change: give --name, --prompt, --prompt-file, --first-sentence, "
            "--voice, --from or --settings"
        )
    return await client.assistants.update(args.id, **settings)


def _update_text(result: AssistantUpdateResult, layout: Layout) -> str:
    text = render(result.assistant, "table", layout)
    notice = result.unpatched_calls_notice
    if notice is not None:
        text += (
            f"\nnote: {notice.count} scheduled call(s) kept their old settings: their prompt "
            f"variables ({', '.join(notice.variables)}) no longer match"
        )
    return text


# --- calls ----------------------------------------------------------------------------------

SEARCH_FILTERS = {
    "status": "statuses",
    "assistant": "assistant_ids",
    "campaign": "campaign_ids",
    "outcome": "outcomes",
}
"""``calls search`` options and the filter each one sets."""
SEARCH_CHOICES = {
    "status": [str(status) for status in CallStatus],
    "outcome": [str(outcome) for outcome in CallOutcome],
}
"""The values the API knows for the filters that take a fixed set."""


WAIT_POLL = (0.5, 2.0)
"""``calls wait`` polls at least every 2 s, so that a few seconds of post-processing show."""
REDRAW_SECONDS = 0.5


class WaitProgress:
    """What ``calls wait`` shows on stderr, so that stdout stays clean for pipes.

    On a terminal: a line per status, the current one redrawn with the time elapsed. Elsewhere:
    only the status it ended in.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._started = time.monotonic()
        self._call: Call | None = None

    def _line(self, call: Call) -> str:
        seconds = int(time.monotonic() - self._started)
        return f"call {call.id}: {call.status} ({seconds // 60}:{seconds % 60:02d})"

    def redraw(self) -> None:
        if self._live and self._call is not None:
            self._stream.write(f"\r\x1b[K{self._line(self._call)}")
            self._stream.flush()

    def changed(self, call: Call) -> None:
        if self._live and self._call is not None:
            self._stream.write("\n")  # the status that ended keeps its line and time
        self._call = call
        self.redraw()

    async def ticking(self) -> None:
        """Redraw the current status as time passes, until cancelled."""
        while self._live:
            await asyncio.sleep(REDRAW_SECONDS)
            self.redraw()

    def finish(self) -> None:
        if self._call is None:
            return
        if self._live:
            self.redraw()
            self._stream.write("\n")
        elif self._call.is_finished:
            self._stream.write(f"call {self._call.id}: {self._call.status}\n")
        self._stream.flush()


def _calls_create_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, help="number to call, E.164 (+33612345678)")
    parser.add_argument("--assistant", required=True, help="id of the assistant that calls")
    parser.add_argument("--from", dest="from_number", metavar="NUMBER", help="caller, E.164")
    parser.add_argument(
        "--scheduled-at",
        type=aware_datetime,
        metavar="TIME",
        help="when to call: ISO 8601 with a timezone (2025-03-14T09:30:00+01:00)",
    )
    parser.add_argument(
        "--var",
        type=name_value,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a prompt variable; repeat for each one",
    )


async def _calls_create(client: AsyncRevox, args: argparse.Namespace) -> Any:
    params: dict[str, Any] = {"phone_number": args.to, "assistant_id": args.assistant}
    if args.from_number:
        params["from_phone_number"] = args.from_number
    if args.var:
        params["prompt_variables"] = dict(args.var)
    if args.scheduled_at:
        params["scheduled_at"] = args.scheduled_at
    with reconciled_calls() as found:
        call = await client.calls.create(**params)
    if found:
        print(
            f"the request failed without telling whether the call was placed; call {call.id} "
            "was found by its reference and not placed again",
            file=sys.stderr,
        )
    return call


def _calls_wait_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-wait",
        type=positive_seconds,
        default=600.0,
        metavar="SECONDS",
        help="seconds to wait at most (600)",
    )


async def _calls_wait(client: AsyncRevox, args: argparse.Namespace) -> Any:
    progress = WaitProgress(sys.stderr)
    ticker = asyncio.create_task(progress.ticking())
    try:
        return await client.calls.wait(
            args.id,
            timeout=args.max_wait,
            poll_interval=WAIT_POLL[0],
            max_poll_interval=WAIT_POLL[1],
            on_progress=progress.changed,
        )
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
        progress.finish()


def _calls_search_options(parser: argparse.ArgumentParser) -> None:
    for flag, field in SEARCH_FILTERS.items():
        choices = SEARCH_CHOICES.get(flag)
        parser.add_argument(
            f"--{flag}",
            dest=field,
            action="append",
            choices=choices,
            metavar=flag.upper(),
            help=f"only calls with this {flag}; repeat for several"
            + (f" ({', '.join(choices)})" if choices else ""),
        )
    parser.add_argument(
        "--limit", type=positive_int, default=100, metavar="N", help="most calls to show (100)"
    )


async def _calls_search(client: AsyncRevox, args: argparse.Namespace) -> Any:
    filters = {
        field: getattr(args, field) for field in SEARCH_FILTERS.values() if getattr(args, field)
    }
    calls = []
    async for call in client.calls.search(**filters):
        calls.append(call)
        if len(calls) >= args.limit:
            break
    return calls


# --- campaigns ------------------------------------------------------------------------------


def _campaigns_create_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assistant", required=True, help="id of the assistant that calls")
    parser.add_argument("--name", required=True, help="the campaign's name")
    parser.add_argument(
        "--contacts",
        required=True,
        metavar="CSV_FILE",
        help="a CSV file whose header names a phone_number column (E.164); "
        "every other column is a prompt variable",
    )
    parser.add_argument("--from", dest="from_number", metavar="NUMBER", help="caller, E.164")
    parser.add_argument(
        "--max-concurrent", type=positive_int, metavar="N", help="most calls at once"
    )


async def _campaigns_create(client: AsyncRevox, args: argparse.Namespace) -> Any:
    params: dict[str, Any] = {
        "assistant_id": args.assistant,
        "name": args.name,
        "contacts": contacts_file(args.contacts),
    }
    if args.from_number:
        params["from_phone_number"] = args.from_number
    if args.max_concurrent:
        params["max_concurrent_calls"] = args.max_concurrent
    return await client.campaigns.create(**params)


def _campaigns_launch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scheduled-at",
        type=aware_datetime,
        metavar="TIME",
        help="when to start: ISO 8601 with a timezone (default: now)",
    )


async def _campaigns_launch(client: AsyncRevox, args: argparse.Namespace) -> Any:
    params: dict[str, Any] = {}
    if args.scheduled_at:
        params["scheduled_at"] = args.scheduled_at
    return await client.campaigns.launch(args.id, **params)


def _launch_text(result: CampaignLaunchResult, layout: Layout) -> str:
    skipped = result.skipped
    text = f"Launched {result.launched} call(s)"
    reasons = {
        "already active": skipped.active,
        "out of attempts": skipped.attempts_exhausted,
        "cancelled": skipped.cancelled,
    }
    left = ", ".join(f"{count} {reason}" for reason, count in reasons.items() if count)
    return f"{text}; skipped {left}" if left else text


def _campaigns_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        dest="output_file",
        metavar="PATH",
        help="write the CSV to this file, or into this directory under the server's file name "
        "(default: print it)",
    )


async def _campaigns_export(client: AsyncRevox, args: argparse.Namespace) -> str | None:
    export = await client.campaigns.export_rows(args.id)
    if args.output_file is None:
        return export.csv
    try:
        export.save(args.output_file)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output_file}: {exc.strerror}") from None
    return None


def _rows_table(rows: list[CampaignRow], layout: Layout) -> str:
    return table(
        [
            {
                "row": row.row_index,
                "phone_number": row.phone_number,
                "status": str(row.call.status) if row.call else None,
                "outcome": str(row.call.outcome) if row.call and row.call.outcome else None,
                "call_id": row.call.id if row.call else None,
                **row.input_data,
            }
            for row in rows
        ],
        layout,
        first=("row", "phone_number", "status", "outcome", "call_id"),
    )


COMMANDS: dict[tuple[str, str], Command] = {
    ("assistants", "list"): _plain("list assistants", lambda c: c.assistants.list()),
    ("assistants", "get"): _by_id("show one assistant", lambda c, i: c.assistants.retrieve(i)),
    ("assistants", "create"): Command(
        "create an assistant",
        _assistants_create,
        options=lambda p: _assistant_options(p, create=True),
        fields=ASSISTANT_OPTIONS,
    ),
    ("assistants", "update"): Command(
        "change some settings of an assistant",
        _assistants_update,
        takes_id=True,
        options=lambda p: _assistant_options(p, create=False),
        text=_update_text,
        fields=ASSISTANT_OPTIONS,
    ),
    ("assistants", "clone"): _by_id("copy an assistant", lambda c, i: c.assistants.clone(i)),
    ("assistants", "delete"): _by_id(
        "delete an assistant",
        lambda c, i: c.assistants.delete(i),
        done="Deleted assistant {id}",
    ),
    ("calls", "create"): Command(
        "place a call",
        _calls_create,
        options=_calls_create_options,
        fields={
            "phone_number": "--to",
            "assistant_id": "--assistant",
            "from_phone_number": "--from",
            "prompt_variables": "--var",
            "scheduled_at": "--scheduled-at",
        },
    ),
    ("calls", "get"): _by_id("show one call", lambda c, i: c.calls.retrieve(i)),
    ("calls", "wait"): Command(
        "wait for a call to end; on a terminal, its status and time elapsed show on stderr",
        _calls_wait,
        takes_id=True,
        options=_calls_wait_options,
    ),
    ("calls", "search"): Command("search calls", _calls_search, options=_calls_search_options),
    ("calls", "cancel"): _by_id(
        "cancel a call", lambda c, i: c.calls.cancel(i), done="Cancelled call {id}"
    ),
    ("calls", "pause"): _by_id(
        "pause a call", lambda c, i: c.calls.pause(i), done="Paused call {id}"
    ),
    ("calls", "resume"): _by_id(
        "resume a paused call", lambda c, i: c.calls.resume(i), done="Resumed call {id}"
    ),
    ("campaigns", "list"): _plain("list campaigns", lambda c: c.campaigns.list()),
    ("campaigns", "get"): _by_id("show one campaign", lambda c, i: c.campaigns.retrieve(i)),
    ("campaigns", "create"): Command(
        "create a campaign from a CSV file of contacts (nothing is dialed until launch)",
        _campaigns_create,
        options=_campaigns_create_options,
        fields={
            "assistant_id": "--assistant",
            "name": "--name",
            "contacts": "--contacts",
            "from_phone_number": "--from",
            "max_concurrent_calls": "--max-concurrent",
        },
    ),
    ("campaigns", "launch"): Command(
        "start calling a campaign's contacts",
        _campaigns_launch,
        takes_id=True,
        options=_campaigns_launch_options,
        text=_launch_text,
        fields={"scheduled_at": "--scheduled-at"},
    ),
    ("campaigns", "pause"): _by_id(
        "hold a campaign's pending calls",
        lambda c, i: c.campaigns.pause(i),
        done="Paused campaign {id}",
    ),
    ("campaigns", "resume"): _by_id(
        "let a paused campaign call again",
        lambda c, i: c.campaigns.resume(i),
        done="Resumed campaign {id}",
    ),
    ("campaigns", "cancel"): _by_id(
        "stop a campaign for good, keeping its rows",
        lambda c, i: c.campaigns.cancel(i),
        done="Cancelled campaign {id}",
    ),
    ("campaigns", "delete"): _by_id(
        "delete a campaign and its rows",
        lambda c, i: c.campaigns.delete(i),
        done="Deleted campaign {id}",
    ),
    ("campaigns", "stats"): _by_id(
        "a campaign's statistics",
        lambda c, i: c.campaigns.statistics(i),
        text=lambda stats, _: statistics_text(stats),
    ),
    ("campaigns", "rows"): _by_id(
        "a campaign's rows, with each one's call status and outcome",
        lambda c, i: c.campaigns.get_rows(i),
        text=_rows_table,
    ),
    ("campaigns", "export"): Command(
        "a campaign's rows and their calls as CSV",
        _campaigns_export,
        takes_id=True,
        options=_campaigns_export_options,
        done="Saved the CSV export of campaign {id}",
        raw=True,
    ),
    ("phone-numbers", "list"): _plain("list phone numbers", lambda c: c.phone_numbers.list()),
    ("voices", "list"): _plain("list voices", lambda c: c.voices.list()),
    ("users", "me"): _plain("the user the key belongs to", lambda c: c.users.retrieve()),
    ("auth-status", "get"): _plain("whether the key works", lambda c: c.auth_status.retrieve()),
}
"""Every resource command, by (resource, command) as typed on the command line."""

ID_HELP = {
    "assistants": "the assistant's id (see `assistants list`)",
    "calls": "the call's id (see `calls search`)",
    "campaigns": "the campaign's id (see `campaigns list`)",
}
"""Help of the ID argument, by resource."""
