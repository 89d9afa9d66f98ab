"""Every public resource method lists each of its arguments, with its type, in its docstring.

Arguments passed through ``**params: Unpack[...]`` are listed under ``Keyword Args:`` with the
type their ``TypedDict`` declares, so that ``help()`` and the API reference show them.
"""

from __future__ import annotations

import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

MODULES = ["assistants", "calls", "campaigns", "phone_numbers", "voices", "users", "auth_status"]
ENTRY = re.compile(r"^ {4}(?P<name>\w+) \((?P<type>[^)]*)\): (?P<meaning>.+)$")


def _methods() -> Iterator[tuple[str, Any, Callable[..., Any]]]:
    for name in MODULES:
        module = importlib.import_module(f"revox_async.resources.{name}")
        for cls_name, cls in vars(module).items():
            if (
                cls_name.startswith("Async")
                and inspect.isclass(cls)
                and cls.__module__ == module.__name__
            ):
                for method_name, method in vars(cls).items():
                    if not method_name.startswith("_") and callable(method):
                        yield f"{cls_name}.{method_name}", module, method


METHODS = list(_methods())


def _declared(ref: Any) -> tuple[str, bool]:
    text = ref.__forward_arg__ if isinstance(ref, typing.ForwardRef) else str(ref)
    required = text.startswith("Required[")
    return (text[len("Required[") : -1] if required else text), required


def _expected(
    module: Any, method: Callable[..., Any]
) -> tuple[dict[str, str], dict[str, tuple[str, bool]]]:
    args: dict[str, str] = {}
    keywords: dict[str, tuple[str, bool]] = {}
    for parameter in list(inspect.signature(method).parameters.values())[1:]:
        if parameter.kind is parameter.VAR_KEYWORD:
            match = re.fullmatch(r"Unpack\[(\w+)\]", str(parameter.annotation))
            assert match is not None, parameter
            spec = getattr(module, match[1])
            keywords = {key: _declared(ref) for key, ref in spec.__annotations__.items()}
        else:
            args[parameter.name] = str(parameter.annotation)
    return args, keywords


def _section(doc: str, title: str) -> dict[str, tuple[str, str]]:
    lines = inspect.cleandoc(doc).splitlines()
    if f"{title}:" not in lines:
        return {}
    listed: dict[str, tuple[str, str]] = {}
    for line in lines[lines.index(f"{title}:") + 1 :]:
        if not line.strip():
            break
        entry = ENTRY.match(line)
        if entry is not None:
            listed[entry["name"]] = (entry["type"], entry["meaning"])
        else:
            assert line.startswith(" " * 8), f"not an entry nor its continuation: {line!r}"
    return listed


def _shown(annotation: str) -> str:
    return annotation.replace("Nested", "dict")


@pytest.mark.parametrize(("qualified", "module", "method"), METHODS, ids=[m[0] for m in METHODS])
def test_every_argument_is_listed_with_its_type(
    qualified: str, module: Any, method: Callable[..., Any]
) -> None:
    doc = method.__doc__ or ""
    args, keywords = _expected(module, method)
    listed_args = _section(doc, "Args")
    listed_keywords = _section(doc, "Keyword Args")
    assert {name: kind for name, (kind, _) in listed_args.items()} == {
        name: _shown(kind) for name, kind in args.items()
    }
    assert {name: kind for name, (kind, _) in listed_keywords.items()} == {
        name: _shown(kind) for name, (kind, _) in keywords.items()
    }
    for name, (_, required) in keywords.items():
        assert listed_keywords[name][1].startswith("Required.") == required, name


def test_the_sync_methods_show_the_same_docstrings() -> None:
    from revox_async.resources.calls import AsyncCalls, Calls
    from revox_async.resources.campaigns import AsyncCampaigns, Campaigns

    assert Calls.create.__doc__ == AsyncCalls.create.__doc__
    assert "phone_number (str): Required." in (Calls.create.__doc__ or "")
    assert "selection (CampaignLaunchSelection | dict)" in (Campaigns.launch.__doc__ or "")
    assert Campaigns.launch.__doc__ == AsyncCampaigns.launch.__doc__


def test_the_api_reference_renders_each_resource_class() -> None:
    reference = (Path(__file__).parents[1] / "docs" / "reference" / "resources.md").read_text()
    for qualified, module, _ in METHODS:
        cls = qualified.split(".")[0]
        assert f"::: {module.__name__}.{cls}\n" in reference, cls
