"""Project tasks. ``nox`` runs the full check: the tests on every supported Python, on the
lowest declared dependencies (oldest and newest Python) and with the speedups extra but without
OpenTelemetry, lint, types, docs and the release artifacts. An interpreter missing here is
skipped with a message; CI fails instead (``--error-on-missing-interpreters``).

The slow suites (load and fuzz) run in two sessions: the newest Python on the newest
dependencies, and the oldest Python on the lowest ones; the other test sessions leave them out.
Every test session spreads its tests over two workers per core of the machine (pytest-xdist).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = [
    "tests",
    "tests_lowest",
    "tests_speedups",
    "lint",
    "typecheck",
    "docs",
    "release",
]
nox.options.reuse_existing_virtualenvs = True
# Test the interpreters that are installed; nox would otherwise download the missing ones, and
# neither the skip on a developer's machine nor the failure in CI would happen.
nox.options.download_python = "never"

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
OLDEST_PYTHON, NEWEST_PYTHON = PYTHONS[0], PYTHONS[-1]
# Sessions other than the two full ones deselect the slow suites; arguments replace that choice.
NOT_SLOW = ["-m", "not slow"]
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
# Two workers per core: much of the suite waits (on timeouts it provokes, on servers that sit on
# a request, on subprocesses), and a second worker uses the core meanwhile. Work stealing keeps
# a worker from idling while another still holds a queue of tests at the end of the run.
SPREAD = ["-n", str(2 * CORES), "--dist", "worksteal"]
# Fails where another package pulled OpenTelemetry in, which would leave no session without it.
NO_OPENTELEMETRY = (
    "import importlib.util, sys; sys.exit(importlib.util.find_spec('opentelemetry') is not None)"
)
ROOT = Path(__file__).parent

# Run with the installed wheel: the fake serves the demo data to a client.
SMOKE_TEST = """
import asyncio
from revox_async import AsyncRevox
from revox_async.testing import FakeRevox

async def main() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        async with AsyncRevox(fake.api_key, base_url=fake.url) as client:
            assistants = await client.assistants.list()
            assert assistants, "the demo data has assistants"
            print(f"the installed wheel listed {len(assistants)} assistants from {fake.url}")

asyncio.run(main())
"""


def run_tests(session: nox.Session, *, full: bool) -> None:
    """pytest over the cores, the slow suites only in a ``full`` session, unless the arguments
    name what to run."""
    selection = [] if full or session.posargs else NOT_SLOW
    session.run("pytest", "-q", *SPREAD, *selection, *session.posargs)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite on the newest dependencies, with OpenTelemetry, once per supported
    Python; the slow suites on the newest Python only."""
    session.install("-e", ".[test,test-otel]")
    run_tests(session, full=session.python == NEWEST_PYTHON)


@nox.session(python=[OLDEST_PYTHON, NEWEST_PYTHON], venv_backend="uv")
def tests_lowest(session: nox.Session) -> None:
    """The test suite with the lowest version of every declared dependency, on the oldest and
    the newest Python: a declaration missing on one of them shows there. The slow suites run
    on the oldest."""
    # lowest-direct: each requirement of pyproject at its lower bound (aiohttp 3.13.0, attrs,
    # cattrs, opentelemetry ...), while what they pull in resolves normally.
    session.install("--resolution=lowest-direct", "-e", ".[test,test-otel]")
    run_tests(session, full=session.python == OLDEST_PYTHON)


@nox.session(python="3.12")
def tests_speedups(session: nox.Session) -> None:
    """The test suite with the ``speedups`` extra, so JSON goes through orjson, and without
    OpenTelemetry: its tests skip, those of the SDK without it run."""
    session.install("-e", ".[test,speedups]")
    session.run("python", "-c", "import orjson")
    session.run("python", "-c", NO_OPENTELEMETRY)
    run_tests(session, full=False)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
@nox.parametrize("install", ["plain", "speedups"])
def bench(session: nox.Session, install: str) -> None:
    """The benchmarks against raw aiohttp and the official SDK, without and with the speedups
    extra: ``nox -s bench -- --quick`` (the arguments go to ``benchmarks/run.py``)."""
    session.install(".[bench,speedups]" if install == "speedups" else ".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)
    if (ROOT / "benchmarks" / "micro.py").exists():
        session.run("python", "benchmarks/micro.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests and this file; pyright strict over the typing
    snippets in ``tests/typing``; pyright's completeness check of the installed package."""
    session.install(".[test,test-otel]", "mypy", "nox", "pyright")
    session.run("mypy", "--strict")
    session.run("pyright")
    verify_types(session)


def verify_types(session: nox.Session) -> None:
    """Fail unless pyright finds every public symbol of the installed package typed."""
    # Run from a directory without the sources, so pyright reads what was installed.
    with session.chdir(session.create_tmp()):
        # pyright exits non-zero whenever a symbol is incomplete; the report below says which.
        report = session.run(
            "pyright",
            "--verifytypes",
            "revox_async",
            "--ignoreexternal",
            "--outputjson",
            silent=True,
            success_codes=[0, 1],
        )
    if not isinstance(report, str):  # under --install-only nothing ran
        return
    completeness = json.loads(report)["typeCompleteness"]
    incomplete = [
        symbol["name"]
        for symbol in completeness["symbols"]
        if not symbol["isTypeKnown"] or symbol.get("isTypeAmbiguous")
    ]
    counts = completeness["exportedSymbolCounts"]
    known, total = counts["withKnownType"], sum(counts.values())
    score = completeness["completenessScore"]
    session.log(f"pyright type completeness: {score:.2%} ({known} of {total} exported symbols)")
    # A missing py.typed scores 0 with no symbol listed, hence the score check too.
    if incomplete or score < 1:
        session.error("not fully typed:\n  " + "\n  ".join(incomplete or ["(no symbols found)"]))


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, into ``site/``; a broken link or reference fails the build."""
    session.install(".[docs]")
    # Material prints a banner about its successor on every build; it is not a build warning.
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def release(session: nox.Session) -> None:
    """Build the sdist and, from it, the wheel; check both; install the wheel into a fresh
    environment and use it from there."""
    session.install("build[uv]", "twine")
    tmp = Path(session.create_tmp()).resolve()
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    # Without --sdist/--wheel, build makes the sdist and then the wheel from the sdist, so the
    # sdist is proven to build.
    session.run("python", "-m", "build", "--installer=uv", "--outdir", str(dist), ".")
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    session.run("twine", "check", "--strict", str(wheel), str(sdist))
    check_wheel(session, wheel)
    check_sdist(session, sdist)

    venv = tmp / "smoke"
    shutil.rmtree(venv, ignore_errors=True)
    session.run("uv", "venv", "--quiet", "--python", str(Path(session.bin, "python")), str(venv))
    scripts = venv / ("Scripts" if sys.platform == "win32" else "bin")
    session.run("uv", "pip", "install", "--quiet", "--python", str(scripts / "python"), str(wheel))
    # From outside the repository, so the imports find the installed wheel, not the sources.
    with session.chdir(tmp):
        session.run(str(scripts / "revox-async"), "demo", external=True)
        session.run(str(scripts / "python"), "-c", SMOKE_TEST, external=True)


def check_wheel(session: nox.Session, wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    problems = []
    if "revox_async/py.typed" not in names:
        problems.append("no revox_async/py.typed")
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        problems.append("no LICENSE")
    if stray := [name for name in names if name.split("/")[0] == "tests"]:
        problems.append(f"tests shipped: {stray[:3]}")
    if problems:
        session.error(f"{wheel.name}: " + "; ".join(problems))


def check_sdist(session: nox.Session, sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[-1] for name in archive.getnames()}
    missing = {"LICENSE", "CHANGELOG.md", "README.md", "revox_async/py.typed"} - names
    if missing:
        session.error(f"{sdist.name} lacks {sorted(missing)}")
