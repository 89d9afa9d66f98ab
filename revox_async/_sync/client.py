"""``Revox``: the synchronous client, a facade that runs ``AsyncRevox`` coroutines."""

from __future__ import annotations

import atexit
import functools
import weakref
from collections.abc import Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Final, Generic, TypeVar

from typing_extensions import ParamSpec, Self

from .._client import AsyncRevox
from .._config import DEFAULT_CONNECTION_LIMIT, DEFAULT_TIMEOUT, Timeout
from .._response import RawResponse
from .._retry import RetryPolicy
from .._transport import Transport
from .methods import ASYNC_TWIN
from .portal import PortalThread

if TYPE_CHECKING:
    # Imported on first use, like the async client's resources.
    from ..resources.assistants import Assistants
    from ..resources.auth_status import AuthStatus
    from ..resources.calls import Calls
    from ..resources.campaigns import Campaigns
    from ..resources.phone_numbers import PhoneNumbers
    from ..resources.users import Users
    from ..resources.voices import Voices

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

P = ParamSpec("P")
T = TypeVar("T")


class _Lifetime:
    """The thread and pool a sync client shares with the clients derived from it.

    Every such client and every resource taken from one holds it. Once none of them is left,
    the collector finalizes it, which hands the closing to the loop thread and returns at once:
    the thread that dropped the last reference (the loop thread itself, or one holding the
    portal's lock) is never made to wait. At interpreter exit, what is still open is closed and
    waited for.
    """

    def __init__(self, portal: PortalThread, transport: Transport) -> None:
        self.portal = portal
        self.open: weakref.WeakSet[Revox] = weakref.WeakSet()
        self._finalizer = weakref.finalize(self, portal.release, transport.close)
        # Closed by _close_at_exit instead, which waits for the closing to finish.
        self._finalizer.atexit = False
        self._transport = transport
        _alive.add(self)

    def close(self) -> None:
        """Close the pool and stop the thread, waiting for both."""
        if self._finalizer.detach() is not None:
            _alive.discard(self)
            self.portal.shutdown(self._transport.close)
            # A portal that never started ran nothing: the pool was never opened either.
            self._transport.close_unopened()


_alive: weakref.WeakSet[_Lifetime] = weakref.WeakSet()


@atexit.register
def _close_at_exit() -> None:
    for lifetime in list(_alive):
        lifetime.close()


class _Derive(Generic[P]):
    """``Revox.with_options``: typed like ``AsyncRevox.with_options``, returning a ``Revox``."""

    def __init__(self, method: Callable[Concatenate[AsyncRevox, P], AsyncRevox]) -> None:
        self._method = method
        self.__doc__ = (
            "A client with some settings changed that shares this one's thread and pool; "
            "takes the keyword arguments of AsyncRevox.with_options."
        )

    def __get__(self, instance: Revox, owner: type[Any]) -> Callable[P, Revox]:
        def with_options(*args: P.args, **kwargs: P.kwargs) -> Revox:
            return instance._derived(self._method(instance._async, *args, **kwargs))

        return with_options


class Revox:
    """Synchronous client for the Revox API.

    Takes the same settings as :class:`AsyncRevox` (except ``session``) and runs the same code,
    through anyio, on an event loop in one background thread, started on first use and owned by
    the client for its whole life. One client can be shared by many threads, and works even
    where the calling thread already runs an event loop (Jupyter). Close it with
    ``client.close()`` or a ``with`` block; a client left open is closed once nothing refers to
    it any more (neither the client, nor a resource such as ``client.assistants``, nor a client
    derived with ``with_options``), or at interpreter exit.
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
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        allow_insecure_http: bool = False,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        self._async = AsyncRevox(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
            connection_limit=connection_limit,
            allow_insecure_http=allow_insecure_http,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
        )
        self._portal = PortalThread()
        self._is_root = True
        self._lifetime = _Lifetime(self._portal, self._async._transport)
        self._lifetime.open.add(self)

    def _derived(self, async_client: AsyncRevox) -> Revox:
        client = type(self).__new__(type(self))
        client._async = async_client
        client._portal = self._portal
        client._is_root = False
        client._lifetime = self._lifetime
        client._lifetime.open.add(client)
        return client

    @property
    def base_url(self) -> str:
        """The API root requests go to, without a trailing slash."""
        return self._async.base_url

    @property
    def timeout(self) -> Timeout:
        """The time limits of each call."""
        return self._async.timeout

    @property
    def max_retries(self) -> int:
        """How many extra attempts a retryable failure may get."""
        return self._async.max_retries

    @property
    def is_closed(self) -> bool:
        """Whether this client was closed, or the connection pool it shares was."""
        return self._async.is_closed

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @cached_property
    def assistants(self) -> Assistants:
        """Create, read, change, copy and delete assistants."""
        from ..resources.assistants import Assistants

        return Assistants(self._async.assistants, self._portal, self._lifetime)

    @cached_property
    def calls(self) -> Calls:
        """Place calls, find and export them, wait for them to end, control them."""
        from ..resources.calls import Calls

        return Calls(self._async.calls, self._portal, self._lifetime)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Create, launch, control and report on campaigns."""
        from ..resources.campaigns import Campaigns

        return Campaigns(self._async.campaigns, self._portal, self._lifetime)

    @cached_property
    def phone_numbers(self) -> PhoneNumbers:
        """List, change and delete the organization's phone numbers."""
        from ..resources.phone_numbers import PhoneNumbers

        return PhoneNumbers(self._async.phone_numbers, self._portal, self._lifetime)

    @cached_property
    def voices(self) -> Voices:
        """Browse, clone, preview and delete voices."""
        from ..resources.voices import Voices

        return Voices(self._async.voices, self._portal, self._lifetime)

    @cached_property
    def users(self) -> Users:
        """The user the API key belongs to."""
        from ..resources.users import Users

        return Users(self._async.users, self._portal, self._lifetime)

    @cached_property
    def auth_status(self) -> AuthStatus:
        """Check that the API key is accepted."""
        from ..resources.auth_status import AuthStatus

        return AuthStatus(self._async.auth_status, self._portal, self._lifetime)

    with_options: Final = _Derive(AsyncRevox.with_options)

    def with_raw_response(
        self, method: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[T]:
        """Call a method of this client's resources and return its result with the response
        metadata: ``client.with_raw_response(client.assistants.retrieve, "asst_1")``."""
        async_method = getattr(method, ASYNC_TWIN, None)
        if async_method is None:
            raise TypeError(
                "with_raw_response takes a method of a resource, such as client.assistants.retrieve"
            )
        return self._portal.run(
            functools.partial(self._async.with_raw_response, async_method, *args, **kwargs)
        )

    def close(self) -> None:
        """Close this client and, unless another open client shares them, the connection pool
        and the background thread. Safe to call twice.

        Closing the client made by the constructor always closes the pool and the thread, for
        the clients derived from it too. Calls in flight then raise
        :class:`~revox_async.ClientClosedError`.
        """
        lifetime = self._lifetime
        lifetime.open.discard(self)
        if self._is_root or not lifetime.open:
            lifetime.close()
        elif not self._async.is_closed:
            self._portal.run(self._async.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
