"""The aiohttp application of the fake: request checking, middlewares and the 36 handlers.

The fake behaves like a strict server: a body that is not a JSON object is a 400, and a
body that breaks the request schema (missing or unknown field, wrong type, bad enum value)
is a 422 whose ``error`` message starts with the offending field's path, for example
``{"error": "contacts[0].to_phone_number: must be an E.164 number"}``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import json
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

from aiohttp import web

from ._clock import parse_datetime
from ._faults import Fault, Faults
from ._state import ApiError, Store, preview_wav

JSON = dict[str, Any]
Check = Callable[[Any, str], Any]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 1000
MAX_CLONE_AUDIO_BYTES = 7_500_000
# Room for a maximal voice clone upload once base64 has inflated it by a third.
MAX_BODY_BYTES = 12 * 1024 * 1024
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass
class RecordedRequest:
    """One request as the fake saw it; the Authorization value is redacted."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    request_id: str
    status: int | None = None
    dropped: bool = False


class FakeContext(Protocol):
    """What the application reads from the object that owns it."""

    api_key: str
    drift: bool
    state: Store
    faults: Faults
    requests: list[RecordedRequest]


CONTEXT = web.AppKey("revox_fake_context", FakeContext)


# -- request checking ---------------------------------------------------------------------


def _fail(path: str, message: str) -> NoReturn:
    raise ApiError(422, f"{path or 'body'}: {message}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a string")
    return value


def text(value: Any, path: str) -> str:
    if not string(value, path).strip():
        _fail(path, "must not be empty")
    return str(value)


def number(value: Any, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(path, "must be a number")
    return value


def positive(value: Any, path: str) -> float | int:
    checked = number(value, path)
    if checked <= 0:
        _fail(path, "must be greater than 0")
    return checked


def integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, "must be an integer")
    return value


def at_least(minimum: int, maximum: int | None = None) -> Check:
    def check(value: Any, path: str) -> int:
        if integer(value, path) < minimum or (maximum is not None and value > maximum):
            bound = f" and at most {maximum}" if maximum is not None else ""
            _fail(path, f"must be at least {minimum}{bound}")
        return int(value)

    return check


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        _fail(path, "must be a boolean")
    return value


def e164(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _E164.match(value):
        _fail(path, "must be an E.164 number")
    return value


def clock_time(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _CLOCK_TIME.match(value):
        _fail(path, "must be a time of day formatted HH:MM")
    return value


def date_time(value: Any, path: str) -> str:
    try:
        parse_datetime(string(value, path))
    except ValueError:
        _fail(path, "must be an ISO 8601 date-time")
    return str(value)


def base64_audio(value: Any, path: str) -> str:
    try:
        size = len(base64.b64decode(text(value, path), validate=True))
    except (binascii.Error, ValueError):
        _fail(path, "must be base64-encoded audio")
    if size > MAX_CLONE_AUDIO_BYTES:
        _fail(path, "must decode to at most 7.5 MB")
    return str(value)


def enum(*options: str) -> Check:
    def check(value: Any, path: str) -> str:
        if value not in options:
            _fail(path, "must be one of " + ", ".join(repr(o) for o in options))
        return str(value)

    return check


def nullable(inner: Check) -> Check:
    return lambda value, path: None if value is None else inner(value, path)


def array(item: Check) -> Check:
    def check(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            _fail(path, "must be an array")
        return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]

    return check


def string_map(value: Any, path: str) -> dict[str, str]:
    if not isinstance(value, dict):
        _fail(path, "must be an object")
    return {k: string(v, _join(path, k)) for k, v in value.items()}


def scalar_map(value: Any, path: str) -> dict[str, str] | None:
    """Contact variables: untyped on the wire, stored as strings like the rows show them."""
    if value is None:
        return None
    if not isinstance(value, dict):
        _fail(path, "must be an object")
    out: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            _fail(_join(path, key), "must be a string, number or boolean")
        out[key] = "" if item is None else json.dumps(item) if isinstance(item, bool) else str(item)
    return out


def obj(fields: dict[str, Check], required: Iterable[str] = ()) -> Check:
    def check(value: Any, path: str) -> JSON:
        if not isinstance(value, dict):
            _fail(path, "must be an object")
        for key in value:
            if key not in fields:
                _fail(_join(path, key), "unknown field")
        for key in required:
            if key not in value:
                _fail(_join(path, key), "is required")
        return {k: fields[k](v, _join(path, k)) for k, v in value.items()}

    return check


def tagged(tag: str, variants: dict[str, Check]) -> Check:
    def check(value: Any, path: str) -> JSON:
        if not isinstance(value, dict):
            _fail(path, "must be an object")
        kind = enum(*variants)(value.get(tag), _join(path, tag))
        result: JSON = variants[kind](value, path)
        return result

    return check


def _all(fields: dict[str, Check]) -> Check:
    return obj(fields, required=fields)


PROVIDER = enum("cartesia", "elevenlabs", "gradium")
LANGUAGE = enum("en", "fr", "es", "de", "it", "pt", "ru", "zh")
DIRECTION = enum("inbound", "outbound")
OUTCOME = enum("not_interested", "interested", "completed", "requested_callback_later", "none")
RESULT = enum("IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none")
CALL_STATUS = enum(
    "initializing",
    "queued_for_calling",
    "calling",
    "post_processing",
    "not_launched",
    "scheduled",
    "paused",
    "completed",
    "cancelled",
    "errored",
)
KEY_VALUE = _all({"key": string, "value": string})
RETRY_CONFIG = obj(
    {
        "allowed_days": array(
            enum("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        ),
        "call_twice_in_a_row": boolean,
        "calling_windows": array(
            _all(
                {
                    "calling_window_end_time": clock_time,
                    "calling_window_start_time": clock_time,
                    "retry_delay_seconds": at_least(0),
                }
            )
        ),
        "max_retry_attempts": at_least(1),
        "timezone": nullable(string),
    },
    required=("allowed_days", "call_twice_in_a_row", "calling_windows", "max_retry_attempts"),
)
OUTPUT_FIELD = obj(
    {
        "name": text,
        "required": boolean,
        "type": enum("string", "number", "boolean", "enum", "date", "datetime"),
        "description": string,
        "enum_options": array(string),
    },
    required=("name", "required", "type"),
)
POSITION = _all({"x": number, "y": number})
LLM_MODEL = tagged(
    "type",
    {
        "dedicated-instance": _all(
            {"type": string, "name": enum("gpt-4.1", "ministral-3-8b-instruct")}
        ),
        "openrouter": _all(
            {"type": string, "openrouter_model_id": text, "openrouter_provider": text}
        ),
        "custom": _all({"type": string, "api_key": string, "api_url": text, "model_name": text}),
        "realtime": obj(
            {
                "type": string,
                "provider": enum("openai", "google"),
                "realtime_model_id": text,
                "realtime_voice_id": string,
            },
            required=("type", "provider", "realtime_model_id"),
        ),
    },
)
ASSISTANT_FIELDS: dict[str, Check] = {
    "after_call_sms_outcomes": nullable(array(OUTCOME)),
    "after_call_sms_prompt": nullable(string),
    "background_sound": nullable(enum("audio/office.ogg")),
    "background_sound_volume": number,
    "calendly": nullable(_all({"connection_id": string, "event_type_id": string})),
    "call_retry_config": RETRY_CONFIG,
    "cartesia_dictionary_pronunciation_id": nullable(string),
    "custom_tools": nullable(
        array(
            _all(
                {
                    "body_template": nullable(string),
                    "description": string,
                    "headers": array(KEY_VALUE),
                    "input_schema": array(OUTPUT_FIELD),
                    "method": enum("GET", "POST", "PUT", "PATCH", "DELETE"),
                    "name": text,
                    "query_params": array(KEY_VALUE),
                    "url": text,
                }
            )
        )
    ),
    "email_notification_address": nullable(string),
    "email_notification_outcomes": nullable(array(OUTCOME)),
    "end_of_call_sentence": string,
    "faq_items": array(_all({"answer": string, "question": text})),
    "first_sentence": string,
    "first_sentence_delay_ms": integer,
    "first_sentence_mode": enum("generated", "static", "none"),
    "from_phone_number": nullable(e164),
    "human_transfer_mode": nullable(enum("warm", "cold")),
    "ivr_navigation_enabled": boolean,
    "llm_model": LLM_MODEL,
    "logo_url": nullable(string),
    "max_call_duration_secs": positive,
    "max_duration_end_message": nullable(string),
    "position": nullable(POSITION),
    "precall_lookup_url": nullable(string),
    "prompt": text,
    "prompt_flow": nullable(
        _all(
            {
                "edges": array(_all({"id": string, "source": string, "target": string})),
                "nodes": array(
                    _all(
                        {
                            "id": string,
                            "data": _all({"body": string, "title": string}),
                            "position": POSITION,
                            "type": string,
                        }
                    )
                ),
            }
        )
    ),
    "slack": nullable(
        obj(
            {
                "channels": array(obj({"id": text, "name": nullable(string)}, required=("id",))),
                "connection_id": string,
                "outcomes": array(OUTCOME),
                "template": nullable(string),
            },
            required=("channels", "connection_id", "outcomes"),
        )
    ),
    "sms_enabled": boolean,
    "sms_template": nullable(string),
    "structured_output_config": array(OUTPUT_FIELD),
    "structured_output_prompt": nullable(string),
    "stt_context": nullable(_all({"general": array(KEY_VALUE), "terms": array(string)})),
    "stt_model": enum("stt-rt-v4", "stt-rt-v5"),
    "thinking_sound": nullable(
        enum(
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        )
    ),
    "thinking_sound_probability": number,
    "thinking_sound_volume": number,
    "transfer_destinations": nullable(array(_all({"label": string, "phone_number": e164}))),
    "type": enum("standalone", "multi-step", "sub-assistant"),
    "voice": obj(
        {
            "id": text,
            "provider": PROVIDER,
            "model": enum("sonic-3", "sonic-3.5"),
            "speed": positive,
            "volume": positive,
        },
        required=("id", "provider"),
    ),
    "voicemail_message": nullable(string),
    "voicemail_sms_prompt": nullable(string),
    "warm_transfer_summary_instructions": nullable(string),
    "webhook_url": string,
    "zoho": nullable(
        obj(
            {
                "connection_id": string,
                "field_mapping": array(_all({"source": string, "zoho_field": string})),
                "log_call_activity": boolean,
                "module": string,
                "outcomes": array(OUTCOME),
                "template": nullable(string),
            },
            required=("connection_id", "field_mapping", "log_call_activity", "module", "outcomes"),
        )
    ),
}
ASSISTANT_CREATE = obj({**ASSISTANT_FIELDS, "name": text}, required=("name", "prompt"))
ASSISTANT_UPDATE = obj({**ASSISTANT_FIELDS, "name": text})
CALL_CREATE = obj(
    {
        "phone_number": e164,
        "assistant": obj(ASSISTANT_FIELDS, required=("prompt",)),
        "assistant_id": text,
        "concurrency": _all({"key": text}),
        "from_phone_number": e164,
        "metadata": string_map,
        "prompt_variables": string_map,
        "scheduled_at": date_time,
        "skip_calling_window": boolean,
    },
    required=("phone_number",),
)
_FILTER_ARRAYS: dict[str, Check] = {
    "assignee_ids": array(string),
    "directions": array(DIRECTION),
    "outcomes": array(OUTCOME),
    "results": array(RESULT),
    "statuses": array(CALL_STATUS),
}
CALL_FILTERS = obj(
    {
        **_FILTER_ARRAYS,
        "assistant_ids": array(string),
        "campaign_ids": array(string),
        "from_phone_numbers": array(string),
        "page": at_least(1),
        "page_size": at_least(1, MAX_PAGE_SIZE),
        "call_ids": array(string),
        "query": string,
        "sort_by": string,
        "sort_direction": enum("asc", "desc"),
        "to_phone_number": string,
    },
    required=(
        *_FILTER_ARRAYS,
        "assistant_ids",
        "campaign_ids",
        "from_phone_numbers",
        "page",
        "page_size",
    ),
)
CALL_EXPORT = obj(
    {
        "filters": CALL_FILTERS,
        "include_metadata": boolean,
        "include_structured_output_fields": boolean,
    },
    required=("filters",),
)
CAMPAIGN_CREATE = obj(
    {
        "assistant_id": text,
        "contacts": array(_all({"prompt_variables": scalar_map, "to_phone_number": e164})),
        "name": text,
        "call_retry_config": RETRY_CONFIG,
        "from_phone_number": e164,
        "max_concurrent_calls": positive,
    },
    required=("assistant_id", "contacts", "name"),
)
CAMPAIGN_UPDATE = obj(
    {
        "call_retry_config": nullable(RETRY_CONFIG),
        "from_phone_number": nullable(e164),
        "max_concurrent_calls": nullable(positive),
        "name": text,
    }
)
CAMPAIGN_LAUNCH = obj(
    {
        "mode": enum("ai_first", "speed_dial"),
        "selection": _all(
            {
                "filters": obj({**_FILTER_ARRAYS, "query": string}, required=_FILTER_ARRAYS),
                "rows": _all({"call_ids": array(string), "mode": enum("all_except", "only")}),
            }
        ),
        "scheduled_at": date_time,
    },
    required=("mode", "selection"),
)
PHONE_NUMBER_UPDATE = obj({"inbound_assistant_id": nullable(text), "label": nullable(string)})
VOICE_CLONE = _all(
    {
        "audio": base64_audio,
        "contentType": enum(
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ),
        "language": LANGUAGE,
        "name": text,
    }
)
VOICE_PREVIEW = obj(
    {
        "provider": PROVIDER,
        "voiceId": text,
        "model": enum("sonic-3", "sonic-3.5"),
        "speed": positive,
        "text": text,
        "volume": positive,
    },
    required=("provider", "voiceId"),
)


async def _body(request: web.Request, schema: Check) -> JSON:
    raw = await request.read()
    if not raw:
        raise ApiError(400, "request body must be a JSON object")
    if request.content_type != "application/json":
        raise ApiError(415, "Content-Type must be application/json")
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    checked: JSON = schema(data, "")
    return checked


# -- drift ----------------------------------------------------------------------------------

_DRIFT_FIELD: JSON = {"x_new_field": {"added_in": "2099-01", "enabled": True}}
# Objects whose keys are data, not schema fields: an extra key there would change the data.
_FREE_FORM_KEYS = frozenset(
    {"metadata", "prompt_variables", "input_data", "structured_output", "tool_arguments"}
)
_MAP_KEYS = frozenset({"phone_history"})


def drift(value: Any, key: str | None = None) -> Any:
    """Simulate a newer API: unknown fields everywhere and enum values this client can't know."""
    if isinstance(value, list):
        return [drift(item, key) for item in value]
    if not isinstance(value, dict) or key in _FREE_FORM_KEYS:
        return value
    if key in _MAP_KEYS:
        return {k: drift(v) for k, v in value.items()}
    out = {k: drift(v, k) for k, v in value.items()}
    if key == "llm_model":
        out = {"type": "future-model", "future_model_ref": "revox-omni-2"}
    elif "call_attempts" in out and "status" in out:
        out["status"] = "voicemail_screening"
    elif "answered_at" in out and out.get("result") is not None:
        out["result"] = "carrier_screening"
    elif "assistant_id" in out and "is_cancelled" in out:
        out["status"] = "archived"
    elif "livekit_outbound_trunk_id" in out:
        out["provider"] = "future-carrier"
    out.update(copy.deepcopy(_DRIFT_FIELD))
    return out


# -- middlewares ----------------------------------------------------------------------------


def _context(request: web.Request) -> FakeContext:
    return request.app[CONTEXT]


def _store(request: web.Request) -> Store:
    return _context(request).state


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
async def _record(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"request body larger than {MAX_BODY_BYTES} bytes")
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
    _context(request).requests.append(record)
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
async def _inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    template = resource.canonical if resource is not None else request.path
    fault = _context(request).faults.take(request.method, template, request.path)
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
        return web.Response(
            status=fault.status,
            body=fault.render_body(fault.error_body()),
            headers=fault.response_headers(),
            content_type=fault.content_type or "application/json",
        )
    return _alter(await handler(request), fault)


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


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


@web.middleware
async def _errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return _error(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status == 404:
            return _error(404, f"no route for {request.method} {request.path}")
        allow = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return _error(exc.status, exc.reason, allow)
    except Exception:
        logger.exception("fake Revox handler failed")
        return _error(500, "internal error in the fake server")


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _error(401, "missing API key: send 'Authorization: Bearer <key>'")
    if not secrets.compare_digest(token.encode(), _context(request).api_key.encode()):
        return _error(401, "invalid API key")
    # Time only moves with the clock, so catching up here is enough to keep calls current.
    _store(request).tick()
    return await handler(request)


# -- handlers -------------------------------------------------------------------------------


def _reply(request: web.Request, payload: JSON) -> web.Response:
    if _context(request).drift:
        payload = drift(payload)
    return web.json_response(payload)


def _success(request: web.Request) -> web.Response:
    return _reply(request, {"success": True})


def _id(request: web.Request) -> str:
    return request.match_info["id"]


async def list_assistants(request: web.Request) -> web.Response:
    return _reply(request, {"assistants": _store(request).list_assistants()})


async def create_assistant(request: web.Request) -> web.Response:
    body = await _body(request, ASSISTANT_CREATE)
    return _reply(request, {"assistant": _store(request).create_assistant(body)})


async def retrieve_assistant(request: web.Request) -> web.Response:
    return _reply(request, copy.deepcopy(_store(request).get_assistant(_id(request))))


async def update_assistant(request: web.Request) -> web.Response:
    body = await _body(request, ASSISTANT_UPDATE)
    assistant, notice = _store(request).update_assistant(_id(request), body)
    return _reply(request, {"assistant": assistant, "unpatchedCallsNotice": notice})


async def delete_assistant(request: web.Request) -> web.Response:
    _store(request).delete_assistant(_id(request))
    return _success(request)


async def clone_assistant(request: web.Request) -> web.Response:
    return _reply(request, {"assistant": _store(request).clone_assistant(_id(request))})


async def auth_status(request: web.Request) -> web.Response:
    return _reply(request, {"authenticated": True})


async def create_call(request: web.Request) -> web.Response:
    body = await _body(request, CALL_CREATE)
    return _reply(request, {"call": _store(request).create_call(body)})


async def retrieve_call(request: web.Request) -> web.Response:
    store = _store(request)
    return _reply(request, {"call": store.render_call(store.get_call(_id(request)))})


async def cancel_call(request: web.Request) -> web.Response:
    _store(request).cancel_call(_id(request))
    return _success(request)


async def pause_call(request: web.Request) -> web.Response:
    _store(request).pause_call(_id(request))
    return _success(request)


async def resume_call(request: web.Request) -> web.Response:
    _store(request).resume_call(_id(request))
    return _success(request)


async def search_calls(request: web.Request) -> web.Response:
    calls, total = _store(request).search_calls(await _body(request, CALL_FILTERS))
    return _reply(request, {"calls": calls, "total_count": total})


async def export_calls(request: web.Request) -> web.Response:
    body = await _body(request, CALL_EXPORT)
    export = _store(request).export_calls(
        body["filters"],
        body.get("include_metadata", False),
        body.get("include_structured_output_fields", False),
    )
    return _reply(request, export)


async def phone_history(request: web.Request) -> web.Response:
    return _reply(request, {"phone_history": _store(request).phone_history()})


async def list_campaigns(request: web.Request) -> web.Response:
    return _reply(request, {"campaigns": _store(request).list_campaigns()})


async def create_campaign(request: web.Request) -> web.Response:
    body = await _body(request, CAMPAIGN_CREATE)
    return _reply(request, {"campaign": _store(request).create_campaign(body)})


async def retrieve_campaign(request: web.Request) -> web.Response:
    store = _store(request)
    return _reply(request, {"campaign": store.render_campaign(store.get_campaign(_id(request)))})


async def update_campaign(request: web.Request) -> web.Response:
    body = await _body(request, CAMPAIGN_UPDATE)
    return _reply(request, {"campaign": _store(request).update_campaign(_id(request), body)})


async def delete_campaign(request: web.Request) -> web.Response:
    _store(request).delete_campaign(_id(request))
    return _success(request)


async def cancel_campaign(request: web.Request) -> web.Response:
    _store(request).cancel_campaign(_id(request))
    return _success(request)


async def pause_campaign(request: web.Request) -> web.Response:
    _store(request).pause_campaign(_id(request))
    return _success(request)


async def resume_campaign(request: web.Request) -> web.Response:
    _store(request).resume_campaign(_id(request))
    return _success(request)


async def campaign_rows(request: web.Request) -> web.Response:
    return _reply(request, {"rows": _store(request).campaign_rows(_id(request))})


async def export_campaign_rows(request: web.Request) -> web.Response:
    return _reply(request, _store(request).export_campaign_rows(_id(request)))


async def launch_campaign(request: web.Request) -> web.Response:
    body = await _body(request, CAMPAIGN_LAUNCH)
    return _reply(request, _store(request).launch_campaign(_id(request), body))


async def campaign_statistics(request: web.Request) -> web.Response:
    return _reply(request, {"statistics": _store(request).campaign_statistics(_id(request))})


async def list_phone_numbers(request: web.Request) -> web.Response:
    store = _store(request)
    phones = [store.render_phone_number(p) for p in store.phone_numbers.values()]
    return _reply(request, {"phone_numbers": phones})


async def update_phone_number(request: web.Request) -> web.Response:
    body = await _body(request, PHONE_NUMBER_UPDATE)
    phone = _store(request).update_phone_number(_id(request), body)
    return _reply(request, {"phone_number": phone})


async def delete_phone_number(request: web.Request) -> web.Response:
    _store(request).delete_phone_number(_id(request))
    return _success(request)


async def retrieve_user(request: web.Request) -> web.Response:
    return _reply(request, {"user": copy.deepcopy(_store(request).user)})


async def list_voices(request: web.Request) -> web.Response:
    return _reply(request, {"voices": copy.deepcopy(_store(request).voices)})


async def retrieve_voice(request: web.Request) -> web.Response:
    if "provider" not in request.query:
        _fail("provider", "is required")
    provider = PROVIDER(request.query["provider"], "provider")
    voice = _store(request).get_voice(_id(request), provider)
    summary = {"id": voice["id"], "name": voice["name"], "description": voice["description"]}
    return _reply(request, {"voice": summary})


async def clone_voice(request: web.Request) -> web.Response:
    body = await _body(request, VOICE_CLONE)
    return _reply(request, _store(request).clone_voice(body))


async def delete_voice(request: web.Request) -> web.Response:
    _store(request).delete_voice(_id(request))
    return _success(request)


async def preview_voice(request: web.Request) -> web.Response:
    body = await _body(request, VOICE_PREVIEW)
    _store(request).get_voice(body["voiceId"], body["provider"])
    return web.Response(body=preview_wav(), content_type="audio/wav")


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/assistants/{id}/clone", clone_assistant),
    ("POST", "/assistants", create_assistant),
    ("DELETE", "/assistants/{id}", delete_assistant),
    ("GET", "/assistants", list_assistants),
    ("GET", "/assistants/{id}", retrieve_assistant),
    ("PATCH", "/assistants/{id}", update_assistant),
    ("GET", "/auth-status", auth_status),
    ("POST", "/call/{id}/cancel", cancel_call),
    ("POST", "/call", create_call),
    ("POST", "/call/export", export_calls),
    ("POST", "/call/{id}/pause", pause_call),
    ("GET", "/calls/phone-history", phone_history),
    ("POST", "/call/{id}/resume", resume_call),
    ("GET", "/call/{id}", retrieve_call),
    ("POST", "/call/search", search_calls),
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
    ("DELETE", "/phone-numbers/{id}", delete_phone_number),
    ("GET", "/phone-numbers", list_phone_numbers),
    ("PATCH", "/phone-numbers/{id}", update_phone_number),
    ("GET", "/users/me", retrieve_user),
    ("POST", "/voices/clone", clone_voice),
    ("DELETE", "/voices/{id}", delete_voice),
    ("GET", "/voices", list_voices),
    ("POST", "/voices/preview", preview_voice),
    ("GET", "/voices/{id}", retrieve_voice),
)


def create_app(context: FakeContext) -> web.Application:
    """Build the fake's application; ``context`` supplies the key, state, faults and log."""
    app = web.Application(
        middlewares=[_record, _inject_faults, _errors_as_json, _authenticate],
        client_max_size=MAX_BODY_BYTES,
    )
    app[CONTEXT] = context
    for method, path, handler in ROUTES:
        app.router.add_route(method, path, handler)
    return app
