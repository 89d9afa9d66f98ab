"""A client's settings and their checks: time limits and their defaults, counts, the base
URL, default headers. Each is checked when given rather than when used.

A time limit of ``inf`` means no limit and becomes None. A pacing value (a delay, a poll
interval, a cap on server hints) must be finite: waiting forever is never what it means.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs

DEFAULT_BASE_URL = "https://www.getrevox.com/api"
DEFAULT_CONNECTION_LIMIT = 100


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number of seconds, got nan")
    return float(value)


def time_limit(value: Any, name: str) -> float | None:
    """A limit in seconds greater than zero; None or ``inf`` for no limit."""
    if value is None:
        return None
    seconds = _number(value, name)
    if seconds <= 0:
        raise ValueError(f"{name} must be greater than zero (None for no limit), got {value!r}")
    return None if math.isinf(seconds) else seconds


def delay(value: Any, name: str, *, allow_zero: bool = True) -> float:
    """A finite wait in seconds, at least zero (greater than zero unless ``allow_zero``)."""
    seconds = _number(value, name)
    if math.isinf(seconds) or seconds < 0 or (seconds == 0 and not allow_zero):
        least = "at least zero" if allow_zero else "greater than zero"
        raise ValueError(f"{name} must be a finite number of seconds {least}, got {value!r}")
    return seconds


def count(value: Any, name: str, *, least: int) -> int:
    """A whole number, at least ``least``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < least:
        raise ValueError(f"{name} must be at least {least}, got {value!r}")
    return value


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


DEFAULT_TIMEOUT = Timeout()


def as_timeout(timeout: float | Timeout | None) -> Timeout:
    """A :class:`Timeout` from a number of seconds for the whole call, or None (or ``inf``)
    for no limit."""
    if isinstance(timeout, Timeout):
        return timeout
    total = time_limit(timeout, "timeout")
    if total is None:
        return Timeout(total=None, connect=DEFAULT_TIMEOUT.connect)
    return Timeout(total=total, connect=min(total, DEFAULT_TIMEOUT.connect or total))


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
