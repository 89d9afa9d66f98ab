"""What handlers and middlewares share: the owning fake, its request log, and their accessors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from .._faults import Faults
from .._store import Store

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]


@dataclass
class RecordedRequest:
    """One request as the fake saw it; the Authorization value is redacted."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    request_id: str
    status: int | None = None
    dropped: bool = False


class FakeContext(Protocol):
    """What the application reads from the object that owns it."""

    api_key: str
    drift: bool
    state: Store
    faults: Faults
    requests: list[RecordedRequest]


CONTEXT = web.AppKey("revox_fake_context", FakeContext)


def context_of(request: web.Request) -> FakeContext:
    return request.app[CONTEXT]


def store_of(request: web.Request) -> Store:
    return context_of(request).state


def resource_id(request: web.Request) -> str:
    """The ``{id}`` segment of the request's path."""
    return request.match_info["id"]
