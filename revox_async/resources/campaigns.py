"""``client.campaigns``: create, change, launch, pause, resume, cancel and report on campaigns."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final, TypedDict

from typing_extensions import Required, Unpack

from .._endpoint import Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ..models.calls import CsvExport
from ..models.campaigns import (
    LAUNCH_PENDING,
    Campaign,
    CampaignContact,
    CampaignLaunchResult,
    CampaignLaunchSelection,
    CampaignRow,
    CampaignStatistics,
    LaunchMode,
)
from ..models.common import CallRetryConfig
from ._base import AsyncResource
from ._checks import check_e164, check_not_blank, check_not_empty, check_retry_config
from ._params import Nested, prepare


class CampaignCreateParams(TypedDict, total=False):
    """Keyword arguments of ``campaigns.create``: the assistant, a name, and the contacts."""

    assistant_id: Required[str]
    name: Required[str]
    contacts: Required[Sequence[CampaignContact | Nested]]
    call_retry_config: CallRetryConfig | Nested
    from_phone_number: str
    max_concurrent_calls: int


class CampaignUpdateParams(TypedDict, total=False):
    """Keyword arguments of ``campaigns.update``: send only what changes; ``None`` clears."""

    name: str
    call_retry_config: CallRetryConfig | Nested | None
    from_phone_number: str | None
    max_concurrent_calls: int | None


class CampaignLaunchParams(TypedDict, total=False):
    """Keyword arguments of ``campaigns.launch``; without them, every pending call, by the
    assistant, now."""

    mode: LaunchMode | str
    selection: CampaignLaunchSelection | Nested
    scheduled_at: datetime | str


_CREATE = Endpoint(
    name="campaigns.create",
    method="POST",
    path="/campaigns",
    repeat=Repeat.NEVER,
    result=Campaign,
    envelope="campaign",
)
_RETRIEVE = Endpoint(
    name="campaigns.retrieve",
    method="GET",
    path="/campaigns/{id}",
    repeat=Repeat.SAFE,
    result=Campaign,
    envelope="campaign",
)
_UPDATE = Endpoint(
    name="campaigns.update",
    method="PATCH",
    path="/campaigns/{id}",
    repeat=Repeat.SAFE,
    result=Campaign,
    envelope="campaign",
)
_LIST = Endpoint(
    name="campaigns.list",
    method="GET",
    path="/campaigns",
    repeat=Repeat.SAFE,
    result=list[Campaign],
    envelope="campaigns",
)
_DELETE = Endpoint(
    name="campaigns.delete",
    method="DELETE",
    path="/campaigns/{id}",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_CANCEL = Endpoint(
    name="campaigns.cancel",
    method="POST",
    path="/campaigns/{id}/cancel",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_PAUSE = Endpoint(
    name="campaigns.pause",
    method="POST",
    path="/campaigns/{id}/pause",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_RESUME = Endpoint(
    name="campaigns.resume",
    method="POST",
    path="/campaigns/{id}/resume",
    repeat=Repeat.NEVER,
    result=bool,
    envelope="success",
)
_LAUNCH = Endpoint(
    name="campaigns.launch",
    method="POST",
    path="/campaigns/{id}/launch-calls",
    repeat=Repeat.NEVER,
    result=CampaignLaunchResult,
)
_STATISTICS = Endpoint(
    name="campaigns.statistics",
    method="GET",
    path="/campaigns/{id}/statistics",
    repeat=Repeat.SAFE,
    result=CampaignStatistics,
    envelope="statistics",
)
_GET_ROWS = Endpoint(
    name="campaigns.get_rows",
    method="GET",
    path="/campaigns/{id}/rows",
    repeat=Repeat.SAFE,
    result=list[CampaignRow],
    envelope="rows",
)
_EXPORT_ROWS = Endpoint(
    name="campaigns.export_rows",
    method="GET",
    path="/campaigns/{id}/export",
    repeat=Repeat.SAFE,
    result=CsvExport,
)


def _check_settings(body: Mapping[str, Any], method: str) -> None:
    if "name" in body:
        check_not_blank(body["name"], f"{method}: name")
    check_e164(body.get("from_phone_number"), f"{method}: from_phone_number")
    check_retry_config(body.get("call_retry_config"), f"{method}: call_retry_config")


def _create_body(params: Mapping[str, Any]) -> dict[str, Any]:
    method = "campaigns.create"
    body = prepare(method, params, CampaignCreateParams, "CampaignCreateRequest")
    check_not_blank(body["assistant_id"], f"{method}: assistant_id")
    check_not_empty(body["contacts"], f"{method}: contacts")
    for i, contact in enumerate(body["contacts"]):
        check_e164(contact["to_phone_number"], f"{method}: contacts[{i}].to_phone_number")
    _check_settings(body, method)
    return body


def _launch_body(params: Mapping[str, Any]) -> dict[str, Any]:
    method = "campaigns.launch"
    body = prepare(method, params, CampaignLaunchParams, "CampaignLaunchRequest")
    if body["mode"] == LaunchMode.SPEED_DIAL and "scheduled_at" in body:
        raise ValueError(f"{method}: scheduled_at is for ai_first launches only")
    return body


class AsyncCampaigns(AsyncResource):
    """Campaigns: one assistant calling a list of contacts."""

    async def create(self, **params: Unpack[CampaignCreateParams]) -> Campaign:
        """Create a campaign; each contact becomes a call waiting to be launched.

        Nothing is dialed until ``launch``. ``contacts`` must not be empty and their numbers
        must be E.164. Never resent once it may have reached the server.

        Keyword Args:
            assistant_id (str): Required. The ID of the assistant to use.
            name (str): Required. The name of the campaign.
            contacts (Sequence[CampaignContact | dict]): Required. The list of contacts to call.
            call_retry_config (CallRetryConfig | dict): When calls may be placed and how often a
                contact is called again; the assistant's settings apply without it.
            from_phone_number (str): The phone number to use for outbound calls (E.164 format,
                e.g., +1234567890).
            max_concurrent_calls (int): Maximum number of concurrent calls allowed for this
                campaign.
        """
        return await self._client._call(_CREATE, body=_create_body(params))

    async def retrieve(self, id: str) -> Campaign:
        """One campaign by id.

        Args:
            id (str): The campaign's id.
        """
        return await self._client._call(_RETRIEVE, path={"id": id})

    async def update(self, id: str, **params: Unpack[CampaignUpdateParams]) -> Campaign:
        """Change the given settings; calls not yet completed follow the new ones.

        Args:
            id (str): The campaign's id.

        Keyword Args:
            name (str): Campaign display name.
            call_retry_config (CallRetryConfig | dict | None): Configuration for call retry
                behavior including time windows, delays, and max iterations.
            from_phone_number (str | None): The phone number to use for outbound calls.
            max_concurrent_calls (int | None): Maximum concurrent calls. Editable after launch.
        """
        body = prepare("campaigns.update", params, CampaignUpdateParams, "CampaignUpdateRequest")
        _check_settings(body, "campaigns.update")
        return await self._client._call(_UPDATE, path={"id": id}, body=body)

    async def list(self) -> list[Campaign]:
        """Every campaign of the organization."""
        return await self._client._call(_LIST)

    async def delete(self, id: str) -> None:
        """Delete a campaign and its rows for good; calls in progress finish.

        Args:
            id (str): The campaign's id.
        """
        await self._call_expecting_success(_DELETE, path={"id": id})

    async def cancel(self, id: str) -> None:
        """Stop a campaign for good, keeping its rows; calls in progress finish.

        Args:
            id (str): The campaign's id.
        """
        await self._call_expecting_success(_CANCEL, path={"id": id})

    async def pause(self, id: str) -> None:
        """Hold a campaign's pending calls until it is resumed; calls in progress finish.

        Args:
            id (str): The campaign's id.
        """
        await self._call_expecting_success(_PAUSE, path={"id": id})

    async def resume(self, id: str) -> None:
        """Let a paused campaign dial again. Never resent once it may have reached the server.

        Args:
            id (str): The campaign's id.
        """
        await self._call_expecting_success(_RESUME, path={"id": id})

    async def launch(self, id: str, **params: Unpack[CampaignLaunchParams]) -> CampaignLaunchResult:
        """Send the selected calls: dialed by the assistant (``ai_first``), or by a live
        operator session (``speed_dial``, which cannot take ``scheduled_at``).

        ``launch(id)`` alone sends every call not launched yet, dialed by the assistant, now.

        This dials real phones, so it is never resent once it may have reached the server.

        Args:
            id (str): The campaign's id.

        Keyword Args:
            mode (LaunchMode | str): ``ai_first`` (the default): the assistant dials;
                ``speed_dial``: a live operator session.
            selection (CampaignLaunchSelection | dict): Which calls to send; the default,
                :data:`~revox_async.models.LAUNCH_PENDING`, is every call not launched yet.
            scheduled_at (datetime | str): When to place the calls (ISO 8601).
        """
        chosen = {"mode": LaunchMode.AI_FIRST, "selection": LAUNCH_PENDING, **params}
        return await self._client._call(_LAUNCH, path={"id": id}, body=_launch_body(chosen))

    async def statistics(self, id: str) -> CampaignStatistics:
        """The campaign's report: funnel, effort, outcomes and hot leads.

        Args:
            id (str): The campaign's id.
        """
        return await self._client._call(_STATISTICS, path={"id": id})

    async def get_rows(self, id: str) -> builtins.list[CampaignRow]:
        """Every contact row of the campaign, with its call once created.

        Args:
            id (str): The campaign's id.
        """
        return await self._client._call(_GET_ROWS, path={"id": id})

    async def export_rows(self, id: str) -> CsvExport:
        """The campaign's rows as CSV; ``.save(directory)`` writes the file.

        Args:
            id (str): The campaign's id.
        """
        return await self._client._call(_EXPORT_ROWS, path={"id": id})


class Campaigns(SyncResource[AsyncCampaigns]):
    """Campaigns: one assistant calling a list of contacts.

    The sync face of :class:`AsyncCampaigns`: the same methods with the same arguments, each
    returning its result directly.
    """

    create: Final = sync(AsyncCampaigns.create)
    retrieve: Final = sync(AsyncCampaigns.retrieve)
    update: Final = sync(AsyncCampaigns.update)
    list: Final = sync(AsyncCampaigns.list)
    delete: Final = sync(AsyncCampaigns.delete)
    cancel: Final = sync(AsyncCampaigns.cancel)
    pause: Final = sync(AsyncCampaigns.pause)
    resume: Final = sync(AsyncCampaigns.resume)
    launch: Final = sync(AsyncCampaigns.launch)
    statistics: Final = sync(AsyncCampaigns.statistics)
    get_rows: Final = sync(AsyncCampaigns.get_rows)
    export_rows: Final = sync(AsyncCampaigns.export_rows)


__all__ = [
    "AsyncCampaigns",
    "CampaignCreateParams",
    "CampaignLaunchParams",
    "CampaignUpdateParams",
    "Campaigns",
]
