"""The exit statuses and messages the CLI guide lists are what the command line does.

The tables are read from ``docs/guides/cli.md``; each command line in them runs through the
real entry point. A web site is served on 127.0.0.1 in place of the one the guide names.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._helpers import KEY, html_site

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guides" / "cli.md"
SECTION = "## Errors and exit status"
CODE = re.compile(r"`([^`]+)`")
SEED_SCHEDULED_CALL = "71c4e8b2-0d9f-4a36-b5e1-2c7a9f3d8b06"


def _tables() -> list[list[list[str]]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    tables: list[list[list[str]]] = []
    previous = ""
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append([cell.strip() for cell in line.strip("|").split(" | ")])
        previous = line
    return tables


STATUSES, MESSAGES = _tables()


@pytest.fixture(scope="module")
def website() -> Iterator[str]:
    page = b"<!DOCTYPE html><html><head><title>Example Domain</title></head></html>"
    with html_site(page) as url:
        yield url


# ``python -m revox_async`` as a terminal's foreground job runs it: with SIGINT at its default
# even when this test run inherited it as ignored (a job started in the background), since a
# process that starts with SIGINT ignored keeps ignoring it, as a shell's background job should.
FOREGROUND = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('revox_async', run_name='__main__', alter_sys=True)"
)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("REVOX_")}


def test_the_statuses_listed_are_the_ones_the_command_line_uses() -> None:
    assert [row[0] for row in STATUSES[1:]] == ["0", "1", "2", "130"]
    listed = {int(row[1]) for row in MESSAGES[1:]}
    assert listed == {1, 2}


@pytest.mark.parametrize("row", MESSAGES[1:], ids=lambda row: CODE.findall(row[0])[0][:60])
def test_each_message_listed_is_what_the_command_line_prints(
    row: list[str], website: str, tmp_path: Path
) -> None:
    command, status, message = CODE.findall(row[0])[0], int(row[1]), CODE.findall(row[2])[0]
    command = command.replace("KEY", KEY)
    if "https://example.com" in command:
        command = command.replace("https://example.com", website)
        message = message.replace("https://example.com", website)
    for name in re.findall(r"\S+\.json", command):
        field = re.search(r"field `(\w+)`", row[0])
        assert field is not None, "the row says which field its file holds"
        (tmp_path / name).write_text(f'{{"{field[1]}": "blue"}}', encoding="utf-8")
    argv = shlex.split(command)
    assert argv[0] == "revox-async"
    done = subprocess.run(
        [sys.executable, "-m", "revox_async", *argv[1:]],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_env(),
    )
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert done.returncode == status


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and pseudo-terminals are POSIX")
def test_an_interrupt_exits_with_the_status_listed() -> None:
    import pty

    status = int(next(row[0] for row in STATUSES if "interrupted" in row[1]))
    controller, terminal = pty.openpty()
    # The scheduled call waits for a minute; on a terminal, its first status says it is waiting.
    waiting = subprocess.Popen(
        [sys.executable, "-c", FOREGROUND, "--fake", "calls", "wait", SEED_SCHEDULED_CALL],
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        env=_env(),
    )
    os.close(terminal)
    try:
        shown = b""
        while b"scheduled" not in shown:
            chunk = os.read(controller, 4096)
            assert chunk, shown
            shown += chunk
        waiting.send_signal(signal.SIGINT)
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the command ended and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        out, _ = waiting.communicate(timeout=30)
    finally:
        os.close(controller)
        if waiting.returncode is None:
            waiting.kill()
            waiting.communicate()
    assert (waiting.returncode, out) == (status, "")
    assert shown.decode().splitlines()[-1] == "interrupted"
