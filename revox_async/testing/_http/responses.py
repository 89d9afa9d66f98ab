"""How handlers answer: JSON bodies, drifted when the fake is in drift mode."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from .._drift import drift
from .._store import Store
from .._wire import JSON
from .context import Handler, context_of, resource_id, store_of


def reply(request: web.Request, payload: JSON) -> web.Response:
    if context_of(request).drift:
        payload = drift(payload)
    return web.json_response(payload)


def success(request: web.Request) -> web.Response:
    return reply(request, {"success": True})


def acknowledge(action: Callable[[Store, str], object]) -> Handler:
    """A handler that applies ``action`` to the resource in the path and answers success."""

    async def handler(request: web.Request) -> web.Response:
        action(store_of(request), resource_id(request))
        return success(request)

    return handler
