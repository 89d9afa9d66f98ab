"""The one rule that turns values read from the API into values a request takes.

A response carries more than a request may: fields only the server writes (an FAQ item's
``id``, timestamps), fields this SDK version does not know (kept in ``extra``), and ``null``
where the request wants a value or nothing. Driven by the request shapes of ``_shapes``, a
nested value keeps the fields the request takes, drops the others (with a DEBUG log line naming
each), drops a ``null`` the request does not take, and sends ``null`` for a required field that
takes it. A required field that is still missing is an error naming its path, raised before
anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._logging import logger
from ._shapes import SHAPES, Field, TaggedShape, object_shape


def fit(value: Any, field: Field, where: str) -> Any:
    """``value`` (JSON) reduced to what ``field`` of a request takes; errors name ``where``."""
    if field.shape is None or value is None:
        return value
    if isinstance(value, list):
        return [_fit_object(item, field.shape, f"{where}[{i}]") for i, item in enumerate(value)]
    return _fit_object(value, field.shape, where)


def _fit_object(value: Any, shape_name: str, where: str) -> Any:
    tagged = SHAPES[shape_name]
    if not isinstance(value, Mapping):
        return value
    if isinstance(tagged, TaggedShape):
        tag = value.get(tagged.tag)
        variant = tagged.variants.get(tag) if isinstance(tag, str) else None
        if variant is None:
            # A kind added after this SDK: its fields are unknown here, and the server that
            # sent it knows them, so it goes back as it came.
            return value
        shape_name = variant
    shape = object_shape(shape_name)
    out: dict[str, Any] = {}
    for key, item in value.items():
        field = shape.fields.get(key)
        if field is None:
            logger.debug("%s.%s left out: requests do not take this field", where, key)
        elif item is not None or field.nullable:
            out[key] = fit(item, field, f"{where}.{key}")
    for key in sorted(shape.required - out.keys()):
        if not shape.fields[key].nullable:
            raise ValueError(f"{where}.{key} is required, and the value given has none")
        out[key] = None
    return out
