"""Micro benchmarks of the model layer: structuring, ``to_dict()`` and JSON decoding.

``python benchmarks/micro.py [--quick]`` times, on one assistant of the current API shape
(``assistant.json``, about 9 KB, 31 objects):

- building the model from a dict, against ``json.loads`` of the same bytes (the floor: what a
  client that returns dicts pays to decode), on the fast path and on the detailed cattrs path;
- ``to_dict()``, against ``json.dumps`` of the same dict;
- decoding the bytes through the SDK's JSON functions, with json and with orjson when installed;

and, on the body of a list of 1,000 such assistants (about 9 MB, as the benchmark server sends
it), reading the response the way the client does (decoding, structuring, collector paused)
against ``json.loads`` of the same bytes, both with the garbage collector on, and each part of
that reading on its own: decoding (and orjson's check for long integers), structuring, freeing
the decoded dicts and freeing the models.

Each figure is the median over repeats of the mean time per call; ratios are to the floor of the
same run, as the machine's load moves absolute times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import payloads

from revox_async import _gc, _json
from revox_async._endpoint import parse_result
from revox_async._structure.converter import detailed_structure, structure
from revox_async.models import Assistant
from revox_async.resources.assistants import _LIST

ASSISTANT = Path(__file__).with_name("assistant.json")


def median_us(fn: Callable[[], Any], repeats: int, *, collector: bool = False) -> float:
    """The median, over ``repeats`` runs of about 0.2 s each, of microseconds per call.

    timeit turns the garbage collector off; ``collector`` keeps it on, as in a real program.
    """
    timer = timeit.Timer(fn, setup="import gc; gc.enable()" if collector else "pass")
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(repeat=repeats, number=number)) / number * 1e6


def median_made_us(make: Callable[[], Any], repeats: int) -> float:
    """The median, over ``repeats`` calls of ``make``, of microseconds per call, each result
    freed after the clock stops: timing a call in a loop would also time freeing the result of
    the call before, which for a big list is a cost of its own (see ``median_free_us``)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        made = make()
        times.append(time.perf_counter() - started)
        del made
    return statistics.median(times) * 1e6


def median_free_us(make: Callable[[], Any], repeats: int) -> float:
    """The median, over ``repeats`` objects made by ``make``, of microseconds to free one."""
    times = []
    for _ in range(repeats):
        made = make()
        started = time.perf_counter()
        del made
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def row(name: str, us: float, floor: float | None = None) -> str:
    ratio = f"{us / floor:6.2f}x" if floor else ""
    return f"  {name:<44} {us:9.1f} µs  {ratio}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats instead of 15")
    repeats = 5 if parser.parse_args(argv).quick else 15

    raw = ASSISTANT.read_bytes()
    data = json.loads(raw)
    assistant = structure(data, Assistant)
    # Each path must give the assistant the file describes, or its timing means nothing.
    assert detailed_structure(data, Assistant) == assistant
    assert assistant.to_dict() == data

    print(f"Python {sys.version.split()[0]}, JSON backend: {_json.backend}, {len(raw):,} bytes")
    loads = median_us(lambda: json.loads(raw), repeats)
    print("(a) an assistant from a dict, vs json.loads of its bytes")
    print(row("json.loads(bytes)", loads, loads))
    print(
        row(
            "structure(dict, Assistant), fast path",
            median_us(lambda: structure(data, Assistant), repeats),
            loads,
        )
    )
    print(
        row(
            "the detailed cattrs path",
            median_us(lambda: detailed_structure(data, Assistant), repeats),
            loads,
        )
    )

    dumps = median_us(lambda: json.dumps(data), repeats)
    print("(b) to_dict(), vs json.dumps of the same dict")
    print(row("json.dumps(dict)", dumps, dumps))
    print(row("assistant.to_dict()", median_us(assistant.to_dict, repeats), dumps))

    print("(c) the SDK's JSON decoding of the same bytes")
    stdlib = median_us(lambda: _json.stdlib_loads(raw), repeats)
    print(row("json", stdlib, stdlib))
    orjson_functions = _json._orjson_functions()
    if orjson_functions is None:
        print("  orjson: not installed (pip install 'revox-async[speedups]')")
    else:
        orjson_loads = orjson_functions[0]
        print(
            row(
                "orjson, with its fallback checks",
                median_us(lambda: orjson_loads(raw), repeats),
                stdlib,
            )
        )

    listing = json.dumps(
        {"assistants": payloads.assistants(1_000)}, separators=(",", ":"), ensure_ascii=False
    ).encode()

    def read_listing() -> Any:
        return parse_result(
            _LIST, url="/assistants", status=200, content=listing, content_type="application/json"
        )

    assert len(read_listing()) == 1_000
    print(f"(d) a list of 1,000 assistants ({len(listing):,} bytes), vs json.loads of its bytes")
    list_floor = median_us(lambda: json.loads(listing), repeats, collector=True)
    print(row("json.loads(bytes)", list_floor, list_floor))
    reading = median_us(read_listing, repeats, collector=True)
    print(row("the client's reading of the response", reading, list_floor))

    print("(e) the parts of that reading, collector paused as the client pauses it")
    decoded = json.loads(listing)["assistants"]
    with _gc.paused():
        decoding = median_made_us(lambda: _json.loads(listing), repeats)
        print(row(f"decoding ({_json.backend})", decoding))
        if _json.backend == "orjson":
            check = median_us(lambda: _json._LONG_INTEGER in listing.translate(_json._SHAPES), 3)
            print(row("  of which the check for 19-digit numbers", check))
        structuring = median_made_us(lambda: structure(decoded, _LIST.result), repeats)
        print(row("structuring", structuring))
        print(row("freeing the decoded dicts", median_free_us(lambda: json.loads(listing), 7)))
        print(row("freeing the models", median_free_us(read_listing, 7)))


if __name__ == "__main__":
    main()
