"""Handlers about the account the API key belongs to: ``/users/me`` and ``/auth-status``."""

from __future__ import annotations

import copy

from aiohttp import web

from .._http.context import Route, store_of
from .._http.responses import reply


async def auth_status(request: web.Request) -> web.Response:
    return reply(request, {"authenticated": True})


async def retrieve_user(request: web.Request) -> web.Response:
    return reply(request, {"user": copy.deepcopy(store_of(request).user)})


ROUTES: tuple[Route, ...] = (
    ("GET", "/auth-status", auth_status),
    ("GET", "/users/me", retrieve_user),
)
