"""When to send a request again, and after how long. Pure: no I/O, no clock of its own.

The rule that matters most: a request with side effects (one that may dial a phone or create
something) is resent only when the failure proves the server never processed it.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import attrs


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


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Bounds and pacing of retries.

    ``max_retries`` bounds the number of extra attempts; the caller's total timeout bounds the
    time. Waits use exponential backoff with full jitter (``initial_delay * 2**n``, capped at
    ``max_delay``) unless the server says how long to wait.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))

    def backoff(self, retries_done: int, rand: Callable[[], float] = random.random) -> float:
        """A full-jitter wait before retry number ``retries_done + 1``."""
        return rand() * min(self.max_delay, self.initial_delay * 2.0**retries_done)


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The server's wait hint in seconds: ``retry-after-ms``, or ``Retry-After`` as seconds or
    an HTTP date. None when absent or unreadable."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    waited: float = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return max(0.0, waited)


def may_retry_status(repeat: Repeat, status: int) -> bool:
    """Whether a response with ``status`` may be followed by another attempt."""
    if repeat is Repeat.NEVER:
        return status in NOT_PROCESSED_STATUSES
    return status in RETRYABLE_STATUSES or status >= 500


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
    deadline (None: no deadline). A wait that would end past the deadline means giving up now
    rather than failing later.
    """
    if retries_done >= policy.max_retries:
        return None
    delay = hint if hint is not None else policy.backoff(retries_done, rand)
    if remaining is not None and delay >= remaining:
        return None
    return delay
