"""Campaigns: creating them with their rows, launching, pausing, cancelling and exporting them."""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._clock import isoformat, parse_optional_datetime
from .._lifecycle import TERMINAL_STATUSES, CallRecord
from .._wire import JSON, ErrorReply, find
from .campaign_stats import (
    HOT_OUTCOMES,
    campaign_statistics,
    campaign_status,
    extraction_state,
    funnel_stats,
    row_stats,
)
from .core import Records
from .exports import campaign_rows_csv

if TYPE_CHECKING:
    from . import Store


class CampaignStore(Records[JSON]):
    """The ``/campaigns`` behaviour of the store: a campaign owns one call per row."""

    def __init__(self, store: Store, records: dict[str, JSON], rows: dict[str, list[JSON]]) -> None:
        super().__init__(store, records)
        self.rows: dict[str, list[JSON]] = rows

    def get_campaign(self, campaign_id: str) -> JSON:
        return find(self.records, "campaign", campaign_id)

    def campaign_calls(self, campaign_id: str) -> list[CallRecord]:
        return [self.store.calls[r["call_id"]] for r in self.rows.get(campaign_id, [])]

    def _campaign_assistant(self, campaign: JSON) -> JSON | None:
        return self.store.assistants.get(campaign["assistant_id"])

    def list_campaigns(self) -> list[JSON]:
        return [self.render_campaign(c) for c in self.records.values()]

    def render_campaign(self, campaign: JSON) -> JSON:
        calls = self.campaign_calls(campaign["id"])
        assistant = self._campaign_assistant(campaign)
        metadata_keys = dict.fromkeys(k for c in calls for k in (c.data.get("metadata") or {}))
        return {
            "id": campaign["id"],
            "assistant_id": campaign["assistant_id"],
            "created_at": campaign["created_at"],
            "is_cancelled": campaign["is_cancelled"],
            "name": campaign["name"],
            "organization_id": self.organization_id,
            "status": campaign_status(campaign, calls),
            "updated_at": campaign["updated_at"],
            "assistant": copy.deepcopy(assistant),
            "call_retry_config": copy.deepcopy(campaign["call_retry_config"]),
            "created_by": copy.deepcopy(campaign["created_by"]),
            "from_phone_number": campaign["from_phone_number"],
            "funnel_stats": funnel_stats(calls),
            "max_concurrent_calls": campaign["max_concurrent_calls"],
            "metadata_keys": list(metadata_keys),
            "row_stats": row_stats(calls),
            "scheduled_at": campaign["scheduled_at"],
            "structured_output_extraction": extraction_state(assistant, calls),
        }

    def create_campaign(self, body: Mapping[str, Any]) -> JSON:
        assistant = self._referenced_assistant("assistant_id", body["assistant_id"])
        from_number = self._default_from_number(
            body.get("from_phone_number"), assistant["from_phone_number"]
        )
        now = self._now()
        campaign: JSON = {
            "id": str(uuid.uuid4()),
            "assistant_id": assistant["id"],
            "created_at": now,
            "is_cancelled": False,
            "paused": False,
            "name": body["name"],
            "updated_at": now,
            "call_retry_config": copy.deepcopy(body.get("call_retry_config")),
            "created_by": self._member(),
            "from_phone_number": body.get("from_phone_number"),
            "max_concurrent_calls": body.get("max_concurrent_calls"),
            "scheduled_at": None,
        }
        rows: list[JSON] = []
        for index, contact in enumerate(body["contacts"]):
            variables = contact.get("prompt_variables")
            call = self.store.calls.new_call(
                assistant,
                contact["to_phone_number"],
                from_number,
                variables,
                campaign["call_retry_config"],
            )
            call.assistant_id = assistant["id"]
            call.campaign_id = campaign["id"]
            self.store.calls.records[call.id] = call
            rows.append(
                {
                    "id": f"row-{uuid.uuid4()}",
                    "campaign_id": campaign["id"],
                    "call_id": call.id,
                    "input_data": {"phone_number": contact["to_phone_number"], **(variables or {})},
                    "phone_number": contact["to_phone_number"],
                    "row_index": index,
                }
            )
        self.records[campaign["id"]] = campaign
        self.rows[campaign["id"]] = rows
        return self.render_campaign(campaign)

    def update_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> JSON:
        campaign = self.get_campaign(campaign_id)
        campaign.update(copy.deepcopy(dict(body)))
        assistant = self._campaign_assistant(campaign) or {}
        # Settings apply to the calls that still have attempts ahead of them.
        for call in self.campaign_calls(campaign_id):
            if call.status in TERMINAL_STATUSES:
                continue
            if body.get("from_phone_number"):
                call.data["from_phone_number"] = body["from_phone_number"]
            if "call_retry_config" in body:
                config = body["call_retry_config"] or assistant.get("call_retry_config")
                call.data["call_retry_config"] = copy.deepcopy(config)
        campaign["updated_at"] = self._now()
        return self.render_campaign(campaign)

    def delete_campaign(self, campaign_id: str) -> None:
        self.get_campaign(campaign_id)
        for call in self.campaign_calls(campaign_id):
            del self.store.calls.records[call.id]
        del self.records[campaign_id]
        del self.rows[campaign_id]

    def cancel_campaign(self, campaign_id: str) -> None:
        campaign = self.get_campaign(campaign_id)
        campaign.update(is_cancelled=True, paused=False, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            if call.status in ("calling", "post_processing"):
                call.stop_after_attempt = "cancelled"
            elif call.status not in TERMINAL_STATUSES:
                self.store.calls.cancel(call)

    def _active_campaign(self, campaign_id: str, change: str) -> JSON:
        """The campaign unless it was cancelled; else a 409 naming ``change``."""
        campaign = self.get_campaign(campaign_id)
        if campaign["is_cancelled"]:
            raise ErrorReply(409, f"campaign is cancelled and cannot be {change}")
        return campaign

    def pause_campaign(self, campaign_id: str) -> None:
        campaign = self._active_campaign(campaign_id, "paused")
        campaign.update(paused=True, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            self.store.calls.hold(call, "paused")

    def resume_campaign(self, campaign_id: str) -> None:
        campaign = self._active_campaign(campaign_id, "resumed")
        campaign.update(paused=False, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            self.store.calls.resume(call)

    def campaign_rows(self, campaign_id: str) -> list[JSON]:
        self.get_campaign(campaign_id)
        return [
            {
                "id": row["id"],
                "input_data": dict(row["input_data"]),
                "phone_number": row["phone_number"],
                "row_index": row["row_index"],
                "call": self.store.calls.render_call(self.store.calls[row["call_id"]]),
            }
            for row in self.rows[campaign_id]
        ]

    def export_campaign_rows(self, campaign_id: str) -> JSON:
        campaign = self.get_campaign(campaign_id)
        slug = re.sub(r"[^a-z0-9]+", "-", campaign["name"].lower()).strip("-") or "campaign"
        return {
            "csv": campaign_rows_csv(self.rows[campaign_id], self.store.calls),
            "filename": f"{slug}-{self._today()}.csv",
        }

    def launch_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> JSON:
        campaign = self.get_campaign(campaign_id)
        if campaign["is_cancelled"]:
            raise ErrorReply(409, "campaign is cancelled")
        if campaign["paused"]:
            raise ErrorReply(409, "campaign is paused; resume it before launching calls")
        eligible, skipped = self._launch_targets(campaign_id, body["selection"])
        speed_dial = body["mode"] == "speed_dial"
        # A speed-dial operator works through the targets one call at a time.
        launching = eligible[:1] if speed_dial else eligible
        now = self.clock.now()
        start = parse_optional_datetime(body.get("scheduled_at"))
        for call in launching:
            call.data.update(is_completed=False, outcome=None, outcome_summary=None)
            self.lifecycle.enqueue(call, now, start)
        if start is not None:
            campaign["scheduled_at"] = isoformat(start)
        campaign["updated_at"] = isoformat(now)
        session = None
        if speed_dial:
            session = {
                "id": str(uuid.uuid4()),
                "campaign_id": campaign_id,
                "connected_count": 0,
                "created_at": isoformat(now),
                "current_call_id": launching[0].id if launching else None,
                "dialed_count": len(launching),
                "ended_at": None if launching else isoformat(now),
                "in_flight_calls": [self.store.calls.render_call(c) for c in launching],
                "outcome_filter": list(HOT_OUTCOMES),
                "status": "dialing" if launching else "completed",
                "total_targets": len(eligible),
            }
        return {"launched": len(launching), "skipped": skipped, "session": session}

    def _launch_targets(
        self, campaign_id: str, selection: Mapping[str, Any]
    ) -> tuple[list[CallRecord], dict[str, int]]:
        """The selected calls that may be dialed again, and why the others were skipped."""
        picked = set(selection["rows"]["call_ids"])
        only = selection["rows"]["mode"] == "only"
        skipped = {"active": 0, "attempts_exhausted": 0, "cancelled": 0}
        eligible: list[CallRecord] = []
        for call in self.campaign_calls(campaign_id):
            if (call.id in picked) != only or not self.store.calls.call_matches(
                call, selection["filters"]
            ):
                continue
            if call.status == "cancelled":
                skipped["cancelled"] += 1
            elif call.status not in ("not_launched", "completed", "errored"):
                skipped["active"] += 1
            elif len(call.attempts) >= call.max_attempts():
                skipped["attempts_exhausted"] += 1
            else:
                eligible.append(call)
        return eligible, skipped

    def campaign_statistics(self, campaign_id: str) -> JSON:
        campaign = self.get_campaign(campaign_id)
        calls = self.campaign_calls(campaign_id)
        return campaign_statistics(campaign, calls, self._campaign_assistant(campaign))
