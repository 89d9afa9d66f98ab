"""Small shared types."""

from __future__ import annotations

import enum
from typing import Final, Literal


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`: "leave this option as it is" in ``with_options``."""

    NOT_GIVEN = "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
