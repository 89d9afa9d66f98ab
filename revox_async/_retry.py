"""When to send a request again, after how long, and the loop that does it.

The rule that matters most: a request with side effects (one that may dial a phone or create
something) is resent only when the failure proves the server never processed it.

The decisions are pure functions; the retry budget's bucket (:class:`RetryBucket`), shared by a
client and the clients derived from it, is their only state. :func:`send_with_retries` runs an
attempt until it succeeds, fails for good, or the time is up.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, Protocol

import attrs
from multidict import CIMultiDict
from yarl import URL

from ._config import count, delay
from ._errors import APIConnectionError, APIError, APITimeoutError
from ._logging import logger
from ._request import Attempt, AttemptFailed, Failure, Repeat, Reply, Request
from ._response import ResponseInfo, capture, request_id, server_says_retry, status_error

RETRYABLE_STATUSES = frozenset({408, 429})
"""Besides 5xx, the statuses worth retrying on endpoints that are safe to repeat."""

NOT_PROCESSED_STATUSES = frozenset({429})
"""Statuses that say the server refused the request before acting on it."""


def _count_at_least(least: int) -> Callable[[Any, attrs.Attribute[int], int], None]:
    def check(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
        count(value, f"{type(instance).__name__}.{attribute.name}", least=least)

    return check


def _delay(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    delay(value, f"{type(instance).__name__}.{attribute.name}")


def _positive_delay(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    delay(value, f"{type(instance).__name__}.{attribute.name}", allow_zero=False)


@attrs.frozen(kw_only=True)
class RetryBudget:
    """How many retries a client may spend while requests keep failing.

    Retries spend tokens from a bucket of ``capacity``: ``retry_cost`` each, or
    ``timeout_retry_cost`` after a timeout (a slow server is the one most hurt by more load).
    A call that succeeds without a retry adds ``success_refill``; one that succeeds after
    retries gives back ``retry_cost`` for each of them. An empty bucket means failures are
    raised at once, with ``retry_budget_spent`` set on the error. First attempts are never
    refused: the budget bounds the extra load retries add to the server, not the traffic
    itself, so retrying a request that never reached it (the connection could not be opened)
    is free.

    The defaults let a client retry isolated failures every time, while an outage costs at
    most ``capacity / retry_cost`` (100) retries before successes earn them back.
    """

    capacity: int = attrs.field(default=500, validator=_count_at_least(1))
    retry_cost: int = attrs.field(default=5, validator=_count_at_least(1))
    timeout_retry_cost: int = attrs.field(default=10, validator=_count_at_least(1))
    success_refill: int = attrs.field(default=1, validator=_count_at_least(0))


def _budget(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, RetryBudget):
        raise TypeError(f"RetryPolicy.budget must be a RetryBudget or None, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Bounds and pacing of retries.

    ``max_retries`` bounds the number of extra attempts; the caller's total timeout bounds the
    time. Waits use exponential backoff with full jitter (``initial_delay * 2**n``, capped at
    ``max_delay``) unless the server says how long to wait. A server's wait longer than the
    call has left, or, for a call without a total timeout, longer than ``max_retry_after``
    seconds, is not waited: the error is raised at once, the hint in its ``retry_after``.
    ``budget`` bounds the retries of the whole client during an outage (see
    :class:`RetryBudget`); None turns that bound off.

    ``reconcile_creates`` lets ``calls.create`` find out, after a failure that leaves the
    outcome unknown, whether the call was placed, and resend it only when it surely was not;
    ``reconcile_window`` is how many seconds that search for the call may take (see the
    "Exactly once" guide). False keeps such a failure raised as it is.
    """

    max_retries: int = attrs.field(default=2, validator=_count_at_least(0))
    initial_delay: float = attrs.field(default=0.5, validator=_delay)
    max_delay: float = attrs.field(default=8.0, validator=_delay)
    max_retry_after: float = attrs.field(default=60.0, validator=_positive_delay)
    budget: RetryBudget | None = attrs.field(default=RetryBudget(), validator=_budget)
    reconcile_creates: bool = attrs.field(
        default=True, validator=attrs.validators.instance_of(bool)
    )
    reconcile_window: float = attrs.field(default=10.0, validator=_positive_delay)

    def backoff(self, retries_done: int, rand: Callable[[], float] = random.random) -> float:
        """A full-jitter wait before retry number ``retries_done + 1``."""
        return rand() * min(self.max_delay, self.initial_delay * 2.0**retries_done)


def may_retry_status(repeat: Repeat, status: int, *, server_says: bool | None = None) -> bool:
    """Whether a response with ``status`` may be followed by another attempt.

    ``server_says`` is the server's ``x-should-retry``: False always stops; True lets an
    endpoint safe to repeat retry any error status, but never makes a side effect repeatable.
    """
    if server_says is False:
        return False
    if repeat is Repeat.NEVER:
        return status in NOT_PROCESSED_STATUSES
    return server_says is True or status in RETRYABLE_STATUSES or status >= 500


def may_retry_failure(repeat: Repeat, failure: Failure) -> bool:
    """Whether a failed attempt may be followed by another one."""
    return failure is Failure.NOT_SENT or repeat is Repeat.SAFE


def next_delay(
    policy: RetryPolicy,
    *,
    retries_done: int,
    remaining: float | None,
    hint: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """How long to wait before the next attempt, or None when no attempt may follow.

    ``hint`` is the server's Retry-After; ``remaining`` the time left before the caller's
    deadline (None: no deadline, and then a hint is waited at most ``policy.max_retry_after``).
    A wait that would end past the deadline means giving up now rather than failing later.
    """
    if retries_done >= policy.max_retries:
        return None
    if hint is not None and remaining is None and hint > policy.max_retry_after:
        return None
    delay = hint if hint is not None else policy.backoff(retries_done, rand)
    if remaining is not None and delay >= remaining:
        return None
    return delay


class RetryBucket:
    """The tokens of one :class:`RetryBudget`, spent by the retries of every call that uses it.

    There is no lock: the async client runs its calls on one event loop, and the sync client
    runs them on the one loop of its background thread, so two calls never update the bucket
    at the same instant (nothing here awaits between reading and writing the tokens).
    """

    def __init__(self, budget: RetryBudget) -> None:
        self.budget = budget
        self.tokens = budget.capacity

    def spend(self, error: APIError) -> bool:
        """Pay for a retry after ``error``. When the bucket cannot, take nothing, mark the
        error as refused for that reason, and return False."""
        if isinstance(error, APIConnectionError) and not error.maybe_processed:
            # The server never saw it: the retry adds no work to the service the budget
            # protects.
            return True
        timed_out = isinstance(error, APITimeoutError)
        cost = self.budget.timeout_retry_cost if timed_out else self.budget.retry_cost
        if cost > self.tokens:
            error.retry_budget_spent = True
            return False
        self.tokens -= cost
        return True

    def refill(self, retries: int) -> None:
        """A call succeeded after ``retries`` retries: give back their price, or reward a
        success that needed none."""
        budget = self.budget
        earned = retries * budget.retry_cost if retries else budget.success_refill
        self.tokens = min(budget.capacity, self.tokens + earned)


class RetryBuckets:
    """The buckets of a client and of the clients derived from it: one per budget setting,
    so that ``with_options`` children with the same budget draw from the same bucket."""

    def __init__(self) -> None:
        self._by_budget: dict[RetryBudget, RetryBucket] = {}

    def for_policy(self, policy: RetryPolicy) -> RetryBucket | None:
        """The bucket ``policy`` draws from; None when it has no budget."""
        if policy.budget is None:
            return None
        bucket = self._by_budget.get(policy.budget)
        if bucket is None:
            # ``with_options`` may run in any thread of a sync client's callers; setdefault is
            # atomic, so two threads deriving clients at once still get one bucket.
            bucket = self._by_budget.setdefault(policy.budget, RetryBucket(policy.budget))
        return bucket


class Line(Protocol):
    """What the loop needs of the transport between attempts."""

    @property
    def closed(self) -> bool: ...

    async def wait_to_retry(
        self, request: Request, delay: float, reason: str, *, maybe_processed: bool
    ) -> None:
        """Sleep ``delay`` seconds; raise :class:`ClientClosedError` if the client closes."""


async def send_with_retries(
    request: Request,
    attempt: Attempt,
    line: Line,
    *,
    policy: RetryPolicy,
    repeat: Repeat,
    budget: RetryBucket | None,
) -> Reply:
    """Send ``request`` through ``attempt`` until it succeeds (2xx), fails for good, or the time
    is up; a failed status raises its :class:`APIStatusError`.

    ``budget`` pays for retries (none when it is spent).
    """
    started = time.monotonic()
    total = request.timeout.total
    deadline = None if total is None else started + total
    request.retries = 0
    request.time_left = total
    attempt_started = started
    # Whether an earlier attempt failed in a way that may have let the server act on it.
    acted_before = False
    while True:
        try:
            reply = await attempt(request)
        except AttemptFailed as failed:
            _log_attempt(request, attempt_started, failed.failure.value)
            error: APIError = failed.error
            hint = None
            may_retry = not line.closed and may_retry_failure(repeat, failed.failure)
            maybe_processed = failed.error.maybe_processed
            cause: BaseException | None = failed.__cause__
            reason = failed.failure.value
        else:
            status = reply.status
            _log_attempt(request, attempt_started, str(status))
            # Recorded whatever the status: a caller that turns an error status into a result
            # (a DELETE answered 404 after an ambiguous attempt) still has its response.
            slot = capture.get()
            if slot is not None:
                slot.info = ResponseInfo(
                    method=request.method,
                    url=request.url,
                    status_code=status,
                    # A copy: aiohttp's read-only view of them would keep the result from
                    # pickling (a worker process returning it to its parent).
                    headers=CIMultiDict(reply.headers),
                    request_id=request_id(reply.headers),
                    elapsed=time.monotonic() - started,
                    retries_taken=request.retries,
                    maybe_processed_before=acted_before,
                )
            if 200 <= status < 300:
                if budget is not None:
                    budget.refill(request.retries)
                return reply
            status_failure = status_error(
                method=request.method,
                url=request.url,
                status=status,
                headers=reply.headers,
                content=reply.content,
            )
            status_failure.maybe_processed_before = acted_before
            error, hint, cause = status_failure, status_failure.retry_after, None
            reason = f"status {status}"
            may_retry = may_retry_status(
                repeat, status, server_says=server_says_retry(reply.headers)
            )
            # Only a status that proves the request was refused untouched (429) is retried for
            # a side effect, so that is what "maybe processed" rests on.
            maybe_processed = not may_retry_status(Repeat.NEVER, status)
        wait = None
        if may_retry:
            remaining = None if deadline is None else deadline - time.monotonic()
            wait = next_delay(policy, retries_done=request.retries, remaining=remaining, hint=hint)
        if wait is None or (budget is not None and not budget.spend(error)):
            raise error from cause
        await line.wait_to_retry(request, wait, reason, maybe_processed=maybe_processed)
        acted_before = acted_before or maybe_processed
        request.retries += 1
        attempt_started = time.monotonic()
        request.time_left = None if deadline is None else deadline - attempt_started


def _log_attempt(request: Request, started: float, outcome: str) -> None:
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "%s %s -> %s (attempt %d, %.1f ms)",
            request.method,
            URL(request.url, encoded=True).path_qs,
            outcome,
            request.retries + 1,
            (time.monotonic() - started) * 1000,
        )
