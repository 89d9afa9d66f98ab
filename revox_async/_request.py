"""What the request layers pass each other: a request, its reply, and the attempt that turns
one into the other.

An attempt sends a request once; the retry loop calls it again as the policy allows, and a
wrapper (tracing) can stand between them since it has the same shape.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from ._errors import APIConnectionError

if TYPE_CHECKING:
    from ._config import Timeout


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


# Plain (not frozen) attrs classes: built on every call, they only carry values, and frozen
# attrs instances cost twice as much to create.


@attrs.define(kw_only=True)
class Request:
    """One API request, ready to send. ``url`` carries no credentials.

    The retry loop sets ``retries`` and ``time_left`` before each attempt.
    """

    name: str
    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: bytes | None = attrs.field(default=None, repr=False)
    timeout: Timeout
    retries: int = 0
    """How many attempts came before this one."""
    time_left: float | None = None
    """Seconds left of the call's total timeout; None for no limit."""


@attrs.define(kw_only=True)
class Reply:
    """A response of any status, read in full."""

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    content: bytes = attrs.field(repr=False)
    content_type: str


Attempt = Callable[[Request], Awaitable[Reply]]
"""Send a request once. A failure before a status arrived raises :class:`AttemptFailed`."""


class AttemptFailed(Exception):
    """An attempt got no status: how it failed, and the error to raise if no retry follows."""

    def __init__(self, failure: Failure, error: APIConnectionError) -> None:
        super().__init__(str(error))
        self.failure = failure
        self.error = error
