"""Fixtures shared by the reliability suites."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .._helpers import refused_url as refused


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback base URL whose every connection is refused, its port held for the test."""
    with refused() as url:
        yield url
