"""The aiohttp application of the fake: its middlewares and the routes of every resource."""

from __future__ import annotations

from aiohttp import web

from . import (
    _routes_account,
    _routes_assistants,
    _routes_calls,
    _routes_campaigns,
    _routes_phone_numbers,
    _routes_voices,
)
from ._context import CONTEXT, FakeContext, Route
from ._middleware import (
    MAX_BODY_BYTES,
    authenticate,
    errors_as_json,
    inject_faults,
    record_request,
)

ROUTES: tuple[Route, ...] = (
    *_routes_assistants.ROUTES,
    *_routes_account.ROUTES,
    *_routes_calls.ROUTES,
    *_routes_campaigns.ROUTES,
    *_routes_phone_numbers.ROUTES,
    *_routes_voices.ROUTES,
)


def create_app(context: FakeContext) -> web.Application:
    """Build the fake's application; ``context`` supplies the key, state, faults and log."""
    app = web.Application(
        middlewares=[record_request, inject_faults, errors_as_json, authenticate],
        client_max_size=MAX_BODY_BYTES,
    )
    app[CONTEXT] = context
    for method, path, handler in ROUTES:
        app.router.add_route(method, path, handler)
    return app
