"""The clients under test, behind one small interface.

Each client imports its library only when opened, so a fresh process that measures one client
(peak RSS) carries no other client's imports. The official ``revox`` SDK is optional and
untyped here (``Any``): the benchmarks run and type-check without it.
"""

from __future__ import annotations

import http.client
import importlib
import importlib.util
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
)
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

API_KEY = "bench-key"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}


@dataclass(frozen=True)
class AsyncApi:
    retrieve: Callable[[str], Awaitable[object]]
    list_all: Callable[[], Awaitable[Sequence[object]]]


@dataclass(frozen=True)
class SyncApi:
    retrieve: Callable[[str], object]
    list_all: Callable[[], Sequence[object]]


@dataclass(frozen=True)
class AsyncClient:
    key: str
    label: str
    connect: Callable[[str], AbstractAsyncContextManager[AsyncApi]]
    is_assistant: Callable[[object, str], bool]
    """Whether a result is this client's parsed assistant with the given id."""
    requires: tuple[str, ...] = ()
    """Modules the client needs; it is left out when one is missing."""


@dataclass(frozen=True)
class SyncClient:
    key: str
    label: str
    connect: Callable[[str], AbstractContextManager[SyncApi]]
    is_assistant: Callable[[object, str], bool]
    requires: tuple[str, ...] = ()


Client = AsyncClient | SyncClient


# The floors: a plain HTTP client and json.loads, the least any SDK has to do.


@asynccontextmanager
async def aiohttp_json(base_url: str) -> AsyncIterator[AsyncApi]:
    import aiohttp

    async with aiohttp.ClientSession(headers=HEADERS) as session:

        async def get(path: str) -> Any:
            async with session.get(base_url + path) as response:
                response.raise_for_status()
                return json.loads(await response.read())

        async def retrieve(assistant_id: str) -> object:
            return await get(f"/assistants/{assistant_id}")

        async def list_all() -> Sequence[object]:
            assistants: list[object] = (await get("/assistants"))["assistants"]
            return assistants

        yield AsyncApi(retrieve, list_all)


@contextmanager
def http_client_json(base_url: str) -> Iterator[SyncApi]:
    url = urlsplit(base_url)
    # One HTTP/1.1 connection, kept alive across calls like an SDK's pool.
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port)

    def get(path: str) -> Any:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status}")
        return json.loads(body)

    def list_all() -> Sequence[object]:
        assistants: list[object] = get("/assistants")["assistants"]
        return assistants

    try:
        yield SyncApi(lambda assistant_id: get(f"/assistants/{assistant_id}"), list_all)
    finally:
        connection.close()


def is_dict_assistant(result: object, assistant_id: str) -> bool:
    return isinstance(result, dict) and result.get("id") == assistant_id


# revox-async


@asynccontextmanager
async def revox_async_client(base_url: str) -> AsyncIterator[AsyncApi]:
    import revox_async

    async with revox_async.AsyncRevox(API_KEY, base_url=base_url) as client:
        yield AsyncApi(client.assistants.retrieve, client.assistants.list)


@contextmanager
def revox_async_sync_client(base_url: str) -> Iterator[SyncApi]:
    import revox_async

    with revox_async.Revox(API_KEY, base_url=base_url) as client:
        yield SyncApi(client.assistants.retrieve, client.assistants.list)


def is_revox_async_assistant(result: object, assistant_id: str) -> bool:
    from revox_async.models import Assistant

    return isinstance(result, Assistant) and result.id == assistant_id


# The official SDK, when installed.


def official_sdk() -> Any:
    return importlib.import_module("revox")


@asynccontextmanager
async def official_async(base_url: str, *, aiohttp_backend: bool) -> AsyncIterator[AsyncApi]:
    revox = official_sdk()
    options = {"http_client": revox.DefaultAioHttpClient()} if aiohttp_backend else {}
    async with revox.AsyncRevox(api_key=API_KEY, base_url=base_url, **options) as client:

        async def list_all() -> Sequence[object]:
            response = await client.assistants.list()
            assistants: Sequence[object] = response.assistants
            return assistants

        yield AsyncApi(client.assistants.retrieve, list_all)


@contextmanager
def official_sync(base_url: str) -> Iterator[SyncApi]:
    revox = official_sdk()
    with revox.Revox(api_key=API_KEY, base_url=base_url) as client:
        yield SyncApi(client.assistants.retrieve, lambda: client.assistants.list().assistants)


def is_official_assistant(result: object, assistant_id: str) -> bool:
    types = importlib.import_module("revox.types")
    listed = importlib.import_module("revox.types.assistant_list_response")
    pydantic_classes = (types.AssistantRetrieveResponse, listed.Assistant)
    return isinstance(result, pydantic_classes) and getattr(result, "id", None) == assistant_id


FLOOR = AsyncClient("aiohttp", "aiohttp + json.loads", aiohttp_json, is_dict_assistant)
SYNC_FLOOR = SyncClient(
    "http.client", "http.client + json.loads", http_client_json, is_dict_assistant
)
REVOX_ASYNC = AsyncClient(
    "revox-async", "revox-async AsyncRevox", revox_async_client, is_revox_async_assistant
)
REVOX_ASYNC_SYNC = SyncClient(
    "revox-async-sync",
    "revox-async Revox (sync)",
    revox_async_sync_client,
    is_revox_async_assistant,
)
OFFICIAL_ASYNC = [
    AsyncClient(
        "revox-httpx",
        "revox AsyncRevox (httpx)",
        partial(official_async, aiohttp_backend=False),
        is_official_assistant,
        ("revox",),
    ),
    AsyncClient(
        "revox-aiohttp",
        "revox AsyncRevox (aiohttp)",
        partial(official_async, aiohttp_backend=True),
        is_official_assistant,
        ("revox", "httpx_aiohttp"),
    ),
]
OFFICIAL_SYNC = SyncClient(
    "revox-sync", "revox Revox (sync)", official_sync, is_official_assistant, ("revox",)
)


def installed(client: Client) -> bool:
    return all(importlib.util.find_spec(module) is not None for module in client.requires)


def async_clients() -> list[AsyncClient]:
    """The floor first, then every async client whose library is installed."""
    return [c for c in [FLOOR, REVOX_ASYNC, *OFFICIAL_ASYNC] if installed(c)]


def sync_clients() -> list[SyncClient]:
    """The sync floor first, then every sync client whose library is installed."""
    return [c for c in [SYNC_FLOOR, REVOX_ASYNC_SYNC, OFFICIAL_SYNC] if installed(c)]


def by_key(key: str) -> Client:
    candidates: list[Client] = [*async_clients(), *sync_clients()]
    for client in candidates:
        if client.key == key:
            return client
    raise KeyError(f"no installed client {key!r}")
