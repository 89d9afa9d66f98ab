"""``client.auth_status``: whether the API key is accepted."""

from __future__ import annotations

from typing import Final

from .._endpoint import Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ._base import AsyncResource

_RETRIEVE = Endpoint(
    name="auth_status.retrieve",
    method="GET",
    path="/auth-status",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="authenticated",
)


class AsyncAuthStatus(AsyncResource):
    """Auth status: a cheap check of the API key."""

    async def retrieve(self) -> bool:
        """Whether the server accepts the API key."""
        return await self._client._call(_RETRIEVE)


class AuthStatus(SyncResource[AsyncAuthStatus]):
    """Auth status: a cheap check of the API key.

    The sync face of :class:`AsyncAuthStatus`: the same methods with the same arguments, each
    returning its result directly.
    """

    retrieve: Final = sync(AsyncAuthStatus.retrieve)


__all__ = ["AsyncAuthStatus", "AuthStatus"]
