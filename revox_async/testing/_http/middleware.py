"""Middlewares: the request log, fault injection, JSON errors and API key checking."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import uuid
from collections.abc import Iterable

from aiohttp import web

from .._faults import Fault
from .._wire import ErrorReply
from .context import Handler, RecordedRequest, context_of, store_of

logger = logging.getLogger(__name__)

# Room for a maximal voice clone upload once base64 has inflated it by a third.
MAX_BODY_BYTES = 12 * 1024 * 1024


def _json_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


def _redacted(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "authorization":
            value = "Bearer ***" if value.lower().startswith("bearer ") else "***"
        out[name] = value
    return out


class _Dropped(web.Response):
    """Marks a response that never reaches the client because the connection was closed."""


@web.middleware
async def record_request(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _json_error(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    record = RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        body=body,
        headers=_redacted(request.headers.items()),
        request_id=f"req_{uuid.uuid4().hex}",
    )
    context_of(request).requests.append(record)
    response = await handler(request)
    record.dropped = isinstance(response, _Dropped)
    record.status = None if record.dropped else response.status
    response.headers["x-request-id"] = record.request_id
    return response


def _drop_connection(request: web.Request) -> web.Response:
    if request.transport is not None:
        request.transport.close()
    # aiohttp's write of this response finds the transport closed and sends nothing.
    return _Dropped(status=204)


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    template = resource.canonical if resource is not None else request.path
    fault = context_of(request).faults.take(request.method, template, request.path)
    if fault is None:
        return await handler(request)
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop == "before":
        return _drop_connection(request)
    if fault.drop == "after":
        await handler(request)
        return _drop_connection(request)
    if fault.status is not None:
        if fault.acted:
            await handler(request)
        if fault.late:
            await asyncio.sleep(fault.late)
        return web.Response(
            status=fault.status,
            body=fault.render_body(fault.error_body()),
            headers=fault.response_headers(),
            content_type=fault.content_type or "application/json",
        )
    response = await handler(request)
    if fault.late:
        await asyncio.sleep(fault.late)
    return _alter(response, fault)


def _alter(response: web.StreamResponse, fault: Fault) -> web.StreamResponse:
    if not isinstance(response, web.Response):
        return response
    original = response.body if isinstance(response.body, bytes) else b""
    altered = web.Response(
        status=response.status,
        body=fault.render_body(original),
        content_type=fault.content_type or response.content_type,
    )
    altered.headers.update(fault.response_headers())
    return altered


@web.middleware
async def errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ErrorReply as exc:
        return _json_error(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status == 404:
            return _json_error(404, f"no route for {request.method} {request.path}")
        allow = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return _json_error(exc.status, exc.reason, allow)
    except Exception:
        logger.exception("fake Revox handler failed")
        return _json_error(500, "internal error in the fake server")


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _json_error(401, "missing API key: send 'Authorization: Bearer <key>'")
    if not secrets.compare_digest(token.encode(), context_of(request).api_key.encode()):
        return _json_error(401, "invalid API key")
    # Time only moves with the clock, so catching up here is enough to keep calls current.
    store_of(request).tick()
    return await handler(request)
