"""The base of every model: unknown fields kept, explicit nulls remembered, ``to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from typing_extensions import Self

from ._structure.base import ApiEnum, Count, ModelBase, Timestamp, wire
from ._structure.converter import structure, unstructure

__all__ = ["ApiEnum", "Count", "RevoxModel", "Timestamp", "wire"]


@attrs.frozen(kw_only=True)
class RevoxModel(ModelBase):
    """Base of every response object.

    ``extra`` holds the fields this version of the SDK does not know yet, so an API that grows
    never breaks parsing and :meth:`to_dict` writes them back unchanged.
    """

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build this model from JSON-decoded data (a webhook payload, a stored response).

        The rules are those of responses: unknown fields go to ``extra``, unknown enum values
        stay strings, and a missing required field raises.
        """
        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict for this object, with the API's field names."""
        return unstructure(self)
