"""Opt-in logging: ``REVOX_LOG=info`` or ``debug`` prints the SDK's log lines on stderr.

Lines name the method, path, outcome, attempt and elapsed time; never headers or the key.
"""

from __future__ import annotations

import logging
import os
import sys

logger = logging.getLogger("revox_async")

LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
"""The values ``REVOX_LOG`` accepts (in any case); unset or empty leaves logging off."""

_reported: set[str] = set()
"""Unknown ``REVOX_LOG`` values already reported, so each is reported once per process."""


def configure_from_env() -> None:
    """Apply ``REVOX_LOG``: set the SDK logger's level, and print on stderr unless the
    application already has handlers (where lines would then appear twice)."""
    value = os.environ.get("REVOX_LOG", "").strip().lower()
    if not value:
        return
    level = LEVELS.get(value)
    if level is None:
        _report_unknown(value)
        return
    logger.setLevel(level)
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)


def _report_unknown(value: str) -> None:
    # A typo in an environment variable should not stop the program, nor go unnoticed.
    if value in _reported:
        return
    _reported.add(value)
    accepted = " or ".join(LEVELS)
    print(
        f"revox_async: REVOX_LOG={value!r} is not a known value, so logging stays off; "
        f"use {accepted}",
        file=sys.stderr,
        flush=True,
    )
