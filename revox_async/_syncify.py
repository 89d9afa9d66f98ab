"""Sync twins of async methods, declared once per method and typed like the original.

A sync resource declares ``name = sync(AsyncResource.name)``; the descriptor runs the same
coroutine on the sync client's portal thread, so no endpoint is written twice.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, Generic, TypeVar, overload

from typing_extensions import ParamSpec, Self

from ._portal import PortalThread

P = ParamSpec("P")
T = TypeVar("T")
A = TypeVar("A")

ASYNC_TWIN = "__revox_async_method__"
"""The attribute of a sync method that holds the bound async method it runs."""


class SyncResource(Generic[A]):
    """The sync face of an async resource."""

    def __init__(self, async_resource: A, portal: PortalThread) -> None:
        self._async = async_resource
        self._portal = portal

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SyncMethod(Generic[P, T]):
    """A descriptor giving a sync resource the twin of one async method."""

    def __init__(self, method: Callable[Concatenate[Any, P], Awaitable[T]]) -> None:
        self._name = method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: SyncResource[Any], owner: type[Any]) -> Callable[P, T]: ...

    def __get__(self, instance: SyncResource[Any] | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        async_method = getattr(instance._async, self._name)
        portal = instance._portal

        @functools.wraps(async_method)
        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            result: T = portal.run(functools.partial(async_method, *args, **kwargs))
            return result

        setattr(method, ASYNC_TWIN, async_method)
        return method


def sync(method: Callable[Concatenate[Any, P], Awaitable[T]]) -> SyncMethod[P, T]:
    """Declare the sync twin of an async resource method."""
    return SyncMethod(method)
