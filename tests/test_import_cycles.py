"""No import circle inside ``revox_async``, read from the source so that a new one fails here.

Every ``import`` counts, at module level or inside a function, except those under
``if TYPE_CHECKING:``. ``from .pkg import name`` is an edge to ``pkg.name`` when that is a
module, else to ``pkg``. A package's ``__init__`` running before its submodules is not counted:
it would make every submodule import its package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import revox_async

Graph = dict[str, set[str]]

PACKAGE_ROOT = Path(revox_async.__file__).parent


def _module_names(root: Path, package: str) -> dict[str, Path]:
    names = {}
    for path in root.rglob("*.py"):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(nodes: Iterable[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements in ``nodes`` at any depth, skipping ``if TYPE_CHECKING:`` bodies."""
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse)
        else:
            yield from _imports(ast.iter_child_nodes(node))


def _base(module: str, is_package: bool, statement: ast.ImportFrom) -> str:
    if not statement.level:
        return statement.module or ""
    parts = module.split(".")
    # A module's relative imports start from its package; a package's from itself.
    keep = len(parts) - statement.level + (1 if is_package else 0)
    base = ".".join(parts[:keep])
    return f"{base}.{statement.module}" if statement.module else base


def _closest_module(name: str, modules: Mapping[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path, package: str) -> Graph:
    """Each module of the package with the modules of the same package it imports."""
    modules = _module_names(root, package)
    graph: Graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for statement in _imports(tree.body):
            if isinstance(statement, ast.Import):
                targets.update(alias.name for alias in statement.names)
                continue
            base = _base(module, path.name == "__init__.py", statement)
            for alias in statement.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
        graph[module] = {
            found
            for target in targets
            if (found := _closest_module(target, modules)) is not None and found != module
        }
    return graph


def _shortest_cycle(graph: Graph, start: str, within: set[str]) -> list[str]:
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & within):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")


def cycles(graph: Graph) -> list[list[str]]:
    """One shortest circle through each group of modules that import one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        # Tarjan's strongly connected components; the package is small enough for recursion.
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_shortest_cycle(graph, min(group), group) for group in groups)


def _write(root: Path, files: Mapping[str, str]) -> Path:
    for name, source in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "pkg"


def test_the_package_has_no_import_circle() -> None:
    found = cycles(import_graph(PACKAGE_ROOT, "revox_async"))
    named = "\n".join(" -> ".join(cycle) for cycle in found)
    assert not found, f"import circles:\n{named}"


def test_a_circle_through_a_function_level_import_is_named(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .b import thing\n",
            "b.py": "def thing():\n    from . import c\n    return c\n",
            "c.py": "import pkg.a\n",
            "d.py": "from .a import thing\n",
        },
    )
    assert cycles(import_graph(root, "pkg")) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_imports_for_type_checking_only_make_no_circle(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .b import B\n",
            "b.py": (
                "import typing\n"
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from .a import A\n"
                "if typing.TYPE_CHECKING:\n    from . import a\nelse:\n    import json\n"
                "B = 1\n"
            ),
        },
    )
    graph = import_graph(root, "pkg")
    assert graph["pkg.b"] == set()
    assert cycles(graph) == []


def test_an_import_in_the_else_of_type_checking_counts(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .b import B\n",
            "b.py": "if TYPE_CHECKING:\n    pass\nelse:\n    from .a import A\nB = 1\n",
        },
    )
    assert cycles(import_graph(root, "pkg")) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_relative_imports_resolve_from_packages_and_modules(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "__init__.py": "from .sub import helper\nfrom . import top\n",
            "top.py": "from .sub.helper import x\nfrom .sub import NAME\n",
            "sub/__init__.py": "from .. import top\nNAME = 1\n",
            "sub/helper.py": "from ..top import y\nx = 1\n",
        },
    )
    graph = import_graph(root, "pkg")
    assert graph == {
        "pkg": {"pkg.sub.helper", "pkg.top"},
        "pkg.top": {"pkg.sub.helper", "pkg.sub"},
        "pkg.sub": {"pkg.top"},
        "pkg.sub.helper": {"pkg.top"},
    }
    assert cycles(graph) == [
        ["pkg.sub", "pkg.top", "pkg.sub"],
    ]
