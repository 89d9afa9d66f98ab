"""Benchmark revox-async against raw aiohttp and the official revox SDK.

``python benchmarks/run.py [--quick]`` starts the loopback server in a child process, runs every
scenario for every installed client, repeats interleaved so that machine noise hits all clients
alike, and prints medians, ratios to the floor, run-to-run spread and the target verdicts.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata

import hop
import payloads
import scenarios
import tracing
from clients import (
    FLOOR,
    REVOX_ASYNC,
    REVOX_ASYNC_SYNC,
    SYNC_FLOOR,
    Client,
    async_clients,
    sync_clients,
)
from report import Scenario, Section, Target, render
from server import encode, running_server


@dataclass(frozen=True)
class Settings:
    repeats: int
    list_calls: int
    """``assistants.list`` calls per repeat."""
    import_runs: int
    rss_runs: int
    concurrent_calls: int = 3000
    sequential_calls: int = 1000
    hop_calls: int = 5000
    tracing_calls: int = 1000
    """Sequential retrieves per process in the tracing rows."""
    assistants: int = 1000
    in_flight: int = 64
    rss_calls: int = 200


FULL = Settings(repeats=5, list_calls=3, import_runs=9, rss_runs=3)
QUICK = Settings(
    repeats=3,
    list_calls=1,
    import_runs=5,
    rss_runs=1,
    concurrent_calls=640,
    sequential_calls=300,
    hop_calls=2000,
    tracing_calls=300,
)

ORJSON = importlib.util.find_spec("orjson") is not None
"""Whether orjson is installed; revox-async decodes with it then (``revox-async[speedups]``)."""

TARGETS = [
    Target(
        "S1 concurrent retrieves, AsyncRevox throughput",
        "concurrent",
        REVOX_ASYNC.key,
        0.80 if ORJSON else 0.70,
    ),
    Target(
        "S2 big list, AsyncRevox time per call", "list", REVOX_ASYNC.key, 1.3 if ORJSON else 1.6
    ),
    Target(
        "S3 sequential retrieves, Revox (sync) wall time", "sequential", REVOX_ASYNC_SYNC.key, 1.35
    ),
    Target("S4 import revox_async, vs import aiohttp", "import", "revox_async", 1.35),
    Target("S5 peak RSS, AsyncRevox", "rss", REVOX_ASYNC.key, 1.15),
    Target("Tracing tax, OpenTelemetry API installed, nothing configured", "tracing", "api", 1.05),
]

DISTRIBUTIONS = (
    "revox-async",
    "aiohttp",
    "cattrs",
    "attrs",
    "orjson",
    "anyio",
    "revox",
    "httpx",
    "pydantic",
    "opentelemetry-api",
    "opentelemetry-sdk",
)

Subject = tuple[str, str, Callable[[], float]]
"""Key, label, and one measurement."""


def each_client(
    clients: Sequence[Client], measure: Callable[..., float], *args: object
) -> list[Subject]:
    """One subject per client: ``measure(client, *args)``."""
    return [(c.key, c.label, partial(measure, c, *args)) for c in clients]


def interleaved(scenario: Scenario, subjects: Sequence[Subject], repeats: int) -> Section:
    """Measure each subject ``repeats`` times, rotating the order so no subject always goes
    first; the section lists the subjects in the given order, floor first."""
    section = Section(scenario)
    for key, label, _ in subjects:
        section.add_series(key, label)
    started = time.monotonic()
    for repeat in range(repeats):
        print(f"{scenario.title}: repeat {repeat + 1}/{repeats}", file=sys.stderr, flush=True)
        for n in range(len(subjects)):
            key, _, measure = subjects[(n + repeat) % len(subjects)]
            section.series[key].samples.append(measure())
    print(f"{scenario.title}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return section


SCENARIOS = ("concurrent", "list", "sequential", "rss", "tracing", "hop", "import")
"""The scenarios of a run, by the names ``--only`` takes."""


def run_all(
    s: Settings, tracing_setups: Sequence[str], only: Sequence[str] = SCENARIOS
) -> dict[str, Section]:
    ids = payloads.assistant_ids(s.assistants)
    sections = {}
    with running_server(s.assistants) as url:
        if "concurrent" in only:
            sections["concurrent"] = interleaved(
                Scenario(
                    f"concurrent retrieves ({s.concurrent_calls}, {s.in_flight} in flight)",
                    "req/s",
                    digits=0,
                    higher_is_better=True,
                ),
                each_client(
                    async_clients(),
                    scenarios.concurrent_retrieves,
                    url,
                    ids,
                    s.concurrent_calls,
                    s.in_flight,
                ),
                s.repeats,
            )
        if "list" in only:
            sections["list"] = interleaved(
                Scenario(f"big list ({s.assistants} assistants), time per call", "ms", 1000),
                each_client(
                    [*async_clients(), *(c for c in sync_clients() if c is not SYNC_FLOOR)],
                    scenarios.big_list,
                    url,
                    ids,
                    s.list_calls,
                ),
                s.repeats,
            )
        if "sequential" in only:
            sections["sequential"] = interleaved(
                Scenario(
                    f"sequential retrieves ({s.sequential_calls}; async clients awaited one by "
                    "one), wall time",
                    "ms",
                    1000,
                    digits=0,
                ),
                each_client(
                    [*sync_clients(), FLOOR, REVOX_ASYNC],
                    scenarios.sequential_retrieves,
                    url,
                    ids,
                    s.sequential_calls,
                ),
                s.repeats,
            )
        if "rss" in only:
            sections["rss"] = interleaved(
                Scenario(f"peak RSS after {s.rss_calls} retrieves (fresh process)", "MiB"),
                each_client(
                    [*async_clients(), *sync_clients()], scenarios.peak_rss_mib, url, s.rss_calls
                ),
                s.rss_runs,
            )
        if "tracing" in only and len(tracing_setups) > 1:
            sections["tracing"] = interleaved(
                Scenario(
                    f"tracing: {s.tracing_calls} sequential AsyncRevox retrieves, CPU per call "
                    "(fresh process)",
                    "µs",
                    1e6,
                ),
                [
                    (
                        setup,
                        tracing.SETUPS[setup],
                        partial(tracing.cpu_seconds_per_call, setup, url, s.tracing_calls),
                    )
                    for setup in tracing_setups
                ],
                s.repeats,
            )
    if "hop" in only:
        sections["hop"] = interleaved(
            Scenario(
                "sync hop: one trivial coroutine from a plain thread, time per call", "µs", 1e6
            ),
            [(h.key, h.label, partial(hop.seconds_per_call, h, s.hop_calls)) for h in hop.HOPS],
            s.repeats,
        )
    if "import" in only:
        modules = ["aiohttp", "revox_async"]
        modules += ["revox"] if importlib.util.find_spec("revox") else []
        for module in modules:
            # The first import after an install may compile and cache bytecode: not what users
            # see.
            scenarios.import_seconds(module)
        sections["import"] = interleaved(
            Scenario("import time (fresh process)", "ms", 1000),
            [(m, f"import {m}", partial(scenarios.import_seconds, m)) for m in modules],
            s.import_runs,
        )
    return sections


def describe(settings: Settings, quick: bool) -> str:
    versions = []
    for dist in DISTRIBUTIONS:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{dist} {metadata.version(dist)}")
    size = len(encode(payloads.assistants(1)[0]))
    return "\n".join(
        [
            f"revox-async benchmarks ({'quick' if quick else 'full'}): medians of "
            f"{settings.repeats} repeats ({settings.import_runs} for import time, "
            f"{settings.rss_runs} for peak RSS)",
            f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs",
            ", ".join(versions),
            f"payloads: assistants of {size / 1024:.1f} KiB; the list holds "
            f"{settings.assistants} of them ({size * settings.assistants / 1e6:.1f} MB)",
            "JSON backend: "
            + (
                "orjson installed (revox-async decodes with it, falling back to json)"
                if ORJSON
                else "json (standard library); orjson not installed"
            ),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and calls: well under a minute"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SCENARIOS,
        default=SCENARIOS,
        help="run these scenarios alone (the others show as not measured)",
    )
    parser.add_argument(
        "--repeats", type=int, help="repeats of each scenario, instead of 5 (3 quick)"
    )
    args = parser.parse_args()
    quick = args.quick
    settings = QUICK if quick else FULL
    if args.repeats is not None:
        settings = dataclasses.replace(settings, repeats=args.repeats)
    tracing_setups = tracing.installed_setups()
    # The scenarios measured in this process show the SDK without OpenTelemetry, as before it
    # had rows of its own: the tracing rows, each sample a fresh process, show what it adds.
    sys.modules["opentelemetry"] = None  # type: ignore[assignment]
    sections = run_all(settings, tracing_setups, args.only)
    print(describe(settings, quick))
    print(render(sections, TARGETS))


if __name__ == "__main__":
    main()
