"""The one cattrs converter that turns JSON into models and back.

Every (un)structuring rule lives here, outside the models. Hooks are generated once per class by
cattrs and cached by the converter, so the hot path is generated code, not reflection. A model is
first built by the function ``_fastpath`` generates for its class; on any failure the detailed
cattrs path runs instead, and says what is wrong.

Rules:
- wire names come from field metadata (``wire("isCloned")``); attributes are snake_case;
- unknown keys land in ``extra`` and are written back;
- an open enum (``Enum | str``) keeps an unknown value as its string, and writes a known one
  back as its plain string value;
- a tagged union picks its class by a tag field, with a fallback class for unknown tags;
- ``Timestamp`` fields become aware datetimes when they hold ISO 8601 date-time text, written
  back as the server wrote them;
- primitives are checked, not coerced: a string where a number belongs is an error; an ``int``
  takes a whole float (``3.0``), and a ``Count`` (a count the API types as a number) any number.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._fastpath import SKIPPED, FastFn, compile_fast
from ._model import RevoxModel, Timestamp

T = TypeVar("T")

converter = cattrs.Converter()


def _wire_name(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("wire", field.name))


def _detailed_structure(cls: type[RevoxModel]) -> Callable[[Any], RevoxModel]:
    """cattrs' generated function and the bookkeeping, step by step: the reference behaviour."""
    fields = [f for f in attrs.fields(attrs.resolve_types(cls)) if f.name not in SKIPPED]
    overrides = {name: override(omit=True) for name in SKIPPED}
    for f in fields:
        if _wire_name(f) != f.name:
            overrides[f.name] = override(rename=_wire_name(f))
    generated = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    known = frozenset(_wire_name(f) for f in fields)
    optional = {_wire_name(f): f.name for f in fields if f.default is None}
    timestamps = {_wire_name(f): f.name for f in fields if f.type == Timestamp}

    def structure(data: Any) -> RevoxModel:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
        obj = generated(data, cls)
        unknown = data.keys() - known
        if unknown:
            object.__setattr__(obj, "extra", {key: data[key] for key in unknown})
        nulls = [optional[k] for k, v in data.items() if v is None and k in optional]
        if nulls:
            object.__setattr__(obj, "_wire_nulls", frozenset(nulls))
        texts: dict[str, tuple[datetime, str]] = {}
        for wire, name in timestamps.items():
            value = getattr(obj, name)
            if isinstance(value, datetime) and format_timestamp(value) != data[wire]:
                texts[name] = (value, data[wire])
        if texts:
            object.__setattr__(obj, "_wire_timestamps", texts)
        return obj

    return structure


_fast_fns: dict[type[RevoxModel], FastFn] = {}
_compiling: set[type[RevoxModel]] = set()
# Off only while detailed_structure() runs: the differential test compares the two paths.
_fast_enabled = True


def _fast_fn(cls: type[RevoxModel]) -> FastFn:
    fn = _fast_fns.get(cls)
    if fn is not None:
        return fn
    if cls in _compiling:  # a class that contains itself, at some depth
        return lambda data: _fast_fns[cls](data)
    _compiling.add(cls)
    try:
        fn = _fast_fns[cls] = compile_fast(cls, RULES, _fast_fn)
    finally:
        _compiling.discard(cls)
    return fn


def _structure_model_factory(cls: type[RevoxModel]) -> Callable[[Any, Any], RevoxModel]:
    detailed = _detailed_structure(cls)
    fast = _fast_fn(cls)

    def structure(data: Any, _: Any) -> RevoxModel:
        if _fast_enabled:
            try:
                result: RevoxModel = fast(data)
            except Exception:  # whatever it was, the detailed path below reports it
                pass
            else:
                return result
        return detailed(data)

    return structure


def _has_enum(t: Any) -> bool:
    return (isinstance(t, type) and issubclass(t, enum.Enum)) or any(map(_has_enum, get_args(t)))


def _enum_values(value: Any) -> Any:
    # cattrs dispatches a (str, Enum) member as a str and keeps it: json.dumps would cope, but
    # str() gives "VoiceProvider.CARTESIA", and other encoders may refuse it.
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_enum_values(item) for item in value]
    return value


def _unstructure_model_factory(cls: type[RevoxModel]) -> Callable[[RevoxModel], dict[str, Any]]:
    fields = [f for f in attrs.fields(attrs.resolve_types(cls)) if f.name not in SKIPPED]
    overrides = {name: override(omit=True) for name in SKIPPED}
    for f in fields:
        overrides[f.name] = override(
            rename=_wire_name(f) if _wire_name(f) != f.name else None,
            omit_if_default=f.default is None,
            unstruct_hook=_enum_values if _has_enum(f.type) else None,
        )
    generated = make_dict_unstructure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    wire_names = {f.name: _wire_name(f) for f in fields}

    def unstructure(obj: RevoxModel) -> dict[str, Any]:
        data = generated(obj)
        for name in obj._wire_nulls:
            if getattr(obj, name) is None:
                data[wire_names[name]] = None
        for name, (value, text) in obj._wire_timestamps.items():
            if getattr(obj, name) is value:
                data[wire_names[name]] = text
        if obj.extra:
            data.update(obj.extra)
        return data

    return unstructure


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, RevoxModel)


converter.register_structure_hook_factory(_is_model, _structure_model_factory)
converter.register_unstructure_hook_factory(_is_model, _unstructure_model_factory)


def _union_args(t: Any) -> tuple[Any, ...]:
    if get_origin(t) in (Union, types.UnionType):
        return get_args(t)
    return ()


def _open_enum(t: Any) -> type[enum.Enum] | None:
    """The Enum class of an ``SomeEnum | str`` (optionally ``| None``) annotation."""
    args = _union_args(t)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    if len(enums) == 1 and str in args and set(args) <= {enums[0], str, type(None)}:
        return enums[0]
    return None


def _structure_open_enum_factory(t: Any) -> Callable[[Any, Any], Any]:
    enum_cls = _open_enum(t)
    assert enum_cls is not None
    members = enum_cls._value2member_map_
    allows_none = type(None) in _union_args(t)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            return members.get(value, value)
        if value is None and allows_none:
            return None
        raise TypeError(f"expected a string for {enum_cls.__name__}, got {type(value).__name__}")

    return structure


converter.register_structure_hook_factory(
    lambda t: _open_enum(t) is not None, _structure_open_enum_factory
)


# A date and a time of day, with optional seconds, milliseconds or microseconds, and zone. Not
# a bare date, nor the other forms only some Pythons read: what is a timestamp must not depend
# on the Python running the SDK.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{3}([0-9]{3})?)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def parse_timestamp(value: Any) -> Any:
    """An aware datetime for ISO 8601 date-time text; any other value unchanged."""
    if not (isinstance(value, str) and _DATE_TIME.fullmatch(value)):
        return value
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_timestamp(value: datetime) -> str:
    """ISO 8601 as the API writes it: UTC with milliseconds and ``Z``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if value.utcoffset():
        return value.isoformat()
    utc = value.astimezone(timezone.utc).replace(tzinfo=None)
    spec = "milliseconds" if utc.microsecond % 1000 == 0 else "microseconds"
    return utc.isoformat(timespec=spec) + "Z"


converter.register_structure_hook_func(lambda t: t == Timestamp, lambda v, _: parse_timestamp(v))
converter.register_unstructure_hook(datetime, format_timestamp)


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


def _is_count(t: Any) -> bool:
    args = set(_union_args(t))
    return {int, float} <= args <= {int, float, type(None)}


def _structure_count_factory(t: Any) -> Callable[[Any, Any], Any]:
    allows_none = type(None) in _union_args(t)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if value is None and allows_none:
            return None
        raise TypeError(f"expected a number, got {value!r}")

    return structure


converter.register_structure_hook_factory(_is_count, _structure_count_factory)
converter.register_structure_hook(str, _strict(str, str))
converter.register_structure_hook(bool, _strict(bool, bool))
converter.register_structure_hook(float, _strict(float, int, float))
converter.register_structure_hook(int, _structure_int)


tagged_unions: dict[Any, tuple[str, Mapping[str, type[RevoxModel]], type[RevoxModel]]] = {}
"""Each registered tagged union: its tag field, its classes by tag value, its fallback."""


def register_tagged_union(
    union: Any, *, tag: str, variants: Mapping[str, type[RevoxModel]], fallback: type[RevoxModel]
) -> None:
    """Structure ``union`` by the value of its ``tag`` field; unknown tags give ``fallback``."""

    tagged_unions[union] = (tag, variants, fallback)

    def structure(data: Any, _: Any) -> RevoxModel:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        tag_value = data.get(tag)
        cls = variants.get(tag_value, fallback) if isinstance(tag_value, str) else fallback
        result: RevoxModel = converter.structure(data, cls)
        return result

    converter.register_structure_hook_func(lambda t: t == union, structure)


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` (a model, ``list[Model]``, ...) from decoded JSON."""
    result: T = converter.structure(data, cls)
    return result


def detailed_structure(data: Any, cls: type[T]) -> T:
    """:func:`structure` by the detailed path alone, as it was before the fast path existed.

    Not thread-safe: for tests that compare the two paths.
    """
    global _fast_enabled
    _fast_enabled = False
    try:
        return structure(data, cls)
    finally:
        _fast_enabled = True


@attrs.frozen
class Rules:
    """What the fast path must know of the converter's rules to give the same results."""

    converter: cattrs.Converter
    open_enum: Callable[[Any], type[enum.Enum] | None]
    is_count: Callable[[Any], bool]
    tagged_unions: Mapping[Any, tuple[str, Mapping[str, type[RevoxModel]], type[RevoxModel]]]
    parse_timestamp: Callable[[Any], Any]
    format_timestamp: Callable[[datetime], str]


RULES = Rules(
    converter=converter,
    open_enum=_open_enum,
    is_count=_is_count,
    tagged_unions=tagged_unions,
    parse_timestamp=parse_timestamp,
    format_timestamp=format_timestamp,
)


def describe_error(exc: Exception) -> str:
    """A one-line account of why structuring failed, with the JSON path of each problem."""
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return "; ".join(cattrs.transform_error(exc))
    return str(exc)
