"""Header names compare without regard to case, the SDK's own headers cannot be replaced, and
headers are checked when given; the same with and without OpenTelemetry."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from revox_async import AsyncRevox, Revox
from revox_async.testing import FakeRevox

from ._helpers import KEY, run_python
from ._raw_headers import Headers, received

if TYPE_CHECKING:
    from ._otel import Recorder

SECRET = "Basic c2VjcmV0OnBhc3N3b3Jk"


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk (the test-otel extra)")
    from ._otel import recording

    yield from recording()


Make = Callable[..., Any]
CLIENTS = pytest.mark.parametrize("make", [AsyncRevox, Revox], ids=["async", "sync"])


def _build(make: Make, **options: Any) -> Any:
    client = make(KEY, base_url="http://127.0.0.1:9", **options)
    if isinstance(client, Revox):
        client.close()
    return client


def _names(headers: Headers) -> Counter[str]:
    return Counter(name.lower() for name, _ in headers)


def _values(headers: Headers, name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name]


# What the SDK owns


OWNED = ["Authorization", "authorization", "AUTHORIZATION", "User-Agent", "user-agent"]


@CLIENTS
@pytest.mark.parametrize("name", OWNED)
def test_the_sdks_own_headers_are_refused_as_defaults(make: Make, name: str) -> None:
    with pytest.raises(ValueError, match=f"must not set {name}") as info:
        _build(make, default_headers={name: SECRET})
    assert SECRET not in str(info.value)


@CLIENTS
@pytest.mark.parametrize("name", OWNED)
def test_with_options_refuses_them_too(make: Make, name: str) -> None:
    client = _build(make)
    with pytest.raises(ValueError, match=f"must not set {name}") as info:
        client.with_options(default_headers={name: SECRET})
    assert SECRET not in str(info.value)


@pytest.mark.asyncio
async def test_fake_clients_refuse_them(revox_fake: FakeRevox) -> None:
    with pytest.raises(ValueError, match="must not set authorization"):
        revox_fake.client(default_headers={"authorization": SECRET})


# Names and values checked when given


@CLIENTS
@pytest.mark.parametrize(
    "name", ["X Team", "X-Tëam", "", "X:Team", "X-Team\r\n", "X-Team\x00", "(x)"]
)
def test_malformed_names_are_refused(make: Make, name: str) -> None:
    with pytest.raises(ValueError, match="not a valid header name"):
        _build(make, default_headers={name: "v"})


@CLIENTS
@pytest.mark.parametrize(
    "value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b"], ids=["crlf", "lf", "cr", "nul"]
)
def test_values_with_line_breaks_or_nul_are_refused_without_being_echoed(
    make: Make, value: str
) -> None:
    with pytest.raises(ValueError, match="the value of X-Token holds") as info:
        _build(make, default_headers={"X-Token": value})
    assert value not in str(info.value)
    assert "Injected" not in str(info.value)
    client = _build(make)
    with pytest.raises(ValueError, match="the value of X-Token holds"):
        client.with_options(default_headers={"X-Token": value})


@CLIENTS
@pytest.mark.parametrize("value", [1, None, b"bytes"])
def test_values_must_be_text(make: Make, value: object) -> None:
    with pytest.raises(TypeError, match="the value of X-Team must be a str"):
        _build(make, default_headers={"X-Team": value})


@CLIENTS
def test_a_name_given_twice_in_different_case_is_refused(make: Make) -> None:
    with pytest.raises(ValueError, match="names the header x-team twice"):
        _build(make, default_headers={"X-Team": "a", "x-team": "b"})


# What the server receives


@pytest.mark.asyncio
@pytest.mark.parametrize("sync", [False, True], ids=["async", "sync"])
async def test_with_options_replaces_a_default_whatever_its_case(sync: bool) -> None:
    headers = await received(
        {"X-Team": "growth", "Accept-Language": "fr"}, {"x-team": "ops"}, sync=sync
    )
    assert _values(headers, "x-team") == ["ops"]
    assert _values(headers, "accept-language") == ["fr"]
    assert _values(headers, "authorization") == [f"Bearer {KEY}"]
    assert all(count == 1 for count in _names(headers).values()), headers


@pytest.mark.asyncio
async def test_a_default_in_another_case_replaces_the_sdks_default_once() -> None:
    headers = await received({"accept": "application/json; charset=utf-8"})
    assert _values(headers, "accept") == ["application/json; charset=utf-8"]
    assert _names(headers)["accept"] == 1


@pytest.mark.asyncio
async def test_trace_context_replaces_a_default_traceparent(recorder: Recorder) -> None:
    mine = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    headers = await received({"TraceParent": mine}, **recorder.options())
    (sent,) = _values(headers, "traceparent")
    assert sent != mine
    (attempt,) = [span for span in recorder.spans() if span.name == "GET"]
    assert attempt.context is not None
    assert f"{attempt.context.trace_id:032x}" in sent
    assert _values(headers, "authorization") == [f"Bearer {KEY}"]


def _comparable(headers: Headers) -> list[tuple[str, str]]:
    # Each server listens on a port of its own.
    return sorted((k.lower(), v) for k, v in headers if k.lower() != "host")


def _without_opentelemetry(defaults: dict[str, str], derived: dict[str, str] | None) -> Headers:
    setup = json.dumps({"defaults": defaults, "derived": derived, "sync": False})
    script = """
        import runpy, sys
        sys.modules["opentelemetry"] = None  # as if it were not installed
        runpy.run_module("tests._raw_headers", run_name="__main__")
        """
    done = run_python(script, setup)
    return [(name, value) for name, value in json.loads(done.stdout)]


CASES = [
    pytest.param({"x-team": "growth"}, {"X-TEAM": "ops"}, id="with-options-case"),
    pytest.param({"ACCEPT": "application/json"}, None, id="accept-case"),
    pytest.param(
        {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
        None,
        id="traceparent",
    ),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("defaults", "derived"), CASES)
async def test_the_same_headers_with_and_without_opentelemetry(
    defaults: dict[str, str], derived: dict[str, str] | None
) -> None:
    # OpenTelemetry is installed here, with no tracer provider set: nothing to inject.
    with_otel = await received(defaults, derived)
    without = _without_opentelemetry(defaults, derived)
    assert _comparable(with_otel) == _comparable(without)
    assert all(count == 1 for count in _names(without).values()), without
