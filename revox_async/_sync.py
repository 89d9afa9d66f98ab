"""``Revox``: the synchronous client, a facade that runs ``AsyncRevox`` coroutines."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Final, Generic, TypeVar

from typing_extensions import ParamSpec, Self

from ._client import DEFAULT_CONNECTION_LIMIT, DEFAULT_TIMEOUT, AsyncRevox
from ._core import Timeout
from ._portal import PortalThread
from ._response import RawResponse
from ._retry import RetryPolicy
from ._syncify import ASYNC_TWIN

if TYPE_CHECKING:
    # Imported on first use, like the async client's resources.
    from .resources.assistants import Assistants
    from .resources.auth_status import AuthStatus
    from .resources.calls import Calls
    from .resources.campaigns import Campaigns
    from .resources.phone_numbers import PhoneNumbers
    from .resources.users import Users
    from .resources.voices import Voices

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

P = ParamSpec("P")
T = TypeVar("T")


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

    Takes the same settings as :class:`AsyncRevox` (except ``session``) and runs the same code
    on an event loop in one background thread, started on first use and owned by the client for
    its whole life. One client can be shared by many threads, and works even where the calling
    thread already runs an event loop (Jupyter). Close it with ``client.close()`` or a ``with``
    block; a client left open is closed when collected or at interpreter exit.
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
        self._root: Revox | None = None
        self._finalizer = weakref.finalize(self, self._portal.shutdown, self._async.close)

    def _derived(self, async_client: AsyncRevox) -> Revox:
        client = type(self).__new__(type(self))
        client._async = async_client
        client._portal = self._portal
        client._root = self._root or self
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
        """Whether the connection pool was closed (by this client or the one it derives from)."""
        return self._async.is_closed

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @cached_property
    def assistants(self) -> Assistants:
        """Create, read, change, copy and delete assistants."""
        from .resources.assistants import Assistants

        return Assistants(self._async.assistants, self._portal)

    @cached_property
    def calls(self) -> Calls:
        """Place calls, find and export them, wait for them to end, control them."""
        from .resources.calls import Calls

        return Calls(self._async.calls, self._portal)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Create, launch, control and report on campaigns."""
        from .resources.campaigns import Campaigns

        return Campaigns(self._async.campaigns, self._portal)

    @cached_property
    def phone_numbers(self) -> PhoneNumbers:
        """List, change and delete the organization's phone numbers."""
        from .resources.phone_numbers import PhoneNumbers

        return PhoneNumbers(self._async.phone_numbers, self._portal)

    @cached_property
    def voices(self) -> Voices:
        """Browse, clone, preview and delete voices."""
        from .resources.voices import Voices

        return Voices(self._async.voices, self._portal)

    @cached_property
    def users(self) -> Users:
        """The user the API key belongs to."""
        from .resources.users import Users

        return Users(self._async.users, self._portal)

    @cached_property
    def auth_status(self) -> AuthStatus:
        """Check that the API key is accepted."""
        from .resources.auth_status import AuthStatus

        return AuthStatus(self._async.auth_status, self._portal)

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
        """Close the connection pool and stop the background thread. Safe to call twice.

        Closing a client made by ``with_options`` does nothing: the original owns the pool.
        """
        if self._root is None:
            self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
