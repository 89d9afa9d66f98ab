"""The types models are written with, and the fields every model carries for the converter.

This module imports nothing of structuring, so the converter can recognise models and
timestamps by these names while ``_model.RevoxModel`` reaches the converter without a circle.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, TypeAlias

import attrs

Timestamp: TypeAlias = datetime | Any
"""A field the API leaves untyped but fills with ISO 8601 timestamps.

It holds an aware :class:`~datetime.datetime` when the server sent a timestamp, and the raw JSON
value otherwise (older pages of the API show ``{}`` there), so nothing the server said is lost.
"""

Count: TypeAlias = int | float
"""A count the API types as a JSON ``number`` rather than an integer.

It is an :class:`int` whenever the value is whole, as sent (``3``) or not (``3.0``); a value with
a fraction stays the :class:`float` it is, as the SDK keeps whatever else the server sends rather
than failing the whole response.
"""


class ApiEnum(str, enum.Enum):
    """Base of the API's enumerations: members are their text, and print as it.

    A ``(str, Enum)`` member compares equal to its value, but ``str()`` gives
    ``CallStatus.COMPLETED``, and ``format()`` changed from the value to that name in Python 3.11.
    Both are pinned here to the value, so ``print``, f-strings and ``%s`` show what the API sent
    on every Python.
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


def wire(name: str) -> dict[str, str]:
    """Field metadata for an attribute whose JSON name differs (the API mixes in camelCase)."""
    return {"wire": name}


@attrs.frozen
class WireForm:
    """How the server wrote what a model's attributes do not show, so that ``to_dict()`` writes
    it back the same way."""

    nulls: frozenset[str] = frozenset()
    """Optional attributes the server sent as an explicit null. An optional attribute left None
    is omitted by ``to_dict()``, so a model built by hand sends no nulls it was not given, while
    a parsed one round-trips exactly."""
    timestamps: tuple[tuple[str, datetime, str], ...] = ()
    """Timestamps the server wrote in another form than ``to_dict()`` would (an offset, no
    milliseconds, no zone): attribute, parsed value, text. While the attribute still holds that
    very value, ``to_dict()`` writes the text back unchanged."""


PLAIN_WIRE = WireForm()
"""The form of most objects: no explicit nulls, every timestamp in the canonical form. Shared,
as a big list would otherwise cost an object per model."""


@attrs.frozen(kw_only=True)
class ModelBase:
    """The bookkeeping fields of every model; ``RevoxModel`` adds the public methods."""

    # Compared, not hashed: a dict cannot be, and equal models have equal extras anyway.
    extra: dict[str, Any] = attrs.field(factory=dict, repr=False, hash=False)
    # One private field, not one per kind of fact: each field costs every model a slot to fill.
    _wire: WireForm = attrs.field(default=PLAIN_WIRE, repr=False, eq=False, alias="_wire")
