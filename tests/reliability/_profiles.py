"""Hypothesis profiles of the reliability suite, loaded by the modules that use hypothesis.

``ci`` (the default) is quick and deterministic: the same inputs on every run and machine, so a
red build is reproducible and a green one means something. ``deep`` explores far more, with
fresh inputs each time and failures saved for replay, for a local hunt::

    HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest -q tests/reliability/test_fuzz.py
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "ci",
    max_examples=75,
    deadline=None,
    derandomize=True,
    # A database would replay earlier failures and make two runs of one commit differ.
    database=None,
    print_blob=True,
)
settings.register_profile("deep", max_examples=3000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
