"""The retry policy on its own: pure decisions, no network, no clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from revox_async._retry import (
    Failure,
    Repeat,
    RetryPolicy,
    may_retry_failure,
    may_retry_status,
    next_delay,
    retry_after,
)

NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_safe_endpoints_retry_transient_statuses(status: int) -> None:
    assert may_retry_status(Repeat.SAFE, status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_never_retried(status: int) -> None:
    assert not may_retry_status(Repeat.SAFE, status)
    assert not may_retry_status(Repeat.NEVER, status)


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_side_effects_are_not_resent_after_the_server_may_have_acted(status: int) -> None:
    assert not may_retry_status(Repeat.NEVER, status)


def test_side_effects_are_resent_after_429_which_proves_nothing_was_done() -> None:
    assert may_retry_status(Repeat.NEVER, 429)


def test_failures_before_sending_are_always_retryable() -> None:
    assert may_retry_failure(Repeat.NEVER, Failure.NOT_SENT)
    assert may_retry_failure(Repeat.SAFE, Failure.NOT_SENT)


def test_failures_after_sending_are_retryable_only_when_safe() -> None:
    assert may_retry_failure(Repeat.SAFE, Failure.MAYBE_PROCESSED)
    assert not may_retry_failure(Repeat.NEVER, Failure.MAYBE_PROCESSED)


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0)
    assert policy.backoff(0, rand=lambda: 1.0) == 0.5
    assert policy.backoff(2, rand=lambda: 1.0) == 2.0
    assert policy.backoff(10, rand=lambda: 1.0) == 4.0
    assert policy.backoff(3, rand=lambda: 0.0) == 0.0
    assert policy.backoff(1, rand=lambda: 0.5) == 0.5


def test_attempts_are_bounded() -> None:
    policy = RetryPolicy(max_retries=2)
    assert next_delay(policy, retries_done=1, remaining=None, rand=lambda: 0.5) is not None
    assert next_delay(policy, retries_done=2, remaining=None) is None
    assert next_delay(RetryPolicy(max_retries=0), retries_done=0, remaining=None) is None


def test_server_hint_replaces_backoff() -> None:
    assert next_delay(RetryPolicy(), retries_done=0, remaining=100.0, hint=42.0) == 42.0


def test_a_wait_past_the_deadline_means_giving_up_now() -> None:
    assert next_delay(RetryPolicy(), retries_done=0, remaining=5.0, hint=30.0) is None
    assert next_delay(RetryPolicy(), retries_done=0, remaining=5.0, hint=4.0) == 4.0
    slow = RetryPolicy(initial_delay=10, max_delay=10)
    assert next_delay(slow, retries_done=0, remaining=5.0, rand=lambda: 1.0) is None


def test_long_hints_are_honoured_without_a_deadline() -> None:
    assert next_delay(RetryPolicy(), retries_done=0, remaining=None, hint=3600.0) == 3600.0


class TestRetryAfter:
    def test_seconds(self) -> None:
        assert retry_after({"retry-after": "7"}) == 7.0
        assert retry_after({"retry-after": "1.5"}) == 1.5

    def test_milliseconds_win(self) -> None:
        assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25

    def test_http_date(self) -> None:
        header = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
        assert retry_after({"retry-after": header}, now=NOW) == 30.0

    def test_date_in_the_past_means_now(self) -> None:
        header = format_datetime(NOW - timedelta(seconds=30), usegmt=True)
        assert retry_after({"retry-after": header}, now=NOW) == 0.0

    @pytest.mark.parametrize("value", ["soon", "", "-"])
    def test_unreadable_values_are_ignored(self, value: str) -> None:
        assert retry_after({"retry-after": value}) is None

    def test_negative_is_clamped(self) -> None:
        assert retry_after({"retry-after": "-5"}) == 0.0

    def test_absent(self) -> None:
        assert retry_after({}) is None

    def test_bad_milliseconds_fall_back_to_seconds(self) -> None:
        assert retry_after({"retry-after-ms": "x", "retry-after": "2"}) == 2.0
