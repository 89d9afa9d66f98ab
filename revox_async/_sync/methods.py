"""Sync twins of async methods, declared once per method and typed like the original.

A sync resource declares ``name: Final = sync(AsyncResource.name)``; the descriptor runs the
same coroutine on the sync client's portal thread, so no endpoint is written twice. ``Final``
makes the inferred type the declared one: without an annotation, pyright reports the attribute's
type as ambiguous to users of the installed package. A method that returns an
:class:`~revox_async.AsyncPager` gets its twin from ``sync_iter``: a plain iterator that fetches
one page per trip to the portal.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, overload

from typing_extensions import ParamSpec, Self

if TYPE_CHECKING:
    # Annotations only: the async client's resources import this module, and loading the loop
    # thread (and anyio) is left to the sync client.
    from ..resources._pages import AsyncPager
    from .portal import PortalThread

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")

ASYNC_TWIN = "__revox_async_method__"
"""The attribute of a sync method that holds the bound async method it runs."""


class SyncResource(Generic[A]):
    """The sync face of an async resource.

    ``owner`` is what keeps the sync client's thread and pool open: held here, by every method
    taken from the resource and by every iterator it returns, so that a resource outlives the
    client object it came from.
    """

    def __init__(self, async_resource: A, portal: PortalThread, owner: object = None) -> None:
        self._async = async_resource
        self._portal = portal
        self._owner = owner

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


Crossing = Callable[[SyncResource[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]], Any]
"""How a sync twin runs its async method: (resource, bound async method, args, kwargs) ->
result."""


class SyncMethod(Generic[P, R]):
    """A descriptor giving a sync resource the twin of one async method.

    ``R`` is what the twin returns; ``crossing`` decides how the call reaches the portal.
    """

    def __init__(self, method: Callable[..., Any], crossing: Crossing) -> None:
        self._name = method.__name__
        self._crossing = crossing
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: SyncResource[Any], owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, instance: SyncResource[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        async_method = getattr(instance._async, self._name)
        crossing = self._crossing

        @functools.wraps(async_method)
        def method(*args: P.args, **kwargs: P.kwargs) -> R:
            # The resource, not only its portal: ``Revox().assistants.list`` must keep the
            # client open until the call returns.
            result: R = crossing(instance, async_method, args, kwargs)
            return result

        setattr(method, ASYNC_TWIN, async_method)
        return method


def _await(
    resource: SyncResource[Any],
    method: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    return resource._portal.run(functools.partial(method, *args, **kwargs))


def _iterate(
    resource: SyncResource[Any],
    method: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Iterator[Any]:
    # Called here, not lazily, so invalid arguments raise at the call, as in async code.
    return _pages(method(*args, **kwargs), resource)


def sync(method: Callable[Concatenate[Any, P], Awaitable[T]]) -> SyncMethod[P, T]:
    """Declare the sync twin of an async resource method."""
    return SyncMethod(method, _await)


def _pages(pager: AsyncPager[T], resource: SyncResource[Any]) -> Iterator[T]:
    more = True
    while more:
        items, more = resource._portal.run(pager._next_page)
        yield from items


def sync_iter(method: Callable[Concatenate[Any, P], AsyncPager[T]]) -> SyncMethod[P, Iterator[T]]:
    """Declare the sync twin of an async resource method that returns an AsyncPager."""
    return SyncMethod(method, _iterate)
