"""CSV exports: searched calls (one line per attempt) and the rows of a campaign."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from .._clock import seconds_between
from .._lifecycle import CallRecord
from .._wire import JSON

_CALL_COLUMNS = (
    "call_id",
    "attempt_id",
    "direction",
    "from_phone_number",
    "to_phone_number",
    "status",
    "result",
    "outcome",
    "started_at",
    "ended_at",
    "duration_seconds",
)


def calls_csv(calls: list[JSON], include_metadata: bool, include_structured: bool) -> str:
    """Rendered calls, one line per attempt; a call never dialed still gets its line."""
    records: list[JSON] = []
    for call in calls:
        for attempt in call["call_attempts"] or [{}]:
            record = {
                "call_id": call["id"],
                "attempt_id": attempt.get("id"),
                "direction": call["direction"],
                "from_phone_number": call["from_phone_number"],
                "to_phone_number": call["to_phone_number"],
                "status": call["status"],
                "result": attempt.get("result"),
                "outcome": call["outcome"],
                "started_at": attempt.get("started_at"),
                "ended_at": attempt.get("ended_at"),
                "duration_seconds": seconds_between(
                    attempt.get("started_at"), attempt.get("ended_at")
                ),
            }
            if include_metadata:
                record.update(call["metadata"] or {})
            if include_structured:
                record.update(attempt.get("structured_output") or {})
            records.append(record)
    return _to_csv(_CALL_COLUMNS, records)


def campaign_rows_csv(rows: list[JSON], calls: Mapping[str, CallRecord]) -> str:
    """A campaign's rows: their input data, then how their call went."""
    inputs = dict.fromkeys(k for row in rows for k in row["input_data"])
    columns = ["row_index", "phone_number", *inputs, "call_status", "outcome", "attempts"]
    records: list[JSON] = []
    for row in rows:
        call = calls[row["call_id"]]
        structured: JSON = next(
            (a["structured_output"] for a in call.attempts if a["structured_output"]), {}
        )
        record: JSON = {"row_index": row["row_index"], **row["input_data"]}
        record.update(
            call_status=call.status,
            outcome=call.data.get("outcome"),
            attempts=len(call.attempts),
            **structured,
        )
        records.append(record)
    return _to_csv(columns, records)


def _to_csv(leading: Sequence[str], records: list[JSON]) -> str:
    columns = list(dict.fromkeys([*leading, *(k for r in records for k in r)]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record.get(c)) for c in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
