"""The collector pause ends without a pass over what was allocated during it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from revox_async import _gc


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def collector_on() -> Iterator[None]:
    assert gc.isenabled()
    yield
    assert gc.isenabled()


@pytest.fixture
def nothing_frozen(collector_on: None) -> None:
    if gc.get_freeze_count():
        # Python 3.12 starts with objects of its own in the permanent generation; the pause
        # then leaves them, and the collector's pass, as they are.
        pytest.skip("this Python starts with frozen objects: the pause does not age the young")


def _generation_of(obj: object) -> int | None:
    for generation in range(3):
        if any(o is obj for o in gc.get_objects(generation=generation)):
            return generation
    return None


@pytest.mark.usefixtures("nothing_frozen")
def test_what_the_pause_let_through_goes_to_the_oldest_generation() -> None:
    with _gc.paused():
        kept = [Node() for _ in range(5_000)]
        assert _generation_of(kept[-1]) == 0
    assert _generation_of(kept[-1]) == 2
    assert gc.get_count()[0] < 700  # no pending pass over the 5,000 objects


@pytest.mark.usefixtures("collector_on")
def test_cyclic_garbage_made_during_the_pause_is_still_collected() -> None:
    with _gc.paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
    assert ref() is not None
    gc.collect()
    assert ref() is None


@pytest.mark.usefixtures("nothing_frozen")
def test_a_program_s_own_freeze_is_left_alone() -> None:
    frozen = Node()
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        with _gc.paused():
            pass
        assert gc.get_freeze_count() == count
        assert _generation_of(frozen) is None  # still in the permanent generation
    finally:
        gc.unfreeze()
