"""``client.calls``: place calls, find them, follow them, pause, resume or cancel them."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, TypedDict

from typing_extensions import Required, Unpack

from .._config import delay
from .._endpoint import Endpoint
from .._errors import CallWaitTimeout
from .._request import Repeat
from .._sync.methods import SyncResource, sync, sync_iter
from ..models.calls import (
    Call,
    CallConcurrency,
    CallDirection,
    CallResult,
    CallSearchResult,
    CallStatus,
    CsvExport,
    PhoneHistoryEntry,
    SortDirection,
)
from ..models.common import CallOutcome
from ._base import AsyncResource
from ._checks import check_e164, check_exactly_one, check_not_blank, check_positive
from ._exactly_once import create_once, tag
from ._pages import AsyncPager
from ._params import Nested, assistant_body, prepare
from .assistants import AssistantFields

FIRST_PAGE = 1
"""The number of the first page of search results. The API does not say whether pages count
from 0 or 1; its examples ask for page 1 first, so pages count from 1 here."""

DEFAULT_PAGE_SIZE = 100

ProgressCallback = Callable[[Call], Awaitable[None] | None]
"""Called by ``calls.wait`` with the call each time its status changes (sync or async)."""


class InlineAssistantConfig(AssistantFields, total=False):
    """A one-off assistant for ``calls.create``: the assistant settings without ``name``."""

    prompt: Required[str]


class CallCreateParams(TypedDict, total=False):
    """Keyword arguments of ``calls.create``: the number to call and exactly one of
    ``assistant_id`` or an inline ``assistant``."""

    phone_number: Required[str]
    assistant_id: str
    assistant: InlineAssistantConfig
    concurrency: CallConcurrency | Nested
    from_phone_number: str
    metadata: Mapping[str, str]
    prompt_variables: Mapping[str, str]
    scheduled_at: datetime | str
    skip_calling_window: bool


class CallFilters(TypedDict, total=False):
    """Filters of ``calls.search``, ``calls.search_page`` and ``calls.export``.

    All are optional: a list filter left out (or empty) matches everything.
    """

    assignee_ids: Sequence[str]
    assistant_ids: Sequence[str]
    campaign_ids: Sequence[str]
    directions: Sequence[CallDirection | str]
    from_phone_numbers: Sequence[str]
    outcomes: Sequence[CallOutcome | str]
    results: Sequence[CallResult | str]
    statuses: Sequence[CallStatus | str]
    call_ids: Sequence[str]
    query: str
    sort_by: str
    sort_direction: SortDirection | str
    to_phone_number: str


class CallExportParams(CallFilters, total=False):
    """Keyword arguments of ``calls.export``: the search filters and which columns to add."""

    include_metadata: bool
    include_structured_output_fields: bool


# The API requires these lists in every search, with [] meaning "no filter".
_LIST_FILTERS = (
    "assignee_ids",
    "assistant_ids",
    "campaign_ids",
    "directions",
    "from_phone_numbers",
    "outcomes",
    "results",
    "statuses",
)
_EXPORT_OPTIONS = ("include_metadata", "include_structured_output_fields")

_CREATE = Endpoint(
    name="calls.create",
    method="POST",
    path="/call",
    repeat=Repeat.NEVER,
    result=Call,
    envelope="call",
)
_RETRIEVE = Endpoint(
    name="calls.retrieve",
    method="GET",
    path="/call/{id}",
    repeat=Repeat.SAFE,
    result=Call,
    envelope="call",
)
_SEARCH = Endpoint(
    name="calls.search",
    method="POST",
    path="/call/search",
    repeat=Repeat.SAFE,
    result=CallSearchResult,
)
_EXPORT = Endpoint(
    name="calls.export",
    method="POST",
    path="/call/export",
    repeat=Repeat.SAFE,
    result=CsvExport,
)
_CANCEL = Endpoint(
    name="calls.cancel",
    method="POST",
    path="/call/{id}/cancel",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_PAUSE = Endpoint(
    name="calls.pause",
    method="POST",
    path="/call/{id}/pause",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_RESUME = Endpoint(
    name="calls.resume",
    method="POST",
    path="/call/{id}/resume",
    repeat=Repeat.NEVER,
    result=bool,
    envelope="success",
)
_PHONE_HISTORY = Endpoint(
    name="calls.phone_history",
    method="GET",
    path="/calls/phone-history",
    repeat=Repeat.SAFE,
    result=dict[str, PhoneHistoryEntry],
    envelope="phone_history",
)


def _create_body(params: Mapping[str, Any]) -> dict[str, Any]:
    method = "calls.create"
    body = prepare(
        method,
        {k: v for k, v in params.items() if k != "assistant"},
        CallCreateParams,
        "CallCreateRequest",
    )
    if "assistant" in params:
        inline = params["assistant"]
        if not isinstance(inline, Mapping):
            raise TypeError(
                f"{method}: assistant must be a dict of assistant settings, "
                f"got {type(inline).__name__}"
            )
        body["assistant"] = assistant_body(
            f"{method}: assistant", inline, InlineAssistantConfig, "InlineAssistantConfig"
        )
    check_exactly_one(body, ("assistant_id", "assistant"), method)
    check_not_blank(body.get("assistant_id"), f"{method}: assistant_id")
    check_e164(body["phone_number"], f"{method}: phone_number")
    check_e164(body.get("from_phone_number"), f"{method}: from_phone_number")
    return body


def _filters_body(
    method: str, filters: Mapping[str, Any], *, page: int, page_size: int
) -> dict[str, Any]:
    check_positive(page, f"{method}: page", integer=True)
    check_positive(page_size, f"{method}: page_size", integer=True)
    body: dict[str, Any] = {name: [] for name in _LIST_FILTERS}
    body.update(filters)
    body.update(page=page, page_size=page_size)
    return body


class _SearchPages:
    """Fetches a search page by page and decides when the results are exhausted.

    The search ends on an empty page, once ``total_count`` calls were seen, or when a page
    repeats the previous one (a server ignoring ``page`` must not loop forever). A short page
    does not end it: a server may serve fewer than ``page_size`` calls per page.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[CallSearchResult]]) -> None:
        self._fetch = fetch
        self._page = FIRST_PAGE
        self._seen = 0
        self._previous_ids: list[str] = []

    async def __call__(self) -> tuple[list[Call], bool]:
        result = await self._fetch(self._page)
        ids = [call.id for call in result.calls]
        if not ids or ids == self._previous_ids:
            return [], False
        self._page += 1
        self._seen += len(ids)
        self._previous_ids = ids
        return result.calls, self._seen < result.total_count


class AsyncCalls(AsyncResource):
    """Calls: place one, look it up, search and export, follow it to its end, control it."""

    async def create(
        self,
        *,
        idempotency_key: str | None = None,
        reference: str | None = None,
        exactly_once: bool | None = None,
        **params: Unpack[CallCreateParams],
    ) -> Call:
        """Place a call (now, or at ``scheduled_at``) to ``phone_number`` (E.164).

        Give exactly one of ``assistant_id`` or an inline ``assistant`` (the assistant settings
        without ``name``). ``scheduled_at`` takes a datetime (naive means UTC) or ISO 8601 text.

        This dials a real phone, so it is never resent blind. The call carries a reference in
        ``metadata["revox_reference"]`` (a new uuid4, or ``reference``). When a failure leaves
        unknown whether the call was placed (a timeout or dropped connection after sending, a
        5xx, 408 or 409), the newest calls to the number are searched for the reference over
        ``RetryPolicy.reconcile_window`` seconds: the call found is returned; when it is surely
        absent the create is sent again with the same reference, within ``max_retries``. A
        failed search raises the original error, never resends. ``exactly_once=False`` (or
        ``RetryPolicy(reconcile_creates=False)``) raises such failures as they are.

        Args:
            idempotency_key (str | None): Sent as the ``Idempotency-Key`` header for a server that
                deduplicates on it; it does not make the request retryable.
            reference (str | None): The call's reference (non-blank), stored in its metadata
                under ``revox_reference``; a new uuid4 when None.
            exactly_once (bool | None): Whether to reconcile an unknown outcome; None follows
                the client's ``RetryPolicy.reconcile_creates``.

        Keyword Args:
            phone_number (str): Required. The phone number to call in the E.164 format.
            assistant_id (str): The ID of the assistant to use for this call.
            assistant (InlineAssistantConfig): You can provide a custom assistant configuration
                here.
            concurrency (CallConcurrency | dict): Limit the number of concurrent calls for a given
                concurrency key.
            from_phone_number (str): The phone number to use for making the call (e.g.,
                +1234567890).
            metadata (Mapping[str, str]): Metadata to store with the call.
            prompt_variables (Mapping[str, str]): Variables to interpolate into the prompt.
            scheduled_at (datetime | str): Schedule the call to start at a specific date and time
                (ISO 8601 format).
            skip_calling_window (bool): Bypass the calling-window check for this call so it dials
                even outside the assistant's configured window.
        """
        check_not_blank(idempotency_key, "calls.create: idempotency_key")
        body = _create_body(params)
        if exactly_once is None:
            exactly_once = self._client._config.retry.reconcile_creates
        elif not isinstance(exactly_once, bool):
            raise TypeError(
                "calls.create: exactly_once must be a bool or None, "
                f"got {type(exactly_once).__name__}"
            )
        if not exactly_once:
            if reference is not None:
                tag(body, reference)
            return await self._client._call(_CREATE, body=body, idempotency_key=idempotency_key)
        ref = tag(body, reference)
        return await create_once(
            self._client, _CREATE, _SEARCH, body, reference=ref, idempotency_key=idempotency_key
        )

    async def retrieve(self, id: str) -> Call:
        """One call by id, with its attempts and transcripts.

        Args:
            id (str): The call's id.
        """
        return await self._client._call(_RETRIEVE, path={"id": id})

    def search(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **filters: Unpack[CallFilters]
    ) -> AsyncPager[Call]:
        """Every call matching the filters, fetched ``page_size`` at a time as you iterate.

        ``async for call in client.calls.search(statuses=["completed"]): ...``. Arguments are
        checked now; requests go out during iteration, starting with page 1.

        Args:
            page_size (int): How many calls each request fetches (the API's page size).

        Keyword Args:
            assignee_ids (Sequence[str]): Only calls assigned to these members.
            assistant_ids (Sequence[str]): Only calls placed or answered by these assistants.
            campaign_ids (Sequence[str]): Only calls of these campaigns.
            directions (Sequence[CallDirection | str]): Only ``inbound`` or ``outbound`` calls.
            from_phone_numbers (Sequence[str]): Only calls placed from these numbers (E.164).
            outcomes (Sequence[CallOutcome | str]): Only calls with these outcomes (``interested``,
                ``not_interested``, ...).
            results (Sequence[CallResult | str]): Only calls whose attempts ended with these
                results (``human``, ``voicemail``, ...).
            statuses (Sequence[CallStatus | str]): Only calls in these statuses (``completed``,
                ``scheduled``, ...).
            call_ids (Sequence[str]): Only these calls.
            query (str): Free text the calls must match.
            sort_by (str): The field the calls are sorted by.
            sort_direction (SortDirection | str): ``asc`` or ``desc``.
            to_phone_number (str): Only calls to this number (E.164).
        """
        body = _filters_body(
            "calls.search",
            prepare("calls.search", filters, CallFilters),
            page=FIRST_PAGE,
            page_size=page_size,
        )

        def fetch(page: int) -> Awaitable[CallSearchResult]:
            return self._client._call(_SEARCH, body={**body, "page": page})

        return AsyncPager(_SearchPages(fetch))

    async def search_page(
        self,
        *,
        page: int = FIRST_PAGE,
        page_size: int = DEFAULT_PAGE_SIZE,
        **filters: Unpack[CallFilters],
    ) -> CallSearchResult:
        """One page of matching calls (pages count from 1) and ``total_count`` over all pages.

        Args:
            page (int): Which page to fetch; pages count from 1.
            page_size (int): How many calls each request fetches (the API's page size).

        Keyword Args:
            assignee_ids (Sequence[str]): Only calls assigned to these members.
            assistant_ids (Sequence[str]): Only calls placed or answered by these assistants.
            campaign_ids (Sequence[str]): Only calls of these campaigns.
            directions (Sequence[CallDirection | str]): Only ``inbound`` or ``outbound`` calls.
            from_phone_numbers (Sequence[str]): Only calls placed from these numbers (E.164).
            outcomes (Sequence[CallOutcome | str]): Only calls with these outcomes (``interested``,
                ``not_interested``, ...).
            results (Sequence[CallResult | str]): Only calls whose attempts ended with these
                results (``human``, ``voicemail``, ...).
            statuses (Sequence[CallStatus | str]): Only calls in these statuses (``completed``,
                ``scheduled``, ...).
            call_ids (Sequence[str]): Only these calls.
            query (str): Free text the calls must match.
            sort_by (str): The field the calls are sorted by.
            sort_direction (SortDirection | str): ``asc`` or ``desc``.
            to_phone_number (str): Only calls to this number (E.164).
        """
        body = _filters_body(
            "calls.search_page",
            prepare("calls.search_page", filters, CallFilters),
            page=page,
            page_size=page_size,
        )
        return await self._client._call(_SEARCH, body=body)

    async def export(
        self,
        *,
        page: int = FIRST_PAGE,
        page_size: int = DEFAULT_PAGE_SIZE,
        **params: Unpack[CallExportParams],
    ) -> CsvExport:
        """The attempts of one page of matching calls as CSV; ``.save(directory)`` writes it.

        The API pages exports like searches, so raise ``page_size`` (or walk ``page``) to
        export more than the first ``page_size`` calls.

        Args:
            page (int): Which page to fetch; pages count from 1.
            page_size (int): How many calls each request fetches (the API's page size).

        Keyword Args:
            assignee_ids (Sequence[str]): Only calls assigned to these members.
            assistant_ids (Sequence[str]): Only calls placed or answered by these assistants.
            campaign_ids (Sequence[str]): Only calls of these campaigns.
            directions (Sequence[CallDirection | str]): Only ``inbound`` or ``outbound`` calls.
            from_phone_numbers (Sequence[str]): Only calls placed from these numbers (E.164).
            outcomes (Sequence[CallOutcome | str]): Only calls with these outcomes (``interested``,
                ``not_interested``, ...).
            results (Sequence[CallResult | str]): Only calls whose attempts ended with these
                results (``human``, ``voicemail``, ...).
            statuses (Sequence[CallStatus | str]): Only calls in these statuses (``completed``,
                ``scheduled``, ...).
            call_ids (Sequence[str]): Only these calls.
            query (str): Free text the calls must match.
            sort_by (str): The field the calls are sorted by.
            sort_direction (SortDirection | str): ``asc`` or ``desc``.
            to_phone_number (str): Only calls to this number (E.164).
            include_metadata (bool): Whether to include the metadata in the CSV file.
            include_structured_output_fields (bool): Whether to include the structured output
                fields in the CSV file.
        """
        filters = prepare("calls.export", params, CallExportParams)
        options = {key: filters.pop(key) for key in _EXPORT_OPTIONS if key in filters}
        body = _filters_body("calls.export", filters, page=page, page_size=page_size)
        return await self._client._call(_EXPORT, body={"filters": body, **options})

    async def cancel(self, id: str) -> None:
        """Cancel a running or scheduled call.

        Args:
            id (str): The call's id.
        """
        await self._call_expecting_success(_CANCEL, path={"id": id})

    async def pause(self, id: str) -> None:
        """Stop new attempts of a call until it is resumed; an attempt in progress finishes.

        Args:
            id (str): The call's id.
        """
        await self._call_expecting_success(_PAUSE, path={"id": id})

    async def resume(self, id: str) -> None:
        """Let a paused call dial again. Never resent once it may have reached the server.

        Args:
            id (str): The call's id.
        """
        await self._call_expecting_success(_RESUME, path={"id": id})

    async def phone_history(self) -> dict[str, PhoneHistoryEntry]:
        """For every number the organization called (E.164 keys): how often and how it went."""
        return await self._client._call(_PHONE_HISTORY)

    async def wait(
        self,
        id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
    ) -> Call:
        """Poll a call until it is completed, cancelled or errored, and return it.

        Polls start ``poll_interval`` seconds apart and back off (doubling, at most
        ``max_poll_interval``), back to ``poll_interval`` whenever the status changes.
        ``on_progress(call)`` runs with the first state seen and after every status change
        (on the client's event loop thread for the sync client). Past ``timeout`` seconds
        (``inf``: no limit) this raises :class:`~revox_async.CallWaitTimeout` holding the last
        state seen. Errors of a poll (after the client's usual retries) are raised as they are;
        closing the client ends the wait at once with :class:`~revox_async.ClientClosedError`.

        Args:
            id (str): The call's id.
            timeout (float): Seconds to wait at most before raising
                :class:`~revox_async.CallWaitTimeout` (``inf``: no limit).
            poll_interval (float): Seconds between the first polls, and again after each status
                change.
            max_poll_interval (float): The longest the doubling delay between polls may grow to, in
                seconds.
            on_progress (ProgressCallback | None): Called with the call when it is first seen and
                after every status change; may be a coroutine function.
        """
        check_positive(timeout, "calls.wait: timeout")
        delay(poll_interval, "calls.wait: poll_interval", allow_zero=False)
        delay(max_poll_interval, "calls.wait: max_poll_interval", allow_zero=False)
        if on_progress is not None and not callable(on_progress):
            raise TypeError(
                f"calls.wait: on_progress must be callable, got {type(on_progress).__name__}"
            )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        pause = poll_interval
        last: Call | None = None
        while True:
            call = await self.retrieve(id)
            if last is None or call.status != last.status:
                pause = poll_interval
                if on_progress is not None:
                    outcome = on_progress(call)
                    if inspect.isawaitable(outcome):
                        await outcome
            else:
                pause = min(pause * 2, max_poll_interval)
            last = call
            if call.is_finished:
                return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise CallWaitTimeout(
                    f"call {id} is still {call.status} after {timeout:g} s", call=call
                )
            await self._client._sleep(min(pause, remaining), _RETRIEVE, {"id": id})


class Calls(SyncResource[AsyncCalls]):
    """Calls: place one, look it up, search and export, follow it to its end, control it.

    The sync face of :class:`AsyncCalls`: the same methods with the same arguments, each
    returning its result directly (``search`` gives a plain iterator).
    """

    create: Final = sync(AsyncCalls.create)
    retrieve: Final = sync(AsyncCalls.retrieve)
    search: Final = sync_iter(AsyncCalls.search)
    search_page: Final = sync(AsyncCalls.search_page)
    export: Final = sync(AsyncCalls.export)
    cancel: Final = sync(AsyncCalls.cancel)
    pause: Final = sync(AsyncCalls.pause)
    resume: Final = sync(AsyncCalls.resume)
    phone_history: Final = sync(AsyncCalls.phone_history)
    wait: Final = sync(AsyncCalls.wait)


__all__ = [
    "AsyncCalls",
    "CallCreateParams",
    "CallExportParams",
    "CallFilters",
    "Calls",
    "InlineAssistantConfig",
    "ProgressCallback",
]
