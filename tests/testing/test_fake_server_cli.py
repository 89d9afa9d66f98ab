"""``revox-async fake-server``: a fast clock, and one line of error when it cannot listen."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from revox_async import Revox
from revox_async._cli.main import main
from revox_async.models import CallStatus

from ._support import EMMA

COMMAND = [sys.executable, "-m", "revox_async", "fake-server"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_busy_port_is_one_line_of_error(busy_port: int) -> None:
    done = subprocess.run(
        [*COMMAND, "--port", str(busy_port)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: cannot listen on 127.0.0.1:{busy_port}: address already in use"
    ]


@pytest.mark.parametrize("port", ["65536", "-1"])
def test_a_port_out_of_range_is_one_line_of_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fake-server", "--port", port]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"error: port must be between 0 and 65535, got {port}"]


def test_a_speed_that_cannot_run_is_one_line_of_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fake-server", "--port", "0", "--speed", "0"]) == 2
    assert capsys.readouterr().err.splitlines() == ["error: speed must be greater than 0"]


def test_calls_on_the_standalone_server_end_within_seconds() -> None:
    server = subprocess.Popen(
        [*COMMAND, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # The server's default clock must not depend on being started from a test.
        env={k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        key = server.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
        with Revox(key, base_url=url) as client:
            call = client.calls.create(phone_number="+33612345678", assistant_id=EMMA)
            started = time.monotonic()
            done = client.calls.wait(call.id, timeout=10)
            assert time.monotonic() - started < 5
        assert done.status == CallStatus.COMPLETED
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
