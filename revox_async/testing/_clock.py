"""A controllable clock: every timestamp the fake produces comes from here."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from .._structure.timestamps import parse_timestamp

FAST_SPEED = 100.0
"""Fake seconds per real second of a clock that nobody drives: a call lasts well under a second."""


def _wall_now() -> datetime:
    # Whole milliseconds, the precision of the API's timestamps, so that a time read from a
    # response equals the clock's own.
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class FakeClock:
    """A UTC clock that starts at the current wall time and moves when told to.

    By default it stands still until :meth:`advance` moves it, so that call lifecycles in
    tests are deterministic. With ``realtime=True`` it also runs on its own, ``speed`` fake
    seconds per real second (``speed=1`` follows wall time).
    """

    def __init__(
        self, start: datetime | None = None, *, realtime: bool = False, speed: float = 1.0
    ) -> None:
        start = _wall_now() if start is None else start
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if not speed > 0:
            raise ValueError("speed must be greater than 0")
        if speed != 1.0 and not realtime:
            raise ValueError("speed applies to a realtime clock: pass realtime=True")
        self._base = start.astimezone(timezone.utc)
        self._offset = 0.0
        self._speed = speed if realtime else 0.0
        self._wall_start = time.monotonic()

    @property
    def realtime(self) -> bool:
        """Whether the clock runs on its own, besides :meth:`advance`."""
        return self._speed > 0

    def now(self) -> datetime:
        elapsed = self._offset + (time.monotonic() - self._wall_start) * self._speed
        return self._base + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward; returns the new current time."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        self._offset += seconds
        return self.now()


class _UndrivenClock(FakeClock):
    """Runs fast on its own until someone moves it by hand; from then on it only moves so."""

    def __init__(self) -> None:
        super().__init__(realtime=True, speed=FAST_SPEED)

    def advance(self, seconds: float) -> datetime:
        if self.realtime:
            # Keep the time reached so far, then stop following the wall clock.
            self._offset = (self.now() - self._base).total_seconds()
            self._speed = 0.0
        return super().advance(seconds)


def default_clock() -> FakeClock:
    """The clock of a fake created without one.

    Inside a pytest test it stands still until the test moves it, as tests expect. Elsewhere
    (a script, a notebook, a program under development) nothing would ever move it, and a
    ``calls.wait`` would wait out its timeout: there it runs :data:`FAST_SPEED` times faster
    than wall time until the first :meth:`FakeClock.advance`.
    """
    if "PYTEST_CURRENT_TEST" in os.environ:
        return FakeClock()
    return _UndrivenClock()


def isoformat(moment: datetime) -> str:
    """Render like the API does: millisecond precision and a ``Z`` suffix."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date-time; naive values are taken as UTC.

    The SDK's own grammar decides what is a date-time, not ``datetime.fromisoformat``, which
    reads more forms from Python 3.11 on.
    """
    parsed = parse_timestamp(value)
    if not isinstance(parsed, datetime):
        raise ValueError(f"not an ISO 8601 date-time: {value!r}")
    return parsed.astimezone(timezone.utc)


def parse_optional_datetime(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def seconds_between(start: str | None, end: str | None) -> int | None:
    """Whole seconds from one API timestamp to another; None when either is missing."""
    if not start or not end:
        return None
    return round((parse_datetime(end) - parse_datetime(start)).total_seconds())
