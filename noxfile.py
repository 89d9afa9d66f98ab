"""Project tasks. ``nox`` runs the full check (tests, lowest aiohttp, lint, types, docs)."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "tests_lowest", "lint", "typecheck", "docs"]
nox.options.reuse_existing_virtualenvs = True

LOWEST_AIOHTTP = "aiohttp==3.11.0"


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on the newest dependencies."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def tests_lowest(session: nox.Session) -> None:
    """The test suite on the lowest aiohttp the package declares."""
    session.install("-e", ".[test]", LOWEST_AIOHTTP)
    session.run("pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks against raw aiohttp and the official SDK: ``nox -s bench -- --quick``."""
    session.install(".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests and this file."""
    session.install("-e", ".[test]", "mypy", "nox")
    session.run("mypy", "--strict")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, into ``site/``; a broken link or reference fails the build."""
    session.install(".[docs]")
    # Material prints a banner about its successor on every build; it is not a build warning.
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
