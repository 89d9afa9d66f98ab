"""JSON of requests and responses: orjson when installed (``revox-async[speedups]``), else json.

orjson is faster (docs/performance.md), but does not read everything the way :mod:`json` does: it
refuses ``NaN``/``Infinity``, numbers beyond a double, lone surrogate escapes (``"\\ud800"``),
a UTF-8 byte order mark and UTF-16/32 text, all of which :func:`json.loads` reads; and it turns
integers beyond 64 bits into floats. Writing, it refuses keys that are not strings, integers
beyond 64 bits, lone surrogates and str or int subclasses, writes ``NaN`` as ``null``, and spells
floats below 1e-4 its own way (``1e-7`` and ``0.00001`` where json writes ``1e-07`` and ``1e-05``).

Wherever orjson refuses, or could give another result, :mod:`json` does the work, so what the
SDK returns and sends never depends on orjson being installed (errors included: they are
:mod:`json`'s). orjson also writes plain enum members and UUIDs, which json refuses: request
bodies never hold them, as the SDK refuses any value that is not JSON before encoding.
``REVOX_JSON=stdlib`` in the environment turns orjson off.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any


def _number_shapes() -> bytes:
    """A translate() table keeping only the shape of numbers: digits become 9; e, E and - stay."""
    table = bytearray(b" " * 256)
    for digit in b"0123456789":
        table[digit] = ord("9")
    table[ord("e")] = table[ord("E")] = ord("e")
    table[ord("-")] = ord("-")
    return bytes(table)


_SHAPES = _number_shapes()
# 19 digits in a row may be an integer orjson would read as a float (int64 ends at 9.2e18).
_LONG_INTEGER = b"9" * 19
# orjson writes floats below 1e-4 its own way: 1e-7 and 0.00001 where json writes 1e-07 and
# 1e-05. Either spelling holds one of these (so may text, which then goes to json needlessly).
_NEGATIVE_EXPONENT = b"9e-"
_SMALL_DECIMAL = b"0.0000"


def stdlib_loads(data: bytes) -> Any:
    """Decode JSON with :mod:`json`."""
    return json.loads(data)


def stdlib_dumps(obj: Any) -> bytes:
    """Encode JSON with :mod:`json`: compact, and UTF-8 rather than ``\\u`` escapes."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _orjson_functions() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None:
    if os.environ.get("REVOX_JSON", "").strip().lower() == "stdlib":
        return None
    try:
        import orjson
    except ImportError:
        return None

    decode = orjson.loads
    encode = orjson.dumps
    # Subclasses of str, int, dict and list, datetimes and dataclasses go to json, which writes
    # some and refuses the others; orjson would write them all, each its own way.
    options = (
        orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )

    def orjson_loads(data: bytes) -> Any:
        """Decode JSON with orjson, or with :mod:`json` where the two could differ."""
        if _LONG_INTEGER in data.translate(_SHAPES):
            return json.loads(data)
        try:
            return decode(data)
        except orjson.JSONDecodeError:
            return json.loads(data)  # reads what orjson refuses, or raises json's own error

    def orjson_dumps(obj: Any) -> bytes:
        """Encode JSON with orjson, or with :mod:`json` where the two could differ."""
        try:
            encoded: bytes = encode(obj, option=options)
        except TypeError:  # orjson.JSONEncodeError included
            return stdlib_dumps(obj)
        # NaN and Infinity hide behind a null; small floats are spelled otherwise (see above).
        if (
            b"null" in encoded
            or _SMALL_DECIMAL in encoded
            or _NEGATIVE_EXPONENT in encoded.translate(_SHAPES)
        ):
            return stdlib_dumps(obj)
        return encoded

    return orjson_loads, orjson_dumps


def _select() -> tuple[str, Callable[[bytes], Any], Callable[[Any], bytes]]:
    functions = _orjson_functions()
    if functions is None:
        return "json", stdlib_loads, stdlib_dumps
    return "orjson", *functions


# The backend in use ("orjson" or "json") and its functions, chosen once at import.
backend, loads, dumps = _select()
