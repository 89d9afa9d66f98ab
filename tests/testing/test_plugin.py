"""The pytest plugin, run in isolated pytest sessions, and the threaded fake."""

from __future__ import annotations

from importlib import metadata

import pytest

from revox_async.testing import FakeRevoxThread

PYPROJECT = """
[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
filterwarnings = ["error"]
"""


def test_fixtures_serve_async_and_sync_tests(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", pyproject=PYPROJECT)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.asyncio
        async def test_async(revox_fake, revox_client):
            assistants = await revox_client.assistants.list()
            assert assistants
            assert revox_fake.requests[-1].path == "/assistants"
            assert revox_fake.requests[-1].headers["Authorization"] == "Bearer ***"

        def test_sync(revox_fake_thread, revox_sync_client):
            first = revox_sync_client.assistants.list()[0]
            assert revox_sync_client.assistants.retrieve(first.id).id == first.id
            assert revox_fake_thread.call(lambda fake: len(fake.requests)) == 2
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_plugin_is_harmless_when_unused(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", pyproject=PYPROJECT)
    pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "warning" not in result.stdout.str().lower()


def test_threaded_fake_runs_state_changes_on_its_thread() -> None:
    with FakeRevoxThread(seed_demo_data=True) as fake:
        client = fake.client(max_retries=0)
        assistants = client.assistants.list()
        before = fake.call(lambda f: f.clock.now())
        fake.advance(60)
        after = fake.call(lambda f: f.clock.now())
        assert (after - before).total_seconds() == 60
        assert assistants
    assert client.is_closed


def test_public_names_and_the_plugin_entry_point_resolve() -> None:
    import revox_async.testing as testing
    from revox_async.testing import pytest_plugin

    assert sorted(testing.__all__) == [
        "CallScript",
        "CallTiming",
        "FakeClock",
        "FakeRevox",
        "FakeRevoxThread",
        "Fault",
        "Faults",
        "RecordedRequest",
        "run_server",
    ]
    for name in testing.__all__:
        assert getattr(testing, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Store'"):
        _ = testing.Store
    (plugin,) = metadata.entry_points(group="pytest11", name="revox_async")
    assert plugin.load() is pytest_plugin
