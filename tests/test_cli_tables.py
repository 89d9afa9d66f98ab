"""What a person reads: tables fitted to the terminal, campaign rows, the CSV export, and the
live progress of ``calls wait``; all through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from revox_async.testing import CallTiming, FakeClock, FakeRevoxThread

from ._helpers import ASSISTANT_ID

ENTRY = [sys.executable, "-m", "revox_async"]
SEED_CAMPAIGN = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"
LISTINGS = [
    ["assistants", "list"],
    ["calls", "search"],
    ["campaigns", "list"],
    ["campaigns", "rows", SEED_CAMPAIGN],
    ["phone-numbers", "list"],
    ["voices", "list"],
]


def _cli(*argv: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVOX_")}
    done = subprocess.run(
        [*ENTRY, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "COLUMNS": str(columns)},
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("listing", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("columns", [80, 50])
def test_tables_fit_the_terminal(listing: list[str], columns: int) -> None:
    lines = _cli("--fake", "--table", *listing, columns=columns).stdout.splitlines()
    assert len(lines) >= 2
    assert max(len(line) for line in lines) <= columns
    first_column = lines[0].split()[0]
    if first_column == "id":
        assert all(re.match(r"^\S+\s", line) and "…" not in line.split()[0] for line in lines)


def test_long_cells_are_cut_with_an_ellipsis_and_wide_cuts_nothing() -> None:
    narrow = _cli("--fake", "--table", "assistants", "list").stdout
    wide = _cli("--fake", "--table", "--wide", "assistants", "list").stdout
    assert "…" in narrow
    assert "…" not in wide
    assert "Solar lead qualification (EN)" in wide
    assert max(len(line) for line in wide.splitlines()) > 80
    assert len(wide.splitlines()[0].split()) > len(narrow.splitlines()[0].split())


@pytest.mark.parametrize("listing", LISTINGS, ids=" ".join)
def test_every_listing_takes_json(listing: list[str]) -> None:
    assert isinstance(json.loads(_cli("--fake", "--json", *listing).stdout), list)


def test_campaign_rows_show_each_call_status_and_outcome() -> None:
    lines = _cli("--fake", "--table", "campaigns", "rows", SEED_CAMPAIGN, columns=120).stdout
    header, *rows = lines.splitlines()
    assert header.split()[:4] == ["row", "phone_number", "status", "outcome"]
    cells = [row.split()[:4] for row in rows]
    assert cells[0] == ["0", "+14155550187", "completed", "interested"]
    assert [c[2] for c in cells] == ["completed", "scheduled", "not_launched"]


def test_the_export_goes_to_stdout() -> None:
    out = _cli("--fake", "campaigns", "export", SEED_CAMPAIGN).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["phone_number"] for row in rows] == ["+14155550187", "+14155550163", "+14085550194"]
    assert rows[0]["call_status"] == "completed"


def test_the_export_goes_to_a_file_or_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    done = _cli("--fake", "campaigns", "export", SEED_CAMPAIGN, "-o", str(target))
    assert done.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("row_index,phone_number,")
    said = _cli("--fake", "--table", "campaigns", "export", SEED_CAMPAIGN, "-o", str(tmp_path))
    assert said.stdout == f"Saved the CSV export of campaign {SEED_CAMPAIGN}\n"
    [named] = [p for p in tmp_path.iterdir() if p.name != "rows.csv"]
    assert named.name.startswith("spring-2025-quote-follow-ups-")


# -- calls wait ------------------------------------------------------------------------------

SLOW_ENOUGH = CallTiming(
    dial_delay_seconds=0.2, ring_seconds=0.3, talk_seconds=1.5, post_processing_seconds=3.0
)
"""Post-processing outlasts the command's longest poll interval, as it does on the API."""


def _wait(*, terminal: bool) -> tuple[str, str]:
    with FakeRevoxThread(
        seed_demo_data=True, clock=FakeClock(realtime=True), timing=SLOW_ENOUGH
    ) as fake:
        call = fake.client().calls.create(phone_number="+33612345678", assistant_id=ASSISTANT_ID)
        argv = [*ENTRY, "calls", "wait", call.id, "--base-url", fake.url, "--api-key", fake.api_key]
        if not terminal:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            return done.stdout, done.stderr
        import pty

        controller, terminal_end = pty.openpty()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=terminal_end, text=True)
        os.close(terminal_end)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the other end is closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
        os.close(controller)
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, shown
        return out, shown.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is a POSIX device")
def test_wait_on_a_terminal_shows_every_status_and_the_time_elapsed() -> None:
    out, shown = _wait(terminal=True)
    assert json.loads(out)["status"] == "completed"
    lines = [line.rsplit("\r\x1b[K", 1)[-1] for line in shown.replace("\r\n", "\n").split("\n")]
    statuses = [re.sub(r"^call \S+: (\w+) \(\d+:\d\d\)$", r"\1", line) for line in lines if line]
    assert "post_processing" in statuses
    assert statuses[-1] == "completed"
    assert statuses.index("calling") < statuses.index("post_processing")
    assert len(set(re.findall(r"\((\d+:\d\d)\)", shown))) >= 3  # the time moves while it waits


def test_wait_in_a_pipe_prints_only_the_final_status() -> None:
    out, err = _wait(terminal=False)
    call_id = json.loads(out)["id"]
    assert err.splitlines() == [f"call {call_id}: completed"]
