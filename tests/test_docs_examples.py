"""Every ```python block of README.md and docs/**/*.md runs, so no example can rot.

Blocks run against a fake Revox seeded with demo data
(``revox_async/testing/_store/seed_data.json``), so their ids must exist there and their phone
numbers must be E.164. How a block runs is chosen by an HTML comment on the line just before its
opening fence (invisible once rendered):

- no comment: a complete program, executed in a fresh namespace with ``REVOX_API_KEY`` and
  ``REVOX_BASE_URL`` pointing at a :class:`FakeRevoxThread`. Async examples end with
  ``asyncio.run(main())``, which works because the fake serves from its own thread.
- ``<!-- fragment-example -->``: a snippet that continues from an open client. It may use
  ``await`` at top level and runs inside ``async with AsyncRevox() as client:``, with
  ``assistant_id``, ``campaign_id`` and ``call_id`` bound to ids of the demo data.
- ``<!-- pytest-example -->``: a test module. It runs in a pytest session of its own (through
  ``pytester``, with the package's pytest plugin) and every test in it must pass.
- ``<!-- skip-example: why -->``: not run, for code that cannot run here (a framework that is
  not installed, a program that serves forever). The reason is required. The block is still
  compiled, and what it imports from installed packages (the SDK above all) must exist.

The fake's clock follows wall time and its calls take a fraction of a second, so examples
that wait for a call to end finish quickly.

Shell blocks are not run, but every ``revox-async ...`` command line in them must be one the
command line's parser accepts.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.util
import logging
import re
import shlex
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from revox_async import AsyncRevox
from revox_async.testing import CallTiming, FakeClock, FakeRevoxThread

from ._helpers import ASSISTANT_ID

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>[a-z-]+-example)\s*(?::\s*(?P<reason>.*?))?\s*-->\s*$")
KINDS = {"fragment-example", "pytest-example", "skip-example"}

DEMO_IDS = {
    "assistant_id": ASSISTANT_ID,
    "campaign_id": "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71",
    "call_id": "3e9a7c1d-5b2f-4d84-a6e0-8f1b2c9d7e53",
}

FAST_CALLS = CallTiming(
    dial_delay_seconds=0.05,
    ring_seconds=0.05,
    talk_seconds=0.1,
    machine_seconds=0.05,
    post_processing_seconds=0.05,
)

PYTEST_INI = """
[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
asyncio_default_test_loop_scope = "function"
filterwarnings = ["error"]
"""


@attrs.frozen
class Example:
    """One fenced ```python block and how to run it."""

    path: Path
    line: int
    code: str
    kind: str | None
    reason: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _marker(lines: list[str], fence_index: int) -> tuple[str | None, str | None]:
    previous = fence_index - 1
    while previous >= 0 and not lines[previous].strip():
        previous -= 1
    if previous < 0:
        return None, None
    match = MARKER.match(lines[previous])
    if match is None:
        return None, None
    return match["kind"], match["reason"]


def extract(path: Path) -> Iterator[Example]:
    """The ```python blocks of a Markdown file, indented ones (tabs, admonitions) included."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = index + 1
        while end < len(lines):
            closing = FENCE.match(lines[end])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            end += 1
        language = opening["info"].strip().split(" ")[0].lstrip(".").lower()
        if language in ("python", "py"):
            body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
            kind, reason = _marker(lines, index)
            code = textwrap.dedent("\n".join(body)) + "\n"
            yield Example(path, index + 1, code, kind, reason)
        index = end + 1


EXAMPLES = [example for source in SOURCES for example in extract(source)]


def shell_commands(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The ``revox-async`` command lines of a file's ```sh blocks, as argument lists."""
    lines = path.read_text(encoding="utf-8").splitlines()
    in_shell = False
    pending = ""
    for number, line in enumerate(lines, start=1):
        if FENCE.match(line):
            in_shell = not in_shell and line.strip().removeprefix("```") in ("sh", "bash")
            continue
        if not in_shell:
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        command, pending = pending.split("|")[0].split("#")[0], ""
        words = shlex.split(command)
        if words and words[0] == "revox-async":
            yield number, words[1:]


COMMAND_LINES = [
    pytest.param(argv, id=f"{path.relative_to(ROOT)}:{number}")
    for path in SOURCES
    for number, argv in shell_commands(path)
]


def test_examples_were_found() -> None:
    # A change to the fence syntax must not silently turn the suite into a no-op.
    assert len(EXAMPLES) >= 20
    assert {example.path.name for example in EXAMPLES} >= {"README.md", "testing.md"}


@pytest.mark.parametrize("argv", COMMAND_LINES)
def test_documented_command_lines_parse(argv: list[str]) -> None:
    from revox_async._cli.main import build_parser

    parser = build_parser()
    if "--help" in argv:
        with pytest.raises(SystemExit) as exited:
            parser.parse_args(argv)
        assert exited.value.code == 0
    else:
        # A usage error exits with status 2, which fails the test.
        parser.parse_args(argv)


def test_command_lines_were_found() -> None:
    assert len(COMMAND_LINES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_markers_are_known(example: Example) -> None:
    assert example.kind is None or example.kind in KINDS, example.kind
    if example.kind == "skip-example":
        assert example.reason, "a skipped example must say why"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRevoxThread]:
    # The logging guide sets the SDK logger's level, as an application would; undo it so the
    # other examples (and tests) run with the library's default.
    logger = logging.getLogger("revox_async")
    level, handlers = logger.level, list(logger.handlers)
    with FakeRevoxThread(
        seed_demo_data=True, clock=FakeClock(realtime=True), timing=FAST_CALLS
    ) as server:
        monkeypatch.setenv("REVOX_API_KEY", server.api_key)
        monkeypatch.setenv("REVOX_BASE_URL", server.url)
        monkeypatch.delenv("REVOX_LOG", raising=False)
        yield server
    logger.setLevel(level)
    logger.handlers[:] = handlers


def _compile(example: Example, *, top_level_await: bool) -> Any:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0
    return compile(example.code, str(example.id), "exec", flags=flags)


def _run_program(example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Examples that save files write them in a scratch directory.
    monkeypatch.chdir(tmp_path)
    # A program runs as it would on its own, not inside a test: the fake's default clock
    # tells the two apart.
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    namespace: dict[str, Any] = {"__name__": "__docs_example__"}
    exec(_compile(example, top_level_await=False), namespace)


def _run_fragment(example: Example) -> None:
    code = _compile(example, top_level_await=True)

    async def main() -> None:
        async with AsyncRevox() as client:
            namespace: dict[str, Any] = {"__name__": "__docs_example__", "client": client}
            namespace.update(DEMO_IDS)
            result = eval(code, namespace)
            if asyncio.iscoroutine(result):
                await result

    asyncio.run(main())


def _run_pytest(example: Example, pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", pyproject=PYTEST_INI)
    pytester.makepyfile(test_docs_example=example.code)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= 1, result.stdout.str()


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_example_runs(example: Example, request: pytest.FixtureRequest) -> None:
    if example.kind == "skip-example":
        pytest.skip(example.reason or "")
    if "opentelemetry" in example.code and not _installed("opentelemetry.sdk"):
        pytest.skip("the example needs opentelemetry-sdk (the test-otel extra)")
    if example.kind == "pytest-example":
        # The test module brings its own fakes through the plugin's fixtures.
        _run_pytest(example, request.getfixturevalue("pytester"))
        return
    request.getfixturevalue("fake")
    if example.kind == "fragment-example":
        _run_fragment(example)
    else:
        _run_program(
            example, request.getfixturevalue("tmp_path"), request.getfixturevalue("monkeypatch")
        )


SKIPPED = [example for example in EXAMPLES if example.kind == "skip-example"]


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def unresolved_imports(code: str, where: str) -> list[str]:
    """What ``code`` imports from an installed package that does not exist there. Modules that
    are not installed, and relative imports (of the reader's own project), cannot be checked."""
    tree = ast.parse(code, filename=where)
    wanted: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wanted += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            wanted += [(node.module, alias.name) for alias in node.names]
    missing = []
    for module, name in wanted:
        if not _installed(module):
            continue
        imported = importlib.import_module(module)
        if (
            name not in (None, "*")
            and not hasattr(imported, name)
            and not _installed(f"{module}.{name}")
        ):
            missing.append(f"{module}.{name}")
    return missing


@pytest.mark.parametrize("example", SKIPPED, ids=[example.id for example in SKIPPED])
def test_a_skipped_example_compiles_and_its_imports_exist(example: Example) -> None:
    _compile(example, top_level_await=False)
    assert unresolved_imports(example.code, example.id) == []


def test_the_import_check_finds_a_name_the_sdk_lacks() -> None:
    code = "import revox\nfrom revox_async import AsyncRevox, NoSuchClient\nfrom .app import x\n"
    assert unresolved_imports(code, "sample") == ["revox_async.NoSuchClient"]
    assert SKIPPED, "the docs hold skipped examples, so the check above has work"
