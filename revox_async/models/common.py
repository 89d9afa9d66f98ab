"""Objects shared by several resources: members, retry settings, small value objects."""

from __future__ import annotations

import attrs

from .._model import ApiEnum, RevoxModel


class CallOutcome(ApiEnum):
    """How a call ended for the business. Filters also accept ``NONE`` for "no outcome"."""

    NOT_INTERESTED = "not_interested"
    INTERESTED = "interested"
    COMPLETED = "completed"
    REQUESTED_CALLBACK_LATER = "requested_callback_later"
    NONE = "none"


class Weekday(ApiEnum):
    """A day on which calls may be placed."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


@attrs.frozen(kw_only=True)
class MemberRef(RevoxModel):
    """A member of the organization, as referenced by the objects they created or handled."""

    id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None


@attrs.frozen(kw_only=True)
class CallingWindow(RevoxModel):
    """A daily time range during which calls may be placed, in the recipient's time zone.

    Times are ``HH:mm`` (24-hour) or ``H[:mm]am``/``pm`` text such as ``"09:00"`` or ``"6pm"``.
    """

    calling_window_start_time: str
    calling_window_end_time: str
    retry_delay_seconds: int


@attrs.frozen(kw_only=True)
class CallRetryConfig(RevoxModel):
    """When and how often an unanswered call is tried again."""

    calling_windows: list[CallingWindow]
    max_retry_attempts: int
    allowed_days: list[Weekday | str] | None = None
    call_twice_in_a_row: bool | None = None
    timezone: str | None = None


@attrs.frozen(kw_only=True)
class KeyValuePair(RevoxModel):
    """A named string value (HTTP headers, query parameters, speech-to-text context)."""

    key: str
    value: str


@attrs.frozen(kw_only=True)
class Position(RevoxModel):
    """A point on the flow editor's canvas."""

    x: float
    y: float
