"""Fixtures shared by the reliability suites."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback base URL whose every connection is refused.

    The port stays bound, never listening, for the whole test: the kernel refuses connections
    to it, and no other socket can take it in the meantime.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
