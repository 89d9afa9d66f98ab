"""Handlers of ``/phone-numbers``."""

from __future__ import annotations

from aiohttp import web

from .._http.context import Route, resource_id, store_of
from .._http.responses import acknowledge, reply
from .schemas import PHONE_NUMBER_UPDATE
from .validation import read_json_body


async def list_phone_numbers(request: web.Request) -> web.Response:
    store = store_of(request)
    phones = [store.phone_numbers.render_phone_number(p) for p in store.phone_numbers.values()]
    return reply(request, {"phone_numbers": phones})


async def update_phone_number(request: web.Request) -> web.Response:
    body = await read_json_body(request, PHONE_NUMBER_UPDATE)
    phone = store_of(request).phone_numbers.update_phone_number(resource_id(request), body)
    return reply(request, {"phone_number": phone})


delete_phone_number = acknowledge(
    lambda store, ident: store.phone_numbers.delete_phone_number(ident)
)

ROUTES: tuple[Route, ...] = (
    ("DELETE", "/phone-numbers/{id}", delete_phone_number),
    ("GET", "/phone-numbers", list_phone_numbers),
    ("PATCH", "/phone-numbers/{id}", update_phone_number),
)
