"""A worker process of a pool returns what it fetched, and raises what went wrong, to its parent.

``multiprocessing`` pickles a worker's result and its exception; models and every error of the
SDK must make that trip whole.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterator

import pytest

from revox_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    CallWaitTimeout,
    ClientClosedError,
    NotFoundError,
    RateLimitError,
    RawResponse,
    Revox,
    RevoxError,
)
from revox_async.models import Assistant, Call
from revox_async.testing import FakeRevoxThread
from tests._helpers import CHILD_LIMIT, example

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Python 3.12+ warns when a process with threads forks (the fake and the sync client each
    # run one): forking anyway is what these tests are about, so that warning alone is allowed.
    pytest.mark.filterwarnings(
        r"ignore:This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to "
        r"deadlocks:DeprecationWarning"
    ),
]

_pool_client: Revox | None = None


def _retrieve_in_worker(assistant_id: str) -> Assistant:
    assert _pool_client is not None
    return _pool_client.assistants.retrieve(assistant_id)


def _raw_retrieve_in_worker(assistant_id: str) -> RawResponse[Assistant]:
    assert _pool_client is not None
    return _pool_client.with_raw_response(_pool_client.assistants.retrieve, assistant_id)


@pytest.fixture
def pool_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeRevoxThread, Revox]]:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(max_retries=0)
        monkeypatch.setattr(sys.modules[__name__], "_pool_client", client)
        yield fake, client


def test_a_worker_returns_the_model_and_raises_the_error_it_got(
    pool_client: tuple[FakeRevoxThread, Revox],
) -> None:
    fake, client = pool_client
    ids = fake.call(lambda served: list(served.state.assistants))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        fetched = pool.map_async(_retrieve_in_worker, ids).get(timeout=CHILD_LIMIT)
        raw = pool.apply_async(_raw_retrieve_in_worker, (ids[0],)).get(timeout=CHILD_LIMIT)
        failed = pool.apply_async(_retrieve_in_worker, ("no-such-assistant",))
        with pytest.raises(NotFoundError) as raised:
            failed.get(timeout=CHILD_LIMIT)
    assert fetched == [client.assistants.retrieve(assistant_id) for assistant_id in ids]
    assert raw.data == fetched[0]
    assert raw.status_code == 200
    assert raw.request_id and raw.headers["X-REQUEST-ID"] == raw.request_id
    error = raised.value
    assert error.status_code == 404
    assert error.request_id and error.headers["X-Request-Id"] == error.request_id
    assert "no-such-assistant" in str(error)


def _status_error() -> RateLimitError:
    error = RateLimitError(
        "slow down",
        method="GET",
        url="http://127.0.0.1:9/assistants",
        status_code=429,
        headers={"Retry-After": "2", "x-request-id": "req_1"},
        body={"error": "slow down"},
        request_id="req_1",
    )
    error.retry_after = 2.0
    error.maybe_processed_before = True
    error.retry_budget_spent = True
    if sys.version_info >= (3, 11):
        error.add_note("while listing")
    return error


ERRORS: list[RevoxError] = [
    RevoxError("plain"),
    _status_error(),
    APIConnectionError(
        "reset", method="POST", url="http://127.0.0.1:9/call", maybe_processed=False
    ),
    APITimeoutError("too slow", method="GET", url="http://127.0.0.1:9/users/me"),
    ClientClosedError("closed", method="GET", url="http://127.0.0.1:9/voices"),
    APIResponseValidationError(
        "not JSON", method="GET", url="http://127.0.0.1:9/voices", status_code=200, body=b"<html>"
    ),
    CallWaitTimeout("still ringing", call=Call.from_dict(example("call.retrieve")["call"])),
]


@pytest.mark.parametrize("error", ERRORS, ids=[type(error).__name__ for error in ERRORS])
def test_every_error_comes_back_from_pickle_whole(error: RevoxError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert back.args == error.args
    assert {k: v for k, v in vars(back).items() if k != "headers"} == {
        k: v for k, v in vars(error).items() if k != "headers"
    }
    if isinstance(error, APIStatusError):
        assert isinstance(back, APIStatusError)
        assert dict(back.headers) == dict(error.headers)
        assert back.headers["X-REQUEST-ID"] == "req_1"  # still case-insensitive
