"""Response metadata for callers who need more than the parsed object.

The transport records the final response of a call into a slot held in a context variable, so
metadata is captured per task: concurrent calls through one client never see each other's.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

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


capture: contextvars.ContextVar[CaptureSlot | None] = contextvars.ContextVar(
    "revox_async_capture", default=None
)
