"""The test suite's own rules, read from its source: every test can fail, and test modules share
code only through helper modules.

A test function must contain an ``assert``, a ``pytest.raises`` (or ``warns``, ``fail``), or a
call to a helper that does: a function of the suite whose body asserts, directly or through
another such helper, or a method named ``assert_...`` (``assert_outcomes``, ``assert_called``).
A test that checks by other means says so with ``@pytest.mark.no_assert("why")``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CHECKS = {"raises", "warns", "fail", "deprecated_call"}


def _modules() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _checks_directly(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "pytest"
            and node.func.attr in CHECKS
        ):
            return True
    return False


def _calls(function: ast.AST) -> set[str]:
    return {
        name
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and (name := _called_name(node)) is not None
    }


def _calls_a_check(function: ast.AST, helpers: set[str]) -> bool:
    return any(name in helpers or name.startswith("assert_") for name in _calls(function))


def _asserting_helpers(trees: list[ast.Module]) -> set[str]:
    """Names of the suite's functions that assert, directly or through one another."""
    functions = [f for tree in trees for f in _functions(tree) if not f.name.startswith("test_")]
    asserting = {f.name for f in functions if _checks_directly(f)}
    grew = True
    while grew:
        more = {
            f.name for f in functions if f.name not in asserting and _calls_a_check(f, asserting)
        }
        asserting |= more
        grew = bool(more)
    return asserting


def _exemption(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | None:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == (
            "pytest.mark.no_assert"
        ):
            return decorator
    return None


def unchecked_tests(paths: list[Path]) -> list[tuple[Path, str]]:
    """The test functions of ``paths`` that cannot fail by an assertion."""
    trees = {path: _parse(path) for path in paths}
    helpers = _asserting_helpers(list(trees.values()))
    found = []
    for path, tree in trees.items():
        if not path.name.startswith("test_"):
            continue
        for function in _functions(tree):
            if not function.name.startswith("test_") or _exemption(function) is not None:
                continue
            if not _checks_directly(function) and not _calls_a_check(function, helpers):
                found.append((path, function.name))
    return found


def test_every_test_asserts_something() -> None:
    unchecked = [f"{path.relative_to(TESTS)}::{name}" for path, name in unchecked_tests(_modules())]
    assert unchecked == []


def test_every_exemption_gives_a_reason() -> None:
    bare = [
        f"{path.relative_to(TESTS)}::{function.name}"
        for path in _modules()
        for function in _functions(_parse(path))
        if (marker := _exemption(function)) is not None
        and not (
            marker.args
            and isinstance(marker.args[0], ast.Constant)
            and isinstance(marker.args[0].value, str)
            and marker.args[0].value.strip()
        )
    ]
    assert bare == []


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            if node.module is None:
                yield from (base + alias.name for alias in node.names)
            else:
                yield base
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_module_imports_from_conftest_or_from_a_test_module() -> None:
    wrong = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in _modules()
        for name in _imports(_parse(path))
        if _forbidden(name)
    ]
    assert wrong == []


def _forbidden(imported: str) -> bool:
    module = imported.rsplit(".", 1)[-1]
    return module == "conftest" or module.startswith("test_")


# -- the scan itself --------------------------------------------------------------------------

FLAGGED = """
import pytest

def check(x):
    assert x

def indirect(x):
    check(x)

def test_nothing():
    print("hi")

def test_only_calls_code():
    sorted([2, 1])

@pytest.mark.no_assert("the subprocess's exit status is the check")
def test_exempt():
    sorted([2, 1])

def test_asserts():
    assert sorted([2, 1]) == [1, 2]

def test_raises():
    with pytest.raises(ValueError):
        int("x")

def test_through_a_helper():
    indirect(1)
"""


def test_the_scan_flags_a_test_without_a_check_and_only_those(tmp_path: Path) -> None:
    module = tmp_path / "test_sample.py"
    module.write_text(FLAGGED)
    names = [name for _, name in unchecked_tests([module])]
    assert names == ["test_nothing", "test_only_calls_code"]


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("from .conftest import KEY", True),
        ("from ..conftest import KEY", True),
        ("from . import conftest", True),
        ("from .test_calls import C_ID", True),
        ("from ._helpers import KEY", False),
        ("from ._support import EMMA", False),
    ],
)
def test_the_import_rule_reads_each_form(source: str, flagged: bool) -> None:
    assert any(_forbidden(name) for name in _imports(ast.parse(source))) is flagged
