"""``revox-async demo``: its story holds together, it shows its code, and says where it lives."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

import pytest

from revox_async._cli.demo import demo_program
from revox_async._cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DIM = "\x1b[2m"
SDK_CALL = re.compile(r"client\.(\w+\.\w+)\(")


class Terminal(io.StringIO):
    """Captured output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _demo(stream: io.StringIO, env: Mapping[str, str]) -> str:
    with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(stream):
        assert main(["demo"]) == 0
    return stream.getvalue()


@pytest.fixture(scope="module")
def piped() -> str:
    """The demo's output in a pipe (it takes a few seconds, so it runs once)."""
    with mock.patch.dict(os.environ):
        os.environ.pop("NO_COLOR", None)
        return _demo(io.StringIO(), {})


def test_the_story_is_told_in_order(piped: str) -> None:
    steps = [
        "Created assistant 'Smile Clinic reminders'",
        "Placed call",
        "  status: completed",
        "Transcript:",
        "Extracted data:",
        'Created campaign "Tomorrow\'s appointments" with 3 contacts',
        "Launched 3 calls",
        'Campaign "Tomorrow\'s appointments" (completed)',
        "  called         3 of 3 contacts",
    ]
    positions = [piped.index(step) for step in steps]
    assert positions == sorted(positions)


def test_what_is_extracted_is_what_was_said(piped: str) -> None:
    transcript = piped[piped.index("Transcript:") : piped.index("Extracted data:")]
    extracted = piped[piped.index("Extracted data:") :].split("\n\n")[0]
    assert extracted.splitlines() == [
        "Extracted data:",
        "  confirmed  no",
        "  new_time   Thursday 10am",
    ]
    assert "can't make it" in transcript
    assert "Thursday at 10am is perfect" in transcript
    assert "Sure, that works for me" not in transcript


def test_no_raw_python_values_are_printed(piped: str) -> None:
    assert "{'" not in piped
    assert "CallStatus." not in piped and "CallOutcome." not in piped


def test_every_step_shows_the_sdk_call_before_its_result(piped: str) -> None:
    shown = SDK_CALL.findall(piped)
    assert shown == [
        "assistants.create",
        "calls.create",
        "calls.wait",
        "campaigns.create",
        "campaigns.launch",
        "campaigns.get_rows",
        "campaigns.statistics",
    ]
    assert piped.index("client.assistants.create(") < piped.index("Created assistant")
    assert piped.index("client.calls.wait(") < piped.index("status: calling")
    assert piped.index("client.campaigns.statistics(") < piped.index("Campaign \"Tomorrow's")


def test_the_full_program_it_points_to_makes_the_same_calls(piped: str) -> None:
    assert piped.strip().splitlines()[-2] == (
        "Done. `revox-async demo --code` prints the same steps as one program:"
    )
    program = subprocess.run(
        [sys.executable, "-m", "revox_async", "demo", "--code"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert set(SDK_CALL.findall(piped)) <= set(SDK_CALL.findall(program))
    compile(program, "demo_program", "exec")


def test_the_printed_program_is_the_one_the_guide_shows_and_runs() -> None:
    guide = (ROOT / "docs/guides/cli.md").read_text(encoding="utf-8")
    section = guide[guide.index("## The demo as a program") :]
    shown = section[section.index("```python\n") + len("```python\n") :]
    assert demo_program() == shown[: shown.index("```\n")]


def test_nothing_is_styled_in_a_pipe(piped: str) -> None:
    assert not ANSI.search(piped)


def test_code_is_dimmed_on_a_terminal_unless_no_color() -> None:
    with mock.patch.dict(os.environ):
        os.environ.pop("NO_COLOR", None)
        styled = _demo(Terminal(), {})
    code_lines = [line for line in styled.splitlines() if "await client." in line]
    assert code_lines
    assert all(line.startswith(DIM) and line.endswith("\x1b[0m") for line in code_lines)
    assert ANSI.sub("", styled).count("await client.") == len(code_lines)

    plain = _demo(Terminal(), {"NO_COLOR": "1"})
    assert not ANSI.search(plain)


def test_the_demo_and_the_command_line_do_not_import_each_other() -> None:
    program = (
        "import sys\n"
        "import revox_async._cli.demo\n"
        "print('revox_async._cli.main' in sys.modules)\n"
        "del sys.modules['revox_async._cli.demo']\n"
        "import revox_async._cli.main\n"
        "print('revox_async._cli.demo' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "False"]
