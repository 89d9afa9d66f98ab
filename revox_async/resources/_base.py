"""What every resource shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._endpoint import Endpoint, encode_path
from .._errors import APIError, NotFoundError
from .._response import CaptureSlot, capture

if TYPE_CHECKING:
    from .._client import AsyncRevox


class AsyncResource:
    """A group of endpoints bound to one client."""

    def __init__(self, client: AsyncRevox) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def _call_expecting_success(
        self, endpoint: Endpoint[bool], *, path: Mapping[str, str]
    ) -> None:
        """Call an endpoint that answers ``{"success": bool}``; a false answer is an error.

        A DELETE answered 404 on a retry, after an attempt the server may have carried out,
        succeeded: the resource is gone, most likely removed by that attempt. A false answer
        on such a retry says that the earlier attempt may have done it.
        """
        outer = capture.get()
        slot = CaptureSlot()
        token = capture.set(slot)
        try:
            done = await self._client._call(endpoint, path=path)
        except NotFoundError as exc:
            if endpoint.method == "DELETE" and exc.maybe_processed_before:
                return
            raise
        finally:
            capture.reset(token)
            if outer is not None and slot.info is not None:
                outer.info = slot.info
        if not done:
            note = ""
            if slot.info is not None and slot.info.maybe_processed_before:
                note = "; an earlier attempt, which failed after it was sent, may have done this"
            raise APIError(
                f"{endpoint.name}: the server answered success=false{note}",
                method=endpoint.method,
                url=self._client.base_url + encode_path(endpoint.path, path),
            )
