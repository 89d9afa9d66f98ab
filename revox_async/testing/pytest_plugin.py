"""pytest fixtures for testing code that uses revox-async, against the fake Revox.

Installed with the package and loaded by pytest automatically; it only defines fixtures, all
prefixed ``revox_``, so it costs nothing in a test session that does not ask for them:

- ``revox_fake``: a started :class:`FakeRevox` with demo data (async tests);
- ``revox_client``: an ``AsyncRevox`` bound to ``revox_fake``;
- ``revox_fake_thread``: a :class:`FakeRevoxThread` with demo data (sync tests);
- ``revox_sync_client``: a ``Revox`` bound to ``revox_fake_thread``.

The async fixtures need pytest-asyncio; without it only the sync ones exist.

``--revox-strict-drift`` (or ``revox_strict_drift = true`` in the ini file) fails every test
during which a response held a field or an enum value this SDK version does not know, so a CI
run notices an API change before production does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from revox_async import AsyncRevox, Revox
    from revox_async.testing import FakeRevox, FakeRevoxThread


STRICT_DRIFT_HELP = "fail a test whose responses held fields or enum values the SDK does not know"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("revox-async")
    group.addoption("--revox-strict-drift", action="store_true", help=STRICT_DRIFT_HELP)
    parser.addini("revox_strict_drift", STRICT_DRIFT_HELP, type="bool", default=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    config = item.config
    if not (config.getoption("revox_strict_drift") or config.getini("revox_strict_drift")):
        return (yield)
    from revox_async._structure.drift import Drift, observe

    seen: list[Drift] = []
    stop = observe(seen.append)
    try:
        result = yield
    finally:
        stop()
    if seen:
        changes = "\n".join(f"  {drift}" for drift in dict.fromkeys(seen))
        pytest.fail(
            f"the API changed under the SDK (--revox-strict-drift):\n{changes}", pytrace=False
        )
    return result


@pytest.fixture
def revox_fake_thread() -> Iterator[FakeRevoxThread]:
    """A fake Revox with demo data, served from a background thread; time moves when told to."""
    from revox_async.testing import FakeClock, FakeRevoxThread

    with FakeRevoxThread(seed_demo_data=True, clock=FakeClock()) as fake:
        yield fake


@pytest.fixture
def revox_sync_client(revox_fake_thread: FakeRevoxThread) -> Revox:
    """A sync client bound to ``revox_fake_thread``."""
    return revox_fake_thread.client()


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the sync fixtures still work
    pass
else:

    @pytest_asyncio.fixture
    async def revox_fake() -> AsyncIterator[FakeRevox]:
        """A fake Revox with demo data, on the test's event loop; time moves when told to."""
        from revox_async.testing import FakeClock, FakeRevox

        async with FakeRevox(seed_demo_data=True, clock=FakeClock()) as fake:
            yield fake

    @pytest_asyncio.fixture
    async def revox_client(revox_fake: FakeRevox) -> AsyncRevox:
        """An async client bound to ``revox_fake``."""
        return revox_fake.client()
