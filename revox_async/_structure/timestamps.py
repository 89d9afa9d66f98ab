"""Timestamp text to aware datetimes and back, as the API writes them."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

# A date and a time of day, with optional seconds, milliseconds or microseconds, and zone. Not
# a bare date, nor the other forms only some Pythons read: what is a timestamp must not depend
# on the Python running the SDK.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{3}([0-9]{3})?)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)

# The form the API writes every timestamp in (JavaScript's toISOString). Such text needs no
# format-and-compare to know to_dict() gives it back. ``[0-9]``, not ``\d``, which also matches
# other scripts' digits; hours stop at 23, as some Pythons read "24:00" as the next midnight.
is_canonical = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"
).fullmatch


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
