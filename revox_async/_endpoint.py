"""An API operation: its declaration (:class:`Endpoint`), how its request is built, and how
its answer becomes the promised result. Pure functions over plain values, no I/O.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

from . import _gc, _json
from ._config import merge_headers
from ._errors import APIResponseValidationError
from ._request import Repeat
from ._structure.converter import describe_error, structure
from ._version import __version__

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Binary:
    """A response body that is not JSON (audio, for instance), passed through unparsed.

    As the ``result`` of an :class:`Endpoint` it means "do not decode"; the call then returns
    a ``Binary`` holding the bytes and the content type the server declared.
    """

    content: bytes = attrs.field(repr=False)
    content_type: str


@attrs.frozen(kw_only=True)
class Endpoint(Generic[T]):
    """Everything a client needs to know about one API operation.

    ``result`` is the type the response becomes, or :class:`Binary` for a body returned as is;
    the endpoint's type parameter is inferred from it. ``envelope``, when set, is the key of
    the response object whose value is the result (``{"success": true}`` with
    ``envelope="success"``).
    """

    name: str
    method: str
    path: str
    repeat: Repeat
    result: type[T]
    envelope: str | None = None
    accept: str = "application/json"


_PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:3])


def user_agent() -> str:
    """The SDK, its version, and the Python running it."""
    return f"revox-async/{__version__} Python/{_PYTHON_VERSION}"


_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def encode_path(template: str, params: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders with percent-encoded values.

    Every character that could change the path's shape is encoded, dots of ``.`` and ``..``
    included, so an id can never reach another route.
    """
    encoded = {}
    for name, value in params.items():
        if type(value) is str and _PLAIN_SEGMENT.fullmatch(value):
            # Letters, digits, "-" and "_", as API ids are: nothing to encode or refuse.
            encoded[name] = value
            continue
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

    @property
    def plain(self) -> Mapping[str, str]:
        """The headers of a request without a body, as sent by most calls."""
        return self._plain

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
