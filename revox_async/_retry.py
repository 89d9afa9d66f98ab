"""When to send a request again, and after how long. No I/O, no clock of its own.

The rule that matters most: a request with side effects (one that may dial a phone or create
something) is resent only when the failure proves the server never processed it.

The decisions are pure functions; the only state is the retry budget's bucket
(:class:`RetryBucket`), which a client and the clients derived from it share.
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import attrs

from . import _limits
from ._errors import APIConnectionError, APIError, APITimeoutError


class Repeat(enum.Enum):
    """Whether an endpoint may be sent twice."""

    SAFE = "safe"
    """Reads and idempotent writes: resending changes nothing."""

    NEVER = "never"
    """Side effects (places calls, launches, creates): resent only if provably not processed."""


class Failure(enum.Enum):
    """How an attempt failed before a status code arrived."""

    NOT_SENT = "not_sent"
    """The connection could not be opened: the server never saw the request."""

    MAYBE_PROCESSED = "maybe_processed"
    """The request may have reached the server (timeout or connection lost after sending)."""


RETRYABLE_STATUSES = frozenset({408, 429})
"""Besides 5xx, the statuses worth retrying on endpoints that are safe to repeat."""

NOT_PROCESSED_STATUSES = frozenset({429})
"""Statuses that say the server refused the request before acting on it."""


def _count_at_least(least: int) -> Callable[[Any, attrs.Attribute[int], int], None]:
    def check(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
        _limits.count(value, f"{type(instance).__name__}.{attribute.name}", least=least)

    return check


def _delay(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    _limits.delay(value, f"{type(instance).__name__}.{attribute.name}")


def _positive_delay(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    _limits.delay(value, f"{type(instance).__name__}.{attribute.name}", allow_zero=False)


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


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The server's wait hint in seconds: ``retry-after-ms``, or ``Retry-After`` as seconds or
    an HTTP date (one in the past means now). None when absent, unreadable, negative or not
    finite."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _seconds(millis)
        if seconds is not None:
            return seconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    waited: float = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return max(0.0, waited)


def _seconds(text: str) -> float | None:
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def server_says_retry(headers: Mapping[str, str]) -> bool | None:
    """The server's ``x-should-retry`` verdict; None when it gave none."""
    value = headers.get("x-should-retry", "").strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    return None


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
