"""The only module that touches the network: one aiohttp session, and one attempt over it.

It also ends what is in flight when the client closes, and lets go of a parent's session in a
forked child.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import io
import os
import warnings
import weakref
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from ._errors import APIConnectionError, APITimeoutError, ClientClosedError, RevoxError
from ._logging import logger
from ._request import Attempt, AttemptFailed, Failure, Reply, Request
from ._sync import fork as _fork

LARGE_BODY = 1024 * 1024
"""Request bodies larger than this (bytes) are streamed."""

CLOSED_IN_FLIGHT = "the client was closed while the request was in flight"
CLOSED_BEFORE = "this client is closed; create a new one"


UNCLOSED = (
    "an AsyncRevox client was never closed: use `async with AsyncRevox() as client:` or call "
    "`await client.close()` when done with it"
)


class _Connected:
    """Set once an attempt holds a connection: until then nothing of it was sent."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = False


_connected: contextvars.ContextVar[_Connected | None] = contextvars.ContextVar(
    "revox_connected", default=None
)


class _Connector(aiohttp.TCPConnector):
    """A connector that tells the attempt in progress when it got its connection."""

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        connection = await super().connect(req, traces, timeout)
        progress = _connected.get()
        if progress is not None:
            progress.done = True
        return connection


class Transport:
    """One pooled session and the attempts sent over it.

    The session is created on first use, inside the running event loop, and closed exactly once
    by :meth:`close`, unless the caller supplied it, in which case it is theirs to close.
    """

    def __init__(
        self,
        *,
        connection_limit: int,
        session: aiohttp.ClientSession | None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._session = session
        self._owns_session = session is None
        # The headers most requests carry, as the session's own when it is the SDK's: aiohttp
        # then copies them at C speed instead of merging them name by name on every request.
        self._session_headers = headers if session is None else None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._closing = asyncio.Event()
        # The tasks inside an attempt, and those of them that close() cancelled: a cancellation
        # of ours becomes ClientClosedError, anyone else's stays a CancelledError.
        self._attempting: set[asyncio.Task[Any]] = set()
        self._ended_by_close: set[asyncio.Task[Any]] = set()
        self._pid = os.getpid()
        self._dropped: weakref.finalize[Any, Any] | None = None
        _fork.track(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def forget_parent(self) -> None:
        """In a forked child: start over with a new session, leaving the parent's untouched."""
        with _fork.reset_lock:
            if self._pid == os.getpid():
                return
            if self._owns_session and self._session is not None:
                # Closing the pool's connections here could send a FIN or a TLS close_notify
                # on the parent's sockets, and its finalizer would do just that: the session
                # lets go of it and the pool is marked closed, so nothing ever closes them.
                connector = self._session.connector
                self._session.detach()
                if connector is not None:
                    setattr(connector, "_closed", True)  # noqa: B010
                _fork.abandon(self._session, connector)
                if self._dropped is not None:
                    self._dropped.detach()
                self._session = None
                self._loop = None
            # A session of the caller's stays theirs, tied to the parent's loop: using it here
            # fails with the "another event loop" error below.
            self._closing = asyncio.Event()
            # The parent's tasks, on the parent's loop: not for a close in the child to cancel.
            self._attempting = set()
            self._ended_by_close = set()
            self._pid = os.getpid()

    def _get_session(self) -> aiohttp.ClientSession:
        if self._pid != os.getpid():
            self.forget_parent()
        if self._closed:
            raise RevoxError(CLOSED_BEFORE)
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=_Connector(limit=self._connection_limit),
                headers=self._session_headers,
            )
            if "_retry_connection" in aiohttp.ClientSession.ATTRS:
                # aiohttp quietly resends a GET or DELETE whose connection dropped, outside
                # max_retries, the time budget and the log; the retry policy decides instead.
                # The switch is private to aiohttp, hence the check that it still exists.
                self._session._retry_connection = False
            self._loop = loop
            # The finalizer, not the transport, holds the session: collected with a client
            # nothing refers to, the session would warn before anything could close it.
            self._dropped = weakref.finalize(self, _on_dropped, self._session, loop)
        elif self._loop is not None and self._loop is not loop:
            raise RevoxError(
                "this client's connections belong to another event loop; create one client per "
                "event loop, or use the sync client Revox from threads"
            )
        return self._session

    async def close(self) -> None:
        """Fail the calls in flight or waiting to retry with :class:`ClientClosedError`, and close
        the session if this transport created it. Safe to call more than once."""
        if self._pid != os.getpid():
            self.forget_parent()
        if self._closed:
            return
        self._closed = True
        self._closing.set()
        if self._dropped is not None:
            self._dropped.detach()
        # Cancelling the attempts ends them wherever they wait (for a pooled connection, on a
        # session of the caller's that stays open) and lets aiohttp release what they hold.
        for task in self._attempting:
            if task.cancel():
                self._ended_by_close.add(task)
        if self._owns_session and self._session is not None:
            await self._session.close()

    def close_unopened(self) -> None:
        """What :meth:`close` does to a transport that never opened its session: no loop needed."""
        if self._session is None:
            self._closed = True
            self._closing.set()

    def open_for(self, request: Request) -> None:
        """Make sure this transport can send ``request`` from the running loop: raise
        :class:`ClientClosedError` once closed, :class:`RevoxError` on another loop."""
        if self._closed:
            raise ClientClosedError(
                CLOSED_BEFORE, method=request.method, url=request.url, maybe_processed=False
            )
        self._get_session()

    def guarded(self, attempt: Attempt) -> Attempt:
        """``attempt`` made one that :meth:`close` can end: the cancellation it uses for that
        becomes :class:`ClientClosedError`, anyone else's stays a CancelledError."""

        async def guarded(request: Request) -> Reply:
            task = asyncio.current_task()
            if task is None:
                return await attempt(request)
            self._attempting.add(task)
            try:
                return await attempt(request)
            except asyncio.CancelledError:
                if task not in self._ended_by_close:
                    raise
                self._ended_by_close.discard(task)
                if _withdraw_cancel(task):
                    raise  # cancelled by someone else too
                raise ClientClosedError(
                    CLOSED_IN_FLIGHT, method=request.method, url=request.url
                ) from None
            finally:
                self._attempting.discard(task)
                if task in self._ended_by_close:
                    # close()'s cancellation surfaced as an error of aiohttp's own: take it
                    # back, or the task would stay marked as cancelling.
                    self._ended_by_close.discard(task)
                    _withdraw_cancel(task)

        return guarded

    async def sleep(self, seconds: float, *, method: str, url: str) -> None:
        """Sleep, unless the client closes first: then raise :class:`ClientClosedError`."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
        if self._closed:
            raise ClientClosedError(
                "the client was closed while waiting to poll again",
                method=method,
                url=url,
                maybe_processed=False,
            )

    async def attempt(self, request: Request) -> Reply:
        """Send ``request`` once over this transport's session (see :meth:`open_for`)."""

        def failed(failure: Failure, error_cls: type[APIConnectionError], why: str) -> Exception:
            error = error_cls(
                why,
                method=request.method,
                url=request.url,
                maybe_processed=failure is Failure.MAYBE_PROCESSED,
            )
            return AttemptFailed(failure, error)

        session = self._session
        if session is None:
            session = self._get_session()
        timeout = request.timeout
        remaining = request.time_left
        if remaining is not None and remaining <= 0:
            raise failed(Failure.NOT_SENT, APITimeoutError, "the call's time budget ran out")
        if remaining == timeout.total:
            client_timeout = _client_timeout(remaining, timeout.connect, timeout.read)
        else:
            client_timeout = aiohttp.ClientTimeout(
                total=remaining, sock_connect=timeout.connect, sock_read=timeout.read
            )
        body: bytes | io.BytesIO | None = request.body
        if request.body is not None and len(request.body) > LARGE_BODY:
            # aiohttp wants big bodies as a stream (it warns on large bytes); a fresh stream
            # per attempt, since a resend reads it again from the start.
            body = io.BytesIO(request.body)
        # With the SDK's own pool, a timeout before a connection was handed over (waiting for a
        # free one, or opening one) proves nothing was sent; a caller's session cannot tell.
        progress = _Connected() if self._owns_session else None
        headers = None if request.headers is self._session_headers else request.headers
        token = _connected.set(progress)
        try:
            async with session.request(
                request.method,
                URL(request.url, encoded=True),
                data=body,
                headers=headers,
                timeout=client_timeout,
                # A redirected POST could repeat a side effect somewhere else: only reads follow.
                allow_redirects=request.method == "GET",
            ) as response:
                return Reply(
                    status=response.status,
                    headers=response.headers,
                    content=await response.read(),
                    content_type=response.content_type,
                )
        except aiohttp.ClientResponseError as exc:
            # Its request_info holds the request's headers, the API key among them: it is
            # described below, outside this block, so that no error chain can reach it.
            described = _describe(exc)
        except aiohttp.ClientSSLError as exc:
            # Retrying cannot fix a certificate problem; report it at once.
            raise APIConnectionError(
                f"TLS failure: {exc}", method=request.method, url=request.url, maybe_processed=False
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise failed(Failure.NOT_SENT, APIConnectionError, _cannot_connect(exc)) from exc
        except aiohttp.ConnectionTimeoutError as exc:
            raise failed(Failure.NOT_SENT, APITimeoutError, "timed out connecting") from exc
        except asyncio.TimeoutError as exc:
            if progress is not None and not progress.done:
                why = "timed out waiting for a connection; nothing was sent"
                raise failed(Failure.NOT_SENT, APITimeoutError, why) from exc
            raise failed(Failure.MAYBE_PROCESSED, APITimeoutError, "timed out") from exc
        except aiohttp.ClientError as exc:
            if self._closed:
                raise failed(Failure.MAYBE_PROCESSED, ClientClosedError, CLOSED_IN_FLIGHT) from exc
            why = f"connection failed: {_describe(exc)}"
            raise failed(Failure.MAYBE_PROCESSED, APIConnectionError, why) from exc
        except Exception as exc:
            # Closing the session under a request fails it however aiohttp notices: a lost
            # connection, "Session is closed", or an assertion in aiohttp 3.10's own retry.
            if not self._closed:
                raise
            raise failed(Failure.MAYBE_PROCESSED, ClientClosedError, CLOSED_IN_FLIGHT) from exc
        finally:
            _connected.reset(token)
        raise failed(Failure.MAYBE_PROCESSED, APIConnectionError, f"connection failed: {described}")

    async def wait_to_retry(
        self, request: Request, delay: float, reason: str, *, maybe_processed: bool
    ) -> None:
        """Sleep ``delay`` seconds before the next attempt, unless the client closes first:
        then raise :class:`ClientClosedError`."""
        logger.debug("retrying %s in %.3f s after %s", request.name, delay, reason)
        # close() ends the wait at once: a closed client must not keep its callers sleeping
        # through a backoff or a long Retry-After only to fail afterwards.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing.wait(), delay)
        if self._closed:
            raise ClientClosedError(
                "the client was closed while the request waited to be retried",
                method=request.method,
                url=request.url,
                maybe_processed=maybe_processed,
            )


_dropped_closing: set[asyncio.Task[None]] = set()
"""Closings of dropped clients' sessions, held until done: the loop keeps only weak references."""


def _on_dropped(session: aiohttp.ClientSession, loop: asyncio.AbstractEventLoop) -> None:
    """A client nothing refers to any more, left open: close its session on its loop if that
    still runs, else say how to close a client. Safe in any thread the collector runs in."""
    if not loop.is_closed() and loop.is_running():
        try:
            loop.call_soon_threadsafe(_close_dropped, session)
        except RuntimeError:  # the loop closed meanwhile
            pass
        else:
            return
    # aiohttp's own "Unclosed client session" does not say what to do about it.
    warnings.warn(UNCLOSED, ResourceWarning, stacklevel=2)
    logger.warning(UNCLOSED)


def _close_dropped(session: aiohttp.ClientSession) -> None:
    task = asyncio.ensure_future(session.close())
    _dropped_closing.add(task)
    task.add_done_callback(_dropped_closing.discard)


@functools.lru_cache(maxsize=64)
def _client_timeout(
    total: float | None, connect: float | None, read: float | None
) -> aiohttp.ClientTimeout:
    # A first attempt's budget is the call's whole timeout: the same few values on every call,
    # so each ClientTimeout is built once.
    return aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)


def _cannot_connect(error: aiohttp.ClientConnectorError) -> str:
    # aiohttp's own text names its connection key ("ssl:default"), which reads like a TLS
    # problem even for http:// URLs: say which address failed, and how.
    cause = error.os_error
    if cause.errno is not None and cause.errno > 0:
        reason = os.strerror(cause.errno)
    else:
        reason = cause.strerror or str(cause) or type(cause).__name__
    return f"cannot connect to {error.host}:{error.port}: {reason}"


def _describe(error: Exception) -> str:
    return f"{error.__class__.__name__}: {error}"


def _withdraw_cancel(task: asyncio.Task[Any]) -> int:
    """Take back one cancellation of ``task``; how many others are still pending.

    Python 3.10 does not count cancellations: there, a cancellation racing close() reads as
    close()'s."""
    uncancel = getattr(task, "uncancel", None)
    return 0 if uncancel is None else int(uncancel())
