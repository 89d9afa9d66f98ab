"""The endpoint table in the docs matches the code, so it cannot drift from it."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import revox_async.resources
from revox_async import AsyncRevox, Revox
from revox_async._endpoint import Endpoint
from revox_async._request import Repeat

TABLE = Path(__file__).resolve().parents[1] / "docs" / "endpoints.md"
ROW = re.compile(r"^\| `(\w+) (\S+)` \| `(?:await |async for \w+ in )client\.(\w+)\.(\w+)\(")


def _endpoints() -> list[Endpoint[object]]:
    found = []
    for module in pkgutil.iter_modules(revox_async.resources.__path__):
        if not module.name.startswith("_"):
            namespace = vars(importlib.import_module(f"revox_async.resources.{module.name}"))
            found += [value for value in namespace.values() if isinstance(value, Endpoint)]
    return found


def test_every_endpoint_has_a_row_that_matches_it() -> None:
    rows = {}
    for line in TABLE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            method, path, resource, name = match.groups()
            rows[f"{resource}.{name}"] = (method, path, line.rstrip(" |").endswith("yes"))
    endpoints = _endpoints()
    assert len(endpoints) == 36
    for endpoint in endpoints:
        assert rows.pop(endpoint.name) == (
            endpoint.method,
            endpoint.path,
            endpoint.repeat is Repeat.SAFE,
        ), endpoint.name
    assert set(rows) == {"calls.search_page"}


def test_every_row_names_a_method_of_both_clients() -> None:
    async_client, sync_client = AsyncRevox("k"), Revox("k")
    for line in TABLE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            _, _, resource, name = match.groups()
            assert callable(getattr(getattr(async_client, resource), name))
            assert callable(getattr(getattr(sync_client, resource), name))
    sync_client.close()
