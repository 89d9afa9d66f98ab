"""``client.users``: the user the API key belongs to."""

from __future__ import annotations

from typing import Final

from .._endpoint import Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ..models.users import User
from ._base import AsyncResource

_RETRIEVE = Endpoint(
    name="users.retrieve",
    method="GET",
    path="/users/me",
    repeat=Repeat.SAFE,
    result=User,
    envelope="user",
)


class AsyncUsers(AsyncResource):
    """Users: who the API key acts as."""

    async def retrieve(self) -> User:
        """The user the API key belongs to."""
        return await self._client._call(_RETRIEVE)


class Users(SyncResource[AsyncUsers]):
    """Users: who the API key acts as.

    The sync face of :class:`AsyncUsers`: the same methods with the same arguments, each
    returning its result directly.
    """

    retrieve: Final = sync(AsyncUsers.retrieve)


__all__ = ["AsyncUsers", "Users"]
