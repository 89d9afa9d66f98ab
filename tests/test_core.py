"""Request building and response deciphering, without a network."""

from __future__ import annotations

import gc
from typing import Any

import pytest

import revox_async._endpoint as _core_module
from revox_async import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    _gc,
)
from revox_async._config import check_base_url
from revox_async._endpoint import (
    Endpoint,
    HeaderSets,
    encode_path,
    parse_result,
    request_headers,
    user_agent,
)
from revox_async._request import Repeat
from revox_async._response import status_error
from revox_async._structure.converter import structure
from revox_async._version import __version__
from revox_async.models import Assistant

from ._helpers import example


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("asst_123", "asst_123"),
        ("../users/me", "..%2Fusers%2Fme"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("x?y#z", "x%3Fy%23z"),
        ("a b", "a%20b"),
        ("é", "%C3%A9"),
        ("%2F", "%252F"),
    ],
)
def test_path_parameters_cannot_change_the_path(raw: str, encoded: str) -> None:
    assert encode_path("/assistants/{id}", {"id": raw}) == f"/assistants/{encoded}"


@pytest.mark.parametrize("bad", ["", 12, None, "a\ud800b"])
def test_bad_path_parameters_are_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="id"):
        encode_path("/assistants/{id}", {"id": bad})  # type: ignore[dict-item]


class TestBaseUrl:
    def test_https_is_accepted_and_normalised(self) -> None:
        assert check_base_url("https://api.example/v1/", allow_insecure_http=False) == (
            "https://api.example/v1"
        )

    @pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.8.9.10"])
    def test_plain_http_is_fine_on_loopback(self, host: str) -> None:
        url = f"http://{host}:8080"
        assert check_base_url(url, allow_insecure_http=False) == url

    def test_plain_http_elsewhere_is_refused(self) -> None:
        with pytest.raises(ValueError, match="allow_insecure_http"):
            check_base_url("http://api.example", allow_insecure_http=False)
        check_base_url("http://api.example", allow_insecure_http=True)

    @pytest.mark.parametrize("url", ["ftp://x", "api.example", "https://"])
    def test_non_http_urls_are_refused(self, url: str) -> None:
        with pytest.raises(ValueError, match="base_url"):
            check_base_url(url, allow_insecure_http=False)

    def test_credentials_in_the_url_are_refused_and_not_echoed(self) -> None:
        with pytest.raises(ValueError, match="credentials") as info:
            check_base_url("https://user:hunter2@api.example", allow_insecure_http=False)
        assert "hunter2" not in str(info.value)


def test_headers_carry_auth_and_agent_and_cannot_be_overridden() -> None:
    headers = request_headers(
        "key-1", {"Authorization": "Bearer other", "X-Team": "a"}, has_body=True
    )
    assert headers["Authorization"] == "Bearer key-1"
    assert headers["X-Team"] == "a"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == user_agent()
    assert f"revox-async/{__version__}" in user_agent()
    assert "Idempotency-Key" not in headers


@pytest.mark.parametrize("has_body", [False, True])
@pytest.mark.parametrize("idempotency_key", [None, "order-42"])
@pytest.mark.parametrize("accept", ["application/json", "text/csv"])
def test_prebuilt_headers_match_headers_built_per_request(
    has_body: bool, idempotency_key: str | None, accept: str
) -> None:
    defaults = {"Authorization": "Bearer other", "x-team": "a"}
    sets = HeaderSets("key-1", defaults)
    built = sets.get(has_body=has_body, idempotency_key=idempotency_key, accept=accept)
    expected = request_headers(
        "key-1", defaults, has_body=has_body, idempotency_key=idempotency_key, accept=accept
    )
    assert sorted(built.items()) == sorted(expected.items())
    assert built["authorization"] == "Bearer key-1"  # case-insensitive, like HTTP


def test_prebuilt_headers_are_shared_and_cannot_be_changed() -> None:
    sets = HeaderSets("key-1", {})
    first = sets.get(has_body=False, idempotency_key=None, accept="application/json")
    assert first is sets.get(has_body=False, idempotency_key=None, accept="application/json")
    with pytest.raises(TypeError):
        first["Authorization"] = "Bearer stolen"  # type: ignore[index]


def test_idempotency_key_header() -> None:
    headers = request_headers("k", {}, has_body=False, idempotency_key="order-42")
    assert headers["Idempotency-Key"] == "order-42"
    assert "Content-Type" not in headers


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_errors_map_to_named_classes(status: int, cls: type[APIStatusError]) -> None:
    error = status_error(
        method="GET",
        url="https://api.example/assistants/x",
        status=status,
        headers={"x-request-id": "req_1"},
        content=b'{"error": "nope"}',
    )
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == "nope"
    assert error.request_id == "req_1"
    assert str(error) == f"{status} nope (GET https://api.example/assistants/x, request id req_1)"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"message": "m1"}', "m1"),
        (b'{"error": {"message": "m2"}}', "m2"),
        (b'{"detail": "m3"}', "m3"),
        (b"<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
        (b"", "HTTP 502"),
        (b"[1, 2]", "HTTP 502"),
    ],
)
def test_server_message_is_found_in_common_shapes(content: bytes, message: str) -> None:
    error = status_error(method="GET", url="u", status=502, headers={}, content=content)
    assert error.message == message


def test_rate_limit_error_carries_retry_after() -> None:
    error = status_error(
        method="GET", url="u", status=429, headers={"retry-after": "12"}, content=b"{}"
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 12.0


RETRIEVE = Endpoint(
    name="assistants.retrieve", method="GET", path="/a/{id}", repeat=Repeat.SAFE, result=Assistant
)
LIST = Endpoint(
    name="assistants.list",
    method="GET",
    path="/a",
    repeat=Repeat.SAFE,
    result=list[Assistant],
    envelope="assistants",
)


def _parse(endpoint: Endpoint[object], content: bytes, ctype: str = "application/json") -> object:
    return parse_result(endpoint, url="u", status=200, content=content, content_type=ctype)


@pytest.mark.parametrize(
    ("content", "ctype", "reason"),
    [
        (b"<html></html>", "text/html", "expected JSON"),
        (b'{"id": ', "application/json", "not valid JSON"),
        (b"", "application/json", "not valid JSON"),
        (b'{"id": "x"}', "application/json", "required field missing"),
        (b"[]", "application/json", "expected a JSON object"),
    ],
)
def test_malformed_success_bodies_raise_validation_errors(
    content: bytes, ctype: str, reason: str
) -> None:
    with pytest.raises(APIResponseValidationError, match=reason) as info:
        _parse(RETRIEVE, content, ctype)  # type: ignore[arg-type]
    assert info.value.body == content
    assert "assistants.retrieve" in str(info.value)


def test_missing_envelope_member_is_named() -> None:
    with pytest.raises(APIResponseValidationError, match="'assistants'"):
        _parse(LIST, b'{"items": []}')  # type: ignore[arg-type]


def test_envelope_member_is_unwrapped() -> None:
    import json

    content = json.dumps(example("assistants.list")).encode()
    result = _parse(LIST, content)  # type: ignore[arg-type]
    assert isinstance(result, list)
    assert all(isinstance(a, Assistant) for a in result)


def _watch_the_collector(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, at each structuring of a response, whether the collector was on."""
    seen: list[bool] = []

    def watching(payload: Any, cls: Any) -> Any:
        seen.append(gc.isenabled())
        return structure(payload, cls)

    monkeypatch.setattr(_core_module, "structure", watching)
    return seen


def _large_list(valid: bool) -> bytes:
    import json

    assistant = example("assistants.retrieve")
    if not valid:
        assistant = {key: value for key, value in assistant.items() if key != "id"}
    content = json.dumps({"assistants": [assistant] * 200}).encode()
    assert len(content) >= _gc.LARGE_RESPONSE
    return content


@pytest.mark.parametrize("valid", [True, False])
def test_a_large_response_is_read_with_the_collector_paused_then_restored(
    monkeypatch: pytest.MonkeyPatch, valid: bool
) -> None:
    seen = _watch_the_collector(monkeypatch)
    assert gc.isenabled()
    if valid:
        assert len(_parse(LIST, _large_list(valid=True))) == 200  # type: ignore[arg-type]
    else:
        with pytest.raises(APIResponseValidationError):
            _parse(LIST, _large_list(valid=False))  # type: ignore[arg-type]
    assert seen == [False]
    assert gc.isenabled()


def test_a_small_response_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    seen = _watch_the_collector(monkeypatch)
    _parse(RETRIEVE, json.dumps(example("assistants.retrieve")).encode())  # type: ignore[arg-type]
    assert seen == [True]


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        _parse(LIST, _large_list(valid=True))  # type: ignore[arg-type]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_restore_the_collector_once_the_last_ends() -> None:
    with _gc.paused():
        with _gc.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
