"""Opt-in logging: ``REVOX_LOG=info`` or ``debug`` prints the SDK's log lines on stderr.

Lines name the method, path, outcome, attempt and elapsed time; never headers or the key.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("revox_async")

_LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}


def configure_from_env() -> None:
    """Apply ``REVOX_LOG``: set the SDK logger's level, and print on stderr unless the
    application already has handlers (where lines would then appear twice)."""
    level = _LEVELS.get(os.environ.get("REVOX_LOG", "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
