"""The plugin's strict drift option, in isolated pytest sessions against the fake's drift mode."""

from __future__ import annotations

import pytest

PYPROJECT = """
[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
filterwarnings = ["error"]
{extra}
"""

TESTS = """
from revox_async.testing import FakeRevoxThread

def test_reads_a_newer_api():
    with FakeRevoxThread(seed_demo_data=True, drift=True) as fake:
        assistant = fake.client().assistants.list()[0]
    assert assistant.voice.extra

def test_reads_the_api_it_knows():
    with FakeRevoxThread(seed_demo_data=True) as fake:
        assert fake.client().assistants.list()
"""


def _run(pytester: pytest.Pytester, *args: str, ini: str = "") -> pytest.RunResult:
    pytester.makefile(".toml", pyproject=PYPROJECT.format(extra=ini))
    pytester.makepyfile(TESTS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_drift_passes_by_default(pytester: pytest.Pytester) -> None:
    _run(pytester).assert_outcomes(passed=2)


def test_the_option_fails_the_test_that_met_drift_and_names_it(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--revox-strict-drift")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*the API changed under the SDK*",
            "*UnknownLlmModel.type has a value this SDK version does not know: 'future-model'*",
            "*Assistant has a field this SDK version does not know: 'x_new_field'*",
            "*FAILED*test_reads_a_newer_api*",
        ]
    )


def test_the_ini_setting_turns_it_on_too(pytester: pytest.Pytester) -> None:
    result = _run(pytester, ini="revox_strict_drift = true")
    result.assert_outcomes(passed=1, failed=1)
