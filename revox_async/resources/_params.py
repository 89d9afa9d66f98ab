"""Keyword arguments to JSON bodies, checked before anything is sent; what resources share.

Each endpoint declares its keyword arguments once, as a ``TypedDict``; this module reads those
annotations to reject unknown names and wrong types, and to turn nested models (or plain dicts,
checked by building the model) into JSON. A key the caller did not pass is not sent; ``None``
is sent as ``null``. A key of a nested dict must be a field of its model: a misspelt one is
refused with the close matches, at any depth. Nested values are then reduced to what the request
takes (see ``_request_values``). What comes out is strict JSON: no NaN or infinity, string keys
only, text that UTF-8 can carry.

The request pieces several resources use live here too: :data:`Nested` and the assistant body,
which ``calls.create`` sends inline.
"""

from __future__ import annotations

import difflib
import enum
import functools
import math
import types
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Union, cast, get_args, get_origin, get_type_hints

import attrs
from typing_extensions import Required

from .._model import RevoxModel
from .._structure.converter import describe_error, structure
from .._structure.fields import SKIPPED, tagged_union
from .._structure.timestamps import format_timestamp
from ._checks import check_assistant_body
from ._request_values import fit
from ._shapes import object_shape

Nested = Mapping[str, Any]
"""A nested object may be given as its model or as a plain dict with the API's field names."""


@functools.cache
def _hints(spec: type) -> tuple[dict[str, Any], frozenset[str]]:
    # Read Required[...] from the annotations themselves: with postponed evaluation of
    # annotations, TypedDict's own __required_keys__ misses them on older Pythons.
    hints = get_type_hints(spec, include_extras=True)
    required = frozenset(k for k, v in hints.items() if get_origin(v) is Required)
    return {k: get_args(v)[0] if k in required else v for k, v in hints.items()}, required


def prepare(
    method: str, params: Mapping[str, Any], spec: type, shape: str | None = None
) -> dict[str, Any]:
    """The JSON body for ``params``, the keyword arguments of ``method`` declared by ``spec``.

    ``shape`` names the request's input object in ``_shapes``: nested values are then reduced
    to what the request takes.
    """
    hints, required = _hints(spec)
    unknown = sorted(set(params) - set(hints))
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
    missing = sorted(required - set(params))
    if missing:
        raise TypeError(f"{method}() missing required keyword argument {missing[0]!r}")
    body = {key: to_json(value, hints[key], f"{method}: {key}") for key, value in params.items()}
    if shape is not None:
        fields = object_shape(shape).fields
        body = {key: fit(value, fields[key], f"{method}: {key}") for key, value in body.items()}
    for key, value in body.items():
        check_json(value, f"{method}: {key}")
    return body


def check_json(value: Any, where: str) -> None:
    """Refuse what ``json.dumps`` would write as invalid JSON, or could not write at all.

    Values typed ``Any`` (free-form fields of nested objects) reach the body unchecked otherwise.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where} must be text UTF-8 can encode, got {value!r}") from None
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} must be a finite number, got {value!r}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} keys must be strings, got {type(key).__name__}")
            check_json(key, f"{where} key")
            check_json(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_json(item, f"{where}[{i}]")
    elif value is not None and not isinstance(value, (bool, int)):
        raise TypeError(
            f"{where} must be JSON (text, number, list, ...), got {type(value).__name__}"
        )


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def to_json(value: Any, annotation: Any, where: str) -> Any:
    """``value`` as JSON, checked against ``annotation``; errors name ``where``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return _union_to_json(value, get_args(annotation), where)
    if annotation is Any:
        return value
    if value is None:
        raise TypeError(f"{where} must not be None")
    if origin is Literal:
        if value not in get_args(annotation):
            raise ValueError(f"{where} must be one of {list(get_args(annotation))}, got {value!r}")
        return value
    if origin in (list, Sequence):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{where} must be a list, got {type(value).__name__}")
        (item,) = get_args(annotation)
        return [to_json(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin in (dict, Mapping) or annotation is dict:
        if not isinstance(value, Mapping):
            raise TypeError(f"{where} must be a mapping, got {type(value).__name__}")
        key_type, item_type = get_args(annotation) or (Any, Any)
        return {
            to_json(key, key_type, f"{where} key"): to_json(item, item_type, f"{where}.{key}")
            for key, item in value.items()
        }
    if isinstance(annotation, type) and issubclass(annotation, RevoxModel):
        return _model_to_json(value, annotation, (annotation,), where)
    return _primitive_to_json(value, annotation, where)


def _union_to_json(value: Any, arms: tuple[Any, ...], where: str) -> Any:
    if value is None:
        if type(None) in arms:
            return None
        raise TypeError(f"{where} must not be None")
    models = tuple(a for a in arms if isinstance(a, type) and issubclass(a, RevoxModel))
    if models:
        return _model_to_json(value, Union[models], models, where)  # noqa: UP007
    enums = [a for a in arms if isinstance(a, type) and issubclass(a, enum.Enum)]
    if enums and isinstance(value, str):
        return value.value if isinstance(value, enum.Enum) else value
    if datetime in arms and isinstance(value, datetime):
        return format_timestamp(value)
    errors = []
    for arm in arms:
        if arm is type(None):
            continue
        try:
            return to_json(value, arm, where)
        except (TypeError, ValueError) as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    expected = " or ".join(_type_name(a) for a in arms)
    raise TypeError(f"{where} must be {expected}, got {type(value).__name__}")


def _model_to_json(value: Any, target: Any, models: tuple[type, ...], where: str) -> Any:
    if isinstance(value, RevoxModel) and isinstance(value, models):
        return value.to_dict()
    if not isinstance(value, Mapping):
        names = " or ".join(m.__name__ for m in models)
        raise TypeError(f"{where} must be a {names} or a dict, got {type(value).__name__}")
    check_keys(value, target, where)
    try:
        model: RevoxModel = structure(value, target)
    except Exception as exc:
        raise ValueError(f"{where}: {describe_error(exc)}") from None
    return model.to_dict()


_PRIMITIVES: dict[Any, tuple[type, ...]] = {
    str: (str,),
    bool: (bool,),
    int: (int,),
    float: (int, float),
}


def _primitive_to_json(value: Any, annotation: Any, where: str) -> Any:
    accepted = _PRIMITIVES.get(annotation)
    if accepted is None:
        raise TypeError(f"{where}: unsupported parameter type {_type_name(annotation)}")
    if not isinstance(value, accepted) or (annotation is not bool and isinstance(value, bool)):
        raise TypeError(f"{where} must be {_type_name(annotation)}, got {type(value).__name__}")
    if isinstance(value, enum.Enum):
        return value.value
    return value


def check_keys(value: Mapping[str, Any], target: Any, where: str) -> None:
    """Refuse a key of ``value`` (a dict given for the model or tagged union ``target``) that
    is no field of the model, at any depth.

    Structuring alone would keep such a key in ``extra``, as it must for responses, and so send
    a typo. A kind of tagged union this SDK does not know has no known fields to check.
    """
    cls = _model_class(value, target)
    if cls is None:
        return
    fields = _wire_fields(cls)
    for key, item in value.items():
        if key not in fields:
            names = sorted(fields)
            close = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "its keys are " + ", ".join(names)
            raise TypeError(f"{where} got an unexpected key {key!r}; {hint}")
        nested = fields[key]
        if nested is not None:
            _check_nested(item, nested, f"{where}.{key}")


def _check_nested(value: Any, target: Any, where: str) -> None:
    if isinstance(value, Mapping):
        check_keys(value, target, where)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                check_keys(item, target, f"{where}[{i}]")


def _model_class(value: Mapping[str, Any], target: Any) -> type[RevoxModel] | None:
    if isinstance(target, type) and issubclass(target, RevoxModel):
        return target
    union = tagged_union(target)
    if union is not None:
        tag_value = value.get(union.tag)
        variant = union.variants.get(tag_value) if isinstance(tag_value, str) else None
        return cast("type[RevoxModel] | None", variant)
    return None


_fields_of: dict[type[RevoxModel], dict[str, Any]] = {}


def _wire_fields(cls: type[RevoxModel]) -> dict[str, Any]:
    """The model's fields by JSON name, each with the model (or tagged union) its value, or
    each item of its list, is built as; ``None`` for other values."""
    fields = _fields_of.get(cls)
    if fields is None:
        fields = _fields_of[cls] = {
            str(f.metadata.get("wire", f.name)): _nested_model(f.type)
            for f in attrs.fields(attrs.resolve_types(cls))
            if f.name not in SKIPPED
        }
    return fields


def _nested_model(annotation: Any) -> Any:
    if tagged_union(annotation) is not None or (
        isinstance(annotation, type) and issubclass(annotation, RevoxModel)
    ):
        return annotation
    origin = get_origin(annotation)
    if origin is list:
        return _nested_model(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        arms = [a for a in get_args(annotation) if a is not type(None)]
        if len(arms) == 1:
            return _nested_model(arms[0])
    return None


def assistant_body(
    method: str, params: Mapping[str, Any], spec: type, shape: str
) -> dict[str, Any]:
    """An assistant's settings as a checked JSON body: an assistant alone or inline in a call."""
    body = prepare(method, params, spec, shape)
    check_assistant_body(body, method)
    return body
