"""The cattrs converter that turns JSON into models and back, with every rule of the SDK.

Rules:
- wire names come from field metadata (``wire("isCloned")``); attributes are snake_case;
- unknown keys land in ``extra`` and are written back;
- an open enum (``Enum | str``) keeps an unknown value as its string, and writes a known one
  back as its plain string value;
- a tagged union (see :func:`~.fields.tagged_union`) picks its class by a tag field, with a
  fallback class for unknown tags;
- ``Timestamp`` fields become aware datetimes when they hold ISO 8601 date-time text, written
  back as the server wrote them;
- primitives are checked, not coerced: a string where a number belongs is an error; an ``int``
  takes a whole float (``3.0``), and a ``Count`` (a count the API types as a number) any number.

A model is first built by the function :mod:`.fast` generates for its class; on any failure the
detailed path (cattrs' generated function and the bookkeeping) runs instead, and says what is
wrong. :func:`detailed_structure` runs the detailed path alone, through a converter of its own.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .base import ModelBase, Timestamp, WireForm
from .drift import unknown_fields, unknown_value
from .fast import FastFn, compile_fast
from .fields import (
    SKIPPED,
    class_facts,
    is_count,
    is_model,
    open_enum,
    tagged_union,
    union_args,
)
from .timestamps import format_timestamp, parse_timestamp

T = TypeVar("T")


def _detailed_model(
    converter: cattrs.Converter, cls: type[ModelBase]
) -> Callable[[Any], ModelBase]:
    """cattrs' generated function and the bookkeeping, step by step: the reference behaviour."""
    facts = class_facts(cls)
    overrides = {name: override(omit=True) for name in SKIPPED}
    for f in facts.fields:
        if f.wire != f.name:
            overrides[f.name] = override(rename=f.wire)
    generated = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    optional = {f.wire: f.name for f in facts.fields if f.optional}
    timestamps = {f.wire: f.name for f in facts.fields if f.timestamp}
    enums = [(f.name, f.wire) for f in facts.fields if f.open_enum is not None]

    def structure(data: Any) -> ModelBase:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
        obj = generated(data, cls)
        unknown = data.keys() - facts.known
        if unknown:
            object.__setattr__(obj, "extra", {key: data[key] for key in unknown})
            unknown_fields(cls, unknown)
        for name, wire in enums:
            _report_unknown_values(cls, wire, getattr(obj, name))
        nulls = frozenset(optional[k] for k, v in data.items() if v is None and k in optional)
        texts = []
        for wire, name in timestamps.items():
            value = getattr(obj, name)
            if isinstance(value, datetime) and format_timestamp(value) != data[wire]:
                texts.append((name, value, data[wire]))
        if nulls or texts:
            object.__setattr__(obj, "_wire", WireForm(nulls, tuple(texts)))
        return obj

    return structure


def _report_unknown_values(cls: type, wire: str, value: Any) -> None:
    # An open enum field holds a plain str exactly when its enum did not know the value.
    for item in value if isinstance(value, list) else (value,):
        if isinstance(item, str) and not isinstance(item, enum.Enum):
            unknown_value(cls, wire, item)


class _FastFunctions:
    """The fast function of each class, compiled on first use against one converter."""

    def __init__(self, converter: cattrs.Converter) -> None:
        self._converter = converter
        self._fns: dict[type[ModelBase], FastFn] = {}
        self._compiling: set[type[ModelBase]] = set()

    def __call__(self, cls: type[ModelBase]) -> FastFn:
        fn = self._fns.get(cls)
        if fn is not None:
            return fn
        if cls in self._compiling:  # a class that contains itself, at some depth
            return lambda data: self._fns[cls](data)
        self._compiling.add(cls)
        try:
            fn = self._fns[cls] = compile_fast(cls, self._converter, self)
        finally:
            self._compiling.discard(cls)
        return fn


def _enum_values(value: Any) -> Any:
    # cattrs dispatches a (str, Enum) member as a str and keeps it: json.dumps would cope, but
    # str() gives "VoiceProvider.CARTESIA", and other encoders may refuse it.
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_enum_values(item) for item in value]
    return value


def _unstructure_model_factory(
    converter: cattrs.Converter, cls: type[ModelBase]
) -> Callable[[ModelBase], dict[str, Any]]:
    facts = class_facts(cls)
    overrides = {name: override(omit=True) for name in SKIPPED}
    for f in facts.fields:
        overrides[f.name] = override(
            rename=f.wire if f.wire != f.name else None,
            omit_if_default=f.optional,
            unstruct_hook=_enum_values if f.has_enum else None,
        )
    generated = make_dict_unstructure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    wire_names = {f.name: f.wire for f in facts.fields}

    def unstructure(obj: ModelBase) -> dict[str, Any]:
        data = generated(obj)
        wire = obj._wire
        for name in wire.nulls:
            if getattr(obj, name) is None:
                data[wire_names[name]] = None
        for name, value, text in wire.timestamps:
            if getattr(obj, name) is value:
                data[wire_names[name]] = text
        if obj.extra:
            data.update(obj.extra)
        return data

    return unstructure


def _structure_open_enum_factory(t: Any) -> Callable[[Any, Any], Any]:
    enum_cls = open_enum(t)
    assert enum_cls is not None
    members = enum_cls._value2member_map_
    allows_none = type(None) in union_args(t)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            return members.get(value, value)
        if value is None and allows_none:
            return None
        raise TypeError(f"expected a string for {enum_cls.__name__}, got {type(value).__name__}")

    return structure


def _strict(kind: type[T], *accepted: type) -> Callable[[Any, Any], T]:
    def structure(value: Any, _: Any) -> T:
        if isinstance(value, accepted) and not (kind is not bool and isinstance(value, bool)):
            return kind(value) if type(value) is not kind else value  # type: ignore[call-arg]
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")

    return structure


def _structure_int(value: Any, _: Any) -> int:
    # The API types many counts as JSON numbers, so 3.0 arrives where 3 is meant.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {value!r}")


def _structure_count_factory(t: Any) -> Callable[[Any, Any], Any]:
    allows_none = type(None) in union_args(t)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if value is None and allows_none:
            return None
        raise TypeError(f"expected a number, got {value!r}")

    return structure


def _is_tagged_union(t: Any) -> bool:
    return bool(union_args(t)) and tagged_union(t) is not None


def _make_converter(*, fast: bool) -> tuple[cattrs.Converter, _FastFunctions]:
    converter = cattrs.Converter()
    fast_fns = _FastFunctions(converter)

    def structure_model_factory(cls: type[ModelBase]) -> Callable[[Any, Any], ModelBase]:
        detailed = _detailed_model(converter, cls)
        if not fast:
            return lambda data, _: detailed(data)
        fast_fn = fast_fns(cls)

        def structure(data: Any, _: Any) -> ModelBase:
            try:
                result: ModelBase = fast_fn(data)
            except Exception:  # whatever it was, the detailed path below reports it
                return detailed(data)
            return result

        return structure

    def structure_tagged_factory(t: Any) -> Callable[[Any, Any], ModelBase]:
        union = tagged_union(t)
        assert union is not None

        def structure(data: Any, _: Any) -> ModelBase:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected a JSON object, got {type(data).__name__}")
            tag_value = data.get(union.tag)
            cls = union.fallback
            if isinstance(tag_value, str):
                cls = union.variants.get(tag_value, union.fallback)
                if cls is union.fallback:
                    unknown_value(cls, union.tag, tag_value)
            result: ModelBase = converter.structure(data, cls)
            return result

        return structure

    converter.register_structure_hook_factory(is_model, structure_model_factory)
    converter.register_unstructure_hook_factory(
        is_model, lambda cls: _unstructure_model_factory(converter, cls)
    )
    converter.register_structure_hook_factory(
        lambda t: open_enum(t) is not None, _structure_open_enum_factory
    )
    converter.register_structure_hook_func(
        lambda t: t == Timestamp, lambda v, _: parse_timestamp(v)
    )
    converter.register_unstructure_hook(datetime, format_timestamp)
    converter.register_structure_hook_factory(is_count, _structure_count_factory)
    converter.register_structure_hook(str, _strict(str, str))
    converter.register_structure_hook(bool, _strict(bool, bool))
    converter.register_structure_hook(float, _strict(float, int, float))
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook_factory(_is_tagged_union, structure_tagged_factory)
    return converter, fast_fns


converter, fast_fn = _make_converter(fast=True)
"""The converter of every response and ``to_dict()``; the fast function of a model class."""


@functools.lru_cache(maxsize=1)
def _detailed_converter() -> cattrs.Converter:
    return _make_converter(fast=False)[0]


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` (a model, ``list[Model]``, ...) from decoded JSON."""
    result: T = converter.structure(data, cls)
    return result


def detailed_structure(data: Any, cls: type[T]) -> T:
    """:func:`structure` by the detailed path alone, to compare the two paths."""
    result: T = _detailed_converter().structure(data, cls)
    return result


def unstructure(obj: ModelBase) -> dict[str, Any]:
    """The JSON-ready dict of a model."""
    result: dict[str, Any] = converter.unstructure(obj)
    return result


def describe_error(exc: Exception) -> str:
    """A one-line account of why structuring failed, with the JSON path of each problem."""
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return "; ".join(cattrs.transform_error(exc))
    return str(exc)
