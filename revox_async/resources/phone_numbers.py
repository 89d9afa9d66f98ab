"""``client.phone_numbers``: list, relabel or reassign, and delete the organization's numbers."""

from __future__ import annotations

from typing import Final, TypedDict

from typing_extensions import Unpack

from .._endpoint import Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ..models.phone_numbers import PhoneNumber
from ._base import AsyncResource
from ._checks import check_not_blank
from ._params import prepare


class PhoneNumberUpdateParams(TypedDict, total=False):
    """Keyword arguments of ``phone_numbers.update``: send only what changes; ``None`` clears."""

    label: str | None
    inbound_assistant_id: str | None


_LIST = Endpoint(
    name="phone_numbers.list",
    method="GET",
    path="/phone-numbers",
    repeat=Repeat.SAFE,
    result=list[PhoneNumber],
    envelope="phone_numbers",
)
_UPDATE = Endpoint(
    name="phone_numbers.update",
    method="PATCH",
    path="/phone-numbers/{id}",
    repeat=Repeat.SAFE,
    result=PhoneNumber,
    envelope="phone_number",
)
_DELETE = Endpoint(
    name="phone_numbers.delete",
    method="DELETE",
    path="/phone-numbers/{id}",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)


class AsyncPhoneNumbers(AsyncResource):
    """Phone numbers: the organization's lines and the assistant answering each."""

    async def list(self) -> list[PhoneNumber]:
        """Every phone number of the organization."""
        return await self._client._call(_LIST)

    async def update(self, id: str, **params: Unpack[PhoneNumberUpdateParams]) -> PhoneNumber:
        """Change a number's label or the assistant answering it (``None`` removes it).

        Args:
            id (str): The phone number's id (not the number itself).

        Keyword Args:
            label (str | None): A name for the number, shown in the dashboard; ``None`` clears it.
            inbound_assistant_id (str | None): The assistant that answers calls to this number;
                ``None`` leaves them unanswered by any assistant.
        """
        body = prepare(
            "phone_numbers.update", params, PhoneNumberUpdateParams, "PhoneNumberUpdateRequest"
        )
        check_not_blank(
            body.get("inbound_assistant_id"), "phone_numbers.update: inbound_assistant_id"
        )
        return await self._client._call(_UPDATE, path={"id": id}, body=body)

    async def delete(self, id: str) -> None:
        """Remove a phone number from the organization.

        Args:
            id (str): The phone number's id (not the number itself).
        """
        await self._call_expecting_success(_DELETE, path={"id": id})


class PhoneNumbers(SyncResource[AsyncPhoneNumbers]):
    """Phone numbers: the organization's lines and the assistant answering each.

    The sync face of :class:`AsyncPhoneNumbers`: the same methods with the same arguments, each
    returning its result directly.
    """

    list: Final = sync(AsyncPhoneNumbers.list)
    update: Final = sync(AsyncPhoneNumbers.update)
    delete: Final = sync(AsyncPhoneNumbers.delete)


__all__ = ["AsyncPhoneNumbers", "PhoneNumberUpdateParams", "PhoneNumbers"]
