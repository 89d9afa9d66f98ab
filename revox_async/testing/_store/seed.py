"""The packaged seed data: the user, the provider voice catalog and a demo organization."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

from .._clock import isoformat, parse_datetime
from .._lifecycle import CallRecord
from .._wire import JSON

SEED_NOW = datetime(2025, 3, 14, 17, 0, 0, tzinfo=timezone.utc)
"""The moment the seed data was written at: its timestamps keep their distance from it."""


def load_seed(now: datetime) -> JSON:
    """The seed data, its timestamps moved so that ``SEED_NOW`` falls on ``now``."""
    text = resources.files(__package__).joinpath("seed_data.json").read_text("utf-8")
    seed: JSON = _shifted(json.loads(text), now - SEED_NOW)
    return seed


def _shifted(value: Any, shift: timedelta, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _shifted(v, shift, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(item, shift, key) for item in value]
    if key.endswith("_at") and isinstance(value, str):
        return isoformat(parse_datetime(value) + shift)
    return value


def seed_calls(records: list[JSON]) -> dict[str, CallRecord]:
    """The seed's calls as stored, the scheduled ones due when the seed schedules them."""
    calls: dict[str, CallRecord] = {}
    for data in records:
        data = dict(data)
        call = CallRecord(
            data=data,
            assistant_id=data.pop("assistant_id"),
            campaign_id=data.pop("campaign_id"),
        )
        if call.status == "scheduled":
            call.due_at = parse_datetime(data["scheduled_at"])
        calls[call.id] = call
    return calls
