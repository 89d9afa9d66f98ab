"""The assistant: the configured AI agent that places and answers calls."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from .._model import ApiEnum, Count, RevoxModel, Timestamp, wire
from .common import CallOutcome, CallRetryConfig, KeyValuePair, MemberRef, Position


class FirstSentenceMode(ApiEnum):
    """How the opening line is produced: written by the model, spoken as given, or skipped."""

    GENERATED = "generated"
    STATIC = "static"
    NONE = "none"


class AssistantType(ApiEnum):
    """A normal assistant, the head of a multi-step flow, or one step inside such a flow."""

    STANDALONE = "standalone"
    MULTI_STEP = "multi-step"
    SUB_ASSISTANT = "sub-assistant"


class SttModel(ApiEnum):
    """The speech-to-text model."""

    STT_RT_V4 = "stt-rt-v4"
    STT_RT_V5 = "stt-rt-v5"


class BackgroundSound(ApiEnum):
    """Ambient sound played under the conversation."""

    OFFICE = "audio/office.ogg"


class ThinkingSound(ApiEnum):
    """A clip played while the agent prepares its answer."""

    CITY_AMBIENCE = "city-ambience.ogg"
    FOREST_AMBIENCE = "forest-ambience.ogg"
    OFFICE_AMBIENCE = "office-ambience.ogg"
    CROWDED_ROOM = "crowded-room.ogg"
    KEYBOARD_TYPING = "keyboard-typing.ogg"
    KEYBOARD_TYPING2 = "keyboard-typing2.ogg"
    HOLD_MUSIC = "hold_music.ogg"


class HumanTransferMode(ApiEnum):
    """Warm: the agent briefs the human first. Cold: the call is handed over as is."""

    WARM = "warm"
    COLD = "cold"


class VoiceProvider(ApiEnum):
    """The text-to-speech vendor of a voice."""

    CARTESIA = "cartesia"
    ELEVENLABS = "elevenlabs"
    GRADIUM = "gradium"


class VoiceModel(ApiEnum):
    """The Cartesia synthesis model."""

    SONIC_3 = "sonic-3"
    SONIC_3_5 = "sonic-3.5"


class StructuredOutputType(ApiEnum):
    """The type of a value extracted from a call."""

    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ENUM = "enum"
    DATE = "date"
    DATETIME = "datetime"


class FaqSource(ApiEnum):
    """Who wrote an FAQ answer."""

    HUMAN = "human"
    AI = "ai"


class DedicatedModelName(ApiEnum):
    """Models served on Revox's own instances."""

    GPT_4_1 = "gpt-4.1"
    MINISTRAL_3_8B_INSTRUCT = "ministral-3-8b-instruct"


class RealtimeProvider(ApiEnum):
    """Vendors of speech-to-speech models."""

    OPENAI = "openai"
    GOOGLE = "google"


class HttpMethod(ApiEnum):
    """The HTTP method a custom tool calls its endpoint with."""

    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


@attrs.frozen(kw_only=True)
class VoiceSettings(RevoxModel):
    """The voice an assistant speaks with.

    ``speed`` is limited by provider: 0.6-1.5 for Cartesia and Gradium, 0.7-1.2 for ElevenLabs.
    """

    id: str
    provider: VoiceProvider | str
    model: VoiceModel | str | None = None
    speed: float | None = None
    volume: float | None = None


@attrs.frozen(kw_only=True)
class StructuredOutputField(RevoxModel):
    """One value to extract from each call's conversation (also a custom tool's parameter)."""

    name: str
    required: bool
    type: StructuredOutputType | str
    description: str | None = None
    enum_options: list[str] | None = None


@attrs.frozen(kw_only=True)
class FaqItem(RevoxModel):
    """A question the assistant can answer, with its answer."""

    question: str
    answer: str
    id: str | None = None
    needs_human_answer: bool | None = None
    source: FaqSource | str | None = None


@attrs.frozen(kw_only=True)
class CalendlyConfig(RevoxModel):
    """The Calendly connection and event type used to book meetings during calls."""

    connection_id: str
    event_type_id: str


@attrs.frozen(kw_only=True)
class DedicatedInstanceModel(RevoxModel):
    """A language model hosted by Revox."""

    name: DedicatedModelName | str
    type: Literal["dedicated-instance"] = "dedicated-instance"


@attrs.frozen(kw_only=True)
class OpenRouterModel(RevoxModel):
    """A language model reached through OpenRouter."""

    openrouter_model_id: str
    openrouter_provider: str
    type: Literal["openrouter"] = "openrouter"


@attrs.frozen(kw_only=True)
class CustomLlmModel(RevoxModel):
    """Your own OpenAI-compatible endpoint. The API echoes ``api_key`` back; it is kept out of
    ``repr()``."""

    api_url: str
    model_name: str
    api_key: str = attrs.field(repr=False)
    type: Literal["custom"] = "custom"


@attrs.frozen(kw_only=True)
class RealtimeModel(RevoxModel):
    """A speech-to-speech model (OpenAI or Google realtime)."""

    provider: RealtimeProvider | str
    realtime_model_id: str
    realtime_voice_id: str | None = None
    type: Literal["realtime"] = "realtime"


@attrs.frozen(kw_only=True)
class UnknownLlmModel(RevoxModel):
    """A kind of language model this SDK version does not know; its fields are in ``extra``."""

    type: str


LlmModel: TypeAlias = (
    DedicatedInstanceModel | OpenRouterModel | CustomLlmModel | RealtimeModel | UnknownLlmModel
)
"""The language model behind an assistant, told apart by its ``type``."""


@attrs.frozen(kw_only=True)
class CustomTool(RevoxModel):
    """An HTTP endpoint the assistant may call during a conversation."""

    name: str
    description: str
    method: HttpMethod | str
    url: str
    headers: list[KeyValuePair]
    query_params: list[KeyValuePair]
    input_schema: list[StructuredOutputField]
    body_template: str | None = None


@attrs.frozen(kw_only=True)
class PromptFlowNodeData(RevoxModel):
    """The text of a block in the visual prompt editor."""

    title: str
    body: str


@attrs.frozen(kw_only=True)
class PromptFlowNode(RevoxModel):
    """A block in the visual prompt editor."""

    id: str
    type: str
    data: PromptFlowNodeData
    position: Position


@attrs.frozen(kw_only=True)
class PromptFlowEdge(RevoxModel):
    """A link between two blocks of the visual prompt editor."""

    id: str
    source: str
    target: str


@attrs.frozen(kw_only=True)
class PromptFlow(RevoxModel):
    """The visual prompt editor's graph, kept so the editor can reopen it."""

    nodes: list[PromptFlowNode]
    edges: list[PromptFlowEdge]


@attrs.frozen(kw_only=True)
class SlackChannel(RevoxModel):
    """A Slack channel that receives call notifications."""

    id: str
    name: str | None = None


@attrs.frozen(kw_only=True)
class SlackConfig(RevoxModel):
    """Post to Slack when a call ends with one of ``outcomes``."""

    connection_id: str
    channels: list[SlackChannel]
    outcomes: list[CallOutcome | str]
    template: str | None = None


@attrs.frozen(kw_only=True)
class ZohoFieldMapping(RevoxModel):
    """Which call value fills which Zoho CRM field."""

    source: str
    zoho_field: str


@attrs.frozen(kw_only=True)
class ZohoConfig(RevoxModel):
    """Record calls that end with one of ``outcomes`` in a Zoho CRM module."""

    connection_id: str
    module: str
    field_mapping: list[ZohoFieldMapping]
    log_call_activity: bool
    outcomes: list[CallOutcome | str]
    template: str | None = None


@attrs.frozen(kw_only=True)
class SttContext(RevoxModel):
    """Hints that help speech recognition: key facts and domain vocabulary."""

    general: list[KeyValuePair]
    terms: list[str]


@attrs.frozen(kw_only=True)
class TransferDestination(RevoxModel):
    """A phone number (E.164) the assistant may hand the call to."""

    label: str
    phone_number: str


@attrs.frozen(kw_only=True)
class Assistant(RevoxModel):
    """An AI voice agent: its prompt, voice, model, and what happens around each call.

    Fields that only some versions of the API send are optional, so both the older shape (with
    ``transfer_phone_number``) and the current one parse.
    """

    id: str
    name: str
    prompt: str
    organization_id: str
    llm_model: LlmModel
    first_sentence_mode: FirstSentenceMode | str
    first_sentence_delay_ms: int
    ivr_navigation_enabled: bool
    max_call_duration_secs: float
    created_at: Timestamp
    updated_at: Timestamp
    type: AssistantType | str | None = None
    first_sentence: str | None = None
    end_of_call_sentence: str | None = None
    voicemail_message: str | None = None
    voice: VoiceSettings | None = None
    stt_model: SttModel | str | None = None
    stt_context: SttContext | None = None
    background_sound: BackgroundSound | str | None = None
    background_sound_volume: float | None = None
    thinking_sound: ThinkingSound | str | None = None
    thinking_sound_probability: float | None = None
    thinking_sound_volume: float | None = None
    call_retry_config: CallRetryConfig | None = None
    structured_output_config: list[StructuredOutputField] | None = None
    structured_output_prompt: str | None = None
    faq_items: list[FaqItem] | None = None
    pending_faq_count: Count | None = None
    custom_tools: list[CustomTool] | None = None
    prompt_flow: PromptFlow | None = None
    position: Position | None = None
    calendly: CalendlyConfig | None = None
    slack: SlackConfig | None = None
    zoho: ZohoConfig | None = None
    webhook_url: str | None = None
    precall_lookup_url: str | None = None
    from_phone_number: str | None = None
    transfer_destinations: list[TransferDestination] | None = None
    transfer_phone_number: str | None = None
    human_transfer_mode: HumanTransferMode | str | None = None
    warm_transfer_summary_instructions: str | None = None
    sms_enabled: bool | None = None
    sms_template: str | None = None
    after_call_sms_outcomes: list[CallOutcome | str] | None = None
    after_call_sms_prompt: str | None = None
    voicemail_sms_prompt: str | None = None
    email_notification_address: str | None = None
    email_notification_outcomes: list[CallOutcome | str] | None = None
    max_duration_end_message: str | None = None
    cartesia_dictionary_pronunciation_id: str | None = None
    logo_url: str | None = None
    is_inbound_receptionist: bool | None = None
    is_realestate_assistant: bool | None = None
    created_by: MemberRef | None = None


@attrs.frozen(kw_only=True)
class UnpatchedCallsNotice(RevoxModel):
    """Scheduled calls the update could not change: their prompt variables no longer match."""

    count: Count
    variables: list[str]


@attrs.frozen(kw_only=True)
class AssistantUpdateResult(RevoxModel):
    """What ``assistants.update`` returns: the updated assistant and, when some already
    scheduled calls kept their old settings, a notice about them."""

    assistant: Assistant
    unpatched_calls_notice: UnpatchedCallsNotice | None = attrs.field(
        default=None, metadata=wire("unpatchedCallsNotice")
    )
