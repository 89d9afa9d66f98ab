"""Fork safety: a client used before ``fork`` works in the child and keeps working in the parent.

Every child is bounded: it kills itself with SIGALRM if a call hangs, and the parent kills it
after a deadline, so a regression fails the test instead of blocking the run.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
from collections.abc import Iterator

import pytest

from revox_async import AsyncRevox, Revox
from revox_async.testing import FakeRevox, FakeRevoxThread
from tests._helpers import CHILD_LIMIT, in_forked_child, run_python

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Python 3.12+ warns when a process with threads forks (the fake and the sync client each
    # run one): forking anyway is what these tests are about, so that warning alone is allowed.
    pytest.mark.filterwarnings(
        r"ignore:This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to "
        r"deadlocks:DeprecationWarning"
    ),
]


def _first_assistant(fake: FakeRevox) -> str:
    return next(iter(fake.state.assistants))


@pytest.fixture
def fake() -> Iterator[FakeRevoxThread]:
    with FakeRevoxThread(seed_demo_data=True) as served:
        yield served


def test_a_sync_client_used_before_fork_works_in_the_child_and_the_parent(
    fake: FakeRevoxThread,
) -> None:
    assistant = fake.call(_first_assistant)
    client = fake.client(max_retries=0)
    assert client.assistants.retrieve(assistant).id == assistant
    parent_thread = client._portal._thread
    parent_session = client._async._transport._session

    def child() -> int:
        ok = all(client.assistants.retrieve(assistant).id == assistant for _ in range(3))
        fresh = client._portal._thread is not parent_thread
        client.close()  # closes the child's own loop and pool only
        return 0 if ok and fresh and client.is_closed else 1

    assert in_forked_child(child) == 0
    assert client.assistants.retrieve(assistant).id == assistant
    assert client._portal._thread is parent_thread
    assert client._async._transport._session is parent_session
    assert parent_session is not None and not parent_session.closed


def test_closing_in_a_child_that_never_used_the_client_leaves_the_parent_alone(
    fake: FakeRevoxThread,
) -> None:
    assistant = fake.call(_first_assistant)
    client = fake.client(max_retries=0)
    client.assistants.retrieve(assistant)

    def child() -> int:
        # Let go of at the fork itself, so that even a client never used here cannot close
        # the parent's connections when it is finalized.
        released = client._async._transport._session is None and client._portal._loop is None
        client.close()  # would join the parent's thread, which does not exist here
        return 0 if released else 1

    assert in_forked_child(child) == 0
    assert not client.is_closed
    assert client.assistants.retrieve(assistant).id == assistant


def test_a_child_exiting_normally_runs_the_exit_finalizer_without_hanging(
    tmp_path: os.PathLike[str],
) -> None:
    script = (
        "import os, signal, sys, warnings\n"
        "warnings.filterwarnings('ignore', 'This process', DeprecationWarning)\n"
        "from revox_async.testing import FakeRevoxThread\n"
        "with FakeRevoxThread(seed_demo_data=True) as fake:\n"
        "    client = fake.client(max_retries=0)\n"
        "    assistant = next(iter(fake.call(lambda f: list(f.state.assistants))))\n"
        "    client.assistants.retrieve(assistant)\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        signal.alarm(10)\n"
        "        client.assistants.retrieve(assistant)\n"
        "        sys.exit(0)  # the client is left open: the exit finalizer closes it\n"
        "    _, status = os.waitpid(pid, 0)\n"
        "    assert os.waitstatus_to_exitcode(status) == 0, status\n"
        "    client.assistants.retrieve(assistant)\n"
        "print('done')\n"
    )
    result = run_python(script, timeout=CHILD_LIMIT * 2, cwd=tmp_path)
    assert result.stdout.strip() == "done"


_pool_client: Revox | None = None
_pool_assistant = ""


def _retrieve_in_worker(n: int) -> tuple[int, str]:
    assert _pool_client is not None
    return os.getpid(), _pool_client.assistants.retrieve(_pool_assistant).id


def test_a_fork_pool_uses_a_sync_client_created_and_used_before_it(
    fake: FakeRevoxThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = fake.call(_first_assistant)
    client = fake.client(max_retries=0)
    assert client.assistants.retrieve(assistant).id == assistant
    monkeypatch.setattr(sys.modules[__name__], "_pool_client", client)
    monkeypatch.setattr(sys.modules[__name__], "_pool_assistant", assistant)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map_async(_retrieve_in_worker, range(8)).get(timeout=CHILD_LIMIT)
    assert [result_id for _, result_id in results] == [assistant] * 8
    assert os.getpid() not in {pid for pid, _ in results}
    assert client.assistants.retrieve(assistant).id == assistant


def test_an_async_client_used_under_asyncio_run_works_in_a_child_under_a_new_loop(
    fake: FakeRevoxThread,
) -> None:
    assistant = fake.call(_first_assistant)
    client = AsyncRevox(fake.api_key, base_url=fake.url, max_retries=0)

    async def retrieve() -> str:
        return (await client.assistants.retrieve(assistant)).id

    def child() -> int:
        async def work() -> bool:
            ok = await retrieve() == assistant
            await client.close()
            return ok

        return 0 if asyncio.run(work()) else 1

    async def parent() -> None:
        assert await retrieve() == assistant
        session = client._transport._session
        # Forked from inside the running loop, as a prefork server's worker would be.
        assert in_forked_child(child) == 0
        assert await retrieve() == assistant
        assert client._transport._session is session
        assert session is not None and not session.closed
        await client.close()

    asyncio.run(parent())
    assert client.is_closed
