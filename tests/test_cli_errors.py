"""Every command, given something wrong, through the real entry point: one line, the right status.

Each command of the walk runs in a process of its own, side by side with the others, and each
test reads its own result. The processes are forked from one interpreter that imported the
package once, and run its ``__main__`` as ``python -m revox_async`` does: starting an interpreter
and importing the package per command would cost far more than any of the commands.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from revox_async import AsyncRevox
from revox_async._cli.commands import COMMANDS
from revox_async._cli.main import main

from ._helpers import ASSISTANT_ID, html_site

ENTRY = [sys.executable, "-m", "revox_async"]
NOT_AN_ID = "00000000-0000-4000-8000-000000000000"

BAD_INPUT: dict[tuple[str, str], tuple[list[str], int, str]] = {
    ("assistants", "list"): ([], 2, "error: no API key: give --api-key KEY or set REVOX_API_KEY"),
    ("assistants", "get"): (["--fake", NOT_AN_ID], 1, "error: 404 assistant not found"),
    ("assistants", "create"): (
        ["--fake", "--name", "A", "--prompt", "p", "--from", "0612"],
        2,
        "error: --from must be an E.164 phone number",
    ),
    ("assistants", "update"): (
        ["--fake", ASSISTANT_ID],
        2,
        "error: nothing to change: give --name",
    ),
    ("assistants", "clone"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("assistants", "delete"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("calls", "create"): (
        ["--fake", "--to", "0612345678", "--assistant", ASSISTANT_ID],
        2,
        "error: --to must be an E.164 phone number",
    ),
    ("calls", "get"): (["--fake", NOT_AN_ID], 1, "error: 404 call not found"),
    ("calls", "wait"): (
        ["--fake", NOT_AN_ID, "--max-wait", "0"],
        2,
        "error: argument --max-wait: must be more than 0 seconds",
    ),
    ("calls", "search"): (
        ["--fake", "--status", "done"],
        2,
        "error: argument --status: invalid choice: 'done'",
    ),
    ("calls", "cancel"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("calls", "pause"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("calls", "resume"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "list"): (
        ["--fake", "--timeout", "inf"],
        2,
        "error: argument --timeout: expected a finite number of seconds, got inf",
    ),
    ("campaigns", "get"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "create"): (
        ["--fake", "--assistant", ASSISTANT_ID, "--name", "N", "--contacts", "/nonexistent.csv"],
        2,
        "error: cannot read /nonexistent.csv",
    ),
    ("campaigns", "launch"): (
        ["--fake", NOT_AN_ID, "--scheduled-at", "2025-03-14T09:30:00"],
        2,
        "error: argument --scheduled-at: '2025-03-14T09:30:00' has no timezone",
    ),
    ("campaigns", "pause"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "resume"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "cancel"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "delete"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "stats"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "rows"): (["--fake", NOT_AN_ID], 1, "error: 404"),
    ("campaigns", "export"): (
        ["--fake", "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71", "-o", "/nonexistent/dir/rows.csv"],
        2,
        "error: cannot write /nonexistent/dir/rows.csv: No such file or directory",
    ),
    ("phone-numbers", "list"): (
        ["--base-url", "ftp://example.com", "--api-key", "k"],
        2,
        "error: --base-url must be an http(s) URL with a host",
    ),
    ("voices", "list"): (
        ["--base-url", "http://example.com", "--api-key", "k"],
        2,
        "error: --base-url uses plain http:// to a non-loopback host",
    ),
    ("users", "me"): (["--api-key", "two words"], 2, "error: --api-key contains a space"),
    ("auth-status", "get"): (["--timeout", "nan"], 2, "error: argument --timeout:"),
}
"""For each command: arguments after it, the exit status they must give, the message's start."""


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("REVOX_API_KEY", "REVOX_BASE_URL")}


FORKED_ENTRY = """
import json, os, runpy, sys

# What the commands import, once: the command line, and the fake that --fake serves.
import revox_async._cli.main
import revox_async.testing

commands, folder = json.loads(sys.argv[1]), sys.argv[2]
children = []
for index, argv in enumerate(commands):
    pid = os.fork()
    if pid == 0:
        for fd, stream in ((1, "out"), (2, "err")):
            os.dup2(os.open(f"{folder}/{index}.{stream}", os.O_WRONLY | os.O_CREAT), fd)
        sys.argv = [sys.argv[0], *argv]
        runpy.run_module("revox_async", run_name="__main__", alter_sys=True)
        # __main__ ends by raising SystemExit: a child that gets here must not fork on.
        os._exit(70)
    children.append(pid)
print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]))
"""
"""Runs each command line of ``argv[1]`` (a JSON list) in a child process, its stdout and stderr
in files of the folder ``argv[2]``; prints the exit statuses, in order, as a JSON list."""


@pytest.fixture(scope="module")
def walk(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("walk")
    commands = [[*command, *argv] for command, (argv, _, _) in BAD_INPUT.items()]
    launcher = subprocess.run(
        [sys.executable, "-c", FORKED_ENTRY, json.dumps(commands), str(folder)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert launcher.returncode == 0, launcher.stderr
    statuses = json.loads(launcher.stdout)
    return {
        command: subprocess.CompletedProcess(
            [*ENTRY, *argv],
            status,
            (folder / f"{index}.out").read_text(),
            (folder / f"{index}.err").read_text(),
        )
        for index, (command, argv, status) in enumerate(
            zip(BAD_INPUT, commands, statuses, strict=True)
        )
    }


def test_the_walk_covers_every_command() -> None:
    assert set(BAD_INPUT) == set(COMMANDS)


@pytest.mark.parametrize("command", list(BAD_INPUT), ids=" ".join)
def test_bad_input_is_one_line_and_the_right_status(
    walk: dict[tuple[str, str], subprocess.CompletedProcess[str]], command: tuple[str, str]
) -> None:
    _, status, start = BAD_INPUT[command]
    done = walk[command]
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(start), done.stderr
    assert done.returncode == status, done.stderr


# -- a server that is not the API ------------------------------------------------------------

PAGE = (
    "<!DOCTYPE HTML>\n<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
    + ("<p>The requested URL was not found on this server.</p>\n" * 10)
    + "</body></html>\n"
)


@pytest.fixture(scope="module")
def website() -> Iterator[str]:
    with html_site(PAGE.encode(), {"/ok": 200, "/gateway": 502}) as url:
        yield url


HINT = "; is --base-url the API root? It usually ends in /api"


@pytest.mark.parametrize(
    ("path", "status", "hint"),
    [("", 404, HINT), ("/ok", 200, HINT), ("/gateway", 502, "")],
    ids=["error status", "success status", "failing gateway"],
)
def test_a_web_page_is_summarised_in_one_line(
    website: str, path: str, status: int, hint: str
) -> None:
    done = subprocess.run(
        [*ENTRY, "assistants", "list", "--base-url", website + path, "--api-key", "k"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_clean_env(),
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {status} from GET {website}{path}/assistants: text/html, not JSON: "
        f'"404 Not Found The requested URL was not found on this server.…"{hint}'
    ]


def test_insecure_http_is_allowed_by_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    built: list[dict[str, object]] = []

    def refuse(*args: object, **options: object) -> AsyncRevox:
        built.append(options)
        raise ValueError("timeout stops here")

    with mock.patch("revox_async._cli.main.AsyncRevox", refuse):
        code = main(
            [
                "--allow-insecure-http",
                "--base-url",
                "http://a.test",
                "--api-key",
                "k",
                "voices",
                "list",
            ]
        )
    assert built[0]["allow_insecure_http"] is True
    assert code == 2
    assert capsys.readouterr().err == "error: --timeout stops here\n"


def test_an_unknown_settings_field_names_it_and_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "assistant.json"
    settings.write_text('{"colour": "blue", "llm_model": "x"}')
    with contextlib.suppress(SystemExit):
        code = main(
            [
                "--fake",
                "assistants",
                "create",
                "--name",
                "A",
                "--prompt",
                "p",
                "--settings",
                str(settings),
            ]
        )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"error: {settings}: unknown field 'colour'; the fields are ")
    assert "first_sentence" in err
    assert "llm_model" in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('{"background_sound_volume": 7}', "error: field background_sound_volume must be between"),
        (
            '{"voice": {"id": "", "provider": "cartesia"}}',
            "error: field voice.id must not be empty",
        ),
    ],
)
def test_a_bad_value_in_settings_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, message: str
) -> None:
    path = tmp_path / "assistant.json"
    path.write_text(settings)
    argv = [
        "--fake",
        "assistants",
        "create",
        "--name",
        "A",
        "--prompt",
        "p",
        "--settings",
        str(path),
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert "assistants.create" not in err
