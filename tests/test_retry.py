"""The retry policy on its own: pure decisions, no network, no clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from revox_async import APIConnectionError, APITimeoutError, InternalServerError, RetryBudget
from revox_async._request import Failure, Repeat
from revox_async._response import retry_after
from revox_async._retry import (
    RetryBucket,
    RetryBuckets,
    RetryPolicy,
    may_retry_failure,
    may_retry_status,
    next_delay,
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


def test_hints_without_a_deadline_are_honoured_up_to_the_cap() -> None:
    assert next_delay(RetryPolicy(), retries_done=0, remaining=None, hint=60.0) == 60.0
    assert next_delay(RetryPolicy(), retries_done=0, remaining=None, hint=3600.0) is None
    patient = RetryPolicy(max_retry_after=3600)
    assert next_delay(patient, retries_done=0, remaining=None, hint=3600.0) == 3600.0


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

    def test_negative_counts_as_absent(self) -> None:
        assert retry_after({"retry-after": "-5"}) is None

    def test_absent(self) -> None:
        assert retry_after({}) is None

    def test_bad_milliseconds_fall_back_to_seconds(self) -> None:
        assert retry_after({"retry-after-ms": "x", "retry-after": "2"}) == 2.0


def _unavailable() -> InternalServerError:
    return InternalServerError(
        "unavailable",
        method="GET",
        url="https://api.test/x",
        status_code=503,
        headers={},
        body=None,
        request_id=None,
    )


def _timed_out() -> APITimeoutError:
    return APITimeoutError("timed out", method="GET", url="https://api.test/x")


def _not_connected() -> APIConnectionError:
    return APIConnectionError(
        "cannot connect", method="GET", url="https://api.test/x", maybe_processed=False
    )


class TestRetryBudget:
    def test_defaults_pay_for_a_hundred_retries(self) -> None:
        budget = RetryPolicy().budget
        assert budget == RetryBudget(
            capacity=500, retry_cost=5, timeout_retry_cost=10, success_refill=1
        )

    def test_a_retry_costs_more_after_a_timeout(self) -> None:
        bucket = RetryBucket(RetryBudget(capacity=100))
        assert bucket.spend(_unavailable())
        assert bucket.tokens == 95
        assert bucket.spend(_timed_out())
        assert bucket.tokens == 85

    def test_retrying_what_never_reached_the_server_is_free(self) -> None:
        bucket = RetryBucket(RetryBudget(capacity=5))
        bucket.tokens = 0
        assert bucket.spend(_not_connected())
        assert bucket.tokens == 0
        connect_timeout = APITimeoutError(
            "timed out connecting", method="GET", url="https://api.test/x", maybe_processed=False
        )
        assert bucket.spend(connect_timeout)
        assert not bucket.spend(_timed_out())

    def test_an_empty_bucket_refuses_and_marks_the_error(self) -> None:
        bucket = RetryBucket(RetryBudget(capacity=12))
        assert bucket.spend(_unavailable())
        error = _timed_out()
        assert not bucket.spend(error)
        assert error.retry_budget_spent
        assert "retry budget is spent" in str(error)
        # A refused retry takes nothing: a cheaper one still fits.
        assert bucket.tokens == 7
        assert bucket.spend(_unavailable())
        assert bucket.tokens == 2

    def test_an_error_not_refused_says_nothing_of_the_budget(self) -> None:
        error = _unavailable()
        assert RetryBucket(RetryBudget()).spend(error)
        assert not error.retry_budget_spent
        assert "budget" not in str(error)
        assert "budget" not in str(APIConnectionError("down", method="GET", url="https://a.test"))

    def test_a_success_refills_and_a_retried_success_refunds(self) -> None:
        bucket = RetryBucket(RetryBudget(capacity=100))
        bucket.tokens = 50
        bucket.refill(0)
        assert bucket.tokens == 51
        bucket.refill(2)
        assert bucket.tokens == 61

    def test_the_bucket_never_holds_more_than_its_capacity(self) -> None:
        bucket = RetryBucket(RetryBudget(capacity=10))
        bucket.refill(0)
        bucket.refill(3)
        assert bucket.tokens == 10

    @pytest.mark.parametrize(
        "field", ["capacity", "retry_cost", "timeout_retry_cost", "success_refill"]
    )
    def test_negative_settings_are_refused(self, field: str) -> None:
        with pytest.raises(ValueError, match=field):
            RetryBudget(**{field: -1})

    def test_one_bucket_per_budget_setting(self) -> None:
        buckets = RetryBuckets()
        default = buckets.for_policy(RetryPolicy())
        assert default is not None
        assert buckets.for_policy(RetryPolicy(max_retries=5, initial_delay=0)) is default
        other = buckets.for_policy(RetryPolicy(budget=RetryBudget(capacity=10)))
        assert other is not None
        assert other is not default
        assert other.tokens == 10
        assert buckets.for_policy(RetryPolicy(budget=None)) is None
