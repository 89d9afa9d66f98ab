"""An in-memory fake of the Revox HTTP API for tests and local development.

The fake is an independent implementation that works on plain JSON, so that tests of the
client exercise real HTTP against a server that does not share its assumptions::

    async with FakeRevox(seed_demo_data=True) as fake:
        fake.script_number("+33612345678", result="voicemail")
        ...  # point a client at fake.url with fake.api_key
        fake.advance(60)

Submodules load on first attribute access, so importing this package costs nothing until
the fake is actually used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._clock import FakeClock
    from ._faults import Fault, Faults
    from ._http.context import RecordedRequest
    from ._lifecycle import CallScript, CallTiming
    from ._server import FakeRevox, run_server
    from ._threaded import FakeRevoxThread

__all__ = [
    "CallScript",
    "CallTiming",
    "FakeClock",
    "FakeRevox",
    "FakeRevoxThread",
    "Fault",
    "Faults",
    "RecordedRequest",
    "run_server",
]

_HOMES = {
    "CallScript": "._lifecycle",
    "CallTiming": "._lifecycle",
    "FakeClock": "._clock",
    "FakeRevox": "._server",
    "FakeRevoxThread": "._threaded",
    "Fault": "._faults",
    "Faults": "._faults",
    "RecordedRequest": "._http.context",
    "run_server": "._server",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)
