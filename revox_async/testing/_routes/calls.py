"""Handlers of ``/call`` and ``/calls``."""

from __future__ import annotations

from aiohttp import web

from .._http.context import Route, resource_id, store_of
from .._http.responses import acknowledge, reply
from .schemas import CALL_CREATE, CALL_EXPORT, CALL_FILTERS
from .validation import read_json_body


async def create_call(request: web.Request) -> web.Response:
    body = await read_json_body(request, CALL_CREATE)
    return reply(request, {"call": store_of(request).calls.create_call(body)})


async def retrieve_call(request: web.Request) -> web.Response:
    store = store_of(request)
    return reply(
        request, {"call": store.calls.render_call(store.calls.get_call(resource_id(request)))}
    )


async def search_calls(request: web.Request) -> web.Response:
    calls, total = store_of(request).calls.search_calls(await read_json_body(request, CALL_FILTERS))
    return reply(request, {"calls": calls, "total_count": total})


async def export_calls(request: web.Request) -> web.Response:
    body = await read_json_body(request, CALL_EXPORT)
    export = store_of(request).calls.export_calls(
        body["filters"],
        body.get("include_metadata", False),
        body.get("include_structured_output_fields", False),
    )
    return reply(request, export)


async def phone_history(request: web.Request) -> web.Response:
    return reply(request, {"phone_history": store_of(request).calls.phone_history()})


cancel_call = acknowledge(lambda store, ident: store.calls.cancel_call(ident))
pause_call = acknowledge(lambda store, ident: store.calls.pause_call(ident))
resume_call = acknowledge(lambda store, ident: store.calls.resume_call(ident))

ROUTES: tuple[Route, ...] = (
    ("POST", "/call/{id}/cancel", cancel_call),
    ("POST", "/call", create_call),
    ("POST", "/call/export", export_calls),
    ("POST", "/call/{id}/pause", pause_call),
    ("GET", "/calls/phone-history", phone_history),
    ("POST", "/call/{id}/resume", resume_call),
    ("GET", "/call/{id}", retrieve_call),
    ("POST", "/call/search", search_calls),
)
