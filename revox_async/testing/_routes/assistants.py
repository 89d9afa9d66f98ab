"""Handlers of ``/assistants``."""

from __future__ import annotations

import copy

from aiohttp import web

from .._http.context import Route, resource_id, store_of
from .._http.responses import acknowledge, reply
from .schemas import ASSISTANT_CREATE, ASSISTANT_UPDATE
from .validation import read_json_body


async def list_assistants(request: web.Request) -> web.Response:
    return reply(request, {"assistants": store_of(request).assistants.list_assistants()})


async def create_assistant(request: web.Request) -> web.Response:
    body = await read_json_body(request, ASSISTANT_CREATE)
    return reply(request, {"assistant": store_of(request).assistants.create_assistant(body)})


async def retrieve_assistant(request: web.Request) -> web.Response:
    return reply(
        request, copy.deepcopy(store_of(request).assistants.get_assistant(resource_id(request)))
    )


async def update_assistant(request: web.Request) -> web.Response:
    body = await read_json_body(request, ASSISTANT_UPDATE)
    assistant, notice = store_of(request).assistants.update_assistant(resource_id(request), body)
    return reply(request, {"assistant": assistant, "unpatchedCallsNotice": notice})


async def clone_assistant(request: web.Request) -> web.Response:
    return reply(
        request, {"assistant": store_of(request).assistants.clone_assistant(resource_id(request))}
    )


delete_assistant = acknowledge(lambda store, ident: store.assistants.delete_assistant(ident))

ROUTES: tuple[Route, ...] = (
    ("POST", "/assistants/{id}/clone", clone_assistant),
    ("POST", "/assistants", create_assistant),
    ("DELETE", "/assistants/{id}", delete_assistant),
    ("GET", "/assistants", list_assistants),
    ("GET", "/assistants/{id}", retrieve_assistant),
    ("PATCH", "/assistants/{id}", update_assistant),
)
