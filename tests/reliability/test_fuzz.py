"""Fuzzing with hypothesis: what the API may answer, what an id may hold, what a caller may pass.

- Responses drawn from the schemas of ``openapi.json`` (with unknown fields, unknown enum values,
  unknown ``llm_model`` kinds and nulls where allowed; see ``_schema_strategies``) always parse,
  and ``to_dict()`` gives back exactly what the server sent: for every response model, and for
  what every method returns once served over loopback.
- A path id, whatever its characters, stays inside its path segment: in ``encode_path``'s
  output, and on a real server, where the request reaches the intended route and the id
  decodes back exactly.
- Bad arguments to every public method (a wrong type, an unknown keyword, a missing one, a
  number out of range, a malformed phone number, an empty string) raise ``TypeError`` or
  ``ValueError`` naming the argument, and nothing reaches the server.

The ``ci`` profile (default) draws 75 deterministic examples per property, 15 for each
operation served over loopback, and 5 for each argument or documented limit of each method,
whose edge values (the nearest float outside a range, NaN, other scripts' digits...) are also
tried on every run. For a longer local hunt with fresh inputs, 3000 examples per property::

    HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest -q tests/reliability/test_fuzz.py
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
import re
import struct
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import unquote

import attrs
import pytest
import pytest_asyncio
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typing_extensions import Required, is_typeddict

from revox_async import APIError, AsyncPager, AsyncRevox, NotFoundError, Revox
from revox_async._endpoint import encode_path
from revox_async._model import RevoxModel
from revox_async._structure.converter import structure
from revox_async.models import AudioClip
from revox_async.testing import FakeRevoxThread

from .._helpers import KEY, LoopbackServer, check_sync_twin
from ._schema_strategies import (
    RESPONSE_SCHEMAS,
    SCHEMAS,
    SPEC,
    model_of,
    response,
    success_body,
    wire_fields,
)

ASSISTANT_ID = "asst_1"
# Deselected by the quick sessions (-m "not slow"); the full ones run it.
pytestmark = pytest.mark.slow

PHONE = "+33612345678"
SELECTION = {"filters": {}, "rows": {"mode": "all_except", "call_ids": []}}
CONTACTS = [{"to_phone_number": PHONE, "prompt_variables": {"first_name": "Ada"}}]
AUDIO = b"RIFF....WAVEfmt "
E164 = re.compile(r"\+[1-9][0-9]{6,14}")

# One hypothesis test draws many examples against one server; that sharing is the point.
shared_fixture = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
per_operation = settings(shared_fixture, max_examples=max(10, settings().max_examples // 5))
per_argument = settings(shared_fixture, max_examples=max(5, settings().max_examples // 15))


@attrs.frozen
class Operation:
    """One public method: its route in the contract, valid arguments, and what it returns.

    ``member`` is the envelope member the method returns (``None``: the whole body).
    """

    name: str
    http: str
    path: str
    args: Mapping[str, Any] = attrs.field(factory=dict)
    member: str | None = None

    @property
    def takes_id(self) -> bool:
        return "{id}" in self.path

    def function(self, client: AsyncRevox | Revox) -> Callable[..., Any]:
        resource, method = self.name.split(".")
        return getattr(getattr(client, resource), method)  # type: ignore[no-any-return]

    def unbound(self) -> Callable[..., Any]:
        """The method as its resource class defines it, annotations and all."""
        resource, method = self.name.split(".")
        # From an instance: the client imports its resource classes on first use only.
        resource_class = type(getattr(AsyncRevox("fuzz-key"), resource))
        return getattr(resource_class, method)  # type: ignore[no-any-return]

    def positional(self, id: Any = ASSISTANT_ID) -> list[Any]:
        return [id] if self.takes_id else []


OPERATIONS = [
    Operation("assistants.list", "GET", "/assistants", member="assistants"),
    Operation("assistants.retrieve", "GET", "/assistants/{id}"),
    Operation(
        "assistants.create", "POST", "/assistants", {"name": "Desk", "prompt": "Hi"}, "assistant"
    ),
    Operation("assistants.update", "PATCH", "/assistants/{id}", {"name": "Desk"}),
    Operation("assistants.delete", "DELETE", "/assistants/{id}", member="success"),
    Operation("assistants.clone", "POST", "/assistants/{id}/clone", member="assistant"),
    Operation("auth_status.retrieve", "GET", "/auth-status", member="authenticated"),
    Operation(
        "calls.create",
        "POST",
        "/call",
        {"phone_number": PHONE, "assistant_id": ASSISTANT_ID},
        "call",
    ),
    Operation("calls.retrieve", "GET", "/call/{id}", member="call"),
    Operation("calls.search", "POST", "/call/search", member="calls"),
    Operation("calls.search_page", "POST", "/call/search"),
    Operation("calls.export", "POST", "/call/export"),
    Operation("calls.cancel", "POST", "/call/{id}/cancel", member="success"),
    Operation("calls.pause", "POST", "/call/{id}/pause", member="success"),
    Operation("calls.resume", "POST", "/call/{id}/resume", member="success"),
    Operation("calls.phone_history", "GET", "/calls/phone-history", member="phone_history"),
    Operation(
        "campaigns.create",
        "POST",
        "/campaigns",
        {"assistant_id": ASSISTANT_ID, "name": "Spring", "contacts": CONTACTS},
        "campaign",
    ),
    Operation("campaigns.retrieve", "GET", "/campaigns/{id}", member="campaign"),
    Operation("campaigns.update", "PATCH", "/campaigns/{id}", {"name": "Fall"}, "campaign"),
    Operation("campaigns.list", "GET", "/campaigns", member="campaigns"),
    Operation("campaigns.delete", "DELETE", "/campaigns/{id}", member="success"),
    Operation("campaigns.cancel", "POST", "/campaigns/{id}/cancel", member="success"),
    Operation("campaigns.pause", "POST", "/campaigns/{id}/pause", member="success"),
    Operation("campaigns.resume", "POST", "/campaigns/{id}/resume", member="success"),
    Operation(
        "campaigns.launch",
        "POST",
        "/campaigns/{id}/launch-calls",
        {"mode": "ai_first", "selection": SELECTION},
    ),
    Operation("campaigns.statistics", "GET", "/campaigns/{id}/statistics", member="statistics"),
    Operation("campaigns.get_rows", "GET", "/campaigns/{id}/rows", member="rows"),
    Operation("campaigns.export_rows", "GET", "/campaigns/{id}/export"),
    Operation("phone_numbers.list", "GET", "/phone-numbers", member="phone_numbers"),
    Operation(
        "phone_numbers.update", "PATCH", "/phone-numbers/{id}", {"label": "Desk"}, "phone_number"
    ),
    Operation("phone_numbers.delete", "DELETE", "/phone-numbers/{id}", member="success"),
    Operation("users.retrieve", "GET", "/users/me", member="user"),
    Operation("voices.list", "GET", "/voices", member="voices"),
    Operation("voices.retrieve", "GET", "/voices/{id}", {"provider": "cartesia"}, "voice"),
    Operation(
        "voices.clone",
        "POST",
        "/voices/clone",
        {"name": "Me", "language": "en", "content_type": "audio/wav", "audio": AUDIO},
    ),
    Operation("voices.delete", "DELETE", "/voices/{id}", member="success"),
    Operation(
        "voices.preview", "POST", "/voices/preview", {"provider": "cartesia", "voice_id": "v1"}
    ),
]
WAIT = Operation("calls.wait", "GET", "/call/{id}")
BY_NAME = {op.name: op for op in [*OPERATIONS, WAIT]}
JSON_OPERATIONS = [op for op in OPERATIONS if op.name != "voices.preview"]
ID_OPERATIONS = [op for op in OPERATIONS if op.takes_id]


@attrs.define
class Contract:
    """Every route of the contract on loopback, answering with what ``answer`` makes (a 404
    when None). A maker, not a response: a pager asks again, and a response is sent once."""

    server: LoopbackServer
    client: AsyncRevox
    answer: Callable[[], web.Response] | None = None

    async def respond(self, request: web.Request) -> web.Response:
        if self.answer is None:
            return web.json_response({"error": "not found"}, status=404)
        return self.answer()

    def seen(self) -> list[tuple[str, str | None, dict[str, str]]]:
        """Each request as (method, route template, decoded path parameters)."""
        return [(r.method, r.route, r.params) for r in self.server.requests]


CONTRACT_ROUTES = [
    (method.upper(), path) for path, methods in SPEC["paths"].items() for method in methods
]


@pytest_asyncio.fixture
async def contract() -> AsyncIterator[Contract]:
    async with (
        LoopbackServer(routes=CONTRACT_ROUTES) as server,
        AsyncRevox(KEY, base_url=server.url, max_retries=0) as client,
    ):
        contract = Contract(server, client)
        server.respond = contract.respond
        yield contract


def assert_plain_json(value: Any) -> None:
    """Only what ``json.loads`` makes: no enum members, models or other subclasses."""
    assert type(value) in (dict, list, str, int, float, bool, type(None)), repr(value)
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, repr(key)
            assert_plain_json(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain_json(item)


def as_json(value: Any) -> Any:
    """A method's result written back as JSON, the way the server sent it."""
    if isinstance(value, RevoxModel):
        return value.to_dict()
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    return value


async def run(op: Operation, client: AsyncRevox, *args: Any, **kwargs: Any) -> Any:
    """Call the method; a pager is walked to its end."""
    result = op.function(client)(*args, **kwargs)
    if isinstance(result, AsyncPager):
        return [item async for item in result]
    return await result


def run_sync(op: Operation, client: Revox, *args: Any, **kwargs: Any) -> Any:
    """Call the sync twin; an iterator is walked to its end."""
    result = op.function(client)(*args, **kwargs)
    return list(result) if isinstance(result, Iterator) else result


# -- responses -----------------------------------------------------------------------------


def test_the_operations_cover_the_contract() -> None:
    routes = {(op.http, op.path) for op in OPERATIONS}
    documented = {(m.upper(), path) for path, methods in SPEC["paths"].items() for m in methods}
    assert routes == documented


@pytest.mark.parametrize("schema", sorted(n for n in SCHEMAS if model_of(n) is not None))
def test_every_documented_field_is_an_attribute(schema: str) -> None:
    """Or the round trips below would pass by keeping it in ``extra``."""
    cls = model_of(schema)
    assert cls is not None
    assert set(SCHEMAS[schema]["properties"]) <= set(wire_fields(cls))


@pytest.mark.parametrize("schema", RESPONSE_SCHEMAS)
@given(data=st.data())
def test_responses_parse_and_round_trip(schema: str, data: st.DataObject) -> None:
    cls = model_of(schema)
    assert cls is not None
    sent = data.draw(response(schema), label="sent")
    written = structure(sent, cls).to_dict()
    assert written == sent
    assert_plain_json(written)


@pytest.mark.asyncio
@pytest.mark.parametrize("op", JSON_OPERATIONS, ids=lambda op: op.name)
@per_operation
@given(data=st.data())
async def test_every_method_returns_what_the_server_sent(
    contract: Contract, op: Operation, data: st.DataObject
) -> None:
    body = data.draw(success_body(op.http, op.path), label="body")
    contract.answer = lambda: web.json_response(body)
    if op.member == "success" and body["success"] is not True:
        with pytest.raises(APIError, match="success=false"):
            await run(op, contract.client, *op.positional(), **op.args)
        return
    result = await run(op, contract.client, *op.positional(), **op.args)
    if op.member == "success":
        assert result is None
    else:
        assert as_json(result) == (body if op.member is None else body[op.member])
        assert_plain_json(as_json(result))


@pytest.mark.asyncio
@per_operation
@given(audio=st.binary(), content_type=st.sampled_from(["audio/mpeg", "audio/wav", "x/unknown"]))
async def test_a_preview_returns_the_bytes_sent(
    contract: Contract, audio: bytes, content_type: str
) -> None:
    contract.answer = lambda: web.Response(body=audio, content_type=content_type)
    op = BY_NAME["voices.preview"]
    clip = await run(op, contract.client, **op.args)
    assert clip == AudioClip(content=audio, content_type=content_type)


# -- path ids ------------------------------------------------------------------------------

TEMPLATES = sorted({op.path for op in ID_OPERATIONS})


@given(template=st.sampled_from(TEMPLATES), id=st.text(min_size=1))
@example(template="/assistants/{id}", id="..")
@example(template="/call/{id}/cancel", id=".")
@example(template="/campaigns/{id}/launch-calls", id="../../assistants?x=1#y")
@example(template="/voices/{id}", id="%2F%2e%2E")
def test_an_id_stays_in_its_path_segment(template: str, id: str) -> None:
    path = encode_path(template, {"id": id})
    before, after = template.split("{id}")
    assert path.startswith(before)
    assert path.endswith(after)
    segment = path[len(before) : len(path) - len(after)]
    assert re.fullmatch(r"([A-Za-z0-9_~.-]|%[0-9A-F]{2})+", segment)
    assert segment not in (".", "..")
    assert unquote(segment, errors="strict") == id


@pytest.mark.asyncio
@shared_fixture
@given(op=st.sampled_from(ID_OPERATIONS), id=st.text(min_size=1))
@example(op=BY_NAME["assistants.delete"], id="..")
@example(op=BY_NAME["calls.cancel"], id=".")
@example(op=BY_NAME["campaigns.launch"], id="../../assistants?x=1#y")
@example(op=BY_NAME["voices.retrieve"], id="%2F%2e%2E {x}")
async def test_an_id_reaches_its_route_decoded_exactly(
    contract: Contract, op: Operation, id: str
) -> None:
    contract.answer = None
    contract.server.requests.clear()
    with pytest.raises(NotFoundError):
        await run(op, contract.client, id, **op.args)
    assert contract.seen() == [(op.http, op.path, {"id": id})]


# -- bad arguments -------------------------------------------------------------------------


def keyword_hints(op: Operation) -> dict[str, Any]:
    """The method's keyword arguments and their annotations, ``**params`` spelled out."""
    return _keyword_hints(op.unbound())


@functools.cache
def _keyword_hints(function: Callable[..., Any]) -> dict[str, Any]:
    hints = get_type_hints(function, include_extras=True)
    out: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            (spec,) = get_args(hints[name])
            for key, hint in get_type_hints(spec, include_extras=True).items():
                out[key] = get_args(hint)[0] if get_origin(hint) is Required else hint
        elif parameter.kind is parameter.KEYWORD_ONLY:
            out[name] = hints[name]
    return out


def accepts_kind(hint: Any, value: Any) -> bool:
    """Whether ``value`` is of a kind ``hint`` admits, looking no deeper than the top level."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(accepts_kind(arm, value) for arm in get_args(hint))
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if origin is Literal:
        return value in get_args(hint)
    if origin in (list, Sequence):
        return isinstance(value, (list, tuple))
    if origin in (dict, Mapping):
        return isinstance(value, Mapping)
    if origin is Callable:
        return callable(value)
    if hint in (int, float):
        number = (int,) if hint is int else (int, float)
        return isinstance(value, number) and not isinstance(value, bool)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return isinstance(value, str)
    if isinstance(hint, type) and issubclass(hint, RevoxModel):
        return isinstance(value, (hint, Mapping))
    if is_typeddict(hint):
        return isinstance(value, Mapping)
    assert hint in (str, bool, bytes, datetime), hint
    return isinstance(value, hint)


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.just(object()),
    st.just(datetime(2025, 1, 1)),
)


def wrong_for(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a kind ``hint`` refuses, at the top or one level down in lists and mappings."""
    options = [anything.filter(lambda value: not accepts_kind(hint, value))]
    for arm in get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,):
        origin, args = get_origin(arm), get_args(arm)
        if origin in (list, Sequence):
            options.append(st.lists(wrong_for(args[0]), min_size=1, max_size=2))
        elif origin in (dict, Mapping) and args[1] is not Any:
            options.append(st.dictionaries(st.text(max_size=3), wrong_for(args[1]), min_size=1))
            options.append(st.dictionaries(st.integers() | st.none(), st.just("v"), min_size=1))
    return st.one_of(options)


@attrs.frozen
class BadCall:
    """A method called with one bad argument; every one of ``names`` must be in the error."""

    op: Operation
    args: list[Any]
    kwargs: dict[str, Any]
    names: tuple[str, ...]


ARGUMENTS = [
    (op, key)
    for op in [*OPERATIONS, WAIT]
    for key in sorted(keyword_hints(op)) + (["id"] if op.takes_id else [])
]


@st.composite
def wrong_types(draw: st.DrawFn, op: Operation, key: str) -> BadCall:
    if key == "id":
        return BadCall(op, [draw(wrong_for(str), label="id")], dict(op.args), ("id",))
    value = draw(wrong_for(keyword_hints(op)[key]), label="value")
    return BadCall(op, op.positional(), {**op.args, key: value}, (key,))


@st.composite
def unknown_keywords(draw: st.DrawFn, op: Operation) -> BadCall:
    known = keyword_hints(op)
    name = draw(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
            lambda name: name not in known and name != "id"
        ),
        label="keyword",
    )
    return BadCall(op, op.positional(), {**op.args, name: draw(anything)}, (repr(name),))


def required_keywords(op: Operation) -> frozenset[str]:
    """The keyword arguments the method cannot go without: the required keys of its
    ``**params`` and its keyword-only arguments without a default."""
    function = op.unbound()
    hints = get_type_hints(function, include_extras=True)
    required: set[str] = set()
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            (spec,) = get_args(hints[name])
            required |= spec.__required_keys__
        elif parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            required.add(name)
    return frozenset(required)


def missing_arguments() -> list[BadCall]:
    """Each argument a method needs, left out: the id, and the required ones of the minimal
    valid call."""
    calls = []
    for op in [*OPERATIONS, WAIT]:
        for key in [key for key in op.args if key in required_keywords(op)]:
            kwargs = {k: v for k, v in op.args.items() if k != key}
            calls.append(BadCall(op, op.positional(), kwargs, (key,)))
        if op.takes_id:
            calls.append(BadCall(op, [], dict(op.args), ("id",)))
    return calls


# -- documented limits ---------------------------------------------------------------------

INLINE_CALL = Operation("calls.create", "POST", "/call", {"phone_number": PHONE})


@attrs.frozen
class Limit:
    """A documented limit on one argument; ``edges`` are the values every run tries, ``values``
    what hypothesis draws beyond them (None where the edges are all there is)."""

    rule: str
    op: Operation
    names: tuple[str, ...]
    build: Callable[[Any], Mapping[str, Any]]
    values: st.SearchStrategy[Any] | None
    edges: tuple[Any, ...]

    def call(self, value: Any) -> BadCall:
        kwargs = {**self.op.args, **self.build(value)}
        return BadCall(self.op, self.op.positional(), kwargs, self.names)

    def __str__(self) -> str:
        return f"{self.op.name}-{'.'.join(self.names)}-{self.rule}"


def between(
    op: Operation,
    names: tuple[str, ...],
    build: Callable[[Any], Any],
    low: float,
    high: float,
    rule: str = "range",
) -> Limit:
    """A number from ``low`` to ``high``: anything outside, the nearest floats first."""
    values = (
        st.floats(max_value=low, exclude_max=True)
        | st.floats(min_value=high, exclude_min=True)
        | st.sampled_from([math.nan, math.inf, -math.inf])
    )
    below, above = math.nextafter(low, -math.inf), math.nextafter(high, math.inf)
    return Limit(rule, op, names, build, values, (below, above, math.nan, math.inf, -math.inf))


def _nan(sign: int, payload: int) -> float:
    bits = sign << 63 | 0x7FF << 52 | payload
    value: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value


# Every NaN, whatever its sign and payload bits, and both infinities.
NOT_FINITE = st.builds(_nan, st.integers(0, 1), st.integers(1, 2**52 - 1)) | st.sampled_from(
    [math.inf, -math.inf]
)


# Values JSON cannot carry: non-finite numbers, bytes, sets, arbitrary objects.
NOT_JSON = NOT_FINITE | st.binary() | st.sets(st.integers()) | st.builds(object)


def finite(op: Operation, names: tuple[str, ...], build: Callable[[Any], Any]) -> Limit:
    """Any number JSON can carry: not NaN, not infinite."""
    edges = (math.nan, math.inf, -math.inf)
    return Limit("finite", op, names, build, NOT_FINITE, edges)


def positive(op: Operation, names: tuple[str, ...], build: Callable[[Any], Any]) -> Limit:
    """A number above zero (an integer where the argument is one)."""
    values = st.integers(max_value=0) | st.floats(max_value=0) | st.just(math.nan)
    return Limit("positive", op, names, build, values, (0, -1, 0.0, -0.0, math.nan, -math.inf))


def safe_integer(
    op: Operation, names: tuple[str, ...], build: Callable[[Any], Any], low: int
) -> Limit:
    """An integer from ``low`` to 2**53 - 1, the largest JavaScript holds exactly."""
    values = st.integers(max_value=low - 1) | st.integers(min_value=2**53)
    return Limit("safe-integer", op, names, build, values, (low - 1, 2**53, -(2**64)))


def phone(op: Operation, names: tuple[str, ...], build: Callable[[Any], Any]) -> Limit:
    """An E.164 number: ``+``, then 7 to 15 ASCII digits, the first not 0."""
    values = st.text(max_size=18).filter(lambda text: not E164.fullmatch(text))
    edges = (
        "",
        "0612345678",
        "33612345678",
        "+33 6 12 34 56 78",
        "+0612345678",
        "+123456",
        "+1234567890123456",
        "+33612345678\n",
        "+33\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
        "\uff0b33612345678",
    )
    return Limit("e164", op, names, build, values | st.sampled_from(edges), edges)


def not_blank(op: Operation, names: tuple[str, ...], build: Callable[[Any], Any]) -> Limit:
    """Text with something in it: not empty, not only white space."""
    values = st.text(alphabet=" \t\n\r\x0b\x0c\xa0\u2003\u3000", max_size=4)
    return Limit("not-blank", op, names, build, values, ("", " ", "\t\n", "\xa0", "\u3000"))


def is_clock_time(text: str) -> bool:
    """``H:mm`` or ``HH:mm`` on a 24-hour clock, or ``H[:mm]am``/``pm`` (any case)."""
    if match := re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text):
        return int(match[1]) < 24 and int(match[2]) < 60
    if match := re.fullmatch(r"([0-9]{1,2})(?::([0-9]{2}))?\s?[ap]m", text, re.IGNORECASE):
        return 1 <= int(match[1]) <= 12 and (match[2] is None or int(match[2]) < 60)
    return False


def clock_time(op: Operation, names: tuple[str, ...], build: Callable[[Any], Any]) -> Limit:
    """A time of day such as ``09:00`` or ``6pm``: anything else, near misses most often."""
    near_misses = st.from_regex(r"[0-9]{1,3}(:[0-9]{1,3})?[ \t]?([aApP][mM])?", fullmatch=True)
    values = (near_misses | st.text(max_size=8)).filter(lambda text: not is_clock_time(text))
    edges = ("", "24:00", "9", "09:60", "0\u0669:00", "13pm", "09:00\n", "noon")
    return Limit("clock-time", op, names, build, values, edges)


def _voice(**fields: Any) -> dict[str, Any]:
    return {"id": "v1", "provider": "cartesia", **fields}


def _retry(**fields: Any) -> dict[str, Any]:
    return {
        "calling_windows": [],
        "max_retry_attempts": 3,
        "allowed_days": ["monday"],
        "call_twice_in_a_row": False,
        **fields,
    }


def _voice_speed(provider: str) -> Callable[[Any], dict[str, Any]]:
    return lambda speed: {"voice": _voice(provider=provider, speed=speed)}


def _preview_speed(provider: str) -> Callable[[Any], dict[str, Any]]:
    return lambda speed: {"provider": provider, "speed": speed}


def _window_with(key: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: _window(**{key: value})


def _window(**fields: Any) -> dict[str, Any]:
    window = {
        "calling_window_start_time": "09:00",
        "calling_window_end_time": "18:00",
        "retry_delay_seconds": 60,
        **fields,
    }
    return {"call_retry_config": _retry(calling_windows=[window])}


def _key(key: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: {key: value}


ASSISTANTS = [BY_NAME["assistants.create"], BY_NAME["assistants.update"]]
SPEEDS = {"cartesia": (0.6, 1.5), "gradium": (0.6, 1.5), "elevenlabs": (0.7, 1.2)}
PREVIEW = BY_NAME["voices.preview"]

LIMITS: list[Limit] = [
    *[
        between(op, ("voice", "speed"), _voice_speed(provider), *bounds, rule=provider)
        for op in ASSISTANTS
        for provider, bounds in SPEEDS.items()
    ],
    *[
        between(PREVIEW, ("speed",), _preview_speed(provider), *bounds, rule=provider)
        for provider, bounds in SPEEDS.items()
    ],
    between(PREVIEW, ("volume",), _key("volume"), 0.5, 2.0),
    *[
        between(op, ("voice", "volume"), lambda v: {"voice": _voice(volume=v)}, 0.5, 2.0)
        for op in ASSISTANTS
    ],
    *[
        between(op, (key,), _key(key), 0.0, 1.0)
        for op in ASSISTANTS
        for key in (
            "background_sound_volume",
            "thinking_sound_volume",
            "thinking_sound_probability",
        )
    ],
    *[finite(op, ("max_call_duration_secs",), _key("max_call_duration_secs")) for op in ASSISTANTS],
    finite(
        BY_NAME["assistants.update"], ("position", "x"), lambda v: {"position": {"x": v, "y": 0}}
    ),
    safe_integer(
        BY_NAME["assistants.update"],
        ("first_sentence_delay_ms",),
        _key("first_sentence_delay_ms"),
        -(2**53) + 1,
    ),
    *[
        safe_integer(
            op,
            ("call_retry_config", "max_retry_attempts"),
            lambda v: {"call_retry_config": _retry(max_retry_attempts=v)},
            1,
        )
        for op in [*ASSISTANTS, BY_NAME["campaigns.update"]]
    ],
    *[
        safe_integer(
            op,
            ("call_retry_config", "retry_delay_seconds"),
            _window_with("retry_delay_seconds"),
            0,
        )
        for op in [*ASSISTANTS, BY_NAME["campaigns.create"]]
    ],
    *[
        clock_time(op, ("call_retry_config", key), _window_with(key))
        for op in [*ASSISTANTS, BY_NAME["campaigns.update"]]
        for key in ("calling_window_start_time", "calling_window_end_time")
    ],
    *[
        positive(BY_NAME[method], (key,), _key(key))
        for method, keys in [
            ("calls.search", ("page_size",)),
            ("calls.search_page", ("page", "page_size")),
            ("calls.export", ("page", "page_size")),
            ("calls.wait", ("timeout", "poll_interval", "max_poll_interval")),
        ]
        for key in keys
    ],
    phone(BY_NAME["calls.create"], ("phone_number",), _key("phone_number")),
    phone(BY_NAME["calls.create"], ("from_phone_number",), _key("from_phone_number")),
    phone(
        INLINE_CALL,
        ("assistant", "from_phone_number"),
        lambda v: {"assistant": {"prompt": "Hi", "from_phone_number": v}},
    ),
    *[phone(op, ("from_phone_number",), _key("from_phone_number")) for op in ASSISTANTS],
    *[
        phone(
            op,
            ("transfer_destinations", "phone_number"),
            lambda v: {"transfer_destinations": [{"label": "Desk", "phone_number": v}]},
        )
        for op in ASSISTANTS
    ],
    phone(
        BY_NAME["campaigns.create"],
        ("contacts", "to_phone_number"),
        lambda v: {"contacts": [{"to_phone_number": v, "prompt_variables": {}}]},
    ),
    *[
        phone(BY_NAME[method], ("from_phone_number",), _key("from_phone_number"))
        for method in ("campaigns.create", "campaigns.update")
    ],
    *[
        not_blank(BY_NAME[method], (key,), _key(key))
        for method, key in [
            ("assistants.create", "name"),
            ("assistants.create", "prompt"),
            ("assistants.update", "name"),
            ("assistants.update", "prompt"),
            ("calls.create", "assistant_id"),
            ("calls.create", "idempotency_key"),
            ("campaigns.create", "assistant_id"),
            ("campaigns.create", "name"),
            ("campaigns.update", "name"),
            ("phone_numbers.update", "inbound_assistant_id"),
            ("voices.clone", "name"),
            ("voices.clone", "audio"),
            ("voices.preview", "voice_id"),
            ("voices.preview", "text"),
            ("voices.retrieve", "provider"),
        ]
    ],
    not_blank(INLINE_CALL, ("assistant", "prompt"), lambda v: {"assistant": {"prompt": v}}),
    *[not_blank(op, ("voice", "id"), lambda v: {"voice": _voice(id=v)}) for op in ASSISTANTS],
    *[
        not_blank(
            op,
            ("structured_output_config", "name"),
            lambda v: {
                "structured_output_config": [{"name": v, "required": True, "type": "string"}]
            },
        )
        for op in ASSISTANTS
    ],
    *[
        Limit(
            "text-values",
            BY_NAME["calls.create"],
            (key,),
            _key(key),
            wrong_for(Mapping[str, str]),
            ({"k": 1}, {"k": None}, {"k": ["v"]}, {1: "v"}, {None: "v"}),
        )
        for key in ("metadata", "prompt_variables")
    ],
    *[
        Limit(
            "utf-8",
            BY_NAME[method],
            (key,),
            _key(key),
            st.text(max_size=3).map(lambda text: text + "\ud800"),
            ("\ud800", "ok\udfff"),
        )
        for method, key in [("assistants.create", "name"), ("calls.create", "phone_number")]
    ],
    Limit(
        "json",
        BY_NAME["assistants.update"],
        ("voice",),
        lambda fields: {"voice": {**_voice(), **fields}},
        st.dictionaries(st.integers() | st.none() | st.booleans(), st.text(max_size=3), min_size=1)
        | st.builds(lambda value: {"future": value}, NOT_JSON),
        ({1: "x"}, {"future": math.nan}, {"future": object()}, {"future": "\udc80"}),
    ),
    Limit(
        "not-empty",
        BY_NAME["campaigns.create"],
        ("contacts",),
        _key("contacts"),
        None,
        ([], ()),
    ),
    Limit(
        "json",
        BY_NAME["campaigns.create"],
        ("contacts", "prompt_variables", "score"),
        lambda v: {"contacts": [{"to_phone_number": PHONE, "prompt_variables": {"score": v}}]},
        NOT_JSON,
        (math.nan, math.inf, object(), b"x", {1, 2}),
    ),
]


def check_refused(error: BaseException, bad: BadCall) -> None:
    assert isinstance(error, (TypeError, ValueError)), repr(error)
    for name in bad.names:
        assert name in str(error), f"{name!r} not named in: {error}"


async def refuse(contract: Contract, bad: BadCall) -> None:
    contract.server.requests.clear()
    with pytest.raises((TypeError, ValueError)) as caught:
        await run(bad.op, contract.client, *bad.args, **bad.kwargs)
    check_refused(caught.value, bad)
    assert contract.seen() == []


@pytest.mark.asyncio
@pytest.mark.parametrize(("op", "key"), ARGUMENTS, ids=lambda x: getattr(x, "name", x))
@per_argument
@given(data=st.data())
async def test_wrong_types_are_refused_before_sending(
    contract: Contract, op: Operation, key: str, data: st.DataObject
) -> None:
    await refuse(contract, data.draw(wrong_types(op, key), label="call"))


@pytest.mark.asyncio
@pytest.mark.parametrize("op", [*OPERATIONS, WAIT], ids=lambda op: op.name)
@per_argument
@given(data=st.data())
async def test_unknown_keywords_are_refused_before_sending(
    contract: Contract, op: Operation, data: st.DataObject
) -> None:
    await refuse(contract, data.draw(unknown_keywords(op), label="call"))


@pytest.mark.asyncio
@pytest.mark.parametrize("bad", missing_arguments(), ids=lambda b: f"{b.op.name}-{b.names[0]}")
async def test_missing_arguments_are_refused_before_sending(
    contract: Contract, bad: BadCall
) -> None:
    await refuse(contract, bad)


@pytest.mark.asyncio
@pytest.mark.parametrize("limit", LIMITS, ids=str)
async def test_values_at_the_edge_of_a_limit_are_refused_before_sending(
    contract: Contract, limit: Limit
) -> None:
    for value in limit.edges:
        await refuse(contract, limit.call(value))


DRAWN_LIMITS = [limit for limit in LIMITS if limit.values is not None]


def beyond(limit: Limit) -> st.SearchStrategy[BadCall]:
    """Calls with a value beyond ``limit``, drawn by hypothesis."""
    assert limit.values is not None
    return limit.values.map(limit.call)


@pytest.mark.asyncio
@pytest.mark.parametrize("limit", DRAWN_LIMITS, ids=str)
@per_argument
@given(data=st.data())
async def test_values_beyond_a_limit_are_refused_before_sending(
    contract: Contract, limit: Limit, data: st.DataObject
) -> None:
    await refuse(contract, data.draw(beyond(limit), label="call"))


@pytest.mark.asyncio
@shared_fixture
@given(
    op=st.sampled_from([*ID_OPERATIONS, WAIT]),
    id=st.just("")
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.binary()
    | st.lists(st.text(), max_size=2),
)
async def test_empty_or_non_text_ids_are_refused_before_sending(
    contract: Contract, op: Operation, id: Any
) -> None:
    await refuse(contract, BadCall(op, [id], dict(op.args), ("id",)))


bad_calls = st.one_of(
    st.sampled_from(ARGUMENTS).flatmap(lambda argument: wrong_types(*argument)),
    st.sampled_from([*OPERATIONS, WAIT]).flatmap(unknown_keywords),
    st.sampled_from(DRAWN_LIMITS).flatmap(beyond),
)


@pytest.fixture
def sync_fake() -> Iterator[tuple[FakeRevoxThread, Revox]]:
    with FakeRevoxThread() as fake:
        yield fake, fake.client(max_retries=0)


@shared_fixture
@given(bad=bad_calls)
def test_the_sync_client_refuses_the_same_before_sending(
    sync_fake: tuple[FakeRevoxThread, Revox], bad: BadCall
) -> None:
    fake, client = sync_fake
    with pytest.raises((TypeError, ValueError)) as caught:
        run_sync(bad.op, client, *bad.args, **bad.kwargs)
    check_refused(caught.value, bad)
    assert fake.call(lambda fake: len(fake.requests)) == 0


def test_sync_methods_run_the_async_ones() -> None:
    """So the bad arguments above are bad for both clients alike."""
    client = Revox(KEY)
    try:
        for op in [*OPERATIONS, WAIT]:
            check_sync_twin(op.function(client), op.function(client._async))
    finally:
        client.close()
