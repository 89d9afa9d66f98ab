"""Handlers of ``/voices``: the voice catalog, cloning and previews."""

from __future__ import annotations

import copy

from aiohttp import web

from .._http.context import Route, resource_id, store_of
from .._http.responses import acknowledge, reply
from .._store.voices import preview_wav
from .schemas import PROVIDER, VOICE_CLONE, VOICE_PREVIEW
from .validation import fail, read_json_body


async def list_voices(request: web.Request) -> web.Response:
    return reply(request, {"voices": copy.deepcopy(store_of(request).voices.catalog)})


async def retrieve_voice(request: web.Request) -> web.Response:
    if "provider" not in request.query:
        fail("provider", "is required")
    provider = PROVIDER(request.query["provider"], "provider")
    voice = store_of(request).voices.get_voice(resource_id(request), provider)
    summary = {"id": voice["id"], "name": voice["name"], "description": voice["description"]}
    return reply(request, {"voice": summary})


async def clone_voice(request: web.Request) -> web.Response:
    body = await read_json_body(request, VOICE_CLONE)
    return reply(request, store_of(request).voices.clone_voice(body))


async def preview_voice(request: web.Request) -> web.Response:
    body = await read_json_body(request, VOICE_PREVIEW)
    store_of(request).voices.get_voice(body["voiceId"], body["provider"])
    return web.Response(body=preview_wav(), content_type="audio/wav")


delete_voice = acknowledge(lambda store, ident: store.voices.delete_voice(ident))

ROUTES: tuple[Route, ...] = (
    ("POST", "/voices/clone", clone_voice),
    ("DELETE", "/voices/{id}", delete_voice),
    ("GET", "/voices", list_voices),
    ("POST", "/voices/preview", preview_voice),
    ("GET", "/voices/{id}", retrieve_voice),
)
