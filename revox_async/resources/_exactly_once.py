"""Exactly-once call placement: tag a create with a reference, and after a failure that leaves
its outcome unknown, look for the reference before deciding to send it again.

The create itself is sent once, as ever; only its reconciliation adds requests, and only
after an ambiguous failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .._config import Timeout
from .._endpoint import Endpoint
from .._errors import APIConnectionError, APIError, APIStatusError, ClientClosedError
from .._logging import logger
from ..models.calls import Call, CallSearchResult
from ._checks import check_not_blank

if TYPE_CHECKING:
    from .._client import AsyncRevox

REFERENCE_KEY = "revox_reference"
"""The metadata key under which ``calls.create`` stores the call's reference."""

SEARCHES = 4
"""How many searches, spread evenly over the reconcile window, look for a reference."""

SEARCH_PAGE_SIZE = 50
"""How many of the newest calls to the number each search looks through."""

# Besides 5xx, the statuses that do not say whether the server acted before failing.
_UNKNOWN_OUTCOME_STATUSES = frozenset({408, 409})


_reconciled: ContextVar[list[Call] | None] = ContextVar("revox_reconciled", default=None)


@contextlib.contextmanager
def reconciled_calls() -> Iterator[list[Call]]:
    """Collect, in the current task, the calls that ``calls.create`` found by reconciling."""
    found: list[Call] = []
    token = _reconciled.set(found)
    try:
        yield found
    finally:
        _reconciled.reset(token)


def tag(body: dict[str, Any], reference: str | None) -> str:
    """Put the reference into ``body``'s metadata (a new uuid4 when none is given) and return it.

    A caller's metadata that already holds the key gives the reference; a different
    ``reference`` beside it is refused, since the call could then not be recognised.
    """
    if reference is not None:
        if not isinstance(reference, str):
            raise TypeError(
                f"calls.create: reference must be a str, got {type(reference).__name__}"
            )
        check_not_blank(reference, "calls.create: reference")
    metadata: dict[str, Any] = dict(body.get("metadata") or {})
    existing = metadata.get(REFERENCE_KEY)
    if existing is not None and reference is not None and existing != reference:
        raise ValueError(
            f"calls.create: metadata[{REFERENCE_KEY!r}] is {existing!r} but reference is "
            f"{reference!r}; give one of them, or the same value in both"
        )
    chosen = reference if reference is not None else existing
    if chosen is None:
        chosen = str(uuid.uuid4())
    check_not_blank(chosen, f"calls.create: metadata[{REFERENCE_KEY!r}]")
    metadata[REFERENCE_KEY] = chosen
    body["metadata"] = metadata
    return chosen


def outcome_unknown(error: APIError) -> bool:
    """Whether ``error`` leaves open that the server acted on the request."""
    if isinstance(error, ClientClosedError):
        return False
    if isinstance(error, APIConnectionError):
        return error.maybe_processed
    if isinstance(error, APIStatusError):
        status = error.status_code
        return status >= 500 or status in _UNKNOWN_OUTCOME_STATUSES
    return False


async def create_once(
    client: AsyncRevox,
    create: Endpoint[Call],
    search: Endpoint[CallSearchResult],
    body: Mapping[str, Any],
    *,
    reference: str,
    idempotency_key: str | None,
) -> Call:
    """Send ``create`` until it succeeds or fails for sure, never placing two calls.

    After a failure whose outcome is unknown, the newest calls to the number are searched for
    ``reference``: found, that call is the result; absent over the whole reconcile window, the
    create is sent again with the same body, at most ``max_retries`` times and only while the
    client's total timeout has time left.
    """
    policy = client._config.retry
    timeout = client._config.timeout
    loop = asyncio.get_running_loop()
    deadline = None if timeout.total is None else loop.time() + timeout.total
    sender = client
    resent = 0
    while True:
        try:
            return await sender._call(create, body=body, idempotency_key=idempotency_key)
        except APIError as error:
            if not outcome_unknown(error):
                raise
            failure = error
        call = await _find(client, search, body, reference, failure)
        if call is not None:
            logger.info(
                "calls.create: call %s found by its reference after %s", call.id, failure.message
            )
            seen = _reconciled.get()
            if seen is not None:
                seen.append(call)
            return call
        if resent >= policy.max_retries:
            _explain(
                failure,
                f"no call with reference {reference!r} was placed; not resent: "
                f"max_retries ({policy.max_retries}) reached",
            )
            raise failure
        if deadline is not None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                _explain(
                    failure,
                    f"no call with reference {reference!r} was placed; not resent: "
                    "the call's total timeout is spent",
                )
                raise failure
            # A resend gets what is left of the budget, not a budget of its own.
            sender = client.with_options(timeout=_within(timeout, remaining))
        resent += 1


async def _find(
    client: AsyncRevox,
    search: Endpoint[CallSearchResult],
    body: Mapping[str, Any],
    reference: str,
    failure: APIError,
) -> Call | None:
    """The call carrying ``reference``, or None once every search of the window missed it."""
    filters: dict[str, Any] = {
        "assignee_ids": [],
        "assistant_ids": [body["assistant_id"]] if "assistant_id" in body else [],
        "campaign_ids": [],
        "directions": [],
        "from_phone_numbers": [],
        "outcomes": [],
        "results": [],
        "statuses": [],
        "to_phone_number": body["phone_number"],
        "sort_by": "created_at",
        "sort_direction": "desc",
        "page": 1,
        "page_size": SEARCH_PAGE_SIZE,
    }
    pause = client._config.retry.reconcile_window / (SEARCHES - 1)
    for attempt in range(SEARCHES):
        if attempt:
            await client._sleep(pause, search, {})
        try:
            result = await client._call(search, body=filters)
        except APIError as search_error:
            _explain(
                failure,
                f"the outcome is unknown: the search for reference {reference!r} "
                f"failed too ({search_error.message}); not resent",
            )
            raise failure from search_error
        for call in result.calls:
            metadata: Mapping[str, Any] = call.metadata or {}
            if metadata.get(REFERENCE_KEY) == reference:
                return call
    return None


def _within(timeout: Timeout, remaining: float) -> Timeout:
    def cut(limit: float | None) -> float:
        return remaining if limit is None else min(limit, remaining)

    return Timeout(
        total=remaining,
        connect=cut(timeout.connect),
        read=None if timeout.read is None else cut(timeout.read),
    )


def _explain(error: APIError, note: str) -> None:
    error.message = f"{error.message}; {note}"
