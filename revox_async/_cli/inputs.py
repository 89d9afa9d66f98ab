"""What is typed on the command line, checked and converted before any request is made.

Values are argparse ``type`` functions, so a mistake is a usage error naming the option and the
expected form. Files are read when the command runs, not while the arguments are parsed, and
their mistakes are :class:`UsageError` too.
"""

from __future__ import annotations

import csv
import io
import json
import math
from argparse import ArgumentTypeError
from datetime import datetime
from pathlib import Path
from typing import Any

from .._structure.timestamps import parse_timestamp
from ..resources._checks import E164
from .errors import UsageError

PHONE_COLUMN = "phone_number"


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_seconds(text: str) -> float:
    """A finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value):
        raise ArgumentTypeError(f"expected a finite number of seconds, got {text}")
    if not value > 0:
        raise ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def aware_datetime(text: str) -> datetime:
    """An ISO 8601 time with its timezone, such as ``2025-03-14T09:30:00+01:00`` or ``...Z``."""
    example = "2025-03-14T09:30:00+01:00 or 2025-03-14T08:30:00Z"
    cleaned = text.strip()
    # The SDK's grammar, not datetime.fromisoformat alone, which reads more forms (and a
    # trailing "Z") only from Python 3.11 on.
    if not isinstance(parse_timestamp(cleaned), datetime):
        raise ArgumentTypeError(f"{text!r} is not an ISO 8601 time; write it like {example}")
    if cleaned.endswith(("z", "Z")):
        cleaned = cleaned[:-1] + "+00:00"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        raise ArgumentTypeError(f"{text!r} has no timezone; add one, like {example}")
    return moment


def name_value(text: str) -> tuple[str, str]:
    """``NAME=VALUE``: the value may hold further ``=`` signs, the name may not be empty."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ArgumentTypeError(f"expected NAME=VALUE, such as first_name=Marie; got {text!r}")
    return name.strip(), value


def text_file(path: str) -> str:
    """The whole text of a UTF-8 file."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def settings_file(path: str) -> dict[str, Any]:
    """A JSON object of settings, keyed by the API's field names."""
    try:
        settings = json.loads(text_file(path))
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(settings, dict):
        raise UsageError(f"{path} must hold a JSON object of settings by field name")
    return settings


def contacts_file(path: str) -> list[dict[str, Any]]:
    """Campaign contacts from a CSV file.

    The header row names a ``phone_number`` column (E.164 numbers); every other column becomes
    a prompt variable of that name. Commas, semicolons and tabs all work as separators.
    """
    text = text_file(path)
    first_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    if not any(header):
        raise UsageError(f"{path} is empty; its first line must name the columns")
    if PHONE_COLUMN not in header:
        raise UsageError(f"{path} has no {PHONE_COLUMN} column (its columns: {', '.join(header)})")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated or "" in header:
        what = f"the column {repeated[0]!r} twice" if repeated else "a column without a name"
        raise UsageError(f"{path} has {what} in its header")
    contacts = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path} line {reader.line_num}"
        if len(cells) != len(header):
            raise UsageError(
                f"{where} has {len(cells)} cells; the header has {len(header)} columns"
            )
        row = dict(zip(header, cells, strict=True))
        number = row.pop(PHONE_COLUMN).strip()
        if not E164.fullmatch(number):
            raise UsageError(
                f"{where}: {PHONE_COLUMN} {number!r} is not an E.164 number such as +33612345678"
            )
        contacts.append({"to_phone_number": number, "prompt_variables": row})
    if not contacts:
        raise UsageError(f"{path} has no contacts below its header")
    return contacts
