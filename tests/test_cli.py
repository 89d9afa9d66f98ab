"""The command line: output formats, exit codes, errors, ``--fake``, ``demo``, the fake server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from revox_async.cli import main, render

SEED_ASSISTANT = "a3f1c9e2-6b4d-4e8a-9c21-7d5e0b8f4a16"
SEED_COMPLETED_CALL = "3e9a7c1d-5b2f-4d84-a6e0-8f1b2c9d7e53"
SEED_CAMPAIGN = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVOX_API_KEY", raising=False)
    monkeypatch.delenv("REVOX_BASE_URL", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_by_default_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--fake", "assistants", "list")
    assert code == 0, err
    assistants = json.loads(out)
    assert SEED_ASSISTANT in [a["id"] for a in assistants]


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "assistants", "list")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[0] == "id"
    assert any(row.startswith(SEED_ASSISTANT) for row in rows)


def test_single_object_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "assistants", "get", SEED_ASSISTANT)
    assert code == 0
    assert out.splitlines()[0].split() == ["id", SEED_ASSISTANT]


def test_place_a_call_then_stats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys,
        "--fake",
        "calls",
        "create",
        "--to",
        "+33612345678",
        "--assistant",
        SEED_ASSISTANT,
        "--var",
        "first_name=Ana",
    )
    assert code == 0, err
    call = json.loads(out)
    assert call["to_phone_number"] == "+33612345678"
    assert call["prompt_variables"] == {"first_name": "Ana"}
    code, out, _ = _run(capsys, "--fake", "campaigns", "stats", SEED_CAMPAIGN)
    assert code == 0
    assert json.loads(out)["campaign"]["id"] == SEED_CAMPAIGN


def test_wait_shows_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "--fake", "calls", "wait", SEED_COMPLETED_CALL, "--max-wait", "30"
    )
    assert code == 0, err
    assert json.loads(out)["status"] == "completed"
    assert err.splitlines() == [f"call {SEED_COMPLETED_CALL}: completed"]


def test_search_with_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--fake", "calls", "search", "--status", "completed", "--limit", "2"
    )
    assert code == 0
    calls = json.loads(out)
    assert 0 < len(calls) <= 2
    assert {c["status"] for c in calls} == {"completed"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fake", "assistants", "get", "nope"], "error: 404"),
        (
            ["--fake", "calls", "create", "--to", "0612", "--assistant", SEED_ASSISTANT],
            "error: calls.create: phone_number must be an E.164",
        ),
        (["assistants", "list"], "error: no API key"),
    ],
)
def test_errors_are_one_line_and_non_zero(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_connection_errors_never_show_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = _run(
        capsys,
        "--api-key",
        "sk-live-very-secret",
        "--base-url",
        f"http://127.0.0.1:{port}",
        "assistants",
        "list",
    )
    assert code == 1
    assert "sk-live-very-secret" not in out + err
    assert err.startswith("error: cannot connect")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["calls", "create", "--to", "+33612345678"])
    assert info.value.code == 2


def test_demo_tells_the_whole_story(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "demo")
    assert code == 0, err
    for step in (
        "Created assistant",
        "status: completed",
        "Transcript:",
        "Extracted data:",
        "Created campaign",
        "Campaign statistics:",
        "called        3 of 3",
    ):
        assert step in out


def test_render_of_scalars_and_empty_lists() -> None:
    assert render(True, "table") == "true"
    assert render([], "table") == "(none)"


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


def test_tables_lead_with_the_useful_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--fake", "--table", "calls", "search", "--limit", "3")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["id", "status", "to_phone_number"]


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
