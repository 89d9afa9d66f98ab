"""The fast structuring path gives what the detailed cattrs path gives, errors included.

Payloads come from the contract's schemas (valid ones, as a newer API could send them) and from
mutations of them (wrong types, missing fields, unknown keys, nulls). Both paths must build equal
objects holding values of the same types, write the same ``to_dict()``, or fail with the same
exception and message.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revox_async import models
from revox_async._model import RevoxModel
from revox_async._structure.converter import describe_error, detailed_structure, structure
from revox_async._structure.converter import fast_fn as _fast_fn
from revox_async._structure.fields import construction_blockers

from ._helpers import example
from .reliability._schema_strategies import RESPONSE_SCHEMAS, json_values, model_of, response

MODEL_CLASSES = sorted(
    {
        value
        for module in vars(models).values()
        if inspect.ismodule(module) and module.__name__.startswith("revox_async.models.")
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, RevoxModel) and value is not RevoxModel
    },
    key=lambda cls: cls.__qualname__,
)


def _shape(value: Any) -> Any:
    """Everything about a structured value, types and the bookkeeping attributes included."""
    if attrs.has(type(value)):  # a model, or its wire form
        fields = attrs.fields(type(value))
        return (type(value), tuple((f.name, _shape(getattr(value, f.name))) for f in fields))
    if isinstance(value, list):
        return (list, tuple(_shape(item) for item in value))
    if isinstance(value, frozenset):
        return (frozenset, tuple(sorted(value)))
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: repr(item[0]))
        return (dict, tuple((key, _shape(item)) for key, item in items))
    if isinstance(value, tuple):
        return (tuple, tuple(_shape(item) for item in value))
    if isinstance(value, dt.datetime):
        return (dt.datetime, value.isoformat(), repr(value.tzinfo))
    return (type(value), repr(value))


def _outcome(fn: Any, data: Any, cls: type) -> tuple[str, Any]:
    try:
        result = fn(data, cls)
    except Exception as exc:
        return "raised", (type(exc), str(exc), describe_error(exc))
    return "built", (_shape(result), result.to_dict())


def assert_paths_agree(data: Any, cls: type[RevoxModel]) -> str:
    fast = _outcome(structure, data, cls)
    detailed = _outcome(detailed_structure, data, cls)
    assert fast == detailed
    if fast[0] == "built":
        assert structure(data, cls) == detailed_structure(data, cls)
    return fast[0]


@pytest.mark.parametrize("schema", RESPONSE_SCHEMAS)
@settings(max_examples=40)
@given(data=st.data())
def test_valid_payloads_give_the_same_objects(schema: str, data: st.DataObject) -> None:
    cls = model_of(schema)
    assert cls is not None
    sent = data.draw(response(schema), label="sent")
    assert assert_paths_agree(sent, cls) == "built"


# -- mutations ---------------------------------------------------------------------------------

WRONG_VALUES = st.sampled_from([None, 0, 1.5, "", "x", True, [], {}, [1], {"a": 1}]) | json_values


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value nested in ``value``, ``value`` itself included."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _places(item, (*path, i))
    return found


def _mutate(value: Any, data: st.DataObject) -> Any:
    """``value`` with one change; drawn values are copied, as strategies may share them."""
    value = copy.deepcopy(value)
    path = data.draw(st.sampled_from(_places(value)), label="path")
    kind = data.draw(st.sampled_from(["replace", "delete", "add", "null"]), label="kind")
    if not path:
        return (
            copy.deepcopy(data.draw(WRONG_VALUES, label="replacement"))
            if kind == "replace"
            else value
        )
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if kind == "replace":
        parent[key] = copy.deepcopy(data.draw(WRONG_VALUES, label="replacement"))
    elif kind == "null":
        parent[key] = None
    elif kind == "delete" and isinstance(parent, dict):
        del parent[key]
    elif kind == "add" and isinstance(parent, dict):
        parent[data.draw(st.text(max_size=8), label="new key")] = copy.deepcopy(
            data.draw(json_values)
        )
    return value


@pytest.mark.parametrize("schema", RESPONSE_SCHEMAS)
@settings(max_examples=40)
@given(data=st.data())
def test_mutated_payloads_give_the_same_objects_or_errors(schema: str, data: st.DataObject) -> None:
    cls = model_of(schema)
    assert cls is not None
    sent = data.draw(response(schema), label="sent")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        sent = _mutate(sent, data)
    assert_paths_agree(sent, cls)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 42),
        ("voice", "cartesia"),
        ("llm_model", None),
        ("llm_model", []),
        ("first_sentence_delay_ms", 1.5),
        ("pending_faq_count", True),
        ("faq_items", {"question": "q"}),
        ("transfer_destinations", ["+1415"]),
    ],
)
def test_chosen_mistakes_give_identical_errors(field: str, value: Any) -> None:
    data = {**example("assistants.retrieve"), field: value}
    assert assert_paths_agree(data, models.Assistant) == "raised"


def test_a_datetime_object_where_text_belongs_gives_the_same_object() -> None:
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    data = {**example("assistants.retrieve"), "created_at": moment}
    assert assert_paths_agree(data, models.Assistant) == "built"


def test_a_missing_required_field_gives_the_identical_error() -> None:
    data = dict(example("assistants.retrieve"))
    del data["prompt"]
    assert assert_paths_agree(data, models.Assistant) == "raised"


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-12T17:14:50.021Z",  # the canonical form: kept as a datetime, no text needed
        "2025-03-12T24:00:00.000Z",  # hour 24: not canonical
        "2025-02-30T10:00:00.000Z",  # canonical-looking but no such day: kept as text
        "2025-03-12T17:14:50Z",
        "2025-03-12T17:14:50.021+01:00",
        "2025-03-12T17:14:50.021z",
        "2025-03-12T17:14:5\N{ARABIC-INDIC DIGIT ZERO}.021Z",
        "2025-03-12",
    ],
)
def test_timestamp_texts_round_trip_on_both_paths(text: str) -> None:
    data = {**example("assistants.retrieve"), "created_at": text}
    assert assert_paths_agree(data, models.Assistant) == "built"
    assert structure(data, models.Assistant).to_dict()["created_at"] == text


# -- who is on the fast path -------------------------------------------------------------------


def test_every_model_class_is_checked() -> None:
    assert {models.Assistant, models.Call, models.VoiceSettings} <= set(MODEL_CLASSES)
    assert len(MODEL_CLASSES) > 40


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__qualname__)
def test_every_model_is_built_without_init(cls: type[RevoxModel]) -> None:
    """A validator, converter or post-init hook added to a model moves it off the fast path.

    Results stay correct (its ``__init__`` runs), but this test names the class so the change
    is deliberate.
    """
    assert construction_blockers(cls) == [], f"{cls.__qualname__} is built through __init__"


@pytest.mark.parametrize(
    ("name", "cls", "envelope"),
    [
        ("assistants.retrieve", models.Assistant, None),
        ("assistants.update", models.AssistantUpdateResult, None),
        ("call.retrieve", models.Call, "call"),
        ("call.search", models.CallSearchResult, None),
        ("campaigns.retrieve", models.Campaign, "campaign"),
        ("campaigns.statistics", models.CampaignStatistics, "statistics"),
    ],
)
def test_the_contract_examples_need_no_fallback(
    name: str, cls: type[RevoxModel], envelope: str | None
) -> None:
    """The fast function itself handles what the API sends; the fallback is for the unexpected."""
    data = example(name)
    if envelope:
        data = data[envelope]
    built = _fast_fn(cls)(data)
    assert built == detailed_structure(data, cls)
    assert built.to_dict() == data


# -- classes that cannot skip __init__ ---------------------------------------------------------

post_inits: list[int] = []


@attrs.frozen(kw_only=True)
class Checked(RevoxModel):
    count: int = attrs.field(validator=attrs.validators.ge(0))
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        post_inits.append(self.count)


def _strip(text: str) -> str:
    return text.strip()


@attrs.frozen(kw_only=True)
class Converted(RevoxModel):
    name: str = attrs.field(converter=_strip)


@attrs.frozen(kw_only=True, cache_hash=True)
class CachedHash(RevoxModel):
    name: str


def test_a_validator_or_post_init_keeps_a_class_on_init() -> None:
    assert construction_blockers(Checked) == [
        "has __attrs_post_init__",
        "field 'count' has a validator",
    ]
    assert construction_blockers(Converted) == ["field 'name' has a converter"]
    assert construction_blockers(CachedHash) == [
        "has slots that are not fields: _attrs_cached_hash"
    ]


def test_the_fallback_runs_validators_post_init_and_converters() -> None:
    post_inits.clear()
    checked = structure({"count": 3, "label": None, "more": 1}, Checked)
    assert checked.count == 3
    assert post_inits == [3]
    assert checked.to_dict() == {"count": 3, "label": None, "more": 1}
    assert checked.extra == {"more": 1}
    assert structure({"name": "  padded "}, Converted).name == "padded"
    assert structure({"name": "n"}, CachedHash) == CachedHash(name="n")
    with pytest.raises(cattrs.ClassValidationError) as info:
        structure({"count": -1}, Checked)
    assert [str(exc) for exc in info.value.exceptions] == ["'count' must be >= 0: -1"]
    assert_paths_agree({"count": -1}, Checked)
    assert_paths_agree({"count": 2, "label": None}, Checked)


@attrs.frozen(kw_only=True)
class Node(RevoxModel):
    name: str
    children: list[Node] | None = None


def test_a_class_that_contains_itself_takes_the_fast_path() -> None:
    data = {"name": "root", "children": [{"name": "leaf", "children": None, "x": 1}]}
    built = _fast_fn(Node)(data)
    assert built == detailed_structure(data, Node)
    assert built.to_dict() == data
    assert built.children is not None
    assert built.children[0].extra == {"x": 1}
