"""JSON with and without orjson: the same values, bytes and errors either way.

Each input on which orjson and :mod:`json` differ is run through the orjson backend of
``revox_async._json`` and compared with :mod:`json`: those tests run only where orjson is
installed (``nox -s tests_speedups``). The SDK's own round trips run on both backends, and the
choice of backend is checked on every install, against a stand-in orjson module.
"""

from __future__ import annotations

import enum
import json
import math
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revox_async import APIResponseValidationError, AsyncRevox, _json
from revox_async.models import Assistant, CallStatus

from ._helpers import LoopbackServer, Reply, example

orjson_functions = _json._orjson_functions()
BACKENDS: dict[str, tuple[Callable[[bytes], Any], Callable[[Any], bytes]]] = {
    "json": (_json.stdlib_loads, _json.stdlib_dumps)
}
if orjson_functions is not None:
    BACKENDS["orjson"] = orjson_functions
needs_orjson = pytest.mark.skipif(orjson_functions is None, reason="orjson is not installed")


@pytest.fixture(params=["json", "orjson"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param not in BACKENDS:
        pytest.skip("orjson is not installed")
    name: str = request.param
    return name


def _exact(value: Any) -> Any:
    """A value with its types spelled out: 1 and 1.0, 0.0 and -0.0, NaN and NaN differ."""
    if isinstance(value, dict):
        return ("dict", [(key, _exact(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_exact(item) for item in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    return (type(value).__name__, value)


def _decoded(backend: str, raw: bytes) -> Any:
    loads = BACKENDS[backend][0]
    try:
        return ("value", _exact(loads(raw)))
    except Exception as exc:
        return ("error", type(exc), str(exc))


def _encoded(backend: str, value: Any) -> Any:
    dumps = BACKENDS[backend][1]
    try:
        return ("bytes", dumps(value))
    except Exception as exc:
        return ("error", type(exc), str(exc))


def _reference_loads(raw: bytes) -> Any:
    try:
        return ("value", _exact(json.loads(raw)))
    except Exception as exc:
        return ("error", type(exc), str(exc))


def _reference_dumps(value: Any) -> Any:
    try:
        return ("bytes", json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    except Exception as exc:
        return ("error", type(exc), str(exc))


# -- what orjson does differently (so the fallbacks below are needed) ----------------------------


@needs_orjson
@pytest.mark.parametrize(
    "raw",
    [b"NaN", b"[Infinity]", b"-Infinity", b"1e400", b'"\\ud800"', b'"\\udc00"', b"\xef\xbb\xbf{}"],
)
def test_orjson_refuses_what_json_reads(raw: bytes) -> None:
    import orjson

    json.loads(raw)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)


@needs_orjson
@pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 10**30])
def test_orjson_reads_integers_beyond_64_bits_as_floats(number: int) -> None:
    import orjson

    assert type(orjson.loads(str(number).encode())) is float


@needs_orjson
def test_orjson_writes_what_json_writes_otherwise() -> None:
    import orjson

    assert orjson.dumps([math.nan, math.inf]) == b"[null,null]"
    assert (orjson.dumps(1e-7), json.dumps(1e-7)) == (b"1e-7", "1e-07")
    assert (orjson.dumps(1e-5), json.dumps(1e-5)) == (b"0.00001", "1e-05")
    for value in ({1: "a"}, 2**64, "\ud800"):
        with pytest.raises(orjson.JSONEncodeError):
            orjson.dumps(value)


# -- decoding ------------------------------------------------------------------------------------

DIVERGENT_DOCUMENTS = [
    b"NaN",
    b'{"a":[Infinity,-Infinity,NaN]}',
    b"1e400",
    b"[-1e400, 1.7976931348623157e309]",
    b'"\\ud800"',
    b'{"text":"\\udc00 after"}',
    b'"\\ud83d\\ude00"',
    b"18446744073709551615",
    b"18446744073709551616",
    b"-9223372036854775808",
    b"-9223372036854775809",
    b'{"id":123456789012345678901234567890}',
    b'{"phone":"1234567890123456789012"}',
    b"0.12345678901234567890123",
    b"1" * 4301,
    b"\xef\xbb\xbf{}",
    '{"a":"é"}'.encode("utf-16"),
    '{"a":"é"}'.encode("utf-32"),
    b'"\xff"',
    b'{"a":1,"b":2,"a":3}',
    b"[1,]",
    b"[1]x",
    b"",
    b'"\x01"',
    b"-0",
    b"-0.0",
    b"1E5",
    b"[" * 1100 + b"]" * 1100,
]


@needs_orjson
@pytest.mark.parametrize("raw", DIVERGENT_DOCUMENTS, ids=lambda raw: repr(raw[:24]))
def test_the_orjson_backend_reads_what_json_reads(raw: bytes) -> None:
    """Only where orjson is installed: without it the backend is json itself."""
    assert _decoded("orjson", raw) == _reference_loads(raw)


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec="utf-8")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@needs_orjson
@given(value=json_values)
def test_any_document_json_writes_is_read_alike(value: Any) -> None:
    """Only where orjson is installed: without it the backend is json itself."""
    raw = json.dumps(value, ensure_ascii=False).encode()
    assert _decoded("orjson", raw) == _reference_loads(raw)


# -- encoding ------------------------------------------------------------------------------------


class Plain(enum.Enum):
    A = "a"


class Number(enum.IntEnum):
    ONE = 1


DIVERGENT_VALUES: list[Any] = [
    {"a": math.nan},
    [math.inf, -math.inf],
    {1: "integer key"},
    {None: "null key", True: "bool key"},
    2**64,
    {"n": -(2**63) - 1},
    "\ud800",
    {"text": "lone \udc00"},
    1e16,
    [1e-7, 1e-5, -2.5e-5, 7.1e-9, 1.5e300, 1e16, 123456789.125, 10.00001],
    'é \n\t\x00\x1f\x7f\u2028\u2029 "quoted" \\ /',
    CallStatus.COMPLETED,
    {"status": CallStatus.COMPLETED},
    Number.ONE,
    datetime(2025, 1, 1, tzinfo=timezone.utc),
    {"when": datetime(2025, 1, 1, tzinfo=timezone.utc)},
    (1, 2),
    {"nested": [{"a": None}]},
    b"bytes",
    {1, 2},
]


@needs_orjson
@pytest.mark.parametrize("value", DIVERGENT_VALUES, ids=repr)
def test_the_orjson_backend_writes_what_json_writes(value: Any) -> None:
    """Only where orjson is installed: without it the backend is json itself."""
    assert _encoded("orjson", value) == _reference_dumps(value)


@needs_orjson
@given(value=json_values)
def test_any_value_is_written_byte_for_byte_alike(value: Any) -> None:
    """Only where orjson is installed: without it the backend is json itself."""
    assert _encoded("orjson", value) == _reference_dumps(value)


# -- the SDK on each backend ---------------------------------------------------------------------


@pytest.fixture
def use_backend(backend: str, monkeypatch: pytest.MonkeyPatch) -> str:
    loads, dumps = BACKENDS[backend]
    monkeypatch.setattr(_json, "loads", loads)
    monkeypatch.setattr(_json, "dumps", dumps)
    return backend


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "extra",
    [
        b'"x_score":NaN',
        b'"x_big":18446744073709551616,"x_text":"\\ud800"',
        b'"x_list":[1e400,-9223372036854775809]',
    ],
    ids=["nan", "big-int-and-surrogate", "overflow"],
)
async def test_a_response_orjson_refuses_parses_alike(
    use_backend: str, server: LoopbackServer, client: AsyncRevox, extra: bytes
) -> None:
    raw = json.dumps(example("assistants.retrieve")).encode()
    body = raw[:-1] + b"," + extra + b"}"
    server.reply("GET", "/assistants/a", Reply(body=body))
    assistant = await client.assistants.retrieve("a")
    reference = Assistant.from_dict(json.loads(body))
    assert _exact(assistant.extra) == _exact(reference.extra)
    assert _exact(assistant.to_dict()) == _exact(reference.to_dict())


@pytest.mark.asyncio
async def test_an_invalid_body_gives_the_same_error(
    use_backend: str, server: LoopbackServer, client: AsyncRevox
) -> None:
    body = b'{"id": "a",}'
    server.reply("GET", "/assistants/a", Reply(body=body))
    with pytest.raises(APIResponseValidationError) as info:
        await client.assistants.retrieve("a")
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(body)
    assert str(info.value).startswith(
        f"unexpected response to assistants.retrieve: body is not valid JSON ({reference.value})"
    )


@pytest.mark.asyncio
async def test_a_request_body_is_the_same_bytes(
    use_backend: str, server: LoopbackServer, client: AsyncRevox
) -> None:
    server.reply("PATCH", "/assistants/a", Reply(json=example("assistants.update")))
    await client.assistants.update(
        "a", name='Caf\u00e9 \u2028 "desk"', voicemail_message=None, max_call_duration_secs=1e-5
    )
    sent = server.requests[-1].body
    assert sent == _json.stdlib_dumps(json.loads(sent))
    assert b"1e-05" in sent
    assert b"null" in sent


@pytest.mark.asyncio
@pytest.mark.parametrize("value", [Plain.A, uuid.UUID(int=7)], ids=repr)
async def test_values_orjson_would_write_and_json_not_are_refused_before_sending(
    use_backend: str, server: LoopbackServer, client: AsyncRevox, value: Any
) -> None:
    with pytest.raises(TypeError, match=r"llm_model.x must be JSON .*, got (Plain|UUID)"):
        await client.assistants.update("a", llm_model={"type": "quantum", "x": value})
    assert server.requests == []


# Enough of orjson for the backend to be chosen; what it computes is not used here.
ORJSON_STAND_IN = textwrap.dedent(
    """
    import json
    OPT_PASSTHROUGH_SUBCLASS = OPT_PASSTHROUGH_DATETIME = OPT_PASSTHROUGH_DATACLASS = 0
    JSONDecodeError = json.JSONDecodeError
    def loads(data):
        return json.loads(data)
    def dumps(obj, option=0):
        return json.dumps(obj).encode()
    """
)


@pytest.mark.parametrize(
    ("setting", "chosen"),
    [(None, "orjson"), ("stdlib", "json"), (" StdLib ", "json"), ("orjson", "orjson")],
)
def test_the_environment_can_turn_orjson_off(
    tmp_path: Path, setting: str | None, chosen: str
) -> None:
    """On any install: an importable orjson (a stand-in here) is used unless ``REVOX_JSON``
    says ``stdlib``."""
    (tmp_path / "orjson.py").write_text(ORJSON_STAND_IN)
    env = {"PATH": "", "PYTHONPATH": str(tmp_path)}
    if setting is not None:
        env["REVOX_JSON"] = setting
    run = subprocess.run(
        [sys.executable, "-c", "from revox_async import _json; print(_json.backend)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == chosen


def test_an_assistant_parses_alike_on_each_backend(backend: str) -> None:
    raw = json.dumps(example("assistants.retrieve")).encode()
    loads = BACKENDS[backend][0]
    assert Assistant.from_dict(loads(raw)) == Assistant.from_dict(json.loads(raw))
