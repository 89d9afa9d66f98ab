"""Calls: placing, pausing, resuming and cancelling them; search, export and phone history."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

from .._clock import isoformat, parse_optional_datetime
from .._lifecycle import TERMINAL_STATUSES, CallRecord
from .._wire import JSON, ErrorReply, find
from .campaign_stats import is_hot, reached_human
from .core import Records
from .exports import calls_csv

SORTABLE_CALL_FIELDS = (
    "created_at",
    "updated_at",
    "scheduled_at",
    "to_phone_number",
    "status",
    "calls_count",
)
_WAITING_STATUSES = frozenset({"initializing", "queued_for_calling", "scheduled"})


class CallStore(Records[CallRecord]):
    """The ``/call`` and ``/calls`` behaviour of the store; campaigns build on it."""

    def get_call(self, call_id: str) -> CallRecord:
        return find(self.records, "call", call_id)

    def render_call(self, call: CallRecord) -> JSON:
        out = copy.deepcopy(call.data)
        out["assistant"] = copy.deepcopy(self.store.assistant_for(call))
        campaign = self.store.campaigns.get(call.campaign_id or "")
        out["campaign"] = {"id": campaign["id"], "name": campaign["name"]} if campaign else None
        out["last_call_attempt"] = copy.deepcopy(call.attempts[0]) if call.attempts else None
        return out

    def new_call(
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
            raise ErrorReply(422, "assistant: cannot be combined with assistant_id")
        inline: JSON | None = None
        if "assistant_id" in body:
            assistant = self._referenced_assistant("assistant_id", body["assistant_id"])
        elif "assistant" in body:
            inline = assistant = self.store.assistants.build_assistant(
                {"name": "Call assistant", **body["assistant"]}
            )
        else:
            raise ErrorReply(422, "assistant_id: required unless an inline assistant is given")
        from_number = self._default_from_number(
            body.get("from_phone_number"), assistant["from_phone_number"]
        )
        call = self.new_call(
            assistant, body["phone_number"], from_number, body.get("prompt_variables"), None
        )
        call.assistant_id = None if inline else assistant["id"]
        call.inline_assistant = inline
        call.concurrency_key = (body.get("concurrency") or {}).get("key")
        call.data["metadata"] = body.get("metadata")
        call.hidden_from_searches = self.store.search_lag
        now = self.clock.now()
        call.data["scheduled_at"] = isoformat(now)
        self.lifecycle.enqueue(call, now, parse_optional_datetime(body.get("scheduled_at")))
        self.records[call.id] = call
        return self.render_call(call)

    def cancel_call(self, call_id: str) -> None:
        call = self.get_call(call_id)
        if call.status == "cancelled":
            return
        if call.status in ("post_processing", "completed", "errored"):
            raise ErrorReply(409, f"call is {call.status} and can no longer be cancelled")
        self.cancel(call)

    def cancel(self, call: CallRecord) -> None:
        self.lifecycle.hang_up(call, self.clock.now())
        call.data.update(status="cancelled", is_cancelled=True, updated_at=self._now())

    def _launched_call(self, call_id: str, change: str) -> CallRecord:
        """The call, if it was launched and has not ended; else a 409 naming ``change``."""
        call = self.get_call(call_id)
        if call.status in TERMINAL_STATUSES or call.status == "not_launched":
            raise ErrorReply(409, f"call is {call.status} and cannot be {change}")
        return call

    def pause_call(self, call_id: str) -> None:
        self.hold(self._launched_call(call_id, "paused"), "paused")

    def hold(self, call: CallRecord, status: str) -> None:
        """Stop further attempts; an attempt in progress finishes first."""
        if call.status in ("calling", "post_processing"):
            call.stop_after_attempt = status
        elif call.status in _WAITING_STATUSES:
            call.data.update(status=status, updated_at=self._now())
            call.due_at = None

    def resume_call(self, call_id: str) -> None:
        self.resume(self._launched_call(call_id, "resumed"))

    def resume(self, call: CallRecord) -> None:
        call.stop_after_attempt = None
        if call.status == "paused":
            start = parse_optional_datetime(call.data.get("scheduled_at"))
            self.lifecycle.enqueue(call, self.clock.now(), start)

    def search_calls(self, filters: Mapping[str, Any]) -> tuple[list[JSON], int]:
        """Filter, sort and cut one page (``page`` counts from 1)."""
        matches = [c for c in self._filtered_calls(filters) if not c.hidden_from_searches]
        for call in self.records.values():
            if call.hidden_from_searches:
                call.hidden_from_searches -= 1
        size = int(filters["page_size"])
        start = (int(filters["page"]) - 1) * size
        return [self.render_call(c) for c in matches[start : start + size]], len(matches)

    def _filtered_calls(self, filters: Mapping[str, Any]) -> list[CallRecord]:
        sort_by = filters.get("sort_by") or "created_at"
        if sort_by not in SORTABLE_CALL_FIELDS:
            raise ErrorReply(422, f"sort_by: must be one of {', '.join(SORTABLE_CALL_FIELDS)}")
        matches = [c for c in self.records.values() if self.call_matches(c, filters)]
        matches.sort(
            key=lambda c: _sort_key(c.data.get(sort_by)),
            reverse=filters.get("sort_direction", "desc") == "desc",
        )
        return matches

    def call_matches(self, call: CallRecord, filters: Mapping[str, Any]) -> bool:
        data = call.data
        last = call.attempts[0] if call.attempts else {}
        assistant = self.store.assistant_for(call)
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
        return {
            "csv": calls_csv(calls, include_metadata, include_structured),
            "filename": f"calls-export-{self._today()}.csv",
        }

    def phone_history(self) -> JSON:
        history: JSON = {}
        by_number: dict[str, list[CallRecord]] = {}
        for call in self.records.values():
            if call.attempts:
                by_number.setdefault(call.data["to_phone_number"], []).append(call)
        for number, calls in by_number.items():
            attempts = [a for call in calls for a in call.attempts]
            latest = max(calls, key=lambda c: c.attempts[0]["started_at"])
            campaign_ids = dict.fromkeys(c.campaign_id for c in calls if c.campaign_id)
            outcomes = [c.data.get("outcome") for c in calls]
            history[number] = {
                "campaigns": [
                    {"id": cid, "name": self.store.campaigns[cid]["name"]}
                    for cid in campaign_ids
                    if cid in self.store.campaigns
                ],
                "count": len(attempts),
                "do_not_contact": "not_interested" in outcomes,
                "hot": is_hot(latest),
                "last_called_at": max(a["started_at"] for a in attempts),
                "last_outcome": latest.data.get("outcome"),
                "reached_human": any(reached_human(c) for c in calls),
            }
        return history


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
