"""Request checking: the fake behaves like a strict server.

A body that is not a JSON object is a 400, and a body that breaks the request schema
(missing or unknown field, wrong type, bad enum value) is a 422 whose ``error`` message
starts with the offending field's path, for example
``{"error": "contacts[0].to_phone_number: must be an E.164 number"}``.

A check is a function ``(value, path) -> value`` that returns the value it accepts and
raises :class:`ErrorReply` otherwise; the builders below combine checks into schemas.

A fake in drift mode plays a newer API, which accepts back what it sends: the fields it
added (ignored, since every answer carries them anyway) and the kinds of objects it added
(see :func:`tagged`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, NoReturn

from aiohttp import web

from .._clock import parse_datetime
from .._drift import NEW_FIELDS
from .._http.context import context_of
from .._wire import JSON, ErrorReply

Check = Callable[[Any, str], Any]

# Checks are built once for every fake, so the mode of the fake whose request is being
# checked reaches them through the context of that request's task.
_newer_api: ContextVar[bool] = ContextVar("revox_fake_newer_api", default=False)

MAX_CLONE_AUDIO_BYTES = 7_500_000
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
# The API documents both "17:00" (24-hour) and "6pm" / "6:30pm" (12-hour) forms.
_CLOCK_TIME = re.compile(
    r"^(([01]?[0-9]|2[0-3]):[0-5][0-9]|(1[0-2]|0?[1-9])(:[0-5][0-9])?\s?[ap]m)$", re.IGNORECASE
)


def fail(path: str, message: str) -> NoReturn:
    raise ErrorReply(422, f"{path or 'body'}: {message}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(path, "must be an object")
    return value


# -- scalar checks ------------------------------------------------------------------------


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        fail(path, "must be a string")
    return value


def text(value: Any, path: str) -> str:
    if not string(value, path).strip():
        fail(path, "must not be empty")
    return str(value)


def number(value: Any, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(path, "must be a number")
    return value


def positive(value: Any, path: str) -> float | int:
    checked = number(value, path)
    if checked <= 0:
        fail(path, "must be greater than 0")
    return checked


def integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(path, "must be an integer")
    return value


def at_least(minimum: int, maximum: int | None = None) -> Check:
    def check(value: Any, path: str) -> int:
        if integer(value, path) < minimum or (maximum is not None and value > maximum):
            bound = f" and at most {maximum}" if maximum is not None else ""
            fail(path, f"must be at least {minimum}{bound}")
        return int(value)

    return check


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        fail(path, "must be a boolean")
    return value


def e164(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _E164.match(value):
        fail(path, "must be an E.164 number")
    return value


def clock_time(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _CLOCK_TIME.match(value):
        fail(path, "must be a time of day such as 09:00 or 6pm")
    return value


def date_time(value: Any, path: str) -> str:
    try:
        parse_datetime(string(value, path))
    except ValueError:
        fail(path, "must be an ISO 8601 date-time")
    return str(value)


def base64_audio(value: Any, path: str) -> str:
    try:
        size = len(base64.b64decode(text(value, path), validate=True))
    except (binascii.Error, ValueError):
        fail(path, "must be base64-encoded audio")
    if size > MAX_CLONE_AUDIO_BYTES:
        fail(path, "must decode to at most 7.5 MB")
    return str(value)


def enum(*options: str) -> Check:
    def check(value: Any, path: str) -> str:
        if value not in options:
            fail(path, "must be one of " + ", ".join(repr(o) for o in options))
        return str(value)

    return check


# -- combinators --------------------------------------------------------------------------


def nullable(inner: Check) -> Check:
    return lambda value, path: None if value is None else inner(value, path)


def array(item: Check) -> Check:
    def check(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            fail(path, "must be an array")
        return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]

    return check


def string_map(value: Any, path: str) -> dict[str, str]:
    return {k: string(v, _join(path, k)) for k, v in _object(value, path).items()}


def scalar_map(value: Any, path: str) -> dict[str, str] | None:
    """Contact variables: untyped on the wire, stored as strings like the rows show them."""
    if value is None:
        return None
    out: dict[str, str] = {}
    for key, item in _object(value, path).items():
        if isinstance(item, (dict, list)):
            fail(_join(path, key), "must be a string, number or boolean")
        out[key] = "" if item is None else json.dumps(item) if isinstance(item, bool) else str(item)
    return out


def obj(fields: dict[str, Check], required: Iterable[str] = ()) -> Check:
    def check(value: Any, path: str) -> JSON:
        value = _object(value, path)
        ignored = NEW_FIELDS if _newer_api.get() else frozenset()
        for key in value:
            if key not in fields and key not in ignored:
                fail(_join(path, key), "unknown field")
        for key in required:
            if key not in value:
                fail(_join(path, key), "is required")
        return {k: fields[k](v, _join(path, k)) for k, v in value.items() if k in fields}

    return check


def obj_all(fields: dict[str, Check]) -> Check:
    """An object whose every field is required."""
    return obj(fields, required=fields)


def tagged(tag: str, variants: dict[str, Check], newer: dict[str, Check] | None = None) -> Check:
    """An object checked by the variant that its ``tag`` field names.

    ``newer`` variants exist only in the newer API that drift mode plays.
    """
    newer = newer or {}

    def check(value: Any, path: str) -> JSON:
        known = {**variants, **newer} if _newer_api.get() else variants
        kind = enum(*known)(_object(value, path).get(tag), _join(path, tag))
        result: JSON = known[kind](value, path)
        return result

    return check


# -- the request body ---------------------------------------------------------------------


async def read_json_body(request: web.Request, schema: Check) -> JSON:
    """The request's JSON object once ``schema`` accepted it."""
    raw = await request.read()
    if not raw:
        raise ErrorReply(400, "request body must be a JSON object")
    if request.content_type != "application/json":
        raise ErrorReply(415, "Content-Type must be application/json")
    try:
        data = json.loads(raw)
    except ValueError:
        raise ErrorReply(400, "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ErrorReply(400, "request body must be a JSON object")
    mode = _newer_api.set(context_of(request).drift)
    try:
        checked: JSON = schema(data, "")
    finally:
        _newer_api.reset(mode)
    return checked
