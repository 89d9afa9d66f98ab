"""Reading what the server answered: its request id, its wait hints, the error of a failed
status, and the metadata of a call's final response.

The retry loop records that metadata into a slot held in a context variable, so it is captured
per task: concurrent calls through one client never see each other's.
"""

from __future__ import annotations

import contextvars
import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

import attrs

from ._errors import APIStatusError, status_error_class

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ResponseInfo:
    """What the server answered to the last attempt of a call."""

    method: str
    url: str
    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    request_id: str | None
    elapsed: float
    """Seconds from the first attempt's start to the final response."""
    retries_taken: int
    maybe_processed_before: bool = False
    """Whether an earlier attempt failed in a way that may have let the server act on it."""


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """A call's parsed result together with the response it came from."""

    data: T
    info: ResponseInfo

    @property
    def status_code(self) -> int:
        """The HTTP status of the final response."""
        return self.info.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers of the final response (case-insensitive)."""
        return self.info.headers

    @property
    def request_id(self) -> str | None:
        """The server's id for the request, when it sent one."""
        return self.info.request_id

    def parse(self) -> T:
        """The parsed result (the name the official SDK's raw responses use)."""
        return self.data


@attrs.define
class CaptureSlot:
    info: ResponseInfo | None = None


REQUEST_ID_HEADERS = ("x-request-id", "request-id")


def request_id(headers: Mapping[str, str]) -> str | None:
    """The server's id for this request, when it sent one."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def _server_message(body: Any) -> str | None:
    if isinstance(body, str):
        return body.strip()[:500] or None
    if not isinstance(body, Mapping):
        return None
    for key in ("error", "message", "detail"):
        value = body.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, Mapping):
            nested = _server_message(value)
            if nested:
                return nested
    return None


def decode_error_body(content: bytes) -> Any:
    """An error body as JSON when it is JSON, else as text."""
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def status_error(
    *, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes
) -> APIStatusError:
    """The error for a 4xx/5xx response, carrying the server's message and request id."""
    body = decode_error_body(content)
    cls = status_error_class(status)
    error = cls(
        _server_message(body) or f"HTTP {status}",
        method=method,
        url=url,
        status_code=status,
        headers=headers,
        body=body,
        request_id=request_id(headers),
    )
    error.retry_after = retry_after(headers)
    return error


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


capture: contextvars.ContextVar[CaptureSlot | None] = contextvars.ContextVar(
    "revox_async_capture", default=None
)
