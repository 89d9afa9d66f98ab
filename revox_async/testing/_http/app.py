"""The aiohttp application of the fake: its middlewares and the routes of every resource."""

from __future__ import annotations

from aiohttp import web

from .._routes import account, assistants, calls, campaigns, phone_numbers, voices
from .context import CONTEXT, FakeContext, Route
from .middleware import (
    MAX_BODY_BYTES,
    authenticate,
    errors_as_json,
    inject_faults,
    record_request,
)

ROUTES: tuple[Route, ...] = (
    *assistants.ROUTES,
    *account.ROUTES,
    *calls.ROUTES,
    *campaigns.ROUTES,
    *phone_numbers.ROUTES,
    *voices.ROUTES,
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
