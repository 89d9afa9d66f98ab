"""The headers the SDK's own session sends for the clients sharing it: the most common set is
the session's, and a client derived with other settings still sends exactly its own."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from revox_async import AsyncRevox
from revox_async._endpoint import encode_path

from ._helpers import KEY, LoopbackServer, RawHeaders, Reply
from .contract import example

OTHER_KEY = "rvx_" + "b" * 40


@pytest.mark.asyncio
async def test_clients_sharing_a_session_each_send_their_own_headers_once(
    server: LoopbackServer,
) -> None:
    server.reply("GET", "/assistants/a", Reply(json=example("assistants.retrieve")))
    async with AsyncRevox(KEY, base_url=server.url, default_headers={"X-Team": "one"}) as root:
        derived = root.with_options(api_key=OTHER_KEY, default_headers={"X-Team": "two"})
        await root.assistants.retrieve("a")
        await derived.assistants.retrieve("a")
        await root.assistants.retrieve("a")

    def sent(headers: RawHeaders) -> dict[str, list[str]]:
        return {name: headers.getall(name) for name in headers}

    first, other, again = (sent(request.headers) for request in server.requests)
    assert first["authorization"] == [f"Bearer {KEY}"]
    assert first["x-team"] == ["one"]
    assert other["authorization"] == [f"Bearer {OTHER_KEY}"]
    assert other["x-team"] == ["two"]
    assert again == first
    assert all(len(values) == 1 for values in other.values())


@pytest.mark.parametrize(
    "value",
    ["asst_0123456789abcdef", "a", "-", "_-_", "A-Z_a-z_0-9", "a.b", "a~b", "a b", "a\n", "é"],
)
def test_a_path_id_is_encoded_alike_whichever_way_it_takes(value: str) -> None:
    expected = quote(value, safe="")
    assert encode_path("/assistants/{id}", {"id": value}) == f"/assistants/{expected}"
