"""Process-wide state in a forked child: what a thread of the parent held at the fork (the
collector pause and its lock, the log handler's lock) is the child's own, usable and released.

Every child is bounded: it kills itself with SIGALRM if it hangs, and the parent kills it after a
deadline, so a regression fails the test instead of blocking the run.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from revox_async import _gc
from revox_async._json import loads
from revox_async._structure.converter import converter
from revox_async.models.assistants import Assistant
from tests._helpers import CHILD_LIMIT, in_forked_child
from tests.contract import example

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.filterwarnings(
        r"ignore:This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to "
        r"deadlocks:DeprecationWarning"
    ),
]


@pytest.fixture
def structuring_in_another_thread() -> Iterator[None]:
    """Another thread is inside the collector pause, as while it structures a large response."""
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def structure() -> None:
        with _gc.paused():
            inside.set()
            leave.wait(CHILD_LIMIT * 2)

    thread = threading.Thread(target=structure)
    thread.start()
    assert inside.wait(CHILD_LIMIT)
    assert not gc.isenabled()
    try:
        yield
    finally:
        leave.set()
        thread.join(CHILD_LIMIT)
    # The parent's pause ends as it began: with its own thread.
    assert gc.isenabled()


def _structure_a_large_response() -> list[Assistant]:
    assistant = example("assistants.retrieve")
    body = json.dumps({"assistants": [assistant] * 100}).encode()
    assert len(body) >= _gc.LARGE_RESPONSE
    with _gc.paused():
        return converter.structure(loads(body)["assistants"], list[Assistant])


@pytest.mark.usefixtures("structuring_in_another_thread")
def test_a_fork_during_another_threads_structuring_leaves_the_childs_collector_on() -> None:
    def child() -> int:
        if not gc.isenabled():
            return 1
        if len(_structure_a_large_response()) != 100:
            return 2
        return 0 if gc.isenabled() and _gc._pausers == 0 else 3

    assert in_forked_child(child) == 0


def test_a_fork_while_another_thread_holds_the_pause_lock_leaves_it_free_in_the_child() -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _gc._lock:
            holding.set()
            release.wait(CHILD_LIMIT * 2)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(CHILD_LIMIT)
    try:

        def child() -> int:
            # Would wait for a thread that does not exist here, until the alarm.
            _structure_a_large_response()
            return 0 if gc.isenabled() else 1

        assert in_forked_child(child) == 0
    finally:
        release.set()
        thread.join(CHILD_LIMIT)


def test_a_child_never_ends_a_pause_begun_before_the_fork() -> None:
    # The forking thread itself inside the pause: its exit in the child must not count twice.
    def child() -> int:
        return 0 if gc.isenabled() and _gc._pausers == 0 else 1

    with _gc.paused():
        code = in_forked_child(child)
        assert not gc.isenabled()
    assert code == 0
    assert gc.isenabled()


def test_the_log_handler_held_by_another_thread_at_the_fork_works_in_the_child(
    tmp_path: Path,
) -> None:
    script = (
        "import logging, os, signal, threading, warnings\n"
        "warnings.filterwarnings('ignore', 'This process', DeprecationWarning)\n"
        "from revox_async import AsyncRevox\n"
        "AsyncRevox('key')\n"
        "(handler,) = logging.getLogger('revox_async').handlers\n"
        "holding, release = threading.Event(), threading.Event()\n"
        "def hold():\n"
        "    with handler.lock:\n"
        "        holding.set()\n"
        "        release.wait(30)\n"
        "threading.Thread(target=hold).start()\n"
        "holding.wait(10)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    signal.alarm(10)\n"
        "    logging.getLogger('revox_async').info('logged in the child')\n"
        "    os._exit(0)\n"
        "release.set()\n"
        "_, status = os.waitpid(pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=CHILD_LIMIT * 2,
        cwd=tmp_path,
        env={**os.environ, "REVOX_LOG": "info"},
    )
    assert result.stdout.strip() == "0", result.stderr
    assert "logged in the child" in result.stderr
