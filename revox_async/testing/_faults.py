"""Fault injection: make the next matching requests misbehave in a chosen way.

A :class:`Fault` is consumed by the first requests it matches, in the order faults were
added. What it does depends on its fields:

* ``drop="before"``: the connection is closed without the request being processed.
* ``drop="after"``: the request is processed (state changes happen), then the connection is
  closed without a response, so the client cannot know that it succeeded.
* ``status`` set: the request is not processed (unless ``acted``: then it is, first) and the
  fake answers with that status, an optional ``Retry-After`` / ``retry-after-ms`` header and
  an error body (or ``body``, or a truncated JSON body with ``malformed_body``).
* ``status=None``: the request is processed normally; ``delay``, ``body``,
  ``malformed_body``, ``content_type`` and ``headers`` then alter the real response.

``delay`` (seconds of real time) applies before anything else in every case; ``late``
(seconds of real time) between processing the request and answering, so that a client with a
shorter timeout gives up on a request the fake carried out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any, Literal

DropWhen = Literal["before", "after"]


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next ``times`` matching requests.

    ``route`` is ``"METHOD /path"`` or just ``"/path"`` (any method); the path is either
    the templated route (``"/call/{id}/cancel"``) or a concrete one (``"/call/abc/cancel"``).
    ``None`` matches every request. ``retry_after`` is sent verbatim when a string; numbers
    become delta-seconds and datetimes become an HTTP-date.
    """

    route: str | None = None
    status: int | None = 503
    retry_after: str | float | datetime | None = None
    retry_after_ms: int | None = None
    delay: float = 0.0
    drop: DropWhen | None = None
    malformed_body: bool = False
    body: Any = None
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    times: int = 1
    acted: bool = False
    late: float = 0.0
    hits: int = 0

    def __post_init__(self) -> None:
        if self.times < 1:
            raise ValueError("times must be at least 1")
        if self.drop not in (None, "before", "after"):
            raise ValueError("drop must be 'before', 'after' or None")
        if self.route is not None and not self.route.strip():
            raise ValueError("route must not be blank")
        if self.late < 0 or self.delay < 0:
            raise ValueError("delay and late must not be negative")

    @property
    def remaining(self) -> int:
        return self.times - self.hits

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.route is None:
            return True
        wanted_method, _, wanted_path = self.route.strip().rpartition(" ")
        if wanted_method and wanted_method.upper() != method.upper():
            return False
        return wanted_path in (template, path)

    def response_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if isinstance(self.retry_after, datetime):
            headers["Retry-After"] = format_datetime(self.retry_after, usegmt=True)
        elif isinstance(self.retry_after, (int, float)):
            headers["Retry-After"] = f"{self.retry_after:g}"
        elif self.retry_after is not None:
            headers["Retry-After"] = self.retry_after
        if self.retry_after_ms is not None:
            headers["retry-after-ms"] = str(self.retry_after_ms)
        return headers

    def render_body(self, default: bytes) -> bytes:
        """The body to send instead of ``default`` (the JSON the fake would have sent)."""
        if self.malformed_body:
            # Any strict prefix of a serialized JSON object is invalid JSON.
            return default[: max(1, len(default) // 2)]
        if self.body is None:
            return default
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()

    def error_body(self) -> bytes:
        status = self.status or 503
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return json.dumps({"error": f"{phrase} (injected fault)"}).encode()


class Faults:
    """The queue of pending faults of one fake server."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []

    @property
    def pending(self) -> list[Fault]:
        return list(self._pending)

    def add(self, fault: Fault) -> Fault:
        self._pending.append(fault)
        return fault

    def fail_next(
        self,
        n: int = 1,
        *,
        route: str | None = None,
        status: int | None = 503,
        retry_after: str | float | datetime | None = None,
        retry_after_ms: int | None = None,
        delay: float = 0.0,
        drop: DropWhen | None = None,
        malformed_body: bool = False,
        body: Any = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        acted: bool = False,
        late: float = 0.0,
    ) -> Fault:
        """Queue a fault for the next ``n`` requests matching ``route``; see :class:`Fault`."""
        return self.add(
            Fault(
                route=route,
                status=status,
                retry_after=retry_after,
                retry_after_ms=retry_after_ms,
                delay=delay,
                drop=drop,
                malformed_body=malformed_body,
                body=body,
                content_type=content_type,
                headers=dict(headers or {}),
                times=n,
                acted=acted,
                late=late,
            )
        )

    def clear(self) -> None:
        self._pending.clear()

    def take(self, method: str, template: str, path: str) -> Fault | None:
        """Consume one use of the first pending fault matching the request."""
        for fault in self._pending:
            if fault.matches(method, template, path):
                fault.hits += 1
                if fault.remaining == 0:
                    self._pending.remove(fault)
                return fault
        return None
