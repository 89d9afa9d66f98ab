"""The tracing rows of the run: what OpenTelemetry adds to the CPU time of a call.

Sequential ``AsyncRevox.assistants.retrieve`` calls against the loopback server, in three
set-ups, each sample taken in a fresh process so that what one set-up imports cannot change
another:

- ``absent``: OpenTelemetry cannot be imported (as if not installed), the floor;
- ``api``: the API is installed but nothing is configured, the common case when another
  library brought it in;
- ``sdk``: the SDK records every span (in-memory exporter, simple span processor) and the
  duration histogram (in-memory reader).

Each sample is the process's CPU time per call over the timed calls: tracing is CPU work in the
client's process, and CPU time leaves out the moments other processes had the CPU. Run as
``tracing.py --measure SET-UP --url URL --calls N``, it takes one sample and prints it in
seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import payloads

SETUPS = {
    "absent": "OpenTelemetry not installed",
    "api": "API installed, nothing configured",
    "sdk": "SDK recording (simple processor)",
}
ASSISTANTS = 200
WARM_UP = 50
API_KEY = "bench-key"


def installed_setups() -> list[str]:
    """The set-ups this environment can measure: ``absent`` always, the others when
    OpenTelemetry's API (and for ``sdk`` its SDK) is installed. Call it before hiding
    OpenTelemetry from this process."""
    setups = ["absent"]
    if importlib.util.find_spec("opentelemetry") is not None:
        setups.append("api")
        if importlib.util.find_spec("opentelemetry.sdk") is not None:
            setups.append("sdk")
    return setups


def cpu_seconds_per_call(setup: str, url: str, calls: int) -> float:
    """One sample of ``setup``, taken in a fresh process."""
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__)),
            "--measure",
            setup,
            "--url",
            url,
            "--calls",
            str(calls),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"tracing set-up {setup} failed:\n{done.stderr}")
    return float(done.stdout)


def _providers(setup: str) -> dict[str, Any]:
    if setup != "sdk":
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


async def _measure(setup: str, url: str, calls: int) -> float:
    if setup == "absent":
        sys.modules["opentelemetry"] = None  # type: ignore[assignment]
    from revox_async import AsyncRevox

    ids = payloads.assistant_ids(ASSISTANTS)
    async with AsyncRevox(API_KEY, base_url=url, **_providers(setup)) as client:
        telemetry = client._telemetry
        if (telemetry is None) != (setup == "absent") or (
            telemetry is not None and telemetry.recording() != (setup == "sdk")
        ):
            raise RuntimeError(f"{setup}: tracing is not set up as this set-up requires")
        for index in range(WARM_UP):
            await client.assistants.retrieve(ids[index % ASSISTANTS])
        started = time.process_time()
        for index in range(calls):
            assistant = await client.assistants.retrieve(ids[index % ASSISTANTS])
            if assistant.id != ids[index % ASSISTANTS]:
                raise RuntimeError("wrong assistant")
        return (time.process_time() - started) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measure", choices=SETUPS, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--calls", type=int, required=True)
    args = parser.parse_args()
    print(asyncio.run(_measure(args.measure, args.url, args.calls)))


if __name__ == "__main__":
    main()
