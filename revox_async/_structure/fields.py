"""What the structuring paths need to know of a model's fields, worked out once per class.

The fast path and the detailed cattrs path read the same facts, so they cannot disagree on a
wire name, a union's arms or which fields are bookkeeping.
"""

from __future__ import annotations

import enum
import functools
import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from .base import ModelBase, Timestamp

SKIPPED = ("extra", "_wire")
"""The bookkeeping fields of every model, filled from the JSON as a whole, not from one key."""


def union_args(t: Any) -> tuple[Any, ...]:
    """The arms of a union annotation; empty for anything else."""
    if get_origin(t) in (Union, types.UnionType):
        return get_args(t)
    return ()


def without_none(t: Any) -> Any:
    """``t`` less its ``None`` arm."""
    args = union_args(t)
    if type(None) not in args:
        return t
    rest = tuple(a for a in args if a is not type(None))
    return rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 (built at run time)


def allows_none(t: Any) -> bool:
    return t is Any or t == Timestamp or type(None) in union_args(t)


def is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, ModelBase)


def holds_model(t: Any) -> bool:
    """Whether a model appears anywhere in ``t`` (``list[X]``, ``X | None``, ...)."""
    if isinstance(t, type):
        return issubclass(t, ModelBase)
    return any(holds_model(arg) for arg in getattr(t, "__args__", ()))


def is_list(t: Any) -> bool:
    return get_origin(t) is list and len(get_args(t)) == 1


def open_enum(t: Any) -> type[enum.Enum] | None:
    """The Enum class of an ``SomeEnum | str`` (optionally ``| None``) annotation."""
    args = union_args(t)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    if len(enums) == 1 and str in args and set(args) <= {enums[0], str, type(None)}:
        return enums[0]
    return None


def is_count(t: Any) -> bool:
    """Whether ``t`` is a :data:`~revox_async._structure.base.Count`, optionally ``| None``."""
    args = set(union_args(t))
    return {int, float} <= args <= {int, float, type(None)}


def has_enum(t: Any) -> bool:
    return (isinstance(t, type) and issubclass(t, enum.Enum)) or any(map(has_enum, get_args(t)))


@attrs.frozen
class TaggedUnion:
    """A union of models told apart by the value of one field."""

    tag: str
    variants: Mapping[str, type[ModelBase]]
    fallback: type[ModelBase]


@functools.cache
def tagged_union(t: Any) -> TaggedUnion | None:
    """The tagged union ``t`` is, if it is one.

    A union of models is tagged when each arm but one gives a common field one ``Literal``
    string, and the remaining arm types that field as ``str``: it takes the unknown tags.
    """
    arms = union_args(t)
    if len(arms) < 2 or not all(is_model(arm) for arm in arms):
        return None
    fields = [attrs.fields_dict(attrs.resolve_types(arm)) for arm in arms]
    for name in set.intersection(*(set(f) for f in fields)):
        variants: dict[str, type[ModelBase]] = {}
        fallbacks = []
        for arm, arm_fields in zip(arms, fields, strict=True):
            field = arm_fields[name]
            values = get_args(field.type) if get_origin(field.type) is Literal else ()
            if len(values) == 1 and isinstance(values[0], str):
                variants[values[0]] = arm
            elif field.type is str:
                fallbacks.append(arm)
        if variants and len(fallbacks) == 1 and len(variants) == len(arms) - 1:
            return TaggedUnion(wire_name(fields[0][name]), variants, fallbacks[0])
    return None


def wire_name(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("wire", field.name))


def construction_blockers(cls: type) -> list[str]:
    """Why instances of ``cls`` must be built by ``__init__``; empty when they need not be.

    ``__init__`` may be skipped only where it provably does nothing but store the values given.
    """
    blockers = []
    code = getattr(vars(cls).get("__init__"), "__code__", None)
    if code is None or "attrs generated" not in code.co_filename:
        blockers.append("__init__ is not the one attrs generates")
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            blockers.append(f"has {hook}")
    if any("__new__" in vars(klass) for klass in cls.__mro__[:-1]):
        blockers.append("overrides __new__")
    slots = {name for klass in cls.__mro__ for name in vars(klass).get("__slots__", ())}
    others = slots - {f.name for f in attrs.fields(cls)} - {"__weakref__", "__dict__"}
    if others:  # a cached hash, for one, which __init__ would reset
        blockers.append(f"has slots that are not fields: {', '.join(sorted(others))}")
    for field in attrs.fields(cls):
        if field.validator is not None:
            blockers.append(f"field {field.name!r} has a validator")
        if field.converter is not None:
            blockers.append(f"field {field.name!r} has a converter")
        if not field.init:
            blockers.append(f"field {field.name!r} is init=False")
        if isinstance(field.default, attrs.Factory) and field.default.takes_self:  # type: ignore[arg-type]
            blockers.append(f"field {field.name!r} has a default that takes self")
    return blockers


@attrs.frozen
class FieldFacts:
    """One data field of a model, as both structuring paths see it."""

    name: str
    alias: str
    wire: str
    type: Any
    default: Any
    optional: bool
    """Its default is None: an explicit null from the server is remembered for ``to_dict()``."""
    nullable: bool
    """Optional, and its type admits None: the fast path takes a null without a hook."""
    timestamp: bool
    open_enum: type[enum.Enum] | None
    """The enum of an ``Enum | str`` field or of its list items, whose unknown values it keeps."""
    has_enum: bool


@attrs.frozen
class ClassFacts:
    cls: type[ModelBase]
    fields: tuple[FieldFacts, ...]
    known: frozenset[str]
    """The wire names of the fields."""
    plain: bool
    """Instances may be built without ``__init__``."""


def _field_facts(field: attrs.Attribute[Any]) -> FieldFacts:
    t = field.type
    inner = without_none(t)
    enum_cls = open_enum(inner) or (open_enum(get_args(inner)[0]) if is_list(inner) else None)
    return FieldFacts(
        name=field.name,
        alias=field.alias or field.name,
        wire=wire_name(field),
        type=t,
        default=field.default,
        optional=field.default is None,
        nullable=field.default is None and allows_none(t),
        timestamp=t == Timestamp,
        open_enum=enum_cls,
        has_enum=has_enum(t),
    )


_facts: dict[type[ModelBase], ClassFacts] = {}


def class_facts(cls: type[ModelBase]) -> ClassFacts:
    facts = _facts.get(cls)
    if facts is None:
        facts = _facts[cls] = _class_facts(cls)
    return facts


def _class_facts(cls: type[ModelBase]) -> ClassFacts:
    fields = tuple(
        _field_facts(f) for f in attrs.fields(attrs.resolve_types(cls)) if f.name not in SKIPPED
    )
    return ClassFacts(
        cls=cls,
        fields=fields,
        known=frozenset(f.wire for f in fields),
        plain=not construction_blockers(cls),
    )
