"""What every part of the fake's store shares: the store it belongs to, and its helpers.

Records are plain JSON-shaped dicts. Handlers pass in request bodies that were already
type-checked, and get back wire-ready dicts (deep copies, so callers may mutate them).
Domain failures raise :class:`ErrorReply` carrying the HTTP status to answer with.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from .._clock import FakeClock, isoformat
from .._lifecycle import Lifecycle
from .._wire import JSON, ErrorReply

if TYPE_CHECKING:
    from . import Store

R = TypeVar("R")


class Part:
    """One resource's behaviour; it reaches the other resources through the store."""

    def __init__(self, store: Store) -> None:
        self.store: Store = store

    @property
    def clock(self) -> FakeClock:
        return self.store.clock

    @property
    def lifecycle(self) -> Lifecycle:
        return self.store.lifecycle

    @property
    def organization_id(self) -> str:
        return self.store.organization_id

    def _now(self) -> str:
        return isoformat(self.clock.now())

    def _today(self) -> str:
        return self.clock.now().date().isoformat()

    def _member(self) -> JSON:
        return {k: self.store.user[k] for k in ("id", "email", "first_name", "last_name")}

    def _referenced_assistant(self, field: str, assistant_id: str) -> JSON:
        """The assistant a request field points at; a 422 naming the field if it is unknown."""
        assistant = self.store.assistants.get(assistant_id)
        if assistant is None:
            raise ErrorReply(422, f"{field}: no assistant with id {assistant_id}")
        return assistant

    def _default_from_number(self, *candidates: str | None) -> str:
        """The first given caller id, else the organization's first number."""
        owned = (str(p["phone_number"]) for p in self.store.phone_numbers.values())
        for number in (*candidates, *owned):
            if number:
                return number
        raise ErrorReply(422, "from_phone_number: required, the organization has no phone number")


class Records(Part, Mapping[str, R]):
    """A part that reads as the mapping of its records by id; its methods change them."""

    def __init__(self, store: Store, records: dict[str, R]) -> None:
        super().__init__(store)
        self.records: dict[str, R] = records

    def __getitem__(self, ident: str) -> R:
        return self.records[ident]

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)
