"""The packaged seed data: the user, the provider voice catalog and a demo organization."""

from __future__ import annotations

import json
from importlib import resources

from .._clock import parse_datetime
from .._lifecycle import CallRecord
from .._wire import JSON


def load_seed() -> JSON:
    text = resources.files(__package__).joinpath("seed_data.json").read_text("utf-8")
    seed: JSON = json.loads(text)
    return seed


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
