"""The cyclic garbage collector, paused while a large response becomes models.

Decoding a large body and structuring it allocates hundreds of thousands of containers, and every
few hundred allocations the collector scans the young ones, then the older ones, again and again:
for a list of 1,000 assistants that doubled the time to read the response. The objects built are
trees with no reference cycles, so those scans can free nothing; pausing the collector for the
few hundred milliseconds it takes changes no result. Small responses do not pay for the lock.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LARGE_RESPONSE = 256 * 1024
"""Bodies of at least this many bytes are decoded and structured with the collector paused."""

_lock = threading.Lock()
_pausers = 0
_we_disabled = False


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
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _we_disabled:
                _we_disabled = False
                gc.enable()
