"""``fake-server`` stops cleanly on SIGINT and SIGTERM, and refuses a key no client would send."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

# Starts the server the way a script's background job does: with SIGINT inherited as ignored.
IGNORING_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, '-m', 'revox_async', *sys.argv[1:]])"
)


def _start(*, sigint_ignored: bool) -> subprocess.Popen[str]:
    prefix = ["-c", IGNORING_SIGINT] if sigint_ignored else ["-m", "revox_async"]
    server = subprocess.Popen(
        [sys.executable, *prefix, "fake-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    assert server.stdout.readline().startswith("Fake Revox API listening on http://127.0.0.1:")
    assert server.stdout.readline().startswith("API key: ")
    return server


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["foreground", "background job"])
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_server_with_one_line(
    number: signal.Signals, sigint_ignored: bool
) -> None:
    server = _start(sigint_ignored=sigint_ignored)
    try:
        server.send_signal(number)
        out, err = server.communicate(timeout=30)
    finally:
        if server.returncode is None:
            server.kill()
            server.communicate()
    assert (server.returncode, err) == (0, "")
    assert out.splitlines() == [f"Fake Revox API stopped ({number.name})"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("a b", "error: --api-key contains a space at character 2;"),
        (" key", "error: --api-key starts with a space; remove it from --api-key"),
        ("", "error: --api-key is empty"),
    ],
)
def test_a_key_no_client_would_send_is_refused(key: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "revox_async", "fake-server", "--port", "0", "--api-key", key],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(message), done.stderr


def test_run_server_refuses_such_a_key_too() -> None:
    from revox_async.testing import run_server

    with pytest.raises(ValueError, match="api_key ends with a newline"):
        run_server(port=0, api_key="rvx_key\n")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT inherited as ignored is a POSIX matter")
def test_the_interrupt_tests_pass_when_the_suite_runs_with_sigint_ignored() -> None:
    tests = [
        "tests/testing/test_fake_server.py::test_run_server_serves_until_interrupted",
        "tests/testing/test_fake_server_cli.py::test_calls_on_the_standalone_server_end_within_seconds",
    ]
    code = (
        "import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "sys.exit(subprocess.call([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', "
        "*sys.argv[1:]]))"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run(
        [sys.executable, "-c", code, *tests],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=root,
        env={k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout
