"""Shared helpers for the fake server's tests (this module holds no tests itself).

:func:`serve` starts a fake and yields an :class:`Api` client that checks every JSON
answer against the response schemas of the API contract, so each test also proves that
the fake only emits bodies a client generated from that contract can parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import aiohttp
from multidict import CIMultiDict

from revox_async.testing import FakeRevox

from .._helpers import ASSISTANT_ID
from ..contract import openapi

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class Contract:
    """A small validator for the subset of JSON Schema the contract uses.

    Stricter than the contract in two ways that catch mistakes in the fake: objects may
    not carry properties the schema does not list, and untyped timestamps must be null
    or ISO strings with milliseconds and a ``Z``.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self._schemas: dict[str, Any] = spec["components"]["schemas"]
        self._operations: list[tuple[str, re.Pattern[str], Any]] = []
        for template, operations in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            for method, operation in operations.items():
                content = operation["responses"]["200"].get("content", {})
                schema = content.get("application/json", {}).get("schema")
                self._operations.append((method.upper(), pattern, schema))
        # Literal paths first, so that /call/search is not taken for /call/{id}.
        self._operations.sort(key=lambda op: op[1].pattern.count("[^/]+"))

    def check_response(self, method: str, path: str, body: Any) -> None:
        for wanted, pattern, schema in self._operations:
            if wanted == method and pattern.match(path):
                if schema is not None:
                    self.check(schema, body, "response")
                return
        raise AssertionError(f"{method} {path} is not an operation of the contract")

    def check(self, schema: Any, value: Any, where: str) -> None:
        if "$ref" in schema:
            self.check(self._schemas[schema["$ref"].rsplit("/", 1)[1]], value, where)
            return
        if schema.get("x-untyped") and where.endswith(("_at", "At")):
            stamp_ok = value is None or (isinstance(value, str) and _ISO.match(value))
            assert stamp_ok, f"{where}: {value!r} is not an ISO timestamp"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                errors = []
                for option in schema[key]:
                    try:
                        self.check(option, value, where)
                    except AssertionError as exc:
                        errors.append(str(exc))
                assert len(errors) < len(schema[key]), f"{where}: no variant matches: {errors}"
                return
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            assert any(_is_type(value, t) for t in types), f"{where}: {value!r} is not {types}"
        if "enum" in schema:
            assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
        if "const" in schema:
            assert value == schema["const"], f"{where}: {value!r} != {schema['const']!r}"
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                self.check(schema["items"], item, f"{where}[{i}]")
        if isinstance(value, dict):
            self._check_object(schema, value, where)

    def _check_object(self, schema: Any, value: dict[str, Any], where: str) -> None:
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            assert name in value, f"{where}.{name}: required but missing"
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                self.check(properties[name], item, f"{where}.{name}")
            elif isinstance(extra, dict):
                self.check(extra, item, f"{where}.{name}")
            else:
                assert extra is True or not properties, f"{where}.{name}: not in the contract"


def _is_type(value: Any, kind: str) -> bool:
    checks: dict[str, Any] = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }
    return bool(checks[kind])


@cache
def contract() -> Contract:
    return Contract(openapi())


@dataclass
class Reply:
    status: int
    body: Any
    headers: CIMultiDict[str]
    raw: bytes


class Api:
    """A raw HTTP client for the fake that decodes JSON and checks 200s against the contract."""

    def __init__(self, fake: FakeRevox, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, str] | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Reply:
        sent = {"Authorization": f"Bearer {self.fake.api_key if key is None else key}"}
        sent.update(headers or {})
        async with self.session.request(
            method,
            self.fake.url + path,
            json=json_body,
            params=params,
            headers=sent,
            data=data,
        ) as response:
            raw = await response.read()
            body: Any = None
            if response.content_type == "application/json":
                body = json.loads(raw)
            reply = Reply(response.status, body, CIMultiDict(response.headers), raw)
        if reply.status == 200 and body is not None and not self.fake.drift:
            contract().check_response(method, path, body)
        return reply

    async def get(self, path: str, **kwargs: Any) -> Reply:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Reply:
        return await self.request("POST", path, json_body=json_body, **kwargs)

    async def patch(self, path: str, json_body: Any = None, **kwargs: Any) -> Reply:
        return await self.request("PATCH", path, json_body=json_body, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Reply:
        return await self.request("DELETE", path, **kwargs)


@asynccontextmanager
async def serve(**options: Any) -> AsyncIterator[Api]:
    """Run a fake (options go to :class:`FakeRevox`) with a client session bound to it."""
    async with FakeRevox(**options) as fake, aiohttp.ClientSession() as session:
        yield Api(fake, session)


# Ids of the demo organization loaded by ``seed_demo_data=True``.
EMMA = ASSISTANT_ID
RECEPTIONIST = "c41d8a37-2f6e-4b90-8d15-9e3a7c0b62f8"
SPRING = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"
WINTER = "b8a1f3c6-4d2e-4a97-9e5b-7c0d1f8e3a24"
JORDAN_CALL = "3e9a7c1d-5b2f-4d84-a6e0-8f1b2c9d7e53"
PRIYA_CALL = "71c4e8b2-0d9f-4a36-b5e1-2c7a9f3d8b06"
SAM_CALL = "4a8d0c6e-2b5f-4197-9c3a-e1f7b8d2a560"
MAIN_LINE = "2c7e9a1f-6b3d-4f80-a5c2-8e1d4b7f093a"
SUPPORT_LINE = "e9d3b6a0-1f4c-4a72-8b5e-c3a9f2d7e148"
EMMA_VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
CLONED_VOICE = "1f8c3e5a-7b2d-4690-9e1c-4a6d8b0f2e73"
CLONED_VOICE_PROVIDER_ID = "c9e2a7f1-3d5b-48e6-a0c4-7b1f9d3e5a82"


def search_body(**overrides: Any) -> dict[str, Any]:
    """A call.search body with every required filter empty (no filtering)."""
    body: dict[str, Any] = {
        "assignee_ids": [],
        "assistant_ids": [],
        "campaign_ids": [],
        "directions": [],
        "from_phone_numbers": [],
        "outcomes": [],
        "page": 1,
        "page_size": 50,
        "results": [],
        "statuses": [],
    }
    body.update(overrides)
    return body
