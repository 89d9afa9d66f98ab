"""A controllable clock: every timestamp the fake produces comes from here."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

DEFAULT_START = datetime(2025, 3, 14, 17, 0, 0, tzinfo=timezone.utc)


class FakeClock:
    """UTC clock that only moves when told to (or, with ``realtime=True``, also with wall time).

    Tests use the frozen default so that call lifecycles are deterministic; the standalone
    server uses ``realtime=True`` so that calls progress on their own while a human watches.
    """

    def __init__(self, start: datetime | None = None, *, realtime: bool = False) -> None:
        start = DEFAULT_START if start is None else start
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._base = start.astimezone(timezone.utc)
        self._offset = 0.0
        self._realtime = realtime
        self._wall_start = time.monotonic()

    def now(self) -> datetime:
        elapsed = self._offset
        if self._realtime:
            elapsed += time.monotonic() - self._wall_start
        return self._base + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward; returns the new current time."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        self._offset += seconds
        return self.now()


def isoformat(moment: datetime) -> str:
    """Render like the API does: millisecond precision and a ``Z`` suffix."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date-time; naive values are taken as UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_optional_datetime(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def seconds_between(start: str | None, end: str | None) -> int | None:
    """Whole seconds from one API timestamp to another; None when either is missing."""
    if not start or not end:
        return None
    return round((parse_datetime(end) - parse_datetime(start)).total_seconds())
