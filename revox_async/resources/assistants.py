"""``client.assistants``: list, retrieve, create, update, delete, clone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict

from typing_extensions import Required, Unpack

from .._core import Endpoint
from .._retry import Repeat
from .._syncify import SyncResource, sync
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
from ._checks import check_assistant_body
from ._params import prepare

Nested = Mapping[str, Any]
"""A nested object may be given as its model or as a plain dict with the API's field names."""


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


_LIST = Endpoint[list[Assistant]](
    "assistants.list", "GET", "/assistants", Repeat.SAFE, list[Assistant], "assistants"
)
_RETRIEVE = Endpoint[Assistant](
    "assistants.retrieve", "GET", "/assistants/{id}", Repeat.SAFE, Assistant
)
_CREATE = Endpoint[Assistant](
    "assistants.create", "POST", "/assistants", Repeat.NEVER, Assistant, "assistant"
)
_UPDATE = Endpoint[AssistantUpdateResult](
    "assistants.update", "PATCH", "/assistants/{id}", Repeat.SAFE, AssistantUpdateResult
)
_DELETE = Endpoint[bool](
    "assistants.delete", "DELETE", "/assistants/{id}", Repeat.SAFE, bool, "success"
)
_CLONE = Endpoint[Assistant](
    "assistants.clone", "POST", "/assistants/{id}/clone", Repeat.NEVER, Assistant, "assistant"
)


def _assistant_body(
    method: str, params: Mapping[str, Any], spec: type, shape: str
) -> dict[str, Any]:
    body = prepare(method, params, spec, shape)
    check_assistant_body(body, method)
    return body


class AsyncAssistants(AsyncResource):
    """Assistants: the AI agents that place and answer calls."""

    async def list(self) -> list[Assistant]:
        """Every assistant of the organization."""
        return await self._client._call(_LIST)

    async def retrieve(self, id: str) -> Assistant:
        """One assistant by id."""
        return await self._client._call(_RETRIEVE, path={"id": id})

    async def create(self, **params: Unpack[AssistantCreateParams]) -> Assistant:
        """Create an assistant. Never resent once it may have reached the server.

        Keyword arguments are the API's field names; nested settings take their model or a
        dict. Documented limits (voice speed per provider, calling-window times, E.164 numbers,
        non-empty names) are checked before anything is sent.
        """
        body = _assistant_body(
            "assistants.create", params, AssistantCreateParams, "AssistantCreateRequest"
        )
        return await self._client._call(_CREATE, body=body)

    async def update(
        self, id: str, **params: Unpack[AssistantUpdateParams]
    ) -> AssistantUpdateResult:
        """Change the given settings of an assistant; the others stay as they are.

        Returns the updated assistant and, when scheduled calls could not take the change, a
        notice about them (``result.unpatched_calls_notice``).
        """
        body = _assistant_body(
            "assistants.update", params, AssistantUpdateParams, "AssistantUpdateRequest"
        )
        return await self._client._call(_UPDATE, path={"id": id}, body=body)

    async def delete(self, id: str) -> None:
        """Delete an assistant."""
        await self._call_expecting_success(_DELETE, path={"id": id})

    async def clone(self, id: str) -> Assistant:
        """Copy an assistant (the copy is named "... (Copy)"). Never resent once it may have
        reached the server."""
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
