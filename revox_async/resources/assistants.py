"""``client.assistants``: list, retrieve, create, update, delete, clone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypedDict

from typing_extensions import Required, Unpack

from .._endpoint import Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ..models.assistants import (
    Assistant,
    AssistantType,
    AssistantUpdateResult,
    BackgroundSound,
    CalendlyConfig,
    CustomTool,
    FaqItem,
    FirstSentenceMode,
    HumanTransferMode,
    LlmModel,
    PromptFlow,
    SlackConfig,
    StructuredOutputField,
    SttContext,
    SttModel,
    ThinkingSound,
    TransferDestination,
    VoiceSettings,
    ZohoConfig,
)
from ..models.common import CallOutcome, CallRetryConfig, Position
from ._base import AsyncResource
from ._params import Nested, assistant_body


class AssistantFields(TypedDict, total=False):
    """The assistant settings accepted by ``create`` and ``update`` (besides name and prompt).

    Every key is the API's JSON field name. A key left out is not sent; ``None`` sends ``null``,
    which clears the setting where the API allows it.
    """

    first_sentence: str
    first_sentence_mode: FirstSentenceMode | str
    first_sentence_delay_ms: int
    end_of_call_sentence: str
    voicemail_message: str | None
    type: AssistantType | str
    llm_model: LlmModel | Nested
    voice: VoiceSettings | Nested
    stt_model: SttModel | str
    stt_context: SttContext | Nested | None
    background_sound: BackgroundSound | str | None
    background_sound_volume: float
    thinking_sound: ThinkingSound | str | None
    thinking_sound_probability: float
    thinking_sound_volume: float
    max_call_duration_secs: float
    max_duration_end_message: str | None
    ivr_navigation_enabled: bool
    call_retry_config: CallRetryConfig | Nested
    structured_output_config: Sequence[StructuredOutputField | Nested]
    structured_output_prompt: str | None
    faq_items: Sequence[FaqItem | Nested]
    custom_tools: Sequence[CustomTool | Nested] | None
    prompt_flow: PromptFlow | Nested | None
    position: Position | Nested | None
    calendly: CalendlyConfig | Nested | None
    slack: SlackConfig | Nested | None
    zoho: ZohoConfig | Nested | None
    webhook_url: str
    precall_lookup_url: str | None
    from_phone_number: str | None
    transfer_destinations: Sequence[TransferDestination | Nested] | None
    human_transfer_mode: HumanTransferMode | str | None
    warm_transfer_summary_instructions: str | None
    sms_enabled: bool
    sms_template: str | None
    after_call_sms_outcomes: Sequence[CallOutcome | str] | None
    after_call_sms_prompt: str | None
    voicemail_sms_prompt: str | None
    email_notification_address: str | None
    email_notification_outcomes: Sequence[CallOutcome | str] | None
    cartesia_dictionary_pronunciation_id: str | None
    logo_url: str | None


class AssistantCreateParams(AssistantFields, total=False):
    """Keyword arguments of ``assistants.create``: ``name`` and ``prompt`` are required."""

    name: Required[str]
    prompt: Required[str]


class AssistantUpdateParams(AssistantFields, total=False):
    """Keyword arguments of ``assistants.update``: send only what changes."""

    name: str
    prompt: str


_LIST = Endpoint(
    name="assistants.list",
    method="GET",
    path="/assistants",
    repeat=Repeat.SAFE,
    result=list[Assistant],
    envelope="assistants",
)
_RETRIEVE = Endpoint(
    name="assistants.retrieve",
    method="GET",
    path="/assistants/{id}",
    repeat=Repeat.SAFE,
    result=Assistant,
)
_CREATE = Endpoint(
    name="assistants.create",
    method="POST",
    path="/assistants",
    repeat=Repeat.NEVER,
    result=Assistant,
    envelope="assistant",
)
_UPDATE = Endpoint(
    name="assistants.update",
    method="PATCH",
    path="/assistants/{id}",
    repeat=Repeat.SAFE,
    result=AssistantUpdateResult,
)
_DELETE = Endpoint(
    name="assistants.delete",
    method="DELETE",
    path="/assistants/{id}",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_CLONE = Endpoint(
    name="assistants.clone",
    method="POST",
    path="/assistants/{id}/clone",
    repeat=Repeat.NEVER,
    result=Assistant,
    envelope="assistant",
)


class AsyncAssistants(AsyncResource):
    """Assistants: the AI agents that place and answer calls."""

    async def list(self) -> list[Assistant]:
        """Every assistant of the organization."""
        return await self._client._call(_LIST)

    async def retrieve(self, id: str) -> Assistant:
        """One assistant by id.

        Args:
            id (str): The assistant's id.
        """
        return await self._client._call(_RETRIEVE, path={"id": id})

    async def create(self, **params: Unpack[AssistantCreateParams]) -> Assistant:
        """Create an assistant. Never resent once it may have reached the server.

        Keyword arguments are the API's field names; nested settings take their model or a
        dict. Documented limits (voice speed per provider, calling-window times, E.164 numbers,
        non-empty names) are checked before anything is sent.

        Keyword Args:
            first_sentence (str): The first sentence to use for the call.
            first_sentence_mode (FirstSentenceMode | str): How the first sentence should be
                handled.
            first_sentence_delay_ms (int): Delay in milliseconds before speaking the first
                sentence.
            end_of_call_sentence (str): Optional message to say when the agent decides to end the
                call.
            voicemail_message (str | None): If set, when voicemail is detected the agent will speak
                this message then hang up; if null, hang up immediately.
            type (AssistantType | str): Assistant kind. 'standalone' (default) is a normal
                assistant, 'multi-step' orchestrates a flow of sub-assistants, 'sub-assistant' is a
                step inside a multi-step flow (hidden from the assistants list).
            llm_model (LlmModel | dict): The language model that drives the conversation
                (OpenRouter, dedicated instance, custom endpoint or realtime model).
            voice (VoiceSettings | dict): The voice the assistant speaks with: its ``id`` and
                ``provider``, and optional tuning.
            stt_model (SttModel | str): Transcriber (speech-to-text) model.
            stt_context (SttContext | dict | None): Assistant-level speech-to-text context:
                structured `general` key/value pairs plus a list of domain `terms`.
            background_sound (BackgroundSound | str | None): Ambient background sound to play
                during the call.
            background_sound_volume (float): Volume of the ambient background sound (0 = silent, 1
                = max).
            thinking_sound (ThinkingSound | str | None): Audio clip to play while the agent is
                processing a response.
            thinking_sound_probability (float): Probability [0..1] that the thinking sound plays on
                any given turn; otherwise the agent is silent while thinking.
            thinking_sound_volume (float): Volume of the thinking sound (0 = silent, 1 = max).
            max_call_duration_secs (float): The maximum duration of the call in seconds.
            max_duration_end_message (str | None): Optional message the agent will say, without
                being interruptible, when the call reaches its max duration.
            ivr_navigation_enabled (bool): Enable IVR navigation tools. When enabled, the assistant
                can send DTMF tones and skip turns to navigate phone menus.
            call_retry_config (CallRetryConfig | dict): Configuration for call retry behavior
                including time windows, delays, and max iterations.
            structured_output_config (Sequence[StructuredOutputField | dict]): The structured
                output config to use for the call.
            structured_output_prompt (str | None): Custom prompt for structured data extraction.
            faq_items (Sequence[FaqItem | dict]): FAQ items to associate with this assistant.
            custom_tools (Sequence[CustomTool | dict] | None): Custom API tools the assistant can
                call during conversations.
            prompt_flow (PromptFlow | dict | None): Visual prompt constructor data (nodes, edges,
                positions).
            position (Position | dict | None): Canvas position of this assistant's node in its
                multi-step flow editor.
            calendly (CalendlyConfig | dict | None): The Calendly connection and event type the
                assistant books meetings on.
            slack (SlackConfig | dict | None): Slack notification config. When set, posts a message
                to the chosen channel after a call ends with one of the configured outcomes.
            zoho (ZohoConfig | dict | None): Zoho CRM integration config. When set, upserts the
                prospect (keyed on phone) into the chosen module and attaches a Note with the call
                summary after a call ends with one of the configured outcomes.
            webhook_url (str): The webhook URL to call when the call is completed.
            precall_lookup_url (str | None): Inbound calls only. URL fetched over HTTP GET right
                before the call is answered, with `{{phone}}` replaced by the caller's number in
                E.164 format (URL-encoded).
            from_phone_number (str | None): Override the default outbound phone number for calls
                placed with this assistant.
            transfer_destinations (Sequence[TransferDestination | dict] | None): Where calls can be
                transferred to when users ask to speak to a human.
            human_transfer_mode (HumanTransferMode | str | None): When transfer_destinations is
                non-empty: "warm" (AI bridges) or "cold" (SIP REFER; trunk must allow REFER/PSTN).
            warm_transfer_summary_instructions (str | None): When using warm transfer: extra
                instructions for the supervisor handoff summary.
            sms_enabled (bool): Enable SMS tool during calls. When enabled, the agent can send SMS
                messages to the user on the call.
            sms_template (str | None): Hardcoded SMS template to send during calls.
            after_call_sms_outcomes (Sequence[CallOutcome | str] | None): Which call outcomes
                trigger the after-call SMS.
            after_call_sms_prompt (str | None): Prompt / instructions for the after-call SMS.
            voicemail_sms_prompt (str | None): SMS message to send when the call reaches voicemail.
            email_notification_address (str | None): Email address(es) to receive notifications
                when a call ends with a matching outcome.
            email_notification_outcomes (Sequence[CallOutcome | str] | None): Which call outcomes
                trigger an email notification.
            cartesia_dictionary_pronunciation_id (str | None): Optional Cartesia pronunciation
                dictionary ID to use for this assistant's calls.
            logo_url (str | None): Public URL of the brand logo shown on the assistant's demo page.
            name (str): Required. The assistant's name, as the dashboard lists it.
            prompt (str): Required. The prompt to use for the call.
        """
        body = assistant_body(
            "assistants.create", params, AssistantCreateParams, "AssistantCreateRequest"
        )
        return await self._client._call(_CREATE, body=body)

    async def update(
        self, id: str, **params: Unpack[AssistantUpdateParams]
    ) -> AssistantUpdateResult:
        """Change the given settings of an assistant; the others stay as they are.

        Returns the updated assistant and, when scheduled calls could not take the change, a
        notice about them (``result.unpatched_calls_notice``).

        Args:
            id (str): The assistant's id.

        Keyword Args:
            first_sentence (str): The first sentence to use for the call.
            first_sentence_mode (FirstSentenceMode | str): How the first sentence should be
                handled.
            first_sentence_delay_ms (int): Delay in milliseconds before speaking the first
                sentence.
            end_of_call_sentence (str): Optional message to say when the agent decides to end the
                call.
            voicemail_message (str | None): If set, when voicemail is detected the agent will speak
                this message then hang up; if null, hang up immediately.
            type (AssistantType | str): Assistant kind. 'standalone' (default) is a normal
                assistant, 'multi-step' orchestrates a flow of sub-assistants, 'sub-assistant' is a
                step inside a multi-step flow (hidden from the assistants list).
            llm_model (LlmModel | dict): The language model that drives the conversation
                (OpenRouter, dedicated instance, custom endpoint or realtime model).
            voice (VoiceSettings | dict): The voice the assistant speaks with: its ``id`` and
                ``provider``, and optional tuning.
            stt_model (SttModel | str): Transcriber (speech-to-text) model.
            stt_context (SttContext | dict | None): Assistant-level speech-to-text context:
                structured `general` key/value pairs plus a list of domain `terms`.
            background_sound (BackgroundSound | str | None): Ambient background sound to play
                during the call.
            background_sound_volume (float): Volume of the ambient background sound (0 = silent, 1
                = max).
            thinking_sound (ThinkingSound | str | None): Audio clip to play while the agent is
                processing a response.
            thinking_sound_probability (float): Probability [0..1] that the thinking sound plays on
                any given turn; otherwise the agent is silent while thinking.
            thinking_sound_volume (float): Volume of the thinking sound (0 = silent, 1 = max).
            max_call_duration_secs (float): The maximum duration of the call in seconds.
            max_duration_end_message (str | None): Optional message the agent will say, without
                being interruptible, when the call reaches its max duration.
            ivr_navigation_enabled (bool): Enable IVR navigation tools. When enabled, the assistant
                can send DTMF tones and skip turns to navigate phone menus.
            call_retry_config (CallRetryConfig | dict): Configuration for call retry behavior
                including time windows, delays, and max iterations.
            structured_output_config (Sequence[StructuredOutputField | dict]): The structured
                output config to use for the call.
            structured_output_prompt (str | None): Custom prompt for structured data extraction.
            faq_items (Sequence[FaqItem | dict]): FAQ items to associate with this assistant.
            custom_tools (Sequence[CustomTool | dict] | None): Custom API tools the assistant can
                call during conversations.
            prompt_flow (PromptFlow | dict | None): Visual prompt constructor data (nodes, edges,
                positions).
            position (Position | dict | None): Canvas position of this assistant's node in its
                multi-step flow editor.
            calendly (CalendlyConfig | dict | None): The Calendly connection and event type the
                assistant books meetings on.
            slack (SlackConfig | dict | None): Slack notification config. When set, posts a message
                to the chosen channel after a call ends with one of the configured outcomes.
            zoho (ZohoConfig | dict | None): Zoho CRM integration config. When set, upserts the
                prospect (keyed on phone) into the chosen module and attaches a Note with the call
                summary after a call ends with one of the configured outcomes.
            webhook_url (str): The webhook URL to call when the call is completed.
            precall_lookup_url (str | None): Inbound calls only. URL fetched over HTTP GET right
                before the call is answered, with `{{phone}}` replaced by the caller's number in
                E.164 format (URL-encoded).
            from_phone_number (str | None): Override the default outbound phone number for calls
                placed with this assistant.
            transfer_destinations (Sequence[TransferDestination | dict] | None): Where calls can be
                transferred to when users ask to speak to a human.
            human_transfer_mode (HumanTransferMode | str | None): When transfer_destinations is
                non-empty: "warm" (AI bridges) or "cold" (SIP REFER; trunk must allow REFER/PSTN).
            warm_transfer_summary_instructions (str | None): When using warm transfer: extra
                instructions for the supervisor handoff summary.
            sms_enabled (bool): Enable SMS tool during calls. When enabled, the agent can send SMS
                messages to the user on the call.
            sms_template (str | None): Hardcoded SMS template to send during calls.
            after_call_sms_outcomes (Sequence[CallOutcome | str] | None): Which call outcomes
                trigger the after-call SMS.
            after_call_sms_prompt (str | None): Prompt / instructions for the after-call SMS.
            voicemail_sms_prompt (str | None): SMS message to send when the call reaches voicemail.
            email_notification_address (str | None): Email address(es) to receive notifications
                when a call ends with a matching outcome.
            email_notification_outcomes (Sequence[CallOutcome | str] | None): Which call outcomes
                trigger an email notification.
            cartesia_dictionary_pronunciation_id (str | None): Optional Cartesia pronunciation
                dictionary ID to use for this assistant's calls.
            logo_url (str | None): Public URL of the brand logo shown on the assistant's demo page.
            name (str): The assistant's name, as the dashboard lists it.
            prompt (str): The prompt to use for the call.
        """
        body = assistant_body(
            "assistants.update", params, AssistantUpdateParams, "AssistantUpdateRequest"
        )
        return await self._client._call(_UPDATE, path={"id": id}, body=body)

    async def delete(self, id: str) -> None:
        """Delete an assistant.

        Args:
            id (str): The assistant's id.
        """
        await self._call_expecting_success(_DELETE, path={"id": id})

    async def clone(self, id: str) -> Assistant:
        """Copy an assistant (the copy is named "... (Copy)"). Never resent once it may have
        reached the server.

        Args:
            id (str): The assistant's id.
        """
        return await self._client._call(_CLONE, path={"id": id})


class Assistants(SyncResource[AsyncAssistants]):
    """Assistants: the AI agents that place and answer calls.

    The sync face of :class:`AsyncAssistants`: the same methods with the same arguments, each
    returning its result directly.
    """

    list: Final = sync(AsyncAssistants.list)
    retrieve: Final = sync(AsyncAssistants.retrieve)
    create: Final = sync(AsyncAssistants.create)
    update: Final = sync(AsyncAssistants.update)
    delete: Final = sync(AsyncAssistants.delete)
    clone: Final = sync(AsyncAssistants.clone)


__all__ = [
    "AssistantCreateParams",
    "AssistantFields",
    "AssistantUpdateParams",
    "Assistants",
    "AsyncAssistants",
]
