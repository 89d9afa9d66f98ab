"""Results the API hands out a page at a time, read as one async iterator."""

from __future__ import annotations

import collections
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from typing_extensions import Self

T = TypeVar("T")


class AsyncPager(AsyncIterator[T]):
    """An async iterator over items the API hands out a page at a time.

    ``next_page`` fetches the next page: its items, and whether another page may follow.
    Pages are fetched lazily, as iteration needs them, and never after one said it was last.
    """

    def __init__(self, next_page: Callable[[], Awaitable[tuple[list[T], bool]]]) -> None:
        self._next_page = next_page
        self._buffer: collections.deque[T] = collections.deque()
        self._more = True

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        while not self._buffer:
            if not self._more:
                raise StopAsyncIteration
            items, self._more = await self._next_page()
            self._buffer.extend(items)
        return self._buffer.popleft()
