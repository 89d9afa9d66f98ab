"""Calls: the call order, its attempts and transcripts, search results and CSV exports."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from .._model import ApiEnum, Count, RevoxModel, Timestamp
from .assistants import Assistant, LlmModel
from .common import CallOutcome, CallRetryConfig, MemberRef


class CallStatus(ApiEnum):
    """Where a call order stands, from creation to one of the three terminal states."""

    INITIALIZING = "initializing"
    QUEUED_FOR_CALLING = "queued_for_calling"
    CALLING = "calling"
    POST_PROCESSING = "post_processing"
    NOT_LAUNCHED = "not_launched"
    SCHEDULED = "scheduled"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ERRORED = "errored"


TERMINAL_CALL_STATUSES = frozenset({CallStatus.COMPLETED, CallStatus.CANCELLED, CallStatus.ERRORED})
"""Statuses after which a call order never changes again."""


class CallDirection(ApiEnum):
    """Whether the assistant placed the call or answered it."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallAttemptStatus(ApiEnum):
    """The state of one dialing attempt."""

    QUEUED = "queued"
    RINGING = "ringing"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    ERROR = "error"


class CallResult(ApiEnum):
    """Who or what picked up. Filters also accept ``NONE`` for "not answered"."""

    IVR = "IVR"
    VOICEMAIL = "voicemail"
    HUMAN = "human"
    UNKNOWN = "unknown"
    IOS_SCREENING_FILTER = "ios-screening-filter"
    NONE = "none"


class DialError(ApiEnum):
    """Why the telephone network could not connect an attempt."""

    NUMBER_NON_ATTRIBUTED = "number_non_attributed"
    TOO_MANY_CALLS = "too_many_calls"
    BUSY = "busy"
    TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
    NO_ANSWER = "no_answer"
    NO_INTERNATIONAL_PERMISSION = "no_international_permission"
    PRECONDITION_FAILED = "precondition_failed"
    NON_CLASSIFIED_ERROR = "non_classified_error"


class EndReason(ApiEnum):
    """Why an attempt ended."""

    CLIENT_INITIATED = "client_initiated"
    CONNECTION_TIMEOUT = "connection_timeout"
    HUMAN_TAKEOVER = "human_takeover"
    IVR_NO_NAVIGATE = "ivr_no_navigate"
    MAX_DURATION = "max_duration"
    PARTICIPANT_REMOVED = "participant_removed"
    TOOL_END_CALL = "tool_end_call"
    TRANSFER = "transfer"
    USER_INACTIVE = "user_inactive"
    USER_REJECTED = "user_rejected"
    USER_UNAVAILABLE = "user_unavailable"
    VOICEMAIL = "voicemail"
    SPEED_DIAL_ABANDONED = "speed_dial_abandoned"
    SPEED_DIAL_OPERATOR_MISSED = "speed_dial_operator_missed"
    SPEED_DIAL_TIMEOUT = "speed_dial_timeout"
    SPEED_DIAL_HANGUP = "speed_dial_hangup"


class EndedBy(ApiEnum):
    """Which side hung up: the AI agent, the person called, or the platform."""

    AGENT = "agent"
    USER = "user"
    SYSTEM = "system"


class TranscriptRole(ApiEnum):
    """The speaker of a transcript line; ``TOOL`` lines record tool calls."""

    USER = "user"
    ASSISTANT = "assistant"
    HUMAN_AGENT = "human_agent"
    TOOL = "tool"


class Speaker(ApiEnum):
    """Who spoke during a speech segment."""

    USER = "user"
    AGENT = "agent"


class SmsProvider(ApiEnum):
    """The carrier an SMS went through."""

    TWILIO = "twilio"
    VONAGE = "vonage"


class SmsType(ApiEnum):
    """When an SMS was sent relative to the call."""

    IN_CALL = "in_call"
    VOICEMAIL = "voicemail"
    AFTER_CALL = "after_call"


class SortDirection(ApiEnum):
    """Ascending or descending order of search results."""

    ASC = "asc"
    DESC = "desc"


@attrs.frozen(kw_only=True)
class TranscriptMessage(RevoxModel):
    """One line of a conversation, or one tool call made by the agent.

    ``tool_arguments`` is whatever the API recorded: usually a JSON object, sometimes raw text.
    """

    content: str
    role: TranscriptRole | str
    tool_arguments: Any = None
    tool_is_error: bool | None = None
    tool_name: str | None = None
    tool_output: str | None = None


@attrs.frozen(kw_only=True)
class SpeechEvent(RevoxModel):
    """A stretch of speech by one side, with timings measured from the session start (ms)."""

    id: str
    is_real_turn: bool
    speaker: Speaker | str
    started_speaking_at_ms: float
    llm_system_prompt: str | None = None
    llm_ttft_ms: float | None = None
    llm_winner_model: str | None = None
    stopped_speaking_at_ms: float | None = None
    stt_transcription_delay_ms: float | None = None
    transcript: str | None = None
    tts_ttfb_ms: float | None = None
    was_cut: bool | None = None


@attrs.frozen(kw_only=True)
class SmsLogEntry(RevoxModel):
    """An SMS the platform sent on its own around a call (voicemail or after-call)."""

    id: str
    created_at: Timestamp
    message_body: str
    provider: SmsProvider | str
    to_phone_number: str
    type: SmsType | str
    provider_message_id: str | None = None


@attrs.frozen(kw_only=True)
class EmailLogEntry(RevoxModel):
    """A notification email sent about a call."""

    id: str
    created_at: Timestamp
    from_address: str
    subject: str
    to_emails: list[str]
    resend_message_id: str | None = None


@attrs.frozen(kw_only=True)
class CallAttempt(RevoxModel):
    """One time the number was dialed; a call order may need several."""

    id: str
    answered_at: Timestamp
    ended_at: Timestamp
    handled_by_ai: bool
    handled_by_human: bool
    phone_number: str
    started_at: Timestamp
    status: CallAttemptStatus | str
    dial_error: DialError | str | None = None
    handled_by_user: MemberRef | None = None
    recording_url: str | None = None
    result: CallResult | str | None = None
    assistants_used: list[str] | None = None
    email_log: list[EmailLogEntry] | None = None
    end_reason: EndReason | str | None = None
    ended_by: EndedBy | str | None = None
    post_call_transcript: list[TranscriptMessage] | None = None
    sms_log: list[SmsLogEntry] | None = None
    speech_events: list[SpeechEvent] | None = None
    structured_output: dict[str, Any] | None = None
    transcript: list[TranscriptMessage] | None = None


@attrs.frozen(kw_only=True)
class CallContact(RevoxModel):
    """What is known about the person called, from the call's data and the conversation."""

    company: str | None = None
    email: str | None = None
    first_name: str | None = None
    job_title: str | None = None
    last_name: str | None = None


@attrs.frozen(kw_only=True)
class CampaignRef(RevoxModel):
    """The campaign a call belongs to, by id and name."""

    id: str
    name: str


@attrs.frozen(kw_only=True)
class CallConcurrency(RevoxModel):
    """Groups calls under a key whose concurrency limit is set on the server."""

    key: str


@attrs.frozen(kw_only=True)
class Call(RevoxModel):
    """A call order: one number to reach, tried over one or more attempts.

    ``status`` is the field to follow; ``is_completed`` and ``is_cancelled`` are older
    derivations of it that the API still sends.
    """

    id: str
    call_attempts: list[CallAttempt]
    calls_count: Count
    contact: CallContact
    created_at: Timestamp
    direction: CallDirection | str
    first_sentence_delay_ms: int
    from_phone_number: str
    is_cancelled: bool
    is_completed: bool
    llm_model: LlmModel
    organization_id: str
    scheduled_at: Timestamp
    status: CallStatus | str
    to_phone_number: str
    updated_at: Timestamp
    assignee: MemberRef | None = None
    assistant: Assistant | None = None
    call_retry_config: CallRetryConfig | None = None
    campaign: CampaignRef | None = None
    last_call_attempt: CallAttempt | None = None
    metadata: dict[str, str] | None = None
    prompt_variables: dict[str, str] | None = None
    follow_up_emails: list[str] | None = None
    outcome: CallOutcome | str | None = None
    outcome_summary: str | None = None
    slack_channel_ids: list[str] | None = None

    @property
    def is_finished(self) -> bool:
        """Whether the call reached a terminal status (completed, cancelled or errored)."""
        return self.status in TERMINAL_CALL_STATUSES


@attrs.frozen(kw_only=True)
class PhoneHistoryEntry(RevoxModel):
    """How often a number was called across the organization, and how it went."""

    campaigns: list[CampaignRef]
    count: Count
    do_not_contact: bool
    hot: bool
    reached_human: bool
    last_called_at: Timestamp = None
    last_outcome: CallOutcome | str | None = None


@attrs.frozen(kw_only=True)
class CallSearchResult(RevoxModel):
    """One page of a call search, with the number of matching calls over all pages."""

    calls: list[Call]
    total_count: Count


DEFAULT_CSV_NAME = "export.csv"


@attrs.frozen(kw_only=True)
class CsvExport(RevoxModel):
    """A CSV file produced by the API: its text and the file name the server suggests."""

    csv: str = attrs.field(repr=False)
    filename: str

    def save(self, path: str | os.PathLike[str] = ".") -> Path:
        """Write the CSV and return the path written.

        ``path`` is a directory (the file gets the server's name, reduced to its last
        component so it cannot point elsewhere) or the path of the file itself.
        """
        target = Path(path)
        if target.is_dir():
            name = PurePosixPath(self.filename.replace("\\", "/")).name
            target = target / (name if name not in ("", ".", "..") else DEFAULT_CSV_NAME)
        # Bytes, so the CSV's own line endings are written unchanged on every platform.
        target.write_bytes(self.csv.encode("utf-8"))
        return target
