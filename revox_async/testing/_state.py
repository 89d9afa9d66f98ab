"""In-memory store of the fake Revox organization and its domain behaviour.

Records are plain JSON-shaped dicts. Handlers pass in request bodies that were already
type-checked, and get back wire-ready dicts (deep copies, so callers may mutate them).
Domain failures raise :class:`ApiError` carrying the HTTP status to answer with.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
import statistics
import struct
import uuid
import wave
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from ._clock import FakeClock, isoformat, parse_datetime
from ._lifecycle import (
    TERMINAL_STATUSES,
    CallRecord,
    Lifecycle,
    template_variables,
)

JSON = dict[str, Any]

HOT_OUTCOMES = ("interested", "requested_callback_later")
OUTCOME_LABELS = {
    "interested": "Interested",
    "requested_callback_later": "Callback requested",
    "not_interested": "Not interested",
    "completed": "Completed",
}
SORTABLE_CALL_FIELDS = (
    "created_at",
    "updated_at",
    "scheduled_at",
    "to_phone_number",
    "status",
    "calls_count",
)
_TEMPLATED_ASSISTANT_FIELDS = ("prompt", "first_sentence", "end_of_call_sentence")
_WAITING_STATUSES = frozenset({"initializing", "queued_for_calling", "scheduled"})

# Values every Assistant carries when the create request leaves them out.
_ASSISTANT_DEFAULTS: JSON = {
    "after_call_sms_outcomes": None,
    "after_call_sms_prompt": None,
    "background_sound": None,
    "background_sound_volume": 0.3,
    "calendly": None,
    "call_retry_config": None,
    "cartesia_dictionary_pronunciation_id": None,
    "custom_tools": None,
    "email_notification_address": None,
    "email_notification_outcomes": None,
    "end_of_call_sentence": None,
    "first_sentence": None,
    "first_sentence_delay_ms": 0,
    "first_sentence_mode": "generated",
    "from_phone_number": None,
    "human_transfer_mode": None,
    "ivr_navigation_enabled": False,
    "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
    "logo_url": None,
    "max_call_duration_secs": 600,
    "max_duration_end_message": None,
    "position": None,
    "precall_lookup_url": None,
    "prompt_flow": None,
    "slack": None,
    "sms_enabled": False,
    "sms_template": None,
    "structured_output_config": None,
    "structured_output_prompt": None,
    "stt_context": None,
    "stt_model": "stt-rt-v5",
    "thinking_sound": None,
    "thinking_sound_probability": 0.5,
    "thinking_sound_volume": 0.4,
    "transfer_destinations": None,
    "type": "standalone",
    "voice": None,
    "voicemail_message": None,
    "voicemail_sms_prompt": None,
    "warm_transfer_summary_instructions": None,
    "webhook_url": None,
    "zoho": None,
    "faq_items": [],
    "is_inbound_receptionist": False,
    "is_realestate_assistant": False,
    "pending_faq_count": 0,
}


class ApiError(Exception):
    """A request the API refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, f"{kind} not found: {ident}")


def load_seed() -> JSON:
    text = resources.files(__package__).joinpath("seed_data.json").read_text("utf-8")
    seed: JSON = json.loads(text)
    return seed


def preview_wav(seconds: float = 0.25, rate: int = 8000, pitch: float = 440.0) -> bytes:
    """A short mono 16-bit sine tone: enough for clients that sniff or play the preview."""
    samples = (
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * pitch * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(samples))
    return buffer.getvalue()


class Store:
    """All state of one fake organization; also the lifecycle's :class:`CallHost`."""

    def __init__(self, clock: FakeClock, lifecycle: Lifecycle, *, seed_demo_data: bool) -> None:
        self.clock = clock
        self.lifecycle = lifecycle
        seed = load_seed()
        self.user: JSON = seed["user"]
        self.organization_id: str = self.user["organization_id"]
        # The provider voice catalog exists for every account; the rest is account data.
        self.voices: list[JSON] = [v for v in seed["voices"] if not v["isCloned"]]
        self.cloned_voices: dict[str, JSON] = {}
        self.assistants: dict[str, JSON] = {}
        self.phone_numbers: dict[str, JSON] = {}
        self.campaigns: dict[str, JSON] = {}
        self.rows: dict[str, list[JSON]] = {}
        self.calls: dict[str, CallRecord] = {}
        if seed_demo_data:
            self._load_demo_data(seed)

    def _load_demo_data(self, seed: JSON) -> None:
        self.voices = seed["voices"]
        self.cloned_voices = {v["id"]: v for v in seed["cloned_voices"]}
        self.assistants = {a["id"]: a for a in seed["assistants"]}
        self.phone_numbers = {p["id"]: p for p in seed["phone_numbers"]}
        self.campaigns = {c["id"]: c for c in seed["campaigns"]}
        for campaign_id in self.campaigns:
            self.rows[campaign_id] = [r for r in seed["rows"] if r["campaign_id"] == campaign_id]
        for data in seed["calls"]:
            data = dict(data)
            call = CallRecord(
                data=data,
                assistant_id=data.pop("assistant_id"),
                campaign_id=data.pop("campaign_id"),
            )
            if call.status == "scheduled":
                call.due_at = parse_datetime(data["scheduled_at"])
            self.calls[call.id] = call

    # -- CallHost -----------------------------------------------------------------------

    def simulated_calls(self) -> Iterable[CallRecord]:
        return self.calls.values()

    def assistant_for(self, call: CallRecord) -> JSON | None:
        if call.inline_assistant is not None:
            return call.inline_assistant
        return self.assistants.get(call.assistant_id or "")

    def lane_limits(self, call: CallRecord) -> dict[str, float]:
        limits: dict[str, float] = {}
        campaign = self.campaigns.get(call.campaign_id or "")
        if campaign and campaign.get("max_concurrent_calls"):
            limits[f"campaign:{campaign['id']}"] = float(campaign["max_concurrent_calls"])
        if call.concurrency_key:
            # Calls sharing a concurrency key never ring at the same time.
            limits[f"key:{call.concurrency_key}"] = 1.0
        return limits

    def tick(self) -> None:
        """Bring every call up to the clock's current time."""
        self.lifecycle.run(self)

    # -- shared helpers -----------------------------------------------------------------

    def _now(self) -> str:
        return isoformat(self.clock.now())

    def _member(self) -> JSON:
        return {k: self.user[k] for k in ("id", "email", "first_name", "last_name")}

    def _default_from_number(self, *candidates: str | None) -> str:
        """The first given caller id, else the organization's first number."""
        owned = (str(p["phone_number"]) for p in self.phone_numbers.values())
        for number in (*candidates, *owned):
            if number:
                return number
        raise ApiError(422, "from_phone_number: required, the organization has no phone number")

    # -- assistants ---------------------------------------------------------------------

    def get_assistant(self, assistant_id: str) -> JSON:
        assistant = self.assistants.get(assistant_id)
        if assistant is None:
            raise _not_found("assistant", assistant_id)
        return assistant

    def list_assistants(self) -> list[JSON]:
        return copy.deepcopy(list(self.assistants.values()))

    def _build_assistant(self, fields: Mapping[str, Any]) -> JSON:
        now = self._now()
        assistant: JSON = {"id": str(uuid.uuid4()), **copy.deepcopy(_ASSISTANT_DEFAULTS)}
        assistant.update(
            created_at=now, updated_at=now, organization_id=self.organization_id, name=""
        )
        assistant["created_by"] = self._member()
        _apply_assistant_fields(assistant, fields)
        return assistant

    def create_assistant(self, body: Mapping[str, Any]) -> JSON:
        assistant = self._build_assistant(body)
        self.assistants[assistant["id"]] = assistant
        return copy.deepcopy(assistant)

    def update_assistant(
        self, assistant_id: str, body: Mapping[str, Any]
    ) -> tuple[JSON, JSON | None]:
        assistant = self.get_assistant(assistant_id)
        _apply_assistant_fields(assistant, body)
        assistant["updated_at"] = self._now()
        return copy.deepcopy(assistant), self._unpatched_calls_notice(assistant)

    def _unpatched_calls_notice(self, assistant: JSON) -> JSON | None:
        """Pending calls whose prompt variables miss a variable the assistant now uses."""
        wanted: set[str] = set()
        for key in _TEMPLATED_ASSISTANT_FIELDS:
            wanted |= template_variables(assistant.get(key) or "")
        missing: set[str] = set()
        count = 0
        for call in self.calls.values():
            if call.assistant_id != assistant["id"] or call.status in TERMINAL_STATUSES:
                continue
            lacking = wanted - set(call.data.get("prompt_variables") or {})
            if lacking:
                count += 1
                missing |= lacking
        return {"count": count, "variables": sorted(missing)} if count else None

    def delete_assistant(self, assistant_id: str) -> None:
        self.get_assistant(assistant_id)
        del self.assistants[assistant_id]
        for phone in self.phone_numbers.values():
            if phone.get("inbound_assistant_id") == assistant_id:
                phone["inbound_assistant_id"] = None

    def clone_assistant(self, assistant_id: str) -> JSON:
        clone = copy.deepcopy(self.get_assistant(assistant_id))
        now = self._now()
        clone.update(
            id=str(uuid.uuid4()),
            name=f"{clone['name']} (Copy)",
            created_at=now,
            updated_at=now,
            created_by=self._member(),
        )
        self.assistants[clone["id"]] = clone
        return copy.deepcopy(clone)

    # -- calls --------------------------------------------------------------------------

    def get_call(self, call_id: str) -> CallRecord:
        call = self.calls.get(call_id)
        if call is None:
            raise _not_found("call", call_id)
        return call

    def render_call(self, call: CallRecord) -> JSON:
        out = copy.deepcopy(call.data)
        out["assistant"] = copy.deepcopy(self.assistant_for(call))
        campaign = self.campaigns.get(call.campaign_id or "")
        out["campaign"] = {"id": campaign["id"], "name": campaign["name"]} if campaign else None
        out["last_call_attempt"] = copy.deepcopy(call.attempts[0]) if call.attempts else None
        return out

    def _new_call(
        self,
        assistant: JSON,
        to_number: str,
        from_number: str,
        prompt_variables: dict[str, str] | None,
        retry_config: JSON | None,
    ) -> CallRecord:
        now = self._now()
        variables = prompt_variables or {}
        slack_channels = [c["id"] for c in (assistant.get("slack") or {}).get("channels", [])]
        data: JSON = {
            "id": str(uuid.uuid4()),
            "assignee": None,
            "call_attempts": [],
            "call_retry_config": copy.deepcopy(retry_config or assistant["call_retry_config"]),
            "calls_count": 0,
            "contact": {
                key: variables.get(key)
                for key in ("company", "email", "first_name", "job_title", "last_name")
            },
            "created_at": now,
            "direction": "outbound",
            "first_sentence_delay_ms": assistant["first_sentence_delay_ms"],
            "from_phone_number": from_number,
            "is_cancelled": False,
            "is_completed": False,
            "llm_model": copy.deepcopy(assistant["llm_model"]),
            "metadata": None,
            "organization_id": self.organization_id,
            "prompt_variables": prompt_variables,
            "scheduled_at": None,
            "status": "not_launched",
            "to_phone_number": to_number,
            "updated_at": now,
            "follow_up_emails": None,
            "outcome": None,
            "outcome_summary": None,
            "slack_channel_ids": slack_channels or None,
        }
        return CallRecord(data=data)

    def create_call(self, body: Mapping[str, Any]) -> JSON:
        if "assistant" in body and "assistant_id" in body:
            raise ApiError(422, "assistant: cannot be combined with assistant_id")
        inline: JSON | None = None
        if "assistant_id" in body:
            assistant = self.assistants.get(body["assistant_id"])
            if assistant is None:
                raise ApiError(422, f"assistant_id: no assistant with id {body['assistant_id']}")
        elif "assistant" in body:
            inline = assistant = self._build_assistant(
                {"name": "Call assistant", **body["assistant"]}
            )
        else:
            raise ApiError(422, "assistant_id: required unless an inline assistant is given")
        from_number = self._default_from_number(
            body.get("from_phone_number"), assistant["from_phone_number"]
        )
        call = self._new_call(
            assistant, body["phone_number"], from_number, body.get("prompt_variables"), None
        )
        call.assistant_id = None if inline else assistant["id"]
        call.inline_assistant = inline
        call.concurrency_key = (body.get("concurrency") or {}).get("key")
        call.data["metadata"] = body.get("metadata")
        now = self.clock.now()
        call.data["scheduled_at"] = isoformat(now)
        start = parse_datetime(body["scheduled_at"]) if body.get("scheduled_at") else None
        self.lifecycle.enqueue(call, now, start)
        self.calls[call.id] = call
        return self.render_call(call)

    def cancel_call(self, call_id: str) -> None:
        call = self.get_call(call_id)
        if call.status == "cancelled":
            return
        if call.status in ("post_processing", "completed", "errored"):
            raise ApiError(409, f"call is {call.status} and can no longer be cancelled")
        self._cancel(call)

    def _cancel(self, call: CallRecord) -> None:
        self.lifecycle.hang_up(call, self.clock.now())
        call.data.update(status="cancelled", is_cancelled=True, updated_at=self._now())

    def pause_call(self, call_id: str) -> None:
        call = self.get_call(call_id)
        if call.status in TERMINAL_STATUSES or call.status == "not_launched":
            raise ApiError(409, f"call is {call.status} and cannot be paused")
        self._hold(call, "paused")

    def _hold(self, call: CallRecord, status: str) -> None:
        """Stop further attempts; an attempt in progress finishes first."""
        if call.status in ("calling", "post_processing"):
            call.stop_after_attempt = status
        elif call.status in _WAITING_STATUSES:
            call.data.update(status=status, updated_at=self._now())
            call.due_at = None

    def resume_call(self, call_id: str) -> None:
        call = self.get_call(call_id)
        if call.status in TERMINAL_STATUSES or call.status == "not_launched":
            raise ApiError(409, f"call is {call.status} and cannot be resumed")
        self._resume(call)

    def _resume(self, call: CallRecord) -> None:
        call.stop_after_attempt = None
        if call.status == "paused":
            scheduled = call.data.get("scheduled_at")
            start = parse_datetime(scheduled) if scheduled else None
            self.lifecycle.enqueue(call, self.clock.now(), start)

    def search_calls(self, filters: Mapping[str, Any]) -> tuple[list[JSON], int]:
        """Filter, sort and cut one page (``page`` counts from 1)."""
        matches = self._filtered_calls(filters)
        size = int(filters["page_size"])
        start = (int(filters["page"]) - 1) * size
        return [self.render_call(c) for c in matches[start : start + size]], len(matches)

    def _filtered_calls(self, filters: Mapping[str, Any]) -> list[CallRecord]:
        sort_by = filters.get("sort_by") or "created_at"
        if sort_by not in SORTABLE_CALL_FIELDS:
            raise ApiError(422, f"sort_by: must be one of {', '.join(SORTABLE_CALL_FIELDS)}")
        matches = [c for c in self.calls.values() if self._call_matches(c, filters)]
        matches.sort(
            key=lambda c: _sort_key(c.data.get(sort_by)),
            reverse=filters.get("sort_direction", "desc") == "desc",
        )
        return matches

    def _call_matches(self, call: CallRecord, filters: Mapping[str, Any]) -> bool:
        data = call.data
        last = call.attempts[0] if call.attempts else {}
        assistant = self.assistant_for(call)
        facets = {
            "assignee_ids": (data.get("assignee") or {}).get("id"),
            "assistant_ids": assistant["id"] if assistant else call.assistant_id,
            "campaign_ids": call.campaign_id,
            "directions": data["direction"],
            "from_phone_numbers": data["from_phone_number"],
            "outcomes": data.get("outcome") or "none",
            "results": last.get("result") or "none",
            "statuses": data["status"],
            "call_ids": call.id,
        }
        # An empty list means "no filter on this facet".
        for name, value in facets.items():
            wanted = filters.get(name) or []
            if wanted and value not in wanted:
                return False
        if filters.get("to_phone_number") and data["to_phone_number"] != filters["to_phone_number"]:
            return False
        query = (filters.get("query") or "").strip().lower()
        return not query or query in _searchable_text(data)

    def export_calls(
        self, filters: Mapping[str, Any], include_metadata: bool, include_structured: bool
    ) -> JSON:
        calls, _ = self.search_calls(filters)
        columns = [
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
        ]
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
                    "duration_seconds": _duration(
                        attempt.get("started_at"), attempt.get("ended_at")
                    ),
                }
                if include_metadata:
                    record.update(call["metadata"] or {})
                if include_structured:
                    record.update(attempt.get("structured_output") or {})
                records.append(record)
        day = self.clock.now().date().isoformat()
        return {"csv": _to_csv(columns, records), "filename": f"calls-export-{day}.csv"}

    def phone_history(self) -> JSON:
        history: JSON = {}
        by_number: dict[str, list[CallRecord]] = {}
        for call in self.calls.values():
            if call.attempts:
                by_number.setdefault(call.data["to_phone_number"], []).append(call)
        for number, calls in by_number.items():
            attempts = [a for call in calls for a in call.attempts]
            latest = max(calls, key=lambda c: c.attempts[0]["started_at"])
            campaign_ids = dict.fromkeys(c.campaign_id for c in calls if c.campaign_id)
            outcomes = [c.data.get("outcome") for c in calls]
            history[number] = {
                "campaigns": [
                    {"id": cid, "name": self.campaigns[cid]["name"]}
                    for cid in campaign_ids
                    if cid in self.campaigns
                ],
                "count": len(attempts),
                "do_not_contact": "not_interested" in outcomes,
                "hot": latest.data.get("outcome") in HOT_OUTCOMES,
                "last_called_at": max(a["started_at"] for a in attempts),
                "last_outcome": latest.data.get("outcome"),
                "reached_human": any(a["result"] == "human" for a in attempts),
            }
        return history

    # -- campaigns ----------------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> JSON:
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            raise _not_found("campaign", campaign_id)
        return campaign

    def campaign_calls(self, campaign_id: str) -> list[CallRecord]:
        return [self.calls[r["call_id"]] for r in self.rows.get(campaign_id, [])]

    def list_campaigns(self) -> list[JSON]:
        return [self.render_campaign(c) for c in self.campaigns.values()]

    def render_campaign(self, campaign: JSON) -> JSON:
        calls = self.campaign_calls(campaign["id"])
        assistant = self.assistants.get(campaign["assistant_id"])
        metadata_keys = dict.fromkeys(k for c in calls for k in (c.data.get("metadata") or {}))
        return {
            "id": campaign["id"],
            "assistant_id": campaign["assistant_id"],
            "created_at": campaign["created_at"],
            "is_cancelled": campaign["is_cancelled"],
            "name": campaign["name"],
            "organization_id": self.organization_id,
            "status": _campaign_status(campaign, calls),
            "updated_at": campaign["updated_at"],
            "assistant": copy.deepcopy(assistant),
            "call_retry_config": copy.deepcopy(campaign["call_retry_config"]),
            "created_by": copy.deepcopy(campaign["created_by"]),
            "from_phone_number": campaign["from_phone_number"],
            "funnel_stats": {
                "hot": sum(c.data.get("outcome") in HOT_OUTCOMES for c in calls),
                "talked_to_human": sum(_reached_human(c) for c in calls),
                "total_leads": len(calls),
            },
            "max_concurrent_calls": campaign["max_concurrent_calls"],
            "metadata_keys": list(metadata_keys),
            "row_stats": _row_stats(calls),
            "scheduled_at": campaign["scheduled_at"],
            "structured_output_extraction": _extraction_state(assistant, calls),
        }

    def create_campaign(self, body: Mapping[str, Any]) -> JSON:
        assistant = self.assistants.get(body["assistant_id"])
        if assistant is None:
            raise ApiError(422, f"assistant_id: no assistant with id {body['assistant_id']}")
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
            call = self._new_call(
                assistant,
                contact["to_phone_number"],
                from_number,
                variables,
                campaign["call_retry_config"],
            )
            call.assistant_id = assistant["id"]
            call.campaign_id = campaign["id"]
            self.calls[call.id] = call
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
        self.campaigns[campaign["id"]] = campaign
        self.rows[campaign["id"]] = rows
        return self.render_campaign(campaign)

    def update_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> JSON:
        campaign = self.get_campaign(campaign_id)
        campaign.update(copy.deepcopy(dict(body)))
        assistant = self.assistants.get(campaign["assistant_id"]) or {}
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
            del self.calls[call.id]
        del self.campaigns[campaign_id]
        del self.rows[campaign_id]

    def cancel_campaign(self, campaign_id: str) -> None:
        campaign = self.get_campaign(campaign_id)
        campaign.update(is_cancelled=True, paused=False, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            if call.status in ("calling", "post_processing"):
                call.stop_after_attempt = "cancelled"
            elif call.status not in TERMINAL_STATUSES:
                self._cancel(call)

    def pause_campaign(self, campaign_id: str) -> None:
        campaign = self.get_campaign(campaign_id)
        if campaign["is_cancelled"]:
            raise ApiError(409, "campaign is cancelled and cannot be paused")
        campaign.update(paused=True, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            self._hold(call, "paused")

    def resume_campaign(self, campaign_id: str) -> None:
        campaign = self.get_campaign(campaign_id)
        if campaign["is_cancelled"]:
            raise ApiError(409, "campaign is cancelled and cannot be resumed")
        campaign.update(paused=False, updated_at=self._now())
        for call in self.campaign_calls(campaign_id):
            self._resume(call)

    def campaign_rows(self, campaign_id: str) -> list[JSON]:
        self.get_campaign(campaign_id)
        return [
            {
                "id": row["id"],
                "input_data": dict(row["input_data"]),
                "phone_number": row["phone_number"],
                "row_index": row["row_index"],
                "call": self.render_call(self.calls[row["call_id"]]),
            }
            for row in self.rows[campaign_id]
        ]

    def export_campaign_rows(self, campaign_id: str) -> JSON:
        campaign = self.get_campaign(campaign_id)
        rows = self.rows[campaign_id]
        inputs = dict.fromkeys(k for row in rows for k in row["input_data"])
        columns = ["row_index", "phone_number", *inputs, "call_status", "outcome", "attempts"]
        records: list[JSON] = []
        for row in rows:
            call = self.calls[row["call_id"]]
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
        slug = re.sub(r"[^a-z0-9]+", "-", campaign["name"].lower()).strip("-") or "campaign"
        day = self.clock.now().date().isoformat()
        return {"csv": _to_csv(columns, records), "filename": f"{slug}-{day}.csv"}

    def launch_campaign(self, campaign_id: str, body: Mapping[str, Any]) -> JSON:
        campaign = self.get_campaign(campaign_id)
        if campaign["is_cancelled"]:
            raise ApiError(409, "campaign is cancelled")
        if campaign["paused"]:
            raise ApiError(409, "campaign is paused; resume it before launching calls")
        selection = body["selection"]
        picked = set(selection["rows"]["call_ids"])
        only = selection["rows"]["mode"] == "only"
        skipped = {"active": 0, "attempts_exhausted": 0, "cancelled": 0}
        eligible: list[CallRecord] = []
        for call in self.campaign_calls(campaign_id):
            if (call.id in picked) != only or not self._call_matches(call, selection["filters"]):
                continue
            if call.status == "cancelled":
                skipped["cancelled"] += 1
            elif call.status not in ("not_launched", "completed", "errored"):
                skipped["active"] += 1
            elif len(call.attempts) >= call.max_attempts():
                skipped["attempts_exhausted"] += 1
            else:
                eligible.append(call)
        speed_dial = body["mode"] == "speed_dial"
        # A speed-dial operator works through the targets one call at a time.
        launching = eligible[:1] if speed_dial else eligible
        now = self.clock.now()
        start = parse_datetime(body["scheduled_at"]) if body.get("scheduled_at") else None
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
                "in_flight_calls": [self.render_call(c) for c in launching],
                "outcome_filter": list(HOT_OUTCOMES),
                "status": "dialing" if launching else "completed",
                "total_targets": len(eligible),
            }
        return {"launched": len(launching), "skipped": skipped, "session": session}

    def campaign_statistics(self, campaign_id: str) -> JSON:
        campaign = self.get_campaign(campaign_id)
        calls = self.campaign_calls(campaign_id)
        assistant = self.assistants.get(campaign["assistant_id"]) or {}
        retry_config = campaign["call_retry_config"] or assistant.get("call_retry_config") or {}
        attempts = [a for call in calls for a in call.attempts]
        moments = [a["started_at"] for a in attempts] + [
            a["ended_at"] for a in attempts if a["ended_at"]
        ]
        called = [c for c in calls if c.attempts]
        reached = [c for c in calls if _reached_human(c)]
        exchanges = [c for c in reached if _had_exchange(c)]
        hot = [c for c in calls if c.data.get("outcome") in HOT_OUTCOMES]
        inbound = sum(c.data["direction"] == "inbound" for c in reached)
        outcome_counts = {o: sum(c.data.get("outcome") == o for c in calls) for o in OUTCOME_LABELS}
        talk_times = [
            seconds
            for a in attempts
            if a["result"] == "human"
            and (seconds := _duration(a["answered_at"], a["ended_at"])) is not None
        ]
        fields = [f["name"] for f in assistant.get("structured_output_config") or []]
        return {
            "campaign": {
                "id": campaign["id"],
                "agent_name": assistant.get("name"),
                "first_activity_at": min(moments, default=None),
                "has_activity": bool(attempts),
                "is_cancelled": campaign["is_cancelled"],
                "last_activity_at": max(moments, default=None),
                "max_attempts_per_contact": retry_config.get("max_retry_attempts"),
                "name": campaign["name"],
                "status": _campaign_status(campaign, calls),
                "timezone": retry_config.get("timezone") or "UTC",
            },
            "data_extraction": {
                "fields": fields,
                "intro": "Fields the assistant extracts from each conversation.",
            }
            if fields
            else None,
            "effort": {
                "calls_total": len(attempts),
                "inbound_calls": sum(c.data["direction"] == "inbound" for c in called),
                "outbound_attempts": sum(
                    len(c.attempts) for c in called if c.data["direction"] == "outbound"
                ),
            },
            "funnel": {
                "called": {"count": len(called), "imported_rows": len(calls)},
                "reached": {
                    "count": len(reached),
                    "inbound": inbound,
                    "outbound": len(reached) - inbound,
                    "overlap": 0,
                    "pct_of_called": _percent(len(reached), len(called)),
                },
                "real_exchanges": {
                    "count": len(exchanges),
                    "pct_of_reached": _percent(len(exchanges), len(reached)),
                },
                "hot_leads": {
                    "count": len(hot),
                    "pct_of_reached": _percent(len(hot), len(reached)),
                },
            },
            "hot_lead_outcomes": list(HOT_OUTCOMES),
            "inbound": {
                "unique_callers": len(
                    {c.data["to_phone_number"] for c in called if c.data["direction"] == "inbound"}
                )
            },
            "jump_in": {
                "joined_calls": sum(bool(a["handled_by_human"]) for a in attempts),
                "median_conversation_seconds": statistics.median(talk_times)
                if talk_times
                else None,
                "median_time_to_join_seconds": None,
            },
            "leads": {
                "interested": [_lead(c) for c in hot if c.data["outcome"] == "interested"],
                "callback_requested": [
                    _lead(c) for c in hot if c.data["outcome"] == "requested_callback_later"
                ],
            },
            "outcome_breakdown": [
                {"count": count, "label": OUTCOME_LABELS[outcome], "outcome": outcome}
                for outcome, count in outcome_counts.items()
                if count
            ],
        }

    # -- phone numbers, user, voices ----------------------------------------------------

    def get_phone_number(self, phone_id: str) -> JSON:
        phone = self.phone_numbers.get(phone_id)
        if phone is None:
            raise _not_found("phone number", phone_id)
        return phone

    def render_phone_number(self, phone: JSON) -> JSON:
        out = copy.deepcopy(phone)
        assistant_id = out.pop("inbound_assistant_id", None)
        out["inbound_assistant"] = copy.deepcopy(self.assistants.get(assistant_id or ""))
        return out

    def update_phone_number(self, phone_id: str, body: Mapping[str, Any]) -> JSON:
        phone = self.get_phone_number(phone_id)
        assistant_id = body.get("inbound_assistant_id")
        if assistant_id is not None and assistant_id not in self.assistants:
            raise ApiError(422, f"inbound_assistant_id: no assistant with id {assistant_id}")
        phone.update(body)
        return self.render_phone_number(phone)

    def delete_phone_number(self, phone_id: str) -> None:
        self.get_phone_number(phone_id)
        del self.phone_numbers[phone_id]

    def get_voice(self, voice_id: str, provider: str) -> JSON:
        for voice in self.voices:
            if voice["id"] == voice_id and voice["provider"] == provider:
                return voice
        raise _not_found(f"{provider} voice", voice_id)

    def clone_voice(self, body: Mapping[str, Any]) -> JSON:
        record = {
            "id": str(uuid.uuid4()),
            "voice_id": str(uuid.uuid4()),
            "created_at": self._now(),
        }
        self.cloned_voices[record["id"]] = record
        self.voices.append(
            {
                "id": record["voice_id"],
                "description": f"Cloned voice {body['name']}.",
                "language": body["language"],
                "name": body["name"],
                "provider": "cartesia",
                "accent": None,
                "gender": None,
                "isCloned": True,
                "modelCompat": "sonic-3",
            }
        )
        return {
            "id": record["id"],
            "cartesiaVoiceId": record["voice_id"],
            "createdAt": record["created_at"],
            "language": body["language"],
            "name": body["name"],
        }

    def delete_voice(self, voice_id: str) -> None:
        """Delete a cloned voice, by its own id or by its provider voice id."""
        record = next(
            (r for r in self.cloned_voices.values() if voice_id in (r["id"], r["voice_id"])),
            None,
        )
        if record is None:
            raise _not_found("cloned voice", voice_id)
        users = [
            a["name"]
            for a in self.assistants.values()
            if (a.get("voice") or {}).get("id") == record["voice_id"]
        ]
        if users:
            raise ApiError(409, f"voice is used by assistant(s): {', '.join(users)}")
        del self.cloned_voices[record["id"]]
        self.voices = [v for v in self.voices if v["id"] != record["voice_id"]]


def _apply_assistant_fields(assistant: JSON, fields: Mapping[str, Any]) -> None:
    """Copy request fields onto an Assistant, filling what the response shape adds."""
    for key, value in copy.deepcopy(dict(fields)).items():
        if key == "faq_items":
            value = [
                {"id": str(uuid.uuid4()), "needs_human_answer": False, "source": "human", **item}
                for item in value
            ]
        elif key == "structured_output_config" and value is not None:
            value = [_output_field(f) for f in value]
        elif key == "custom_tools" and value is not None:
            value = [
                {**t, "input_schema": [_output_field(f) for f in t["input_schema"]]} for t in value
            ]
        elif key == "voice":
            value = {"model": None, "speed": None, "volume": None, **value}
        elif key == "llm_model" and value["type"] == "realtime":
            value = {"realtime_voice_id": None, **value}
        assistant[key] = value
    assistant["pending_faq_count"] = sum(
        bool(item.get("needs_human_answer")) for item in assistant.get("faq_items") or []
    )


def _output_field(spec: JSON) -> JSON:
    return {"description": None, "enum_options": None, **spec}


def _sort_key(value: Any) -> tuple[int, Any]:
    # Nulls sort first; mixed types never meet because every sortable field has one type.
    return (0, "") if value is None else (1, value)


def _searchable_text(data: JSON) -> str:
    contact = data.get("contact") or {}
    parts = [
        data["to_phone_number"],
        data.get("outcome_summary"),
        *contact.values(),
        *(data.get("metadata") or {}).values(),
        *(data.get("prompt_variables") or {}).values(),
    ]
    return " ".join(str(p) for p in parts if p).lower()


def _duration(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    return round((parse_datetime(end) - parse_datetime(start)).total_seconds())


def _to_csv(leading: list[str], records: list[JSON]) -> str:
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


def _reached_human(call: CallRecord) -> bool:
    return any(a["result"] == "human" for a in call.attempts)


def _had_exchange(call: CallRecord) -> bool:
    return any(
        m["role"] == "user"
        for a in call.attempts
        if a["result"] == "human"
        for m in a["transcript"] or []
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _campaign_status(campaign: JSON, calls: list[CallRecord]) -> str:
    if campaign["is_cancelled"]:
        return "completed"
    if campaign["paused"]:
        return "paused"
    if calls and all(c.status in TERMINAL_STATUSES for c in calls):
        return "completed"
    return "running"


def _row_stats(calls: list[CallRecord]) -> JSON:
    """Bucket every row exactly once so that the buckets add up to ``total``."""
    stats = dict.fromkeys(
        ("calling", "completed", "failed", "not_launched", "pending", "retry", "skipped"), 0
    )
    for call in calls:
        status = call.status
        if status in ("calling", "post_processing", "initializing"):
            stats["calling"] += 1
        elif status == "completed":
            stats["completed"] += 1
        elif status == "errored":
            stats["failed"] += 1
        elif status == "not_launched":
            stats["not_launched"] += 1
        elif status == "cancelled":
            stats["skipped"] += 1
        elif status == "scheduled" and call.attempts:
            stats["retry"] += 1
        else:
            stats["pending"] += 1
    return {**stats, "total": len(calls)}


def _extraction_state(assistant: JSON | None, calls: list[CallRecord]) -> str:
    if not assistant or not assistant.get("structured_output_config"):
        return "none"
    if any(c.status == "post_processing" for c in calls):
        return "running"
    return "completed" if any(c.status == "completed" for c in calls) else "none"


def _lead(call: CallRecord) -> JSON:
    contact = call.data.get("contact") or {}
    name = " ".join(p for p in (contact.get("first_name"), contact.get("last_name")) if p)
    return {
        "attempt_id": call.attempts[0]["id"] if call.attempts else None,
        "call_id": call.id,
        "direction": call.data["direction"],
        "email": contact.get("email"),
        "last_activity_at": call.data["updated_at"],
        "name": name or call.data["to_phone_number"],
        "phone": call.data["to_phone_number"],
        "summary": call.data.get("outcome_summary"),
    }
