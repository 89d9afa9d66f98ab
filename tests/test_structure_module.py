"""The structuring package: facts shared by both paths, readable generated code, no circle."""

from __future__ import annotations

import ast
import traceback
from pathlib import Path

import attrs
import pytest

from revox_async._model import RevoxModel
from revox_async._structure.converter import detailed_structure, structure
from revox_async._structure.converter import fast_fn as _fast_fn
from revox_async._structure.fields import class_facts, tagged_union
from revox_async.models.assistants import (
    CustomLlmModel,
    DedicatedInstanceModel,
    LlmModel,
    OpenRouterModel,
    RealtimeModel,
    UnknownLlmModel,
)
from revox_async.models.voices import Voice

from ._helpers import example

PACKAGE = Path(__file__).parent.parent / "revox_async"


@attrs.frozen(kw_only=True)
class Pet(RevoxModel):
    name: str
    age: int | None = None


@attrs.frozen(kw_only=True)
class Cat(RevoxModel):
    kind: str = "cat"


def test_a_traceback_through_generated_code_shows_its_source_line() -> None:
    with pytest.raises(KeyError) as raised:
        _fast_fn(Pet)({"age": 3})
    text = "".join(traceback.format_exception(raised.value))
    assert "<revox_async fast structuring of Pet #" in text
    assert "v = data['name']" in text


def test_the_llm_model_union_is_recognised_from_its_literal_tags() -> None:
    union = tagged_union(LlmModel)
    assert union is not None
    assert union.tag == "type"
    assert union.fallback is UnknownLlmModel
    assert dict(union.variants) == {
        "dedicated-instance": DedicatedInstanceModel,
        "openrouter": OpenRouterModel,
        "custom": CustomLlmModel,
        "realtime": RealtimeModel,
    }


def test_a_union_without_one_fallback_arm_is_not_tagged() -> None:
    assert tagged_union(DedicatedInstanceModel | OpenRouterModel) is None
    assert tagged_union(Pet | Cat) is None
    assert tagged_union(str | int) is None


def test_wire_names_come_from_the_same_facts_on_both_paths() -> None:
    facts = {f.name: f for f in class_facts(Voice).fields}
    assert facts["is_cloned"].wire == "isCloned"
    data = example("voices.list")["voices"][0]
    assert structure(data, Voice).is_cloned == detailed_structure(data, Voice).is_cloned


def _private_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            names.add("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize("path", sorted((PACKAGE / "models").glob("*.py")), ids=lambda p: p.name)
def test_models_import_only_the_model_base(path: Path) -> None:
    outside = {name for name in _private_imports(path) if name.startswith("..")}
    assert outside <= {".._model"}


def test_the_structuring_package_imports_nothing_above_it() -> None:
    for path in (PACKAGE / "_structure").glob("*.py"):
        above = {name for name in _private_imports(path) if name.startswith("..")}
        assert above <= {".._logging", ".._telemetry.drift"}, path.name
