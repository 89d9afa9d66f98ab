"""The exception hierarchy.

Every error the SDK raises on purpose derives from :class:`RevoxError`. Errors never hold the API
key: requests are described by method and a URL stripped of credentials, and headers kept on an
error are the *response* headers, which the server sends without the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict

if TYPE_CHECKING:
    from .models.calls import Call


class RevoxError(Exception):
    """Base class of every error raised by revox-async."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt without __init__, whose keyword-only arguments pickle's default would not pass:
        # a worker process of a multiprocessing pool can raise these to its parent.
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls: type[RevoxError], args: tuple[Any, ...]) -> RevoxError:
    error = cls.__new__(cls)
    error.args = args
    return error


class APIError(RevoxError):
    """A request to the Revox API failed.

    ``method`` and ``url`` name the request (the URL never carries credentials).
    ``retry_budget_spent`` is True when the failure would have been retried but the client's
    retry budget was spent (see :class:`~revox_async.RetryBudget`).
    """

    retry_budget_spent: bool = False

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url

    def __str__(self) -> str:
        return f"{self.message} ({self.method} {self.url}){self._budget_note()}"

    def _budget_note(self) -> str:
        if not self.retry_budget_spent:
            return ""
        return "; not retried: the client's retry budget is spent (too many recent failures)"


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed, broke, or the client was closed.

    ``maybe_processed`` is False only when the request provably never reached the server (the
    connection could not be opened), which is what makes resending a side effect safe.
    """

    def __init__(
        self, message: str, *, method: str, url: str, maybe_processed: bool = True
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.maybe_processed = maybe_processed


class ClientClosedError(APIConnectionError):
    """The client was closed before the call could finish, or the call came after the close.

    Raised by a call in flight when ``close()`` ends it (waiting for a pooled connection, sending,
    waiting to retry, or between the polls of ``calls.wait``), and by every call made afterwards.
    ``maybe_processed`` is False when the request is known not to have reached the server.
    """


class APITimeoutError(APIConnectionError):
    """The request did not complete within its time budget."""


class APIResponseValidationError(APIError):
    """The server answered with success, but the body is not what the API promises."""

    def __init__(
        self, message: str, *, method: str, url: str, status_code: int, body: bytes
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    The subclass says which status; ``body`` holds the decoded JSON body (or the text when the
    body is not JSON), ``request_id`` the server's request id header when it sent one, and
    ``retry_after`` the server's wait hint in seconds (``Retry-After`` or ``retry-after-ms``;
    None when absent, unreadable, negative or not finite). ``maybe_processed_before`` is True
    when this answer came to a retry after an attempt the server may have carried out (it timed
    out, broke or failed with a 5xx): a 404 or 409 may then be that attempt's doing.
    """

    retry_after: float | None = None
    maybe_processed_before: bool = False

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: Mapping[str, str],
        body: Any,
        request_id: str | None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.request_id = request_id

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild, args, state = super().__reduce__()
        # aiohttp's read-only view of the headers does not pickle; a copy of them does.
        return rebuild, args, {**state, "headers": CIMultiDict(self.headers)}

    def __str__(self) -> str:
        rid = f", request id {self.request_id}" if self.request_id else ""
        note = self._budget_note()
        if self.maybe_processed_before:
            note += "; an earlier attempt, which failed after it was sent, may have done this"
        return f"{self.status_code} {self.message} ({self.method} {self.url}{rid}){note}"


class BadRequestError(APIStatusError):
    """400: the server rejected the request as malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or route)."""


class ConflictError(APIStatusError):
    """409: the resource's state forbids this (e.g. deleting a voice still in use)."""


class UnprocessableEntityError(APIStatusError):
    """422: the body was well formed but a field is invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` holds the server's wait hint in seconds."""


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class CallWaitTimeout(RevoxError, TimeoutError):
    """``calls.wait`` reached its deadline before the call ended.

    ``call`` is the last state seen, so the caller can report progress or keep waiting.
    """

    def __init__(self, message: str, *, call: Call) -> None:
        super().__init__(message)
        self.call = call


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The error class for an HTTP error status."""
    if status >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status, APIStatusError)
