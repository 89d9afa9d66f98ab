"""Campaigns: a list of contacts called by one assistant, its rows, launches and statistics."""

from __future__ import annotations

from typing import Any

import attrs

from .._model import ApiEnum, Count, RevoxModel, Timestamp
from .assistants import Assistant
from .calls import Call, CallDirection, CallResult, CallStatus
from .common import CallOutcome, CallRetryConfig, MemberRef


class CampaignStatus(ApiEnum):
    """Whether a campaign is placing calls, held, or done."""

    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"


class ExtractionStatus(ApiEnum):
    """Progress of extracting structured data from the campaign's calls."""

    NONE = "none"
    RUNNING = "running"
    COMPLETED = "completed"


class LaunchMode(ApiEnum):
    """``AI_FIRST``: the assistant calls on its own. ``SPEED_DIAL``: a live operator session."""

    AI_FIRST = "ai_first"
    SPEED_DIAL = "speed_dial"


class RowSelectionMode(ApiEnum):
    """Whether the listed call ids are the ones to launch or the ones to leave out."""

    ALL_EXCEPT = "all_except"
    ONLY = "only"


class SpeedDialStatus(ApiEnum):
    """The state of a live speed-dial session."""

    DIALING = "dialing"
    CONNECTED = "connected"
    COMPLETED = "completed"
    STOPPED = "stopped"
    ERRORED = "errored"


@attrs.frozen(kw_only=True)
class CampaignRowStats(RevoxModel):
    """How many of the campaign's rows are in each state."""

    calling: Count
    completed: Count
    failed: Count
    not_launched: Count
    pending: Count
    retry: Count
    skipped: Count
    total: Count


@attrs.frozen(kw_only=True)
class CampaignFunnelStats(RevoxModel):
    """Leads reached so far: in total, those who talked to a human, and hot ones."""

    hot: Count
    talked_to_human: Count
    total_leads: Count


@attrs.frozen(kw_only=True)
class Campaign(RevoxModel):
    """A batch of contacts called by one assistant under shared retry and concurrency rules."""

    id: str
    assistant_id: str
    created_at: Timestamp
    is_cancelled: bool
    name: str
    organization_id: str
    status: CampaignStatus | str
    updated_at: Timestamp
    assistant: Assistant | None = None
    call_retry_config: CallRetryConfig | None = None
    created_by: MemberRef | None = None
    from_phone_number: str | None = None
    funnel_stats: CampaignFunnelStats | None = None
    max_concurrent_calls: Count | None = None
    metadata_keys: list[str] | None = None
    row_stats: CampaignRowStats | None = None
    scheduled_at: Timestamp = None
    structured_output_extraction: ExtractionStatus | str | None = None


@attrs.frozen(kw_only=True)
class CampaignRow(RevoxModel):
    """One contact of a campaign: its input data and, once created, its call."""

    id: str
    input_data: dict[str, str]
    phone_number: str
    row_index: Count
    call: Call | None = None


@attrs.frozen(kw_only=True)
class CampaignContact(RevoxModel):
    """A contact to add to a new campaign: an E.164 number and the prompt variables for it."""

    to_phone_number: str
    prompt_variables: dict[str, Any]


@attrs.frozen(kw_only=True)
class CampaignLaunchFilters(RevoxModel):
    """Which of the campaign's calls a launch considers. An empty list means "no filter"."""

    assignee_ids: list[str] = attrs.field(factory=list)
    directions: list[CallDirection | str] = attrs.field(factory=list)
    outcomes: list[CallOutcome | str] = attrs.field(factory=list)
    results: list[CallResult | str] = attrs.field(factory=list)
    statuses: list[CallStatus | str] = attrs.field(factory=list)
    query: str | None = None


@attrs.frozen(kw_only=True)
class CampaignLaunchRows(RevoxModel):
    """Calls picked by id: launch ``ONLY`` these, or ``ALL_EXCEPT`` these."""

    mode: RowSelectionMode | str
    call_ids: list[str]


@attrs.frozen(kw_only=True)
class CampaignLaunchSelection(RevoxModel):
    """The calls a launch sends: those matching ``filters``, narrowed by ``rows``."""

    filters: CampaignLaunchFilters
    rows: CampaignLaunchRows


LAUNCH_PENDING = CampaignLaunchSelection(
    filters=CampaignLaunchFilters(statuses=[CallStatus.NOT_LAUNCHED]),
    rows=CampaignLaunchRows(mode=RowSelectionMode.ALL_EXCEPT, call_ids=[]),
)
"""Every call of the campaign not launched yet: the default selection of ``campaigns.launch``."""


@attrs.frozen(kw_only=True)
class CampaignLaunchSkipped(RevoxModel):
    """Selected calls a launch left alone, by reason."""

    active: Count
    attempts_exhausted: Count
    cancelled: Count


@attrs.frozen(kw_only=True)
class SpeedDialSession(RevoxModel):
    """A live operator session started by a speed-dial launch."""

    id: str
    campaign_id: str
    connected_count: Count
    created_at: Timestamp
    dialed_count: Count
    in_flight_calls: list[Call]
    outcome_filter: list[CallOutcome | str]
    status: SpeedDialStatus | str
    total_targets: Count
    current_call_id: str | None = None
    ended_at: Timestamp = None


@attrs.frozen(kw_only=True)
class CampaignLaunchResult(RevoxModel):
    """What a launch did: calls sent, calls skipped, and the speed-dial session if any."""

    launched: Count
    skipped: CampaignLaunchSkipped
    session: SpeedDialSession | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsCampaign(RevoxModel):
    """The campaign as the statistics report describes it."""

    id: str
    first_activity_at: Timestamp
    has_activity: bool
    is_cancelled: bool
    last_activity_at: Timestamp
    name: str
    status: CampaignStatus | str
    timezone: str
    agent_name: str | None = None
    max_attempts_per_contact: Count | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsDataExtraction(RevoxModel):
    """The fields extracted from the campaign's conversations."""

    fields: list[str]
    intro: str


@attrs.frozen(kw_only=True)
class CampaignStatisticsEffort(RevoxModel):
    """How many calls the campaign took."""

    calls_total: Count
    inbound_calls: Count
    outbound_attempts: Count


@attrs.frozen(kw_only=True)
class CampaignStatisticsFunnelCalled(RevoxModel):
    """Top of the funnel: contacts called, out of the rows imported."""

    count: Count
    imported_rows: Count


@attrs.frozen(kw_only=True)
class CampaignStatisticsFunnelReached(RevoxModel):
    """Contacts reached, by direction (``overlap`` were reached both ways)."""

    count: Count
    inbound: Count
    outbound: Count
    overlap: Count
    pct_of_called: float | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsFunnelStage(RevoxModel):
    """A lower stage of the funnel, with its share of the contacts reached."""

    count: Count
    pct_of_reached: float | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsFunnel(RevoxModel):
    """Called, then reached, then real exchanges, then hot leads."""

    called: CampaignStatisticsFunnelCalled
    reached: CampaignStatisticsFunnelReached
    real_exchanges: CampaignStatisticsFunnelStage
    hot_leads: CampaignStatisticsFunnelStage


@attrs.frozen(kw_only=True)
class CampaignStatisticsInbound(RevoxModel):
    """Calls received back from the campaign's contacts."""

    unique_callers: Count


@attrs.frozen(kw_only=True)
class CampaignStatisticsJumpIn(RevoxModel):
    """Calls a human operator joined, with median timings in seconds."""

    joined_calls: Count
    median_conversation_seconds: float | None = None
    median_time_to_join_seconds: float | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsLead(RevoxModel):
    """A contact worth following up, with the latest call about them."""

    call_id: str
    direction: CallDirection | str
    last_activity_at: Timestamp
    name: str
    phone: str
    attempt_id: str | None = None
    email: str | None = None
    summary: str | None = None


@attrs.frozen(kw_only=True)
class CampaignStatisticsLeads(RevoxModel):
    """Hot leads, split into interested contacts and callback requests."""

    interested: list[CampaignStatisticsLead]
    callback_requested: list[CampaignStatisticsLead]


@attrs.frozen(kw_only=True)
class CampaignStatisticsOutcomeBreakdown(RevoxModel):
    """How many exchanges ended with one outcome."""

    count: Count
    label: str
    outcome: str


@attrs.frozen(kw_only=True)
class CampaignStatistics(RevoxModel):
    """The campaign report: funnel, effort, inbound activity, operator jump-ins and leads."""

    campaign: CampaignStatisticsCampaign
    effort: CampaignStatisticsEffort
    funnel: CampaignStatisticsFunnel
    hot_lead_outcomes: list[str]
    inbound: CampaignStatisticsInbound
    jump_in: CampaignStatisticsJumpIn
    leads: CampaignStatisticsLeads
    outcome_breakdown: list[CampaignStatisticsOutcomeBreakdown]
    data_extraction: CampaignStatisticsDataExtraction | None = None
