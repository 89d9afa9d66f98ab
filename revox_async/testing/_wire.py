"""What the application and the store exchange: JSON objects and the errors the API answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

JSON = dict[str, Any]

T = TypeVar("T")


class ErrorReply(Exception):
    """Raised where the fake refuses a request: the HTTP status and message it answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(kind: str, ident: str) -> ErrorReply:
    return ErrorReply(404, f"{kind} not found: {ident}")


def find(records: Mapping[str, T], kind: str, ident: str) -> T:
    """The record with id ``ident``, or the 404 that names what was missing."""
    record = records.get(ident)
    if record is None:
        raise not_found(kind, ident)
    return record
