"""The cyclic garbage collector, paused while a large response becomes models.

Decoding and structuring a large body allocates many containers, and the collector keeps scanning
them; the objects built are trees with no reference cycles, so those scans can free nothing and
pausing the collector changes no result. docs/performance.md has the figures.

Turning it back on must not start a pass over everything allocated meanwhile either: the models
kept would be scanned young, then middle-aged, for nothing. What the pause let through is moved
straight to the oldest generation instead, which only full collections scan; cyclic garbage made
meanwhile by other threads waits for the next full collection.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ._sync import fork as _fork

LARGE_RESPONSE = 256 * 1024
"""Bodies of at least this many bytes are decoded and structured with the collector paused."""

_lock = threading.Lock()
_pausers = 0
_we_disabled = False
_generation = 0
"""Bumped in a forked child: a pause begun before the fork is not the child's to end."""


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector, unless it is already off; the last pauser out turns it back on.

    Threads may overlap: the collector comes back on when the last of them is done, and only if
    it was on when the first began, so a program that turned it off keeps it off.
    """
    global _pausers, _we_disabled
    with _lock:
        if _pausers == 0:
            _we_disabled = gc.isenabled()
            if _we_disabled:
                gc.disable()
        _pausers += 1
        generation = _generation
    try:
        yield
    finally:
        with _lock:
            if generation == _generation:
                _pausers -= 1
                if _pausers == 0 and _we_disabled:
                    _we_disabled = False
                    _age_the_young()
                    gc.enable()


def _age_the_young() -> None:
    """Move every tracked object to the oldest generation, without a collection.

    gc.freeze() then gc.unfreeze() does that in constant time; skipped when anything is frozen
    already, as unfreezing would undo that freeze: the program's own, or, on Python 3.12, the
    objects the interpreter freezes at start-up.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _after_fork_in_child() -> None:
    """The threads that paused the collector did not come along: they will never resume it.

    The lock too may have been held by one of them at the moment of the fork."""
    global _lock, _pausers, _we_disabled, _generation
    _lock = threading.Lock()
    _generation += 1
    _pausers = 0
    if _we_disabled:
        _we_disabled = False
        gc.enable()


_fork.reset_in_child(_after_fork_in_child)
