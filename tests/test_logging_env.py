"""``REVOX_LOG``: the documented values turn logging on; anything else is reported once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from revox_async import AsyncRevox
from revox_async._logging import logger as sdk_logger


@pytest.fixture(autouse=True)
def _quiet_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdk_logger, "handlers", [])
    monkeypatch.setattr(sdk_logger, "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])


@pytest.mark.parametrize(("value", "level"), [("info", logging.INFO), (" DEBUG ", logging.DEBUG)])
def test_documented_values_set_the_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, level: int
) -> None:
    monkeypatch.setenv("REVOX_LOG", value)
    AsyncRevox("key")
    assert sdk_logger.level == level
    assert capsys.readouterr().err == ""


def test_an_unknown_value_is_reported_once_and_changes_nothing() -> None:
    # A fresh interpreter: "once" is per process.
    program = (
        "from revox_async import AsyncRevox\n"
        "import logging\n"
        "AsyncRevox('key'); AsyncRevox('key')\n"
        "print(logging.getLogger('revox_async').level)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "REVOX_LOG": "verbose"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == str(logging.NOTSET)
    assert done.stderr.splitlines() == [
        "revox_async: REVOX_LOG='verbose' is not a known value, so logging stays off; "
        "use info or debug"
    ]


def test_an_empty_value_is_off_and_silent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REVOX_LOG", "")
    AsyncRevox("key")
    assert sdk_logger.level == logging.NOTSET
    assert sdk_logger.handlers == []
    assert capsys.readouterr().err == ""
