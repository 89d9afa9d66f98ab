"""What the API takes in request bodies: for each input object, its fields, which of them
take ``null``, which are required, and the shape of the objects nested in them.

These tables restate the request schemas of the API contract (the test suite derives them from
the contract again and compares), so what a request may carry is written down once.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class Field:
    """A field of an input object: whether it takes ``null``, and the shape of its value (or of
    each item of its list) when that is an object the API describes."""

    nullable: bool = False
    shape: str | None = None


@attrs.frozen
class ObjectShape:
    """An input object: its fields by JSON name, and those it cannot go without."""

    fields: Mapping[str, Field]
    required: frozenset[str] = frozenset()


@attrs.frozen
class TaggedShape:
    """One of several input objects, told apart by the value of its ``tag`` field."""

    tag: str
    variants: Mapping[str, str]


Shape = ObjectShape | TaggedShape

_ = Field()
NULLABLE = Field(nullable=True)


def object_shape(name: str) -> ObjectShape:
    """The input object ``name``: a request body, or a variant of a tagged one."""
    shape = SHAPES[name]
    if not isinstance(shape, ObjectShape):
        raise TypeError(f"{name} is not an object shape")
    return shape


SHAPES: Mapping[str, Shape] = {
    "AssistantCreateRequest": ObjectShape(
        fields={
            "after_call_sms_outcomes": NULLABLE,
            "after_call_sms_prompt": NULLABLE,
            "background_sound": NULLABLE,
            "background_sound_volume": _,
            "calendly": Field(nullable=True, shape="CalendlyConfig"),
            "call_retry_config": Field(shape="CallRetryConfig"),
            "cartesia_dictionary_pronunciation_id": NULLABLE,
            "custom_tools": Field(nullable=True, shape="CustomToolInput"),
            "email_notification_address": NULLABLE,
            "email_notification_outcomes": NULLABLE,
            "end_of_call_sentence": _,
            "faq_items": Field(shape="FaqItemInput"),
            "first_sentence": _,
            "first_sentence_delay_ms": _,
            "first_sentence_mode": _,
            "from_phone_number": NULLABLE,
            "human_transfer_mode": NULLABLE,
            "ivr_navigation_enabled": _,
            "llm_model": Field(shape="LlmModelInput"),
            "logo_url": NULLABLE,
            "max_call_duration_secs": _,
            "max_duration_end_message": NULLABLE,
            "name": _,
            "position": Field(nullable=True, shape="Position"),
            "precall_lookup_url": NULLABLE,
            "prompt": _,
            "prompt_flow": Field(nullable=True, shape="PromptFlow"),
            "slack": Field(nullable=True, shape="SlackConfig"),
            "sms_enabled": _,
            "sms_template": NULLABLE,
            "structured_output_config": Field(shape="StructuredOutputFieldInput"),
            "structured_output_prompt": NULLABLE,
            "stt_context": Field(nullable=True, shape="SttContext"),
            "stt_model": _,
            "thinking_sound": NULLABLE,
            "thinking_sound_probability": _,
            "thinking_sound_volume": _,
            "transfer_destinations": Field(nullable=True, shape="TransferDestination"),
            "type": _,
            "voice": Field(shape="VoiceSettingsInput"),
            "voicemail_message": NULLABLE,
            "voicemail_sms_prompt": NULLABLE,
            "warm_transfer_summary_instructions": NULLABLE,
            "webhook_url": _,
            "zoho": Field(nullable=True, shape="ZohoConfig"),
        },
        required=frozenset({"name", "prompt"}),
    ),
    "AssistantUpdateRequest": ObjectShape(
        fields={
            "after_call_sms_outcomes": NULLABLE,
            "after_call_sms_prompt": NULLABLE,
            "background_sound": NULLABLE,
            "background_sound_volume": _,
            "calendly": Field(nullable=True, shape="CalendlyConfig"),
            "call_retry_config": Field(shape="CallRetryConfig"),
            "cartesia_dictionary_pronunciation_id": NULLABLE,
            "custom_tools": Field(nullable=True, shape="CustomToolInput"),
            "email_notification_address": NULLABLE,
            "email_notification_outcomes": NULLABLE,
            "end_of_call_sentence": _,
            "faq_items": Field(shape="FaqItemInput"),
            "first_sentence": _,
            "first_sentence_delay_ms": _,
            "first_sentence_mode": _,
            "from_phone_number": NULLABLE,
            "human_transfer_mode": NULLABLE,
            "ivr_navigation_enabled": _,
            "llm_model": Field(shape="LlmModelInput"),
            "logo_url": NULLABLE,
            "max_call_duration_secs": _,
            "max_duration_end_message": NULLABLE,
            "name": _,
            "position": Field(nullable=True, shape="Position"),
            "precall_lookup_url": NULLABLE,
            "prompt": _,
            "prompt_flow": Field(nullable=True, shape="PromptFlow"),
            "slack": Field(nullable=True, shape="SlackConfig"),
            "sms_enabled": _,
            "sms_template": NULLABLE,
            "structured_output_config": Field(shape="StructuredOutputFieldInput"),
            "structured_output_prompt": NULLABLE,
            "stt_context": Field(nullable=True, shape="SttContext"),
            "stt_model": _,
            "thinking_sound": NULLABLE,
            "thinking_sound_probability": _,
            "thinking_sound_volume": _,
            "transfer_destinations": Field(nullable=True, shape="TransferDestination"),
            "type": _,
            "voice": Field(shape="VoiceSettingsInput"),
            "voicemail_message": NULLABLE,
            "voicemail_sms_prompt": NULLABLE,
            "warm_transfer_summary_instructions": NULLABLE,
            "webhook_url": _,
            "zoho": Field(nullable=True, shape="ZohoConfig"),
        }
    ),
    "CalendlyConfig": ObjectShape(
        fields={"connection_id": _, "event_type_id": _},
        required=frozenset({"connection_id", "event_type_id"}),
    ),
    "CallConcurrency": ObjectShape(fields={"key": _}, required=frozenset({"key"})),
    "CallCreateRequest": ObjectShape(
        fields={
            "assistant": Field(shape="InlineAssistantConfig"),
            "assistant_id": _,
            "concurrency": Field(shape="CallConcurrency"),
            "from_phone_number": _,
            "metadata": _,
            "phone_number": _,
            "prompt_variables": _,
            "scheduled_at": _,
            "skip_calling_window": _,
        },
        required=frozenset({"phone_number"}),
    ),
    "CallExportRequest": ObjectShape(
        fields={
            "filters": Field(shape="CallFilters"),
            "include_metadata": _,
            "include_structured_output_fields": _,
        },
        required=frozenset({"filters"}),
    ),
    "CallFilters": ObjectShape(
        fields={
            "assignee_ids": _,
            "assistant_ids": _,
            "call_ids": _,
            "campaign_ids": _,
            "directions": _,
            "from_phone_numbers": _,
            "outcomes": _,
            "page": _,
            "page_size": _,
            "query": _,
            "results": _,
            "sort_by": _,
            "sort_direction": _,
            "statuses": _,
            "to_phone_number": _,
        },
        required=frozenset(
            {
                "assignee_ids",
                "assistant_ids",
                "campaign_ids",
                "directions",
                "from_phone_numbers",
                "outcomes",
                "page",
                "page_size",
                "results",
                "statuses",
            }
        ),
    ),
    "CallRetryConfig": ObjectShape(
        fields={
            "allowed_days": _,
            "call_twice_in_a_row": _,
            "calling_windows": Field(shape="CallingWindow"),
            "max_retry_attempts": _,
            "timezone": NULLABLE,
        },
        required=frozenset(
            {"allowed_days", "call_twice_in_a_row", "calling_windows", "max_retry_attempts"}
        ),
    ),
    "CallingWindow": ObjectShape(
        fields={
            "calling_window_end_time": _,
            "calling_window_start_time": _,
            "retry_delay_seconds": _,
        },
        required=frozenset(
            {"calling_window_end_time", "calling_window_start_time", "retry_delay_seconds"}
        ),
    ),
    "CampaignContactInput": ObjectShape(
        fields={"prompt_variables": _, "to_phone_number": _},
        required=frozenset({"prompt_variables", "to_phone_number"}),
    ),
    "CampaignCreateRequest": ObjectShape(
        fields={
            "assistant_id": _,
            "call_retry_config": Field(shape="CallRetryConfig"),
            "contacts": Field(shape="CampaignContactInput"),
            "from_phone_number": _,
            "max_concurrent_calls": _,
            "name": _,
        },
        required=frozenset({"assistant_id", "contacts", "name"}),
    ),
    "CampaignLaunchRequest": ObjectShape(
        fields={"mode": _, "scheduled_at": _, "selection": Field(shape="CampaignLaunchSelection")},
        required=frozenset({"mode", "selection"}),
    ),
    "CampaignLaunchSelection": ObjectShape(
        fields={
            "filters": Field(shape="CampaignLaunchSelectionFilters"),
            "rows": Field(shape="CampaignLaunchSelectionRows"),
        },
        required=frozenset({"filters", "rows"}),
    ),
    "CampaignLaunchSelectionFilters": ObjectShape(
        fields={
            "assignee_ids": _,
            "directions": _,
            "outcomes": _,
            "query": _,
            "results": _,
            "statuses": _,
        },
        required=frozenset({"assignee_ids", "directions", "outcomes", "results", "statuses"}),
    ),
    "CampaignLaunchSelectionRows": ObjectShape(
        fields={"call_ids": _, "mode": _}, required=frozenset({"call_ids", "mode"})
    ),
    "CampaignUpdateRequest": ObjectShape(
        fields={
            "call_retry_config": Field(nullable=True, shape="CallRetryConfig"),
            "from_phone_number": NULLABLE,
            "max_concurrent_calls": NULLABLE,
            "name": _,
        }
    ),
    "CustomToolInput": ObjectShape(
        fields={
            "body_template": NULLABLE,
            "description": _,
            "headers": Field(shape="KeyValuePair"),
            "input_schema": Field(shape="StructuredOutputFieldInput"),
            "method": _,
            "name": _,
            "query_params": Field(shape="KeyValuePair"),
            "url": _,
        },
        required=frozenset(
            {
                "body_template",
                "description",
                "headers",
                "input_schema",
                "method",
                "name",
                "query_params",
                "url",
            }
        ),
    ),
    "FaqItemInput": ObjectShape(
        fields={"answer": _, "question": _}, required=frozenset({"answer", "question"})
    ),
    "InlineAssistantConfig": ObjectShape(
        fields={
            "after_call_sms_outcomes": NULLABLE,
            "after_call_sms_prompt": NULLABLE,
            "background_sound": NULLABLE,
            "background_sound_volume": _,
            "calendly": Field(nullable=True, shape="CalendlyConfig"),
            "call_retry_config": Field(shape="CallRetryConfig"),
            "cartesia_dictionary_pronunciation_id": NULLABLE,
            "custom_tools": Field(nullable=True, shape="CustomToolInput"),
            "email_notification_address": NULLABLE,
            "email_notification_outcomes": NULLABLE,
            "end_of_call_sentence": _,
            "faq_items": Field(shape="FaqItemInput"),
            "first_sentence": _,
            "first_sentence_delay_ms": _,
            "first_sentence_mode": _,
            "from_phone_number": NULLABLE,
            "human_transfer_mode": NULLABLE,
            "ivr_navigation_enabled": _,
            "llm_model": Field(shape="LlmModelInput"),
            "logo_url": NULLABLE,
            "max_call_duration_secs": _,
            "max_duration_end_message": NULLABLE,
            "position": Field(nullable=True, shape="Position"),
            "precall_lookup_url": NULLABLE,
            "prompt": _,
            "prompt_flow": Field(nullable=True, shape="PromptFlow"),
            "slack": Field(nullable=True, shape="SlackConfig"),
            "sms_enabled": _,
            "sms_template": NULLABLE,
            "structured_output_config": Field(shape="StructuredOutputFieldInput"),
            "structured_output_prompt": NULLABLE,
            "stt_context": Field(nullable=True, shape="SttContext"),
            "stt_model": _,
            "thinking_sound": NULLABLE,
            "thinking_sound_probability": _,
            "thinking_sound_volume": _,
            "transfer_destinations": Field(nullable=True, shape="TransferDestination"),
            "type": _,
            "voice": Field(shape="VoiceSettingsInput"),
            "voicemail_message": NULLABLE,
            "voicemail_sms_prompt": NULLABLE,
            "warm_transfer_summary_instructions": NULLABLE,
            "webhook_url": _,
            "zoho": Field(nullable=True, shape="ZohoConfig"),
        },
        required=frozenset({"prompt"}),
    ),
    "KeyValuePair": ObjectShape(
        fields={"key": _, "value": _}, required=frozenset({"key", "value"})
    ),
    "LlmModelCustom": ObjectShape(
        fields={"api_key": _, "api_url": _, "model_name": _, "type": _},
        required=frozenset({"api_key", "api_url", "model_name", "type"}),
    ),
    "LlmModelDedicatedInstance": ObjectShape(
        fields={"name": _, "type": _}, required=frozenset({"name", "type"})
    ),
    "LlmModelInput": TaggedShape(
        tag="type",
        variants={
            "dedicated-instance": "LlmModelDedicatedInstance",
            "openrouter": "LlmModelOpenRouter",
            "custom": "LlmModelCustom",
            "realtime": "LlmModelRealtimeInput",
        },
    ),
    "LlmModelOpenRouter": ObjectShape(
        fields={"openrouter_model_id": _, "openrouter_provider": _, "type": _},
        required=frozenset({"openrouter_model_id", "openrouter_provider", "type"}),
    ),
    "LlmModelRealtimeInput": ObjectShape(
        fields={"provider": _, "realtime_model_id": _, "realtime_voice_id": _, "type": _},
        required=frozenset({"provider", "realtime_model_id", "type"}),
    ),
    "PhoneNumberUpdateRequest": ObjectShape(
        fields={"inbound_assistant_id": NULLABLE, "label": NULLABLE}
    ),
    "Position": ObjectShape(fields={"x": _, "y": _}, required=frozenset({"x", "y"})),
    "PromptFlow": ObjectShape(
        fields={"edges": Field(shape="PromptFlowEdge"), "nodes": Field(shape="PromptFlowNode")},
        required=frozenset({"edges", "nodes"}),
    ),
    "PromptFlowEdge": ObjectShape(
        fields={"id": _, "source": _, "target": _}, required=frozenset({"id", "source", "target"})
    ),
    "PromptFlowNode": ObjectShape(
        fields={
            "data": Field(shape="PromptFlowNodeData"),
            "id": _,
            "position": Field(shape="Position"),
            "type": _,
        },
        required=frozenset({"data", "id", "position", "type"}),
    ),
    "PromptFlowNodeData": ObjectShape(
        fields={"body": _, "title": _}, required=frozenset({"body", "title"})
    ),
    "SlackChannel": ObjectShape(fields={"id": _, "name": NULLABLE}, required=frozenset({"id"})),
    "SlackConfig": ObjectShape(
        fields={
            "channels": Field(shape="SlackChannel"),
            "connection_id": _,
            "outcomes": _,
            "template": NULLABLE,
        },
        required=frozenset({"channels", "connection_id", "outcomes"}),
    ),
    "StructuredOutputFieldInput": ObjectShape(
        fields={"description": _, "enum_options": _, "name": _, "required": _, "type": _},
        required=frozenset({"name", "required", "type"}),
    ),
    "SttContext": ObjectShape(
        fields={"general": Field(shape="KeyValuePair"), "terms": _},
        required=frozenset({"general", "terms"}),
    ),
    "TransferDestination": ObjectShape(
        fields={"label": _, "phone_number": _}, required=frozenset({"label", "phone_number"})
    ),
    "VoiceCloneRequest": ObjectShape(
        fields={"audio": _, "contentType": _, "language": _, "name": _},
        required=frozenset({"audio", "contentType", "language", "name"}),
    ),
    "VoicePreviewRequest": ObjectShape(
        fields={"model": _, "provider": _, "speed": _, "text": _, "voiceId": _, "volume": _},
        required=frozenset({"provider", "voiceId"}),
    ),
    "VoiceSettingsInput": ObjectShape(
        fields={"id": _, "model": _, "provider": _, "speed": _, "volume": _},
        required=frozenset({"id", "provider"}),
    ),
    "ZohoConfig": ObjectShape(
        fields={
            "connection_id": _,
            "field_mapping": Field(shape="ZohoFieldMapping"),
            "log_call_activity": _,
            "module": _,
            "outcomes": _,
            "template": NULLABLE,
        },
        required=frozenset(
            {"connection_id", "field_mapping", "log_call_activity", "module", "outcomes"}
        ),
    ),
    "ZohoFieldMapping": ObjectShape(
        fields={"source": _, "zoho_field": _}, required=frozenset({"source", "zoho_field"})
    ),
}
