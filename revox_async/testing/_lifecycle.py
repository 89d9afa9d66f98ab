"""Call lifecycle: how a call order moves through its statuses as the fake clock advances.

A call waits (``scheduled`` / ``queued_for_calling``), is dialed (``calling``, attempt
``ringing``), is answered or not (attempt ``ongoing`` or ended with a ``dial_error``), hangs
up, and then either waits for a retry or goes through ``post_processing`` to ``completed``.
Each step takes a fixed number of fake seconds (:class:`CallTiming`), and what the callee
does is decided per phone number (:class:`CallScript`).

Only ``max_retry_attempts`` (the total number of attempts) and the first calling window's
``retry_delay_seconds`` of a call's retry config are honoured; calling windows, allowed days
and time zones are not simulated, so a due call is dialed straight away.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ._clock import FakeClock, isoformat

ATTEMPT_RESULTS = ("human", "voicemail", "IVR", "unknown", "ios-screening-filter")
DIAL_ERRORS = (
    "number_non_attributed",
    "too_many_calls",
    "busy",
    "temporarily_unavailable",
    "no_answer",
    "no_international_permission",
    "precondition_failed",
    "non_classified_error",
)
# Retrying these cannot help, so the call ends as ``errored`` on the first one.
FATAL_DIAL_ERRORS = frozenset(
    {"number_non_attributed", "no_international_permission", "precondition_failed"}
)
OUTCOMES = ("not_interested", "interested", "completed", "requested_callback_later")
TERMINAL_STATUSES = frozenset({"completed", "cancelled", "errored"})

_END_REASONS = {
    "human": "tool_end_call",
    "voicemail": "voicemail",
    "IVR": "ivr_no_navigate",
    "unknown": "user_inactive",
    "ios-screening-filter": "user_rejected",
}
_TEMPLATE_VAR = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


@dataclass(frozen=True)
class CallScript:
    """What the callee at one phone number does, on every attempt.

    ``answers=False`` makes the attempt fail with ``dial_error`` (``no_answer`` by default);
    otherwise the call is picked up and ``result`` says by whom (``human`` by default).
    ``outcome``, ``structured_output`` and ``transcript`` replace the generated ones.
    """

    answers: bool = True
    result: str | None = None
    dial_error: str | None = None
    outcome: str | None = None
    structured_output: Mapping[str, Any] | None = None
    transcript: Sequence[Mapping[str, Any]] | None = None
    talk_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.result is not None and self.result not in ATTEMPT_RESULTS:
            raise ValueError(f"result must be one of {ATTEMPT_RESULTS}")
        if self.dial_error is not None and self.dial_error not in DIAL_ERRORS:
            raise ValueError(f"dial_error must be one of {DIAL_ERRORS}")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        if self.answers and self.dial_error is not None:
            raise ValueError("dial_error only applies when answers=False")
        if not self.answers and self.result is not None:
            raise ValueError("result only applies when answers=True")


@dataclass(frozen=True)
class CallTiming:
    """Fake seconds spent in each step of an attempt."""

    dial_delay_seconds: float = 1.0
    ring_seconds: float = 5.0
    talk_seconds: float = 30.0
    machine_seconds: float = 12.0
    post_processing_seconds: float = 5.0


@dataclass(eq=False)
class CallRecord:
    """A call as stored: its wire fields plus what the simulation needs to drive it.

    ``data`` holds the Call fields owned by the call itself; the embedded assistant, the
    campaign reference and ``last_call_attempt`` are added when it is rendered.
    """

    data: dict[str, Any]
    assistant_id: str | None = None
    inline_assistant: dict[str, Any] | None = None
    campaign_id: str | None = None
    concurrency_key: str | None = None
    due_at: datetime | None = None
    # Status to take instead of retrying once the attempt in progress ends.
    stop_after_attempt: str | None = None
    # How many more searches leave the call out, as a lagging search index would.
    hidden_from_searches: int = 0

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def status(self) -> str:
        return str(self.data["status"])

    @property
    def attempts(self) -> list[dict[str, Any]]:
        """Attempts, newest first (the order the API returns them in)."""
        attempts: list[dict[str, Any]] = self.data["call_attempts"]
        return attempts

    def max_attempts(self) -> int:
        config = self.data.get("call_retry_config")
        return max(1, int(config["max_retry_attempts"])) if config else 1

    def retry_delay(self) -> float:
        config = self.data.get("call_retry_config")
        windows = config["calling_windows"] if config else []
        return float(windows[0]["retry_delay_seconds"]) if windows else 0.0


class CallHost(Protocol):
    """What the lifecycle needs from the store."""

    def simulated_calls(self) -> Iterable[CallRecord]: ...

    def assistant_for(self, call: CallRecord) -> Mapping[str, Any] | None: ...

    def lane_limits(self, call: CallRecord) -> Mapping[str, float]:
        """Concurrency lanes the call dials in, each with its maximum of simultaneous calls."""
        ...


def fill_template(text: str, variables: Mapping[str, Any]) -> str:
    """Substitute ``{{name}}`` placeholders; missing ones vanish, as in a spoken sentence."""
    filled = _TEMPLATE_VAR.sub(lambda m: str(variables.get(m[1], "")), text)
    return re.sub(r"\s+([,.!?])", r"\1", re.sub(r" {2,}", " ", filled)).strip()


def template_variables(text: str) -> set[str]:
    return set(_TEMPLATE_VAR.findall(text))


class Lifecycle:
    """Drives every call of a :class:`CallHost` up to the clock's current time."""

    def __init__(self, clock: FakeClock, timing: CallTiming | None = None) -> None:
        self.clock: FakeClock = clock
        self.timing: CallTiming = timing or CallTiming()
        self.scripts: dict[str, CallScript] = {}
        self._simulated_until = clock.now()

    def script_for(self, phone_number: str) -> CallScript:
        return self.scripts.get(phone_number, CallScript())

    def enqueue(self, call: CallRecord, now: datetime, start_at: datetime | None = None) -> None:
        """Put a call in line to be dialed at ``start_at`` (now when omitted or past)."""
        start = max(start_at or now, now)
        call.stop_after_attempt = None
        if start > now:
            call.data["status"] = "scheduled"
            call.data["scheduled_at"] = isoformat(start)
            call.due_at = start
        else:
            call.data["status"] = "queued_for_calling"
            call.due_at = now + timedelta(seconds=self.timing.dial_delay_seconds)
        call.data["updated_at"] = isoformat(now)

    def hang_up(self, call: CallRecord, now: datetime) -> None:
        """End the attempt in progress, if any, because the call was cancelled."""
        if call.status == "calling" and call.attempts:
            call.attempts[0].update(
                status="completed",
                ended_at=isoformat(now),
                end_reason="client_initiated",
                ended_by="system",
            )
        call.due_at = None

    def run(self, host: CallHost) -> None:
        """Apply every transition due up to now, oldest first.

        A queued call whose lane is full waits for the first moment a line frees up.
        """
        until = self.clock.now()
        cursor = self._simulated_until
        while True:
            calls = list(host.simulated_calls())
            busy = Counter(
                lane
                for call in calls
                if call.status == "calling"
                for lane in host.lane_limits(call)
            )
            best: CallRecord | None = None
            best_at = until
            for call in calls:
                if call.due_at is None:
                    continue
                at = max(call.due_at, cursor)
                if at > best_at or (best is not None and at == best_at):
                    continue
                if call.status == "queued_for_calling" and any(
                    busy[lane] >= limit for lane, limit in host.lane_limits(call).items()
                ):
                    continue
                best, best_at = call, at
            if best is None:
                break
            cursor = best_at
            self._step(best, best_at, host)
        self._simulated_until = max(until, self._simulated_until)

    def _step(self, call: CallRecord, at: datetime, host: CallHost) -> None:
        call.data["updated_at"] = isoformat(at)
        status = call.status
        if status == "scheduled":
            call.data["status"] = "queued_for_calling"
            call.due_at = at
        elif status == "queued_for_calling":
            self._dial(call, at, host)
        elif status == "calling" and call.attempts[0]["status"] == "ringing":
            self._pick_up(call, at, host)
        elif status == "calling":
            self._hang_up_normally(call, at, host)
        elif status == "post_processing":
            self._complete(call, at, host)
        else:
            call.due_at = None

    def _dial(self, call: CallRecord, at: datetime, host: CallHost) -> None:
        attempt = {
            "id": str(uuid.uuid4()),
            "answered_at": None,
            "dial_error": None,
            "ended_at": None,
            "handled_by_ai": False,
            "handled_by_human": False,
            "handled_by_user": None,
            "phone_number": call.data["to_phone_number"],
            "recording_url": None,
            "result": None,
            "started_at": isoformat(at),
            "status": "ringing",
            "assistants_used": [],
            "email_log": [],
            "end_reason": None,
            "ended_by": None,
            "post_call_transcript": None,
            "sms_log": [],
            "speech_events": [],
            "structured_output": None,
            "transcript": [],
        }
        call.attempts.insert(0, attempt)
        call.data["calls_count"] = len(call.attempts)
        call.data["status"] = "calling"
        call.due_at = at + timedelta(seconds=self.timing.ring_seconds)

    def _pick_up(self, call: CallRecord, at: datetime, host: CallHost) -> None:
        script = self.script_for(call.data["to_phone_number"])
        attempt = call.attempts[0]
        if not script.answers:
            error = script.dial_error or "no_answer"
            fatal = error in FATAL_DIAL_ERRORS
            attempt.update(
                status="error" if fatal else "completed", dial_error=error, ended_at=isoformat(at)
            )
            self._after_attempt(call, at, fatal=fatal)
            return
        result = script.result or "human"
        assistant = host.assistant_for(call)
        attempt.update(
            status="ongoing",
            answered_at=isoformat(at),
            result=result,
            recording_url=f"https://recordings.revox.invalid/{attempt['id']}.ogg",
            assistants_used=[assistant["id"]] if assistant and call.assistant_id else [],
        )
        default_talk = (
            self.timing.talk_seconds if result == "human" else self.timing.machine_seconds
        )
        talk = script.talk_seconds if script.talk_seconds is not None else default_talk
        call.due_at = at + timedelta(seconds=talk)

    def _hang_up_normally(self, call: CallRecord, at: datetime, host: CallHost) -> None:
        script = self.script_for(call.data["to_phone_number"])
        attempt = call.attempts[0]
        result = str(attempt["result"])
        transcript = (
            [dict(message) for message in script.transcript]
            if script.transcript is not None
            else _transcript(result, call, host.assistant_for(call))
        )
        attempt.update(
            status="completed",
            ended_at=isoformat(at),
            end_reason=_END_REASONS[result],
            ended_by="agent",
            handled_by_ai=result == "human",
            transcript=transcript,
        )
        self._after_attempt(call, at, fatal=False)

    def _after_attempt(self, call: CallRecord, at: datetime, *, fatal: bool) -> None:
        reached = call.attempts[0]["result"] == "human"
        if fatal:
            call.data["status"] = "errored"
            call.due_at = None
        elif not reached and len(call.attempts) < call.max_attempts():
            if call.stop_after_attempt:
                call.data["status"] = call.stop_after_attempt
                call.data["is_cancelled"] = call.stop_after_attempt == "cancelled"
                call.due_at = None
            else:
                retry_at = at + timedelta(seconds=call.retry_delay())
                call.data["status"] = "scheduled"
                call.data["scheduled_at"] = isoformat(retry_at)
                call.due_at = retry_at
        else:
            call.data["status"] = "post_processing"
            call.due_at = at + timedelta(seconds=self.timing.post_processing_seconds)

    def _complete(self, call: CallRecord, at: datetime, host: CallHost) -> None:
        script = self.script_for(call.data["to_phone_number"])
        attempt = call.attempts[0]
        reached = attempt["result"] == "human"
        outcome = script.outcome or ("completed" if reached else None)
        assistant = host.assistant_for(call)
        if reached or script.structured_output is not None:
            attempt["structured_output"] = _structured_output(assistant, script, at)
        if reached:
            attempt["post_call_transcript"] = [dict(m) for m in attempt["transcript"]]
        call.data.update(
            status="completed",
            is_completed=True,
            outcome=outcome,
            outcome_summary=_summary(call, outcome, reached),
        )
        call.due_at = None


def _contact_name(call: CallRecord) -> str:
    contact = call.data.get("contact") or {}
    parts = [contact.get("first_name"), contact.get("last_name")]
    return " ".join(p for p in parts if p) or str(call.data["to_phone_number"])


def _transcript(
    result: str, call: CallRecord, assistant: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    assistant = assistant or {}
    variables = call.data.get("prompt_variables") or {}

    def say(role: str, text: str) -> dict[str, Any]:
        return {"role": role, "content": fill_template(text, variables)}

    if result == "voicemail":
        message = assistant.get("voicemail_message") or "Sorry we missed you, we will call back."
        return [say("assistant", message)]
    if result == "IVR":
        return [say("user", "Welcome. For sales press 1, for support press 2.")]
    if result == "ios-screening-filter":
        return [say("user", "Hi, if you record your name and reason for calling, I'll see if...")]
    if result == "unknown":
        return []
    opening = (
        assistant.get("first_sentence") or "Hello, this is your assistant. Do you have a minute?"
    )
    closing = assistant.get("end_of_call_sentence") or "Thanks for your time, goodbye!"
    return [
        say("assistant", opening),
        say("user", "Yes, speaking. What is this about?"),
        say("assistant", "I'm following up on your recent request. Is now still a good time?"),
        say("user", "Sure, that works for me."),
        say("assistant", closing),
    ]


def _structured_output(
    assistant: Mapping[str, Any] | None, script: CallScript, at: datetime
) -> dict[str, Any]:
    fields = (assistant or {}).get("structured_output_config") or []
    values = {f["name"]: _sample_value(f, at) for f in fields}
    values.update(script.structured_output or {})
    return values


def _sample_value(spec: Mapping[str, Any], at: datetime) -> Any:
    kind = spec["type"]
    tomorrow = at + timedelta(days=1)
    if kind == "number":
        return 42
    if kind == "boolean":
        return True
    if kind == "enum":
        options = spec.get("enum_options") or []
        return options[0] if options else None
    if kind == "date":
        return tomorrow.date().isoformat()
    if kind == "datetime":
        return isoformat(tomorrow)
    return f"Sample {str(spec['name']).replace('_', ' ')}"


def _summary(call: CallRecord, outcome: str | None, reached: bool) -> str:
    name = _contact_name(call)
    if reached:
        return f"Spoke with {name}; outcome: {outcome or 'none'}."
    count = len(call.attempts)
    return f"Could not reach {name} after {count} attempt{'s' if count != 1 else ''}."
