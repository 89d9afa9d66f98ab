"""Campaign figures: the statistics report, row buckets, funnel counts and hot leads."""

from __future__ import annotations

import statistics

from .._clock import seconds_between
from .._lifecycle import TERMINAL_STATUSES, CallRecord
from .._wire import JSON

HOT_OUTCOMES = ("interested", "requested_callback_later")
OUTCOME_LABELS = {
    "interested": "Interested",
    "requested_callback_later": "Callback requested",
    "not_interested": "Not interested",
    "completed": "Completed",
}


def is_hot(call: CallRecord) -> bool:
    return call.data.get("outcome") in HOT_OUTCOMES


def reached_human(call: CallRecord) -> bool:
    return any(a["result"] == "human" for a in call.attempts)


def campaign_status(campaign: JSON, calls: list[CallRecord]) -> str:
    if campaign["is_cancelled"]:
        return "completed"
    if campaign["paused"]:
        return "paused"
    if calls and all(c.status in TERMINAL_STATUSES for c in calls):
        return "completed"
    return "running"


def row_stats(calls: list[CallRecord]) -> JSON:
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


def extraction_state(assistant: JSON | None, calls: list[CallRecord]) -> str:
    if not assistant or not assistant.get("structured_output_config"):
        return "none"
    if any(c.status == "post_processing" for c in calls):
        return "running"
    return "completed" if any(c.status == "completed" for c in calls) else "none"


def funnel_stats(calls: list[CallRecord]) -> JSON:
    return {
        "hot": sum(is_hot(c) for c in calls),
        "talked_to_human": sum(reached_human(c) for c in calls),
        "total_leads": len(calls),
    }


def campaign_statistics(campaign: JSON, calls: list[CallRecord], assistant: JSON | None) -> JSON:
    """The report of ``/campaigns/{id}/statistics`` over the campaign's calls."""
    assistant = assistant or {}
    retry_config = campaign["call_retry_config"] or assistant.get("call_retry_config") or {}
    attempts = [a for call in calls for a in call.attempts]
    moments = [a["started_at"] for a in attempts] + [
        a["ended_at"] for a in attempts if a["ended_at"]
    ]
    called = [c for c in calls if c.attempts]
    reached = [c for c in calls if reached_human(c)]
    exchanges = [c for c in reached if _had_exchange(c)]
    hot = [c for c in calls if is_hot(c)]
    inbound = sum(c.data["direction"] == "inbound" for c in reached)
    outcome_counts = {o: sum(c.data.get("outcome") == o for c in calls) for o in OUTCOME_LABELS}
    talk_times = [
        seconds
        for a in attempts
        if a["result"] == "human"
        and (seconds := seconds_between(a["answered_at"], a["ended_at"])) is not None
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
            "status": campaign_status(campaign, calls),
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
            "median_conversation_seconds": statistics.median(talk_times) if talk_times else None,
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


def _had_exchange(call: CallRecord) -> bool:
    return any(
        m["role"] == "user"
        for a in call.attempts
        if a["result"] == "human"
        for m in a["transcript"] or []
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


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
