"""Handlers of ``/campaigns``: the campaigns, their rows, launches and statistics."""

from __future__ import annotations

from aiohttp import web

from .._http.context import Route, resource_id, store_of
from .._http.responses import acknowledge, reply
from .schemas import CAMPAIGN_CREATE, CAMPAIGN_LAUNCH, CAMPAIGN_UPDATE
from .validation import read_json_body


async def list_campaigns(request: web.Request) -> web.Response:
    return reply(request, {"campaigns": store_of(request).campaigns.list_campaigns()})


async def create_campaign(request: web.Request) -> web.Response:
    body = await read_json_body(request, CAMPAIGN_CREATE)
    return reply(request, {"campaign": store_of(request).campaigns.create_campaign(body)})


async def retrieve_campaign(request: web.Request) -> web.Response:
    store = store_of(request)
    campaign = store.campaigns.get_campaign(resource_id(request))
    return reply(request, {"campaign": store.campaigns.render_campaign(campaign)})


async def update_campaign(request: web.Request) -> web.Response:
    body = await read_json_body(request, CAMPAIGN_UPDATE)
    campaign = store_of(request).campaigns.update_campaign(resource_id(request), body)
    return reply(request, {"campaign": campaign})


async def campaign_rows(request: web.Request) -> web.Response:
    return reply(request, {"rows": store_of(request).campaigns.campaign_rows(resource_id(request))})


async def export_campaign_rows(request: web.Request) -> web.Response:
    return reply(request, store_of(request).campaigns.export_campaign_rows(resource_id(request)))


async def launch_campaign(request: web.Request) -> web.Response:
    body = await read_json_body(request, CAMPAIGN_LAUNCH)
    return reply(request, store_of(request).campaigns.launch_campaign(resource_id(request), body))


async def campaign_statistics(request: web.Request) -> web.Response:
    statistics = store_of(request).campaigns.campaign_statistics(resource_id(request))
    return reply(request, {"statistics": statistics})


delete_campaign = acknowledge(lambda store, ident: store.campaigns.delete_campaign(ident))
cancel_campaign = acknowledge(lambda store, ident: store.campaigns.cancel_campaign(ident))
pause_campaign = acknowledge(lambda store, ident: store.campaigns.pause_campaign(ident))
resume_campaign = acknowledge(lambda store, ident: store.campaigns.resume_campaign(ident))

ROUTES: tuple[Route, ...] = (
    ("POST", "/campaigns/{id}/cancel", cancel_campaign),
    ("POST", "/campaigns", create_campaign),
    ("DELETE", "/campaigns/{id}", delete_campaign),
    ("GET", "/campaigns/{id}/export", export_campaign_rows),
    ("GET", "/campaigns/{id}/rows", campaign_rows),
    ("POST", "/campaigns/{id}/launch-calls", launch_campaign),
    ("GET", "/campaigns", list_campaigns),
    ("POST", "/campaigns/{id}/pause", pause_campaign),
    ("POST", "/campaigns/{id}/resume", resume_campaign),
    ("GET", "/campaigns/{id}", retrieve_campaign),
    ("GET", "/campaigns/{id}/statistics", campaign_statistics),
    ("PATCH", "/campaigns/{id}", update_campaign),
)
