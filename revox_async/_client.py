"""``AsyncRevox``: settings, resources, lifecycle, ``with_options``, and each call turned into a
:class:`Request` sent through the retry loop."""

from __future__ import annotations

import os
import weakref
from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import aiohttp
import attrs
from typing_extensions import ParamSpec, Self

from ._api_key import check_api_key, resolve_api_key
from ._config import (
    DEFAULT_BASE_URL,
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_TIMEOUT,
    Timeout,
    as_timeout,
    check_base_url,
    check_default_headers,
    count,
    merge_headers,
)
from ._endpoint import Endpoint, HeaderSets, encode_body, encode_path, parse_result
from ._errors import ClientClosedError, RevoxError
from ._logging import configure_from_env
from ._request import Attempt, Request
from ._response import CaptureSlot, RawResponse, capture
from ._retry import RetryBuckets, RetryPolicy, send_with_retries
from ._telemetry import telemetry_for
from ._transport import Transport
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    # Each resource (and the models it returns) is imported on first use: a program that
    # only places calls need not load the campaign models, and imports start faster.
    from .resources.assistants import AsyncAssistants
    from .resources.auth_status import AsyncAuthStatus
    from .resources.calls import AsyncCalls
    from .resources.campaigns import AsyncCampaigns
    from .resources.phone_numbers import AsyncPhoneNumbers
    from .resources.users import AsyncUsers
    from .resources.voices import AsyncVoices

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

T = TypeVar("T")
P = ParamSpec("P")


def _retry_policy(policy: RetryPolicy, max_retries: int | None) -> RetryPolicy:
    if not isinstance(policy, RetryPolicy):
        raise TypeError(f"retry_policy must be a RetryPolicy, got {type(policy).__name__}")
    if max_retries is None:
        return policy
    return attrs.evolve(policy, max_retries=count(max_retries, "max_retries", least=0))


class PoolUsers:
    """The open clients sharing one connection pool: a root client and its ``with_options``
    children. Held weakly, so that a client nothing refers to any more no longer counts."""

    def __init__(self) -> None:
        self._open: weakref.WeakSet[AsyncRevox] = weakref.WeakSet()

    def join(self, client: AsyncRevox) -> None:
        self._open.add(client)

    def leave(self, client: AsyncRevox) -> bool:
        """Take ``client`` off the list; whether no open client is left."""
        self._open.discard(client)
        return not self._open


@attrs.frozen(kw_only=True)
class ClientConfig:
    """The settings a client sends requests with; ``with_options`` derives new ones."""

    api_key: str = attrs.field(repr=False)
    base_url: str
    timeout: Timeout
    retry: RetryPolicy
    default_headers: Mapping[str, str] = attrs.field(repr=False)
    allow_insecure_http: bool


class AsyncRevox:
    """Asynchronous client for the Revox API.

    Create one per application (or per event loop) and share it: it keeps a pool of
    connections, opened lazily on the first request. Close it with ``await client.close()`` or
    use it as ``async with AsyncRevox() as client:``. Its resources (``client.assistants``) and
    the clients ``with_options`` derives from it keep it alive.

    Args:
        api_key: the API key; defaults to the ``REVOX_API_KEY`` environment variable.
        base_url: the API root; defaults to ``REVOX_BASE_URL``, else the public API.
        timeout: seconds for a whole call, retries included, or a :class:`Timeout` that also
            sets the connect limit; None (or ``inf``) for no limit.
        max_retries: extra attempts after a retryable failure (never for a side effect the
            server may already have carried out); None keeps the one of ``retry_policy``.
        retry_policy: the bounds and pacing of retries (:class:`RetryPolicy`).
        default_headers: headers sent with every request. ``Authorization`` and
            ``User-Agent`` belong to the SDK and are refused, in any letter case.
        session: an ``aiohttp.ClientSession`` of yours to send requests through. It is used,
            never closed: closing it stays your job.
        connection_limit: the most connections open at once (ignored with ``session``).
        allow_insecure_http: allow ``http://`` to a host that is not this machine.
        tracer_provider: where the spans of calls and attempts go, when OpenTelemetry is
            installed; defaults to the global one.
        meter_provider: where the ``http.client.request.duration`` histogram goes; defaults
            to the global one.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        allow_insecure_http: bool = False,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        configure_from_env()
        key = resolve_api_key(api_key)
        count(connection_limit, "connection_limit", least=1)
        base = base_url or os.environ.get("REVOX_BASE_URL") or DEFAULT_BASE_URL
        self._config = ClientConfig(
            api_key=key,
            base_url=check_base_url(base, allow_insecure_http=allow_insecure_http),
            timeout=as_timeout(timeout),
            retry=_retry_policy(
                RetryPolicy() if retry_policy is None else retry_policy, max_retries
            ),
            default_headers=check_default_headers(default_headers or {}, "default_headers"),
            allow_insecure_http=allow_insecure_http,
        )
        self._headers = HeaderSets(self._config.api_key, self._config.default_headers)
        self._transport = Transport(
            connection_limit=connection_limit, session=session, headers=self._headers.plain
        )
        self._is_root = True
        self._closed = False
        self._users = PoolUsers()
        self._users.join(self)
        self._telemetry = telemetry = telemetry_for(tracer_provider, meter_provider)
        attempt = self._transport.attempt
        guarded = self._transport.guarded
        # Untraced (OpenTelemetry absent, or nothing can record yet), and traced.
        self._attempt = guarded(attempt if telemetry is None else telemetry.propagated(attempt))
        self._traced_attempt = None if telemetry is None else guarded(telemetry.traced(attempt))
        self._buckets = RetryBuckets()
        self._bucket = self._buckets.for_policy(self._config.retry)

    @classmethod
    def _derived(cls, parent: AsyncRevox, config: ClientConfig) -> Self:
        client = cls.__new__(cls)
        client._config = config
        same_headers = (config.api_key, config.default_headers) == (
            parent._config.api_key,
            parent._config.default_headers,
        )
        client._headers = (
            parent._headers if same_headers else HeaderSets(config.api_key, config.default_headers)
        )
        client._transport = parent._transport
        # The pool, not the root, is what a derived client keeps: once the root is gone, the
        # last derived client to close closes the pool.
        client._is_root = False
        client._closed = False
        client._users = parent._users
        client._users.join(client)
        client._telemetry = parent._telemetry
        client._attempt = parent._attempt
        client._traced_attempt = parent._traced_attempt
        # The retry budget is the pool's, like the connections: shared, not copied.
        client._buckets = parent._buckets
        client._bucket = parent._buckets.for_policy(config.retry)
        return client

    @property
    def base_url(self) -> str:
        """The API root requests go to, without a trailing slash."""
        return self._config.base_url

    @property
    def timeout(self) -> Timeout:
        """The time limits of each call."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """How many extra attempts a retryable failure may get."""
        return self._config.retry.max_retries

    @property
    def is_closed(self) -> bool:
        """Whether this client was closed, or the connection pool it shares was."""
        return self._closed or self._transport.closed

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @cached_property
    def assistants(self) -> AsyncAssistants:
        """Create, read, change, copy and delete assistants."""
        from .resources.assistants import AsyncAssistants

        return AsyncAssistants(self)

    @cached_property
    def calls(self) -> AsyncCalls:
        """Place calls, find and export them, wait for them to end, control them."""
        from .resources.calls import AsyncCalls

        return AsyncCalls(self)

    @cached_property
    def campaigns(self) -> AsyncCampaigns:
        """Create, launch, control and report on campaigns."""
        from .resources.campaigns import AsyncCampaigns

        return AsyncCampaigns(self)

    @cached_property
    def phone_numbers(self) -> AsyncPhoneNumbers:
        """List, change and delete the organization's phone numbers."""
        from .resources.phone_numbers import AsyncPhoneNumbers

        return AsyncPhoneNumbers(self)

    @cached_property
    def voices(self) -> AsyncVoices:
        """Browse, clone, preview and delete voices."""
        from .resources.voices import AsyncVoices

        return AsyncVoices(self)

    @cached_property
    def users(self) -> AsyncUsers:
        """The user the API key belongs to."""
        from .resources.users import AsyncUsers

        return AsyncUsers(self)

    @cached_property
    def auth_status(self) -> AsyncAuthStatus:
        """Check that the API key is accepted."""
        from .resources.auth_status import AsyncAuthStatus

        return AsyncAuthStatus(self)

    def with_options(
        self,
        *,
        api_key: str | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A client with some settings changed that shares this one's connection pool.

        Cheap enough to use per call: ``client.with_options(timeout=5).assistants.list()``.
        ``default_headers`` are merged into the current ones. The derived client keeps the pool
        open, even once this one is dropped. Closing the original client closes the pool for
        both; closing the derived one closes it only when no other open client shares it.
        """
        config = self._config
        changes: dict[str, Any] = {}
        if not isinstance(api_key, NotGiven):
            changes["api_key"] = check_api_key(api_key, "api_key")
        if not isinstance(base_url, NotGiven):
            changes["base_url"] = check_base_url(
                base_url, allow_insecure_http=config.allow_insecure_http
            )
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = as_timeout(timeout)
        retry = config.retry if isinstance(retry_policy, NotGiven) else retry_policy
        changes["retry"] = _retry_policy(
            retry, None if isinstance(max_retries, NotGiven) else max_retries
        )
        if not isinstance(default_headers, NotGiven):
            changes["default_headers"] = merge_headers(
                config.default_headers, check_default_headers(default_headers, "default_headers")
            )
        return self._derived(self, attrs.evolve(config, **changes))

    async def close(self) -> None:
        """Close this client, and the connection pool if no other open client shares it.

        Closing the client made by the constructor always closes the pool, for the clients
        derived from it too. Calls in flight on a closed pool, and calls made afterwards, raise
        :class:`~revox_async.ClientClosedError`. Safe to call twice.
        """
        self._closed = True
        last = self._users.leave(self)
        if self._is_root or last:
            await self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def with_raw_response(
        self, method: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[T]:
        """Run ``method(*args, **kwargs)`` and return its result with the response metadata.

        ``raw = await client.with_raw_response(client.assistants.retrieve, "asst_1")`` gives
        ``raw.data`` (the Assistant), ``raw.status_code``, ``raw.headers`` and
        ``raw.request_id``. The request is sent once; metadata is kept per task, so concurrent
        calls do not mix.
        """
        slot = CaptureSlot()
        token = capture.set(slot)
        try:
            pending = method(*args, **kwargs)
            if not hasattr(pending, "__await__"):
                raise TypeError(
                    "with_raw_response takes a method that sends one request; for pages of "
                    "calls.search use calls.search_page"
                )
            data = await pending
        finally:
            capture.reset(token)
        if slot.info is None:
            raise RevoxError("the method passed to with_raw_response sent no request")
        return RawResponse(data=data, info=slot.info)

    async def _sleep(
        self, seconds: float, endpoint: Endpoint[Any], path: Mapping[str, str]
    ) -> None:
        """Sleep before calling ``endpoint`` again; closing the client ends the sleep with
        :class:`~revox_async.ClientClosedError`."""
        url = self._config.base_url + encode_path(endpoint.path, path)
        await self._transport.sleep(seconds, method=endpoint.method, url=url)

    async def _call(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> T:
        telemetry = self._telemetry
        if telemetry is None or self._traced_attempt is None or not telemetry.recording():
            return await self._send(endpoint, path, query, body, idempotency_key, self._attempt)
        with telemetry.call(endpoint.name):
            return await self._send(
                endpoint, path, query, body, idempotency_key, self._traced_attempt
            )

    async def _send(
        self,
        endpoint: Endpoint[T],
        path: Mapping[str, str] | None,
        query: Mapping[str, str] | None,
        body: Mapping[str, Any] | None,
        idempotency_key: str | None,
        attempt: Attempt,
    ) -> T:
        config = self._config
        url = config.base_url + encode_path(endpoint.path, path or {})
        if query:
            url += "?" + urlencode(query)
        if self._closed:
            raise ClientClosedError(
                "this client is closed; create a new one",
                method=endpoint.method,
                url=url,
                maybe_processed=False,
            )
        request = Request(
            name=endpoint.name,
            method=endpoint.method,
            url=url,
            headers=self._headers.get(
                has_body=body is not None, idempotency_key=idempotency_key, accept=endpoint.accept
            ),
            body=encode_body(body),
            timeout=config.timeout,
        )
        self._transport.open_for(request)
        reply = await send_with_retries(
            request,
            attempt,
            self._transport,
            policy=config.retry,
            repeat=endpoint.repeat,
            budget=self._bucket,
        )
        return parse_result(
            endpoint,
            url=url,
            status=reply.status,
            content=reply.content,
            content_type=reply.content_type,
        )
