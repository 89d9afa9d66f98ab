"""The fake Revox that ``--fake`` and ``demo`` run against, inside the command's own process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..testing import FakeRevox

FAKE_SECONDS_PER_TICK = 2.0
"""Fake time runs this many seconds per tick (50 ticks a second)."""


@contextlib.asynccontextmanager
async def embedded_fake() -> AsyncIterator[FakeRevox]:
    """A fake Revox with demo data whose clock runs fast, so calls progress while you watch."""
    # Imported here so that commands against the real API never load the fake.
    from ..testing import FakeRevox

    async with FakeRevox(seed_demo_data=True) as fake:

        async def tick() -> None:
            while True:
                await asyncio.sleep(0.02)
                fake.advance(FAKE_SECONDS_PER_TICK)

        ticker = asyncio.create_task(tick())
        try:
            yield fake
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
