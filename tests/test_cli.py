"""The command line as a user meets it: ``main([...])`` against ``--fake``, output captured.

Where behaviour depends on a terminal, ``sys.stdout.isatty`` is made to say so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from revox_async import __version__
from revox_async._cli.main import build_parser, main
from revox_async.testing import FakeRevoxThread

from ._helpers import ASSISTANT_ID

SEED_ASSISTANT = ASSISTANT_ID
SEED_COMPLETED_CALL = "3e9a7c1d-5b2f-4d84-a6e0-8f1b2c9d7e53"
SEED_SCHEDULED_CALL = "71c4e8b2-0d9f-4a36-b5e1-2c7a9f3d8b06"
SEED_CAMPAIGN = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"
SEED_VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
SECRET = "sk-live-Zq8xSECRET"


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVOX_API_KEY", raising=False)
    monkeypatch.delenv("REVOX_BASE_URL", raising=False)


def _run(
    capsys: pytest.CaptureFixture[str], *argv: str, terminal: bool = False
) -> tuple[int, str, str]:
    """Run the command line; ``terminal`` makes standard output a terminal, as for a person."""
    with contextlib.ExitStack() as stack:
        if terminal:
            stack.enter_context(mock.patch.object(sys.stdout, "isatty", return_value=True))
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The last stderr line of a command line that must be refused with status 2."""
    code, out, err = _run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    return re.sub(r" \(see revox-async [a-z -]*--help\)$", "", err.strip().splitlines()[-1])


# -- output ----------------------------------------------------------------------------------


def test_json_output_by_default_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--fake", "assistants", "list")
    assert code == 0, err
    assistants = json.loads(out)
    assert SEED_ASSISTANT in [a["id"] for a in assistants]


def test_tables_by_default_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "assistants", "list", terminal=True)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[0] == "id"
    assert any(row.startswith(SEED_ASSISTANT) for row in rows)


def test_single_object_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "assistants", "get", SEED_ASSISTANT)
    assert code == 0
    assert out.splitlines()[0].split() == ["id", SEED_ASSISTANT]


def test_tables_lead_with_the_useful_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "calls", "search", "--limit", "3")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["id", "status", "to_phone_number"]


def test_scalars_and_empty_lists_in_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--fake", "--table", "auth-status", "get")[1] == "true\n"
    code, out, _ = _run(capsys, "--fake", "--table", "calls", "search", "--campaign", "none")
    assert (code, out) == (0, "(none)\n")


def test_campaign_stats_read_as_a_report_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(capsys, "--fake", "campaigns", "stats", SEED_CAMPAIGN, terminal=True)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Campaign 'Spring 2025 quote follow-ups' (running)"
    assert "  called         2 of 3 contacts" in lines
    assert "  reached        1 (50% of called)" in lines
    assert "Outcomes:" in lines
    assert "  Jordan Reyes  +14155550187" in lines
    assert "{" not in out and "…" not in out


def test_campaign_stats_stay_json_in_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "campaigns", "stats", SEED_CAMPAIGN)
    assert code == 0
    assert json.loads(out)["campaign"]["id"] == SEED_CAMPAIGN


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--version")
    assert (code, out) == (0, f"revox-async {__version__}\n")


# -- options after the command ---------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--fake", "assistants", "list", "--table"],
        ["assistants", "list", "--fake", "--table"],
        ["assistants", "--fake", "list", "--table"],
        ["--json", "--fake", "assistants", "list", "--table"],
    ],
)
def test_global_options_are_accepted_after_the_command(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert out.splitlines()[0].split()[0] == "id"


def test_options_before_the_command_are_kept_when_absent_after_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "assistants", "list")
    assert code == 0
    assert out.splitlines()[0].split()[0] == "id"


def test_key_and_url_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        code, out, err = _run(
            capsys, "users", "me", "--base-url", fake.url, "--api-key", fake.api_key
        )
    assert code == 0, err
    assert "email" in json.loads(out)


# -- help ------------------------------------------------------------------------------------


def _parsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _parsers(child)
    return found


def test_every_option_and_positional_has_help() -> None:
    missing = [
        f"{prog} {action.dest}"
        for prog, parser in _parsers(build_parser())
        for action in parser._actions
        if not action.help
    ]
    assert missing == []


def test_help_of_a_command_shows_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "campaigns", "create", "--help")
    assert code == 0
    assert "--contacts CSV_FILE" in out
    assert "phone_number" in out
    assert "--table" in out


# -- confirmations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["assistants", "delete", SEED_ASSISTANT], f"Deleted assistant {SEED_ASSISTANT}"),
        (["calls", "cancel", SEED_SCHEDULED_CALL], f"Cancelled call {SEED_SCHEDULED_CALL}"),
        (["campaigns", "pause", SEED_CAMPAIGN], f"Paused campaign {SEED_CAMPAIGN}"),
    ],
)
def test_actions_say_what_they_did_on_a_terminal(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    code, out, err = _run(capsys, "--fake", *argv, terminal=True)
    assert code == 0, err
    assert out == said + "\n"


def test_actions_print_nothing_in_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--fake", "assistants", "delete", SEED_ASSISTANT) == (0, "", "")


# -- checks on what is typed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "argument --limit: must be at least 1, got 0"),
        ("-5", "argument --limit: must be at least 1, got -5"),
        ("ten", "argument --limit: expected a whole number, got 'ten'"),
    ],
)
def test_limit_must_be_positive(
    capsys: pytest.CaptureFixture[str], limit: str, message: str
) -> None:
    assert _usage_error(capsys, "--fake", "calls", "search", "--limit", limit).endswith(message)


def test_search_with_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--fake", "calls", "search", "--status", "completed", "--limit", "2"
    )
    assert code == 0
    calls = json.loads(out)
    assert 0 < len(calls) <= 2
    assert {c["status"] for c in calls} == {"completed"}


def _create_call(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    base = ["--fake", "calls", "create", "--to", "+33612345678", "--assistant", SEED_ASSISTANT]
    return _run(capsys, *base, *extra)


def test_place_a_call_with_variables_and_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _create_call(
        capsys,
        "--var",
        "first_name=Ana",
        "--var",
        "note=a=b",
        "--scheduled-at",
        "2030-03-14T09:30:00Z",
    )
    assert code == 0, err
    call = json.loads(out)
    assert call["to_phone_number"] == "+33612345678"
    assert call["prompt_variables"] == {"first_name": "Ana", "note": "a=b"}
    assert call["scheduled_at"].startswith("2030-03-14T09:30:00")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--var", "first_name"],
            "argument --var: expected NAME=VALUE, such as first_name=Marie; got 'first_name'",
        ),
        (["--var", "=Ana"], "argument --var: expected NAME=VALUE"),
        (
            ["--scheduled-at", "tomorrow"],
            "argument --scheduled-at: 'tomorrow' is not an ISO 8601 time; write it like "
            "2025-03-14T09:30:00+01:00 or 2025-03-14T08:30:00Z",
        ),
        (
            ["--scheduled-at", "2030-03-14T09:30"],
            "argument --scheduled-at: '2030-03-14T09:30' has no timezone; add one, like",
        ),
        # Read by datetime.fromisoformat from Python 3.11 on only: refused on every Python.
        (
            ["--scheduled-at", "20300314T093000Z"],
            "argument --scheduled-at: '20300314T093000Z' is not an ISO 8601 time",
        ),
    ],
)
def test_call_options_are_checked_before_sending(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _create_call(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err.strip().splitlines()[-1]
    assert "dictionary update sequence" not in err


def test_wait_shows_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "--fake", "calls", "wait", SEED_COMPLETED_CALL, "--max-wait", "30"
    )
    assert code == 0, err
    assert json.loads(out)["status"] == "completed"
    assert err.splitlines() == [f"call {SEED_COMPLETED_CALL}: completed"]


def test_max_wait_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    last = _usage_error(capsys, "--fake", "calls", "wait", SEED_COMPLETED_CALL, "--max-wait", "0")
    assert last.endswith("argument --max-wait: must be more than 0 seconds, got 0")


# -- assistants create / update --------------------------------------------------------------


def test_create_an_assistant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("You answer questions about opening hours.\n", encoding="utf-8")
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"max_call_duration_secs": 300, "name": "ignored"}))
    code, out, err = _run(
        capsys,
        "--fake",
        "assistants",
        "create",
        "--name",
        "Front desk",
        "--prompt-file",
        str(prompt),
        "--first-sentence",
        "Hello, Smile Clinic.",
        "--voice",
        SEED_VOICE,
        "--settings",
        str(settings),
    )
    assert code == 0, err
    assistant = json.loads(out)
    assert assistant["name"] == "Front desk"
    assert assistant["prompt"] == "You answer questions about opening hours.\n"
    assert assistant["first_sentence"] == "Hello, Smile Clinic."
    assert assistant["voice"]["id"] == SEED_VOICE
    assert assistant["voice"]["provider"] == "cartesia"
    assert assistant["max_call_duration_secs"] == 300


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--prompt", "p"], "the following arguments are required: --name"),
        (["--name", "n"], "one of the arguments --prompt --prompt-file is required"),
        (["--name", "n", "--prompt-file", "missing.txt"], "cannot read missing.txt"),
        (
            ["--name", "n", "--prompt", "p", "--voice", "nope"],
            "error: no voice has the id 'nope'; `revox-async voices list` shows them",
        ),
        (
            ["--name", "n", "--prompt", "p", "--voice-provider", "cartesia"],
            "error: --voice-provider goes with --voice VOICE_ID",
        ),
    ],
)
def test_create_an_assistant_refuses_incomplete_options(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert message in _usage_error(capsys, "--fake", "assistants", "create", *argv)


def test_a_settings_file_must_be_a_json_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text("[1, 2")
    last = _usage_error(
        capsys, "--fake", "assistants", "create", "--name", "n", "--prompt", "p",
        "--settings", str(settings),
    )  # fmt: skip
    assert f"{settings} is not JSON: Expecting ',' delimiter at line 1, column 6" in last
    settings.write_text("[1, 2]")
    last = _usage_error(
        capsys, "--fake", "assistants", "create", "--name", "n", "--prompt", "p",
        "--settings", str(settings),
    )  # fmt: skip
    assert last.endswith("must hold a JSON object of settings by field name")


def test_update_an_assistant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "--fake", "assistants", "update", SEED_ASSISTANT, "--name", "Renamed"
    )
    assert code == 0, err
    assert json.loads(out)["assistant"]["name"] == "Renamed"


def test_an_updated_assistant_reads_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--fake", "assistants", "update", SEED_ASSISTANT, "--name", "R", terminal=True
    )
    assert code == 0
    assert out.splitlines()[0].split() == ["id", SEED_ASSISTANT]
    assert out.splitlines()[1].split() == ["name", "R"]


def test_an_update_needs_something_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    last = _usage_error(capsys, "--fake", "assistants", "update", SEED_ASSISTANT)
    assert last.startswith("error: nothing to change: give --name, --prompt")


# -- campaigns create / launch ---------------------------------------------------------------


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _create_campaign(
    capsys: pytest.CaptureFixture[str], contacts: str, *server: str
) -> tuple[int, str, str]:
    return _run(
        capsys,
        *(server or ["--fake"]),
        "campaigns",
        "create",
        "--assistant",
        SEED_ASSISTANT,
        "--name",
        "Spring check-ups",
        "--contacts",
        contacts,
        "--max-concurrent",
        "2",
    )


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_create_a_campaign_from_a_csv_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, separator: str
) -> None:
    lines = ["phone_number,first_name,city", "+33611111111,Camille,Lyon", "", "+33622222222,Louis,"]
    contacts = _csv(tmp_path, "\n".join(line.replace(",", separator) for line in lines) + "\n")
    with FakeRevoxThread(seed_demo_data=True) as fake:
        server = ["--base-url", fake.url, "--api-key", fake.api_key]
        code, out, err = _create_campaign(capsys, contacts, *server)
        assert code == 0, err
        campaign = json.loads(out)
        code, out, err = _run(capsys, *server, "campaigns", "rows", campaign["id"])
    assert campaign["name"] == "Spring check-ups"
    assert campaign["max_concurrent_calls"] == 2
    rows = json.loads(out)
    assert [(row["phone_number"], row["input_data"]) for row in rows] == [
        ("+33611111111", {"phone_number": "+33611111111", "first_name": "Camille", "city": "Lyon"}),
        ("+33622222222", {"phone_number": "+33622222222", "first_name": "Louis", "city": ""}),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "contacts.csv is empty; its first line must name the columns"),
        ("phone,name\n+33611111111,A\n", "contacts.csv has no phone_number column (its columns"),
        ("phone_number,name\n", "contacts.csv has no contacts below its header"),
        (
            "phone_number,name\n+33611111111,A\n0612345678,B\n",
            "contacts.csv line 3: phone_number '0612345678' is not an E.164 number",
        ),
        (
            "phone_number,name\n+33611111111,A,extra\n",
            "contacts.csv line 2 has 3 cells; the header has 2 columns",
        ),
        ("phone_number,name,name\n+33611111111,A,B\n", "has the column 'name' twice"),
    ],
)
def test_a_bad_contacts_file_is_refused_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    code, out, err = _create_campaign(capsys, _csv(tmp_path, text))
    assert (code, out) == (2, "")
    assert message in err.strip().splitlines()[-1]


def test_a_missing_contacts_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _create_campaign(capsys, str(tmp_path / "nope.csv"))
    assert code == 2
    assert "cannot read" in err and "No such file" in err


def test_launch_a_campaign(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--fake", "campaigns", "launch", SEED_CAMPAIGN)
    assert code == 0, err
    # Only the seed's call never launched: the ended and the scheduled ones are left alone.
    assert json.loads(out)["launched"] == 1


def test_a_launch_reads_as_a_sentence_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--fake",
        "campaigns",
        "launch",
        SEED_CAMPAIGN,
        "--scheduled-at",
        "2030-01-01T09:00:00Z",
        terminal=True,
    )
    assert (code, out) == (0, "Launched 1 call(s)\n")


def test_launch_checks_its_time(capsys: pytest.CaptureFixture[str]) -> None:
    last = _usage_error(
        capsys, "--fake", "campaigns", "launch", SEED_CAMPAIGN, "--scheduled-at", "noon"
    )
    assert "argument --scheduled-at: 'noon' is not an ISO 8601 time" in last


# -- errors and keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--fake", "assistants", "get", "nope"], 1, "error: 404"),
        (
            ["--fake", "calls", "create", "--to", "0612", "--assistant", SEED_ASSISTANT],
            2,
            "error: --to must be an E.164",
        ),
        (["assistants", "list"], 2, "error: no API key"),
    ],
)
def test_errors_are_one_line_and_non_zero(
    capsys: pytest.CaptureFixture[str], argv: list[str], status: int, message: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == status
    assert out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (SECRET + "\n", "error: --api-key ends with a newline; remove it from --api-key"),
        ("", "error: --api-key is empty"),
        ("  ", "error: --api-key is blank"),
        (
            "sk-live Zq8x",
            "error: --api-key contains a space at character 8; an API key is a single word of "
            "ASCII letters, digits and punctuation",
        ),
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_malformed_key_is_one_usage_error_line(
    capsys: pytest.CaptureFixture[str], key: str, message: str, where: str
) -> None:
    command = ["assistants", "list"]
    argv = ["--api-key", key, *command] if where == "before" else [*command, "--api-key", key]
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]
    assert "Zq8" not in err


def test_a_malformed_key_in_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVOX_API_KEY", SECRET + "\n")
    code, _, err = _run(capsys, "users", "me")
    assert code == 2
    assert err.splitlines() == [
        "error: REVOX_API_KEY ends with a newline; remove it from REVOX_API_KEY"
    ]


def test_connection_errors_never_show_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = _run(
        capsys,
        "--api-key",
        SECRET,
        "--base-url",
        f"http://127.0.0.1:{port}",
        "assistants",
        "list",
    )
    assert code == 1
    assert "Zq8" not in out + err
    assert err.startswith("error: cannot connect")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    last = _usage_error(capsys, "calls", "create", "--to", "+33612345678")
    assert "the following arguments are required: --assistant" in last


# -- the entry points ------------------------------------------------------------------------


def test_module_entry_point_and_fake_server() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "revox_async", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "demo" in help_text and "fake-server" in help_text
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "revox_async",
            "fake-server",
            "--port",
            str(port),
            "--api-key",
            "k1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip().endswith(f"127.0.0.1:{port}")
        listed = subprocess.run(
            [
                sys.executable,
                "-m",
                "revox_async",
                "--api-key",
                "k1",
                "--base-url",
                f"http://127.0.0.1:{port}",
                "users",
                "me",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert listed.returncode == 0, listed.stderr
        assert "email" in json.loads(listed.stdout)
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_a_closed_pipe_is_not_a_traceback() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "revox_async", "--fake", "voices", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None
    reader.stdout.close()  # like `| head` exiting before the output is written
    _, err = reader.communicate(timeout=60)
    assert reader.returncode == 1
    assert "Traceback" not in err
