"""Request building and response deciphering: pure functions over plain values.

Nothing here touches the network; the transport carries out what these functions decide.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import sys
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote, urlsplit, urlunsplit

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

from . import _gc, _json
from ._errors import APIResponseValidationError, APIStatusError, status_error_class
from ._limits import time_limit
from ._retry import Repeat, retry_after
from ._structure.converter import describe_error, structure
from ._version import __version__

T = TypeVar("T")

REQUEST_ID_HEADERS = ("x-request-id", "request-id")


def _total(value: float | None) -> float | None:
    return time_limit(value, "Timeout.total")


def _connect(value: float | None) -> float | None:
    return time_limit(value, "Timeout.connect")


def _read(value: float | None) -> float | None:
    return time_limit(value, "Timeout.read")


@attrs.frozen
class Timeout:
    """Time limits of one call, in seconds; None (or ``inf``) for no limit, zero refused.

    ``total`` bounds the whole call, retries and waits included, the wait for a free pooled
    connection among them; ``connect`` bounds opening a new connection on each attempt;
    ``read``, when set, bounds each wait for response data on each attempt, so that a stalled
    read of an endpoint safe to repeat leaves time in ``total`` for a retry.
    """

    total: float | None = attrs.field(default=60.0, converter=_total)
    connect: float | None = attrs.field(default=10.0, converter=_connect)
    read: float | None = attrs.field(default=None, converter=_read)


@attrs.frozen(kw_only=True)
class Binary:
    """A response body that is not JSON (audio, for instance), passed through unparsed.

    As the ``result`` of an :class:`Endpoint` it means "do not decode"; the call then returns
    a ``Binary`` holding the bytes and the content type the server declared.
    """

    content: bytes = attrs.field(repr=False)
    content_type: str


@attrs.frozen
class Endpoint(Generic[T]):
    """Everything the core needs to know about one API operation.

    ``result`` is the type the response (or its ``envelope`` member) becomes, or
    :class:`Binary` for a body returned as is.
    """

    name: str
    method: str
    path: str
    repeat: Repeat
    result: Any
    envelope: str | None = None
    accept: str = "application/json"


_PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:3])


def user_agent() -> str:
    """The SDK, its version, and the Python running it."""
    return f"revox-async/{__version__} Python/{_PYTHON_VERSION}"


def encode_path(template: str, params: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders with percent-encoded values.

    Every character that could change the path's shape is encoded, dots of ``.`` and ``..``
    included, so an id can never reach another route.
    """
    encoded = {}
    for name, value in params.items():
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")
        if not value:
            raise ValueError(f"{name} must not be empty")
        try:
            text = quote(value, safe="")
        except UnicodeEncodeError:
            raise ValueError(
                f"{name} must be valid Unicode text (it holds a lone surrogate)"
            ) from None
        encoded[name] = text.replace(".", "%2E") if not value.strip(".") else text
    return template.format(**encoded)


LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str, *, allow_insecure_http: bool) -> str:
    """The base URL without a trailing slash, refusing cleartext to other machines."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url must be an http(s) URL with a host, got {redact_url(base_url)}")
    if parts.username or parts.password:
        raise ValueError("base_url must not carry credentials; the API key authenticates")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise ValueError(
            "base_url uses plain http:// to a non-loopback host, which would send the API key "
            "unencrypted; use https:// or pass allow_insecure_http=True"
        )
    return base_url.rstrip("/")


def redact_url(url: str) -> str:
    """``url`` without user info, safe for messages and logs."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


SDK_HEADERS = frozenset({"authorization", "user-agent"})
"""Headers the SDK sets itself (lower case), which default headers may not set."""

_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def check_default_headers(headers: Mapping[str, str], where: str) -> dict[str, str]:
    """``headers`` checked for sending: names are HTTP tokens given once (in any letter case),
    values text without CR, LF or NUL. Messages name the header, never echo its value."""
    if not isinstance(headers, Mapping):
        raise TypeError(f"{where} must be a mapping of header names to values")
    checked: dict[str, str] = {}
    seen: set[str] = set()
    for name, value in headers.items():
        if not isinstance(name, str) or not name or not set(name) <= _TOKEN:
            raise ValueError(
                f"{where}: {name!r} is not a valid header name (ASCII letters, digits and "
                "!#$%&'*+-.^_`|~ only, no spaces)"
            )
        lower = name.lower()
        if lower in SDK_HEADERS:
            source = "from api_key" if lower == "authorization" else "itself"
            raise ValueError(f"{where} must not set {name}: the SDK sends it {source}")
        if lower in seen:
            raise ValueError(f"{where} names the header {name} twice (names ignore letter case)")
        seen.add(lower)
        if not isinstance(value, str):
            raise TypeError(
                f"{where}: the value of {name} must be a str, got {type(value).__name__}"
            )
        if any(char in value for char in "\r\n\0"):
            raise ValueError(f"{where}: the value of {name} holds a line break or NUL character")
        checked[name] = value
    return checked


def merge_headers(base: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    """``base`` updated with ``changes``, names compared without regard to letter case."""
    replaced = {name.lower() for name in changes}
    merged = {name: value for name, value in base.items() if name.lower() not in replaced}
    merged.update(changes)
    return merged


def request_headers(
    api_key: str,
    default_headers: Mapping[str, str],
    *,
    has_body: bool,
    idempotency_key: str | None = None,
    accept: str = "application/json",
) -> dict[str, str]:
    """The headers of one request, each name once whatever its letter case. The caller's
    defaults cannot replace authentication."""
    headers = merge_headers({"Accept": accept, "User-Agent": user_agent()}, default_headers)
    own = {"Authorization": f"Bearer {api_key}"}
    if has_body:
        own["Content-Type"] = "application/json"
    if idempotency_key is not None:
        own["Idempotency-Key"] = idempotency_key
    return merge_headers(headers, own)


class HeaderSets:
    """The headers of a client's requests, built once for the common cases.

    Most requests differ only in whether they carry a JSON body; their headers are built when
    the client is, frozen (aiohttp takes a multidict as is), and shared by every call.
    """

    def __init__(self, api_key: str, default_headers: Mapping[str, str]) -> None:
        self._api_key = api_key
        self._default_headers = default_headers
        self._plain = _frozen(request_headers(api_key, default_headers, has_body=False))
        self._json = _frozen(request_headers(api_key, default_headers, has_body=True))

    def get(self, *, has_body: bool, idempotency_key: str | None, accept: str) -> Mapping[str, str]:
        """The headers of one request, as :func:`request_headers` would build them."""
        if idempotency_key is None and accept == "application/json":
            return self._json if has_body else self._plain
        return _frozen(
            request_headers(
                self._api_key,
                self._default_headers,
                has_body=has_body,
                idempotency_key=idempotency_key,
                accept=accept,
            )
        )


def _frozen(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(headers))


def encode_body(body: Mapping[str, Any] | None) -> bytes | None:
    """The JSON bytes of a request body."""
    if body is None:
        return None
    return _json.dumps(body)


def request_id(headers: Mapping[str, str]) -> str | None:
    """The server's id for this request, when it sent one."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def _server_message(body: Any) -> str | None:
    if isinstance(body, str):
        return body.strip()[:500] or None
    if not isinstance(body, Mapping):
        return None
    for key in ("error", "message", "detail"):
        value = body.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, Mapping):
            nested = _server_message(value)
            if nested:
                return nested
    return None


def decode_error_body(content: bytes) -> Any:
    """An error body as JSON when it is JSON, else as text."""
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def status_error(
    *, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes
) -> APIStatusError:
    """The error for a 4xx/5xx response, carrying the server's message and request id."""
    body = decode_error_body(content)
    cls = status_error_class(status)
    error = cls(
        _server_message(body) or f"HTTP {status}",
        method=method,
        url=url,
        status_code=status,
        headers=headers,
        body=body,
        request_id=request_id(headers),
    )
    error.retry_after = retry_after(headers)
    return error


def parse_result(
    endpoint: Endpoint[T], *, url: str, status: int, content: bytes, content_type: str
) -> T:
    """Decode a successful response into ``endpoint.result``.

    Anything but the promised JSON shape is an :class:`APIResponseValidationError`, which says
    what was wrong and where.
    """

    def invalid(reason: str) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"unexpected response to {endpoint.name}: {reason}",
            method=endpoint.method,
            url=url,
            status_code=status,
            body=content,
        )

    if endpoint.result is Binary:
        return cast(T, Binary(content=content, content_type=content_type))
    if "json" not in content_type:
        raise invalid(f"expected JSON, got content type {content_type or 'none'!r}")
    with _gc.paused() if len(content) >= _gc.LARGE_RESPONSE else contextlib.nullcontext():
        try:
            payload = _json.loads(content)
        except ValueError as exc:
            raise invalid(f"body is not valid JSON ({exc})") from None
        if endpoint.envelope is not None:
            if not isinstance(payload, dict) or endpoint.envelope not in payload:
                raise invalid(f"missing {endpoint.envelope!r} in the response object")
            payload = payload[endpoint.envelope]
        try:
            result: T = structure(payload, endpoint.result)
        except Exception as exc:
            raise invalid(describe_error(exc)) from exc
    return result
