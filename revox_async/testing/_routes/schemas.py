"""Request schemas of the endpoints that take a body, built from the checks of ``validation``."""

from __future__ import annotations

from .._drift import FUTURE_LLM_MODEL
from .validation import (
    Check,
    array,
    at_least,
    base64_audio,
    boolean,
    clock_time,
    date_time,
    e164,
    enum,
    integer,
    nullable,
    number,
    obj,
    obj_all,
    positive,
    scalar_map,
    string,
    string_map,
    tagged,
    text,
)

MAX_PAGE_SIZE = 1000

PROVIDER = enum("cartesia", "elevenlabs", "gradium")
VOICE_MODEL = enum("sonic-3", "sonic-3.5")
LANGUAGE = enum("en", "fr", "es", "de", "it", "pt", "ru", "zh")
DIRECTION = enum("inbound", "outbound")
OUTCOME = enum("not_interested", "interested", "completed", "requested_callback_later", "none")
RESULT = enum("IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none")
CALL_STATUS = enum(
    "initializing",
    "queued_for_calling",
    "calling",
    "post_processing",
    "not_launched",
    "scheduled",
    "paused",
    "completed",
    "cancelled",
    "errored",
)
KEY_VALUE = obj_all({"key": string, "value": string})
RETRY_CONFIG = obj(
    {
        "allowed_days": array(
            enum("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        ),
        "call_twice_in_a_row": boolean,
        "calling_windows": array(
            obj_all(
                {
                    "calling_window_end_time": clock_time,
                    "calling_window_start_time": clock_time,
                    "retry_delay_seconds": at_least(0),
                }
            )
        ),
        "max_retry_attempts": at_least(1),
        "timezone": nullable(string),
    },
    required=("allowed_days", "call_twice_in_a_row", "calling_windows", "max_retry_attempts"),
)
OUTPUT_FIELD = obj(
    {
        "name": text,
        "required": boolean,
        "type": enum("string", "number", "boolean", "enum", "date", "datetime"),
        "description": string,
        "enum_options": array(string),
    },
    required=("name", "required", "type"),
)
POSITION = obj_all({"x": number, "y": number})
LLM_MODEL = tagged(
    "type",
    {
        "dedicated-instance": obj_all(
            {"type": string, "name": enum("gpt-4.1", "ministral-3-8b-instruct")}
        ),
        "openrouter": obj_all(
            {"type": string, "openrouter_model_id": text, "openrouter_provider": text}
        ),
        "custom": obj_all({"type": string, "api_key": string, "api_url": text, "model_name": text}),
        "realtime": obj(
            {
                "type": string,
                "provider": enum("openai", "google"),
                "realtime_model_id": text,
                "realtime_voice_id": string,
            },
            required=("type", "provider", "realtime_model_id"),
        ),
    },
    newer={
        FUTURE_LLM_MODEL["type"]: obj_all({"type": string, "future_model_ref": text}),
    },
)
ASSISTANT_FIELDS: dict[str, Check] = {
    "after_call_sms_outcomes": nullable(array(OUTCOME)),
    "after_call_sms_prompt": nullable(string),
    "background_sound": nullable(enum("audio/office.ogg")),
    "background_sound_volume": number,
    "calendly": nullable(obj_all({"connection_id": string, "event_type_id": string})),
    "call_retry_config": RETRY_CONFIG,
    "cartesia_dictionary_pronunciation_id": nullable(string),
    "custom_tools": nullable(
        array(
            obj_all(
                {
                    "body_template": nullable(string),
                    "description": string,
                    "headers": array(KEY_VALUE),
                    "input_schema": array(OUTPUT_FIELD),
                    "method": enum("GET", "POST", "PUT", "PATCH", "DELETE"),
                    "name": text,
                    "query_params": array(KEY_VALUE),
                    "url": text,
                }
            )
        )
    ),
    "email_notification_address": nullable(string),
    "email_notification_outcomes": nullable(array(OUTCOME)),
    "end_of_call_sentence": string,
    "faq_items": array(obj_all({"answer": string, "question": text})),
    "first_sentence": string,
    "first_sentence_delay_ms": integer,
    "first_sentence_mode": enum("generated", "static", "none"),
    "from_phone_number": nullable(e164),
    "human_transfer_mode": nullable(enum("warm", "cold")),
    "ivr_navigation_enabled": boolean,
    "llm_model": LLM_MODEL,
    "logo_url": nullable(string),
    "max_call_duration_secs": positive,
    "max_duration_end_message": nullable(string),
    "position": nullable(POSITION),
    "precall_lookup_url": nullable(string),
    "prompt": text,
    "prompt_flow": nullable(
        obj_all(
            {
                "edges": array(obj_all({"id": string, "source": string, "target": string})),
                "nodes": array(
                    obj_all(
                        {
                            "id": string,
                            "data": obj_all({"body": string, "title": string}),
                            "position": POSITION,
                            "type": string,
                        }
                    )
                ),
            }
        )
    ),
    "slack": nullable(
        obj(
            {
                "channels": array(obj({"id": text, "name": nullable(string)}, required=("id",))),
                "connection_id": string,
                "outcomes": array(OUTCOME),
                "template": nullable(string),
            },
            required=("channels", "connection_id", "outcomes"),
        )
    ),
    "sms_enabled": boolean,
    "sms_template": nullable(string),
    "structured_output_config": array(OUTPUT_FIELD),
    "structured_output_prompt": nullable(string),
    "stt_context": nullable(obj_all({"general": array(KEY_VALUE), "terms": array(string)})),
    "stt_model": enum("stt-rt-v4", "stt-rt-v5"),
    "thinking_sound": nullable(
        enum(
            "city-ambience.ogg",
            "forest-ambience.ogg",
            "office-ambience.ogg",
            "crowded-room.ogg",
            "keyboard-typing.ogg",
            "keyboard-typing2.ogg",
            "hold_music.ogg",
        )
    ),
    "thinking_sound_probability": number,
    "thinking_sound_volume": number,
    "transfer_destinations": nullable(array(obj_all({"label": string, "phone_number": e164}))),
    "type": enum("standalone", "multi-step", "sub-assistant"),
    "voice": obj(
        {
            "id": text,
            "provider": PROVIDER,
            "model": VOICE_MODEL,
            "speed": positive,
            "volume": positive,
        },
        required=("id", "provider"),
    ),
    "voicemail_message": nullable(string),
    "voicemail_sms_prompt": nullable(string),
    "warm_transfer_summary_instructions": nullable(string),
    "webhook_url": string,
    "zoho": nullable(
        obj(
            {
                "connection_id": string,
                "field_mapping": array(obj_all({"source": string, "zoho_field": string})),
                "log_call_activity": boolean,
                "module": string,
                "outcomes": array(OUTCOME),
                "template": nullable(string),
            },
            required=("connection_id", "field_mapping", "log_call_activity", "module", "outcomes"),
        )
    ),
}
ASSISTANT_CREATE = obj({**ASSISTANT_FIELDS, "name": text}, required=("name", "prompt"))
ASSISTANT_UPDATE = obj({**ASSISTANT_FIELDS, "name": text})
CALL_CREATE = obj(
    {
        "phone_number": e164,
        "assistant": obj(ASSISTANT_FIELDS, required=("prompt",)),
        "assistant_id": text,
        "concurrency": obj_all({"key": text}),
        "from_phone_number": e164,
        "metadata": string_map,
        "prompt_variables": string_map,
        "scheduled_at": date_time,
        "skip_calling_window": boolean,
    },
    required=("phone_number",),
)
_FILTER_ARRAYS: dict[str, Check] = {
    "assignee_ids": array(string),
    "directions": array(DIRECTION),
    "outcomes": array(OUTCOME),
    "results": array(RESULT),
    "statuses": array(CALL_STATUS),
}
CALL_FILTERS = obj(
    {
        **_FILTER_ARRAYS,
        "assistant_ids": array(string),
        "campaign_ids": array(string),
        "from_phone_numbers": array(string),
        "page": at_least(1),
        "page_size": at_least(1, MAX_PAGE_SIZE),
        "call_ids": array(string),
        "query": string,
        "sort_by": string,
        "sort_direction": enum("asc", "desc"),
        "to_phone_number": string,
    },
    required=(
        *_FILTER_ARRAYS,
        "assistant_ids",
        "campaign_ids",
        "from_phone_numbers",
        "page",
        "page_size",
    ),
)
CALL_EXPORT = obj(
    {
        "filters": CALL_FILTERS,
        "include_metadata": boolean,
        "include_structured_output_fields": boolean,
    },
    required=("filters",),
)
CAMPAIGN_CREATE = obj(
    {
        "assistant_id": text,
        "contacts": array(obj_all({"prompt_variables": scalar_map, "to_phone_number": e164})),
        "name": text,
        "call_retry_config": RETRY_CONFIG,
        "from_phone_number": e164,
        "max_concurrent_calls": positive,
    },
    required=("assistant_id", "contacts", "name"),
)
CAMPAIGN_UPDATE = obj(
    {
        "call_retry_config": nullable(RETRY_CONFIG),
        "from_phone_number": nullable(e164),
        "max_concurrent_calls": nullable(positive),
        "name": text,
    }
)
CAMPAIGN_LAUNCH = obj(
    {
        "mode": enum("ai_first", "speed_dial"),
        "selection": obj_all(
            {
                "filters": obj({**_FILTER_ARRAYS, "query": string}, required=_FILTER_ARRAYS),
                "rows": obj_all({"call_ids": array(string), "mode": enum("all_except", "only")}),
            }
        ),
        "scheduled_at": date_time,
    },
    required=("mode", "selection"),
)
PHONE_NUMBER_UPDATE = obj({"inbound_assistant_id": nullable(text), "label": nullable(string)})
VOICE_CLONE = obj_all(
    {
        "audio": base64_audio,
        "contentType": enum(
            "audio/webm", "audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "video/webm"
        ),
        "language": LANGUAGE,
        "name": text,
    }
)
VOICE_PREVIEW = obj(
    {
        "provider": PROVIDER,
        "voiceId": text,
        "model": VOICE_MODEL,
        "speed": positive,
        "text": text,
        "volume": positive,
    },
    required=("provider", "voiceId"),
)
