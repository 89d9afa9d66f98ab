"""``FakeRevoxThread.start()``/``stop()`` for an application that outlives a ``with`` block."""

from __future__ import annotations

import threading

import pytest

from revox_async.testing import FakeRevoxThread

from ._support import EMMA


def _portal_threads() -> int:
    return sum(t.name.startswith("revox") for t in threading.enumerate())


def test_start_serves_and_stop_ends_the_thread() -> None:
    before = _portal_threads()
    fake = FakeRevoxThread(seed_demo_data=True)
    fake.start()
    try:
        client = fake.client()
        assert client.assistants.retrieve(EMMA).id == EMMA
        assert _portal_threads() > before
    finally:
        fake.stop()
    assert _portal_threads() == before
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url


def test_start_and_stop_are_idempotent() -> None:
    fake = FakeRevoxThread(seed_demo_data=True)
    fake.start()
    url = fake.url
    fake.start()
    assert fake.url == url
    client = fake.client()
    fake.stop()
    fake.stop()
    with pytest.raises(Exception, match="closed"):
        client.assistants.list()


def test_a_stopped_fake_does_not_start_again() -> None:
    fake = FakeRevoxThread()
    fake.start()
    fake.stop()
    with pytest.raises(RuntimeError, match="stopped; create a new one"):
        fake.start()


def test_the_with_block_still_starts_and_stops_it() -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        assert fake.client().assistants.retrieve(EMMA).id == EMMA
    fake.stop()
    with pytest.raises(RuntimeError, match="stopped"):
        fake.start()
