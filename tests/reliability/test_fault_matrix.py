"""The fault matrix: each kind of endpoint against each fault, on both clients.

Every cell checks what the retry rules promise against what happened: how many attempts were
made and how many reached the server, what the caller got, how long it took, and how many
times the server carried the request out. Expectations are derived from the rules
(:func:`expected`), never from watching the SDK.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Literal

import attrs
import pytest

from revox_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    Timeout,
)
from revox_async.models.assistants import Assistant, AssistantUpdateResult
from revox_async.models.calls import Call, CallSearchResult
from revox_async.models.campaigns import CampaignLaunchResult
from revox_async.testing import FakeRevox, FakeRevoxThread

from .._helpers import NO_WAIT

BUDGET = Timeout(total=5.0, connect=1.0)
SHORT = Timeout(total=0.5, connect=0.5)
HANDLER_DELAY = 1.0
"""How long the server sits on a request in the read-timeout cell: longer than ``SHORT``."""
SLACK = 5.0
"""Seconds of scheduling noise allowed on top of every upper time bound (a loaded machine)."""
RETRY_AFTER = 0.1
"""Seconds a 429 asks the client to wait, in the forms that can say less than a second."""
RETRY_AFTER_MS = int(RETRY_AFTER * 1000)
PHONE = "+33612345678"
SELECTION = {
    "filters": {"statuses": ["not_launched"]},
    "rows": {"mode": "all_except", "call_ids": []},
}


@attrs.frozen
class Ids:
    """What the calls under test point at: an assistant, and a campaign with one call to launch."""

    assistant: str
    campaign: str


def _prepare(fake: FakeRevox) -> Ids:
    assistant = next(iter(fake.state.assistants))
    campaign = fake.state.campaigns.create_campaign(
        {
            "assistant_id": assistant,
            "name": "Fault matrix",
            "contacts": [{"to_phone_number": PHONE}],
        }
    )
    return Ids(assistant=assistant, campaign=campaign["id"])


def _launched(fake: FakeRevox, ids: Ids) -> int:
    return sum(
        c.status != "not_launched" for c in fake.state.campaigns.campaign_calls(ids.campaign)
    )


@attrs.frozen
class Target:
    """One endpoint under test.

    ``handler`` names the fake store's method that carries the request out (``part.method``);
    ``effect``, for a side effect, counts its visible result in the fake's state.
    """

    name: str
    route: str
    handler: str
    result: type[Any]
    invoke: Callable[[Any, Ids], Any]
    effect: Callable[[FakeRevox, Ids], int] | None = None

    @property
    def side_effect(self) -> bool:
        return self.effect is not None


TARGETS = [
    Target(
        "assistants.retrieve",
        "GET /assistants/{id}",
        "assistants.get_assistant",
        Assistant,
        lambda client, ids: client.assistants.retrieve(ids.assistant),
    ),
    Target(
        "assistants.update",
        "PATCH /assistants/{id}",
        "assistants.update_assistant",
        AssistantUpdateResult,
        lambda client, ids: client.assistants.update(ids.assistant, name="Renamed"),
    ),
    Target(
        "calls.search_page",
        "POST /call/search",
        "calls.search_calls",
        CallSearchResult,
        lambda client, ids: client.calls.search_page(statuses=["not_launched"]),
    ),
    Target(
        "calls.create",
        "POST /call",
        "calls.create_call",
        Call,
        # The transport's rules alone; reconciling creates has tests of its own.
        lambda client, ids: client.calls.create(
            phone_number=PHONE, assistant_id=ids.assistant, exactly_once=False
        ),
        lambda fake, ids: len(fake.state.calls),
    ),
    Target(
        "campaigns.launch",
        "POST /campaigns/{id}/launch-calls",
        "campaigns.launch_campaign",
        CampaignLaunchResult,
        lambda client, ids: client.campaigns.launch(
            ids.campaign, mode="ai_first", selection=SELECTION
        ),
        _launched,
    ),
    Target(
        "assistants.create",
        "POST /assistants",
        "assistants.create_assistant",
        Assistant,
        lambda client, ids: client.assistants.create(name="Matrix", prompt="Be brief."),
        lambda fake, ids: len(fake.state.assistants),
    ),
]

Kind = Literal["refused", "lost", "timeout", "status", "body"]


def _next_whole_second() -> datetime:
    # An HTTP date has one-second resolution: the next whole second at least 0.3 s away makes
    # a wait of 0.3 to 1.3 s from now, long enough to tell from no wait at all.
    return datetime.fromtimestamp(math.ceil(time.time() + 0.3), timezone.utc)


# Between the wall clock and the loop's, and in the loop's timer resolution.
CLOCK_SKEW = 0.05


@attrs.frozen
class Fault:
    """One misbehaviour, injected into the fake with ``fail_next(**options())``.

    ``processed`` says whether the server carries the faulted request out anyway. ``wait`` is
    what the server asks the client to wait before each retry; ``dated`` when it names a
    moment rather than a duration, so that only the first retry waits.
    """

    name: str
    kind: Kind
    error: type[Exception]
    options: Callable[[], dict[str, Any]] = dict
    status: int | None = None
    processed: bool = False
    wait: tuple[float, float] = (0.0, 0.0)
    dated: bool = False

    def waited(self, retries: int, until_date: float) -> tuple[float, float]:
        """Bounds of the time spent waiting before ``retries`` retries; ``until_date`` is the
        time from the call's start to the date a dated fault names."""
        if self.dated:
            return (until_date - CLOCK_SKEW, until_date) if retries else (0.0, 0.0)
        return self.wait[0] * retries, self.wait[1] * retries


def _status(status: int, error: type[Exception], name: str = "", **options: Any) -> Fault:
    return Fault(
        name or str(status), "status", error, lambda: {"status": status, **options}, status
    )


def _bad_body(name: str, **options: Any) -> Fault:
    return Fault(
        name, "body", APIResponseValidationError, lambda: {"status": None, **options}, None, True
    )


FAULTS = [
    Fault("connect-refused", "refused", APIConnectionError),
    Fault("reset-before-response", "lost", APIConnectionError, lambda: {"drop": "before"}),
    Fault(
        "dropped-after-processing",
        "lost",
        APIConnectionError,
        lambda: {"drop": "after"},
        processed=True,
    ),
    Fault(
        "read-timeout",
        "timeout",
        APITimeoutError,
        lambda: {"status": None, "delay": HANDLER_DELAY},
        processed=True,
    ),
    Fault(
        "answered-too-late-after-processing",
        "timeout",
        APITimeoutError,
        lambda: {"status": None, "late": HANDLER_DELAY},
        processed=True,
    ),
    _status(408, APIStatusError),
    _status(409, ConflictError),
    attrs.evolve(
        _status(429, RateLimitError, "429-retry-after-seconds", retry_after=RETRY_AFTER),
        wait=(RETRY_AFTER, RETRY_AFTER),
    ),
    Fault(
        "429-retry-after-http-date",
        "status",
        RateLimitError,
        lambda: {"status": 429, "retry_after": _next_whole_second()},
        status=429,
        dated=True,
    ),
    attrs.evolve(
        _status(429, RateLimitError, "429-retry-after-ms", retry_after_ms=RETRY_AFTER_MS),
        wait=(RETRY_AFTER, RETRY_AFTER),
    ),
    _status(500, InternalServerError),
    _status(502, InternalServerError),
    _status(503, InternalServerError),
    _status(504, InternalServerError),
    attrs.evolve(
        _status(500, InternalServerError, "500-after-processing", acted=True), processed=True
    ),
    _status(
        502,
        InternalServerError,
        "html-error-page",
        body="<html><body><h1>502 Bad Gateway</h1></body></html>",
        content_type="text/html",
    ),
    _bad_body("truncated-json", malformed_body=True),
    _bad_body("wrong-content-type", content_type="text/plain"),
    _bad_body("empty-body", body=b""),
    _bad_body("wrong-shape", body={"unexpected": "shape"}),
]


def retried(target: Target, fault: Fault) -> bool:
    """Whether the retry rules allow another attempt after ``fault``."""
    if fault.kind == "refused" or fault.status == 429:
        # The server provably did not act on the request: safe to resend anything.
        return True
    if target.side_effect:
        return False
    if fault.kind == "lost":
        return True
    if fault.kind == "status":
        assert fault.status is not None
        return fault.status == 408 or fault.status >= 500
    # A success is never repeated, whatever its body. A read timeout spends the call's whole
    # budget (each attempt may use all the time left), so none is left to retry in.
    return False


@attrs.frozen
class Outcome:
    """What happened in one cell, or what the rules say should."""

    attempts: int
    requests: int
    processed: int
    error: type[Exception] | None


def expected(target: Target, fault: Fault, strikes: int) -> Outcome:
    """The outcome the rules promise when ``fault`` strikes the first ``strikes`` attempts."""
    most = 1 + NO_WAIT.max_retries
    if fault.kind == "refused":
        # Nothing listens: every attempt fails the same way and none reaches the server.
        return Outcome(most, 0, 0, APIConnectionError)
    if not retried(target, fault):
        return Outcome(1, 1, int(fault.processed), fault.error)
    if strikes < most:
        return Outcome(strikes + 1, strikes + 1, strikes * fault.processed + 1, None)
    return Outcome(most, most, most * fault.processed, fault.error)


@attrs.frozen
class Observed:
    outcome: Outcome
    result: Any
    error: Exception | None
    elapsed: float
    effects: int | None
    until_date: float
    """Seconds from the call's start to the date a dated fault names (else 0)."""


def check(target: Target, fault: Fault, strikes: int, seen: Observed) -> None:
    want = expected(target, fault, strikes)
    assert seen.outcome == want, seen.error
    if target.side_effect:
        assert seen.effects == seen.outcome.processed <= 1
    low, high = fault.waited(want.attempts - 1, seen.until_date)
    if fault.kind == "timeout":
        low = high = SHORT.total or 0.0
    assert low <= seen.elapsed <= high + SLACK
    if want.error is None:
        assert isinstance(seen.result, target.result)
        return
    error = seen.error
    if isinstance(error, APIStatusError):
        assert error.status_code == fault.status
    if isinstance(error, APIConnectionError):
        assert error.maybe_processed is (fault.kind != "refused")


def _attempts(caplog: pytest.LogCaptureFixture) -> int:
    return sum(r.name == "revox_async" and r.levelno == logging.INFO for r in caplog.records)


def _count_calls(fake: FakeRevox, method: str) -> list[int]:
    """Count the calls to one method of the fake's store from now on (in the returned list)."""
    counter = [0]
    part_name, _, method = method.rpartition(".")
    part = getattr(fake.state, part_name)
    original = getattr(part, method)

    def counted(*args: Any, **kwargs: Any) -> Any:
        counter[0] += 1
        return original(*args, **kwargs)

    setattr(part, method, counted)
    return counter


def _idle(fake: FakeRevox) -> bool:
    # A request the client gave up on may still be in the server's hands (a read timeout).
    return all(r.status is not None or r.dropped for r in fake.requests)


def _effects(fake: FakeRevox, target: Target, ids: Ids) -> int | None:
    return None if target.effect is None else target.effect(fake, ids)


def _client_options(fault: Fault, refused_url: str) -> dict[str, Any]:
    options: dict[str, Any] = {"retry_policy": NO_WAIT}
    if fault.kind == "refused":
        options["base_url"] = refused_url
    if fault.kind == "timeout":
        options["timeout"] = SHORT
    return options


async def observe_async(
    target: Target, fault: Fault, strikes: int, refused_url: str, caplog: pytest.LogCaptureFixture
) -> Observed:
    caplog.set_level(logging.INFO, logger="revox_async")
    async with FakeRevox(seed_demo_data=True) as fake:
        ids = _prepare(fake)
        processed = _count_calls(fake, target.handler)
        effects_before = _effects(fake, target, ids)
        client = fake.client(timeout=BUDGET).with_options(**_client_options(fault, refused_url))
        options: dict[str, Any] = {}
        if fault.kind != "refused":
            options = fault.options()
            fake.faults.fail_next(strikes, route=target.route, **options)
        result: Any = None
        error: Exception | None = None
        started, wall = time.monotonic(), time.time()
        try:
            result = await target.invoke(client, ids)
        except Exception as exc:
            error = exc
        elapsed = time.monotonic() - started
        for _ in range(100):
            if _idle(fake):
                break
            await asyncio.sleep(0.02)
        effects = _effects(fake, target, ids)
        return Observed(
            Outcome(
                _attempts(caplog),
                len(fake.requests),
                processed[0],
                None if error is None else type(error),
            ),
            result,
            error,
            elapsed,
            None if effects is None or effects_before is None else effects - effects_before,
            _until_date(options, wall),
        )


def _until_date(options: dict[str, Any], started: float) -> float:
    """Seconds from ``started`` (wall clock) to the fault's Retry-After date, if it has one."""
    when = options.get("retry_after")
    return when.timestamp() - started if isinstance(when, datetime) else 0.0


def observe_sync(
    target: Target, fault: Fault, strikes: int, refused_url: str, caplog: pytest.LogCaptureFixture
) -> Observed:
    caplog.set_level(logging.INFO, logger="revox_async")
    with FakeRevoxThread(seed_demo_data=True) as fake:
        ids = fake.call(_prepare)
        processed = fake.call(lambda f: _count_calls(f, target.handler))
        effects_before = fake.call(lambda f: _effects(f, target, ids))
        client = fake.client(timeout=BUDGET).with_options(**_client_options(fault, refused_url))
        options: dict[str, Any] = {}
        if fault.kind != "refused":
            options = fault.options()
            fake.call(lambda f: f.faults.fail_next(strikes, route=target.route, **options))
        result: Any = None
        error: Exception | None = None
        started, wall = time.monotonic(), time.time()
        try:
            result = target.invoke(client, ids)
        except Exception as exc:
            error = exc
        elapsed = time.monotonic() - started
        for _ in range(100):
            if fake.call(_idle):
                break
            time.sleep(0.02)
        effects = fake.call(lambda f: _effects(f, target, ids))
        return Observed(
            Outcome(
                _attempts(caplog),
                fake.call(lambda f: len(f.requests)),
                fake.call(lambda f: processed[0]),
                None if error is None else type(error),
            ),
            result,
            error,
            elapsed,
            None if effects is None or effects_before is None else effects - effects_before,
            _until_date(options, wall),
        )


OTHER_RETRY_AFTER_FORMS = ("429-retry-after-http-date", "429-retry-after-ms")
PAIRS = [(target, fault) for target in TARGETS for fault in FAULTS]
CELLS = [pytest.param(t, f, id=f"{t.name}-{f.name}") for t, f in PAIRS]


@pytest.mark.parametrize(("target", "fault"), CELLS)
@pytest.mark.asyncio
async def test_async_client(
    target: Target, fault: Fault, refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    check(target, fault, 1, await observe_async(target, fault, 1, refused_url, caplog))


@pytest.mark.parametrize(("target", "fault"), CELLS)
def test_sync_client(
    target: Target, fault: Fault, refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    check(target, fault, 1, observe_sync(target, fault, 1, refused_url, caplog))


@pytest.mark.parametrize(
    ("target", "fault"),
    [
        # One form of Retry-After is enough: which form the wait takes changes nothing here.
        pytest.param(t, f, id=f"{t.name}-{f.name}")
        for t, f in PAIRS
        if retried(t, f) and f.kind != "refused" and f.name not in OTHER_RETRY_AFTER_FORMS
    ],
)
@pytest.mark.asyncio
async def test_a_lasting_fault_exhausts_the_retries(
    target: Target, fault: Fault, refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    strikes = 1 + NO_WAIT.max_retries
    check(target, fault, strikes, await observe_async(target, fault, strikes, refused_url, caplog))
