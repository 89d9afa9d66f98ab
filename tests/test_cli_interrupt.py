"""An interrupted command ends with one line, whatever the interrupt left half made."""

from __future__ import annotations

import subprocess
import sys

# The interrupt comes while a coroutine is made but not yet started, as it can on Python 3.10,
# where asyncio.run lets it out wherever the loop was.
INTERRUPTED_MIDWAY = """
import asyncio, gc, sys
from revox_async._cli import main as cli

left = []

def interrupted(coroutine):
    coroutine.close()
    left.append(asyncio.sleep(1))
    raise KeyboardInterrupt

cli.asyncio.run = interrupted
status = cli.main(["--fake", "assistants", "list"])
left.clear()
gc.collect()
sys.exit(status)
"""


def test_an_interrupt_leaves_no_warning_behind_its_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_MIDWAY], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "interrupted\n")
