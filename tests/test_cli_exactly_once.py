"""``calls create`` on the command line: a call found by reconciling is printed once, and a line
on stderr says that it was found rather than placed again."""

from __future__ import annotations

import json

import pytest

from revox_async._cli.main import main
from revox_async.testing import FakeRevoxThread

from ._helpers import ASSISTANT_ID

PHONE = "+33612345678"


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVOX_API_KEY", raising=False)
    monkeypatch.delenv("REVOX_BASE_URL", raising=False)


def _create(fake: FakeRevoxThread, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    argv = ["--base-url", fake.url, "--api-key", fake.api_key]
    code = main([*argv, "calls", "create", "--to", PHONE, "--assistant", ASSISTANT_ID])
    out, err = capsys.readouterr()
    return code, out, err


def _placed(fake: FakeRevoxThread) -> list[str]:
    return fake.call(
        lambda f: [c.id for c in f.state.calls.values() if c.data["to_phone_number"] == PHONE]
    )


def test_a_reconciled_create_says_so_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        fake.call(lambda f: f.faults.fail_next(route="POST /call", drop="after"))
        code, out, err = _create(fake, capsys)
        placed = _placed(fake)
    assert code == 0, err
    assert placed == [json.loads(out)["id"]]
    assert err.count("\n") == 1
    assert f"call {placed[0]} was found by its reference and not placed again" in err


def test_a_plain_create_prints_nothing_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        code, out, err = _create(fake, capsys)
        placed = _placed(fake)
    assert code == 0, err
    assert placed == [json.loads(out)["id"]]
    assert err == ""
