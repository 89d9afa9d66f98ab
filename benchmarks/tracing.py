"""What tracing costs per call: sequential ``assistants.retrieve`` against the loopback server.

Three set-ups, each measured in fresh processes of its own, so that what one imports cannot
change another:

- ``absent``: OpenTelemetry cannot be imported (as if not installed);
- ``api-noop``: the API is installed but no SDK is configured, so spans are no-ops;
- ``sdk``: the SDK records every span (in-memory exporter, simple processor) and the duration
  histogram (in-memory reader).

Rounds are interleaved (absent, api-noop, sdk, absent, ...), so that noise from the rest of the
machine falls on every set-up alike. Each figure is the median of the runs, in microseconds per
call, as wall time and as the CPU time of the client's process: tracing is CPU work in that
process, and its CPU time does not count the moments another process had the CPU, so it shows
the difference best on a busy machine. Differences are against ``absent``. The last column
times the tracing hooks alone (a call span and one attempt span around an attempt that does no
I/O), the least noisy view of the cost. Run from the repository root::

    python benchmarks/tracing.py            # 5 rounds of 2 runs of 500 calls
    python benchmarks/tracing.py --quick    # 3 rounds of 1 run of 300 calls
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import payloads
from server import running_server

MODES = ("absent", "api-noop", "sdk")
ASSISTANTS = 200
WARM_UP = 50
HOOK_ITERATIONS = 5000
API_KEY = "bench-key"


def _providers(mode: str) -> dict[str, Any]:
    if mode != "sdk":
        return {}
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    return {"tracer_provider": tracer_provider, "meter_provider": meter_provider}


async def _hooks_alone(client: Any, url: str) -> float:
    """Microseconds per call of the tracing hooks around an attempt that does no I/O."""
    from revox_async._config import Timeout
    from revox_async._request import Reply, Request

    telemetry = client._telemetry
    if telemetry is None:
        return 0.0
    request = Request(
        name="assistants.retrieve",
        method="GET",
        url=f"{url}/assistants/x",
        headers={},
        timeout=Timeout(),
    )

    async def attempt(_: Request) -> Reply:
        return Reply(status=200, headers={}, content=b"{}", content_type="application/json")

    started = time.process_time()
    for _ in range(HOOK_ITERATIONS):
        with telemetry.call(request.name):
            await telemetry.traced(attempt)(request)
    return (time.process_time() - started) / HOOK_ITERATIONS * 1e6


async def _measure(mode: str, url: str, calls: int, runs: int) -> list[tuple[float, float, float]]:
    if mode == "absent":
        sys.modules["opentelemetry"] = None  # type: ignore[assignment]
    from revox_async import AsyncRevox

    ids = payloads.assistant_ids(ASSISTANTS)
    per_call = []
    async with AsyncRevox(API_KEY, base_url=url, **_providers(mode)) as client:
        if (client._telemetry is None) != (mode == "absent"):
            raise RuntimeError(f"{mode}: tracing is not set up as this mode requires")
        for index in range(WARM_UP):
            await client.assistants.retrieve(ids[index % ASSISTANTS])
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            for index in range(calls):
                assistant = await client.assistants.retrieve(ids[index % ASSISTANTS])
                if assistant.id != ids[index % ASSISTANTS]:
                    raise RuntimeError("wrong assistant")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            per_call.append((wall / calls * 1e6, cpu / calls * 1e6))
        hooks = await _hooks_alone(client, url)
    return [(wall, cpu, hooks) for wall, cpu in per_call]


def _run_mode(mode: str, url: str, calls: int, runs: int) -> list[tuple[float, float, float]]:
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__)),
            "--measure",
            mode,
            "--url",
            url,
            "--calls",
            str(calls),
            "--runs",
            str(runs),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{done.stderr}")
    values = [float(value) for value in done.stdout.split()]
    return list(zip(values[::3], values[1::3], values[2::3], strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 run of 300 calls")
    parser.add_argument("--measure", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=500, help="calls per run")
    parser.add_argument("--runs", type=int, default=2, help="runs per process")
    parser.add_argument("--rounds", type=int, default=5, help="processes per set-up")
    args = parser.parse_args()
    if args.measure:
        for run in asyncio.run(_measure(args.measure, args.url, args.calls, args.runs)):
            print(" ".join(f"{value:.3f}" for value in run))
        return
    if args.quick:
        args.calls, args.runs, args.rounds = 300, 1, 3
    results: dict[str, list[tuple[float, float, float]]] = {mode: [] for mode in MODES}
    with running_server(ASSISTANTS) as url:
        for _ in range(args.rounds):
            for mode in MODES:
                results[mode].extend(_run_mode(mode, url, args.calls, args.runs))
    print(f"sequential assistants.retrieve, {args.rounds} x {args.runs} runs of {args.calls}")
    print(f"{'set-up':<10} {'wall us':>9} {'spread':>7} {'vs absent':>10}", end="")
    print(f" {'cpu us':>9} {'spread':>7} {'vs absent':>10} {'hooks us':>9}")
    base = [statistics.median(run[i] for run in results["absent"]) for i in (0, 1)]
    for mode in MODES:
        print(f"{mode:<10}", end="")
        for i in (0, 1):
            values = [run[i] for run in results[mode]]
            median = statistics.median(values)
            spread = (max(values) - min(values)) / median
            print(f" {median:>9.1f} {spread:>7.0%} {median - base[i]:>+10.1f}", end="")
        print(f" {statistics.median(run[2] for run in results[mode]):>9.1f}")


if __name__ == "__main__":
    main()
