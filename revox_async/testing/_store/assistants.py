"""Assistants: creating, updating, cloning and deleting them, and the shape they are stored in."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

from .._lifecycle import TERMINAL_STATUSES, template_variables
from .._wire import JSON, find
from .core import Records

_TEMPLATED_ASSISTANT_FIELDS = ("prompt", "first_sentence", "end_of_call_sentence")

# Values every Assistant carries when the create request leaves them out.
_ASSISTANT_DEFAULTS: JSON = {
    "after_call_sms_outcomes": None,
    "after_call_sms_prompt": None,
    "background_sound": None,
    "background_sound_volume": 0.3,
    "calendly": None,
    "call_retry_config": None,
    "cartesia_dictionary_pronunciation_id": None,
    "custom_tools": None,
    "email_notification_address": None,
    "email_notification_outcomes": None,
    "end_of_call_sentence": None,
    "first_sentence": None,
    "first_sentence_delay_ms": 0,
    "first_sentence_mode": "generated",
    "from_phone_number": None,
    "human_transfer_mode": None,
    "ivr_navigation_enabled": False,
    "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
    "logo_url": None,
    "max_call_duration_secs": 600,
    "max_duration_end_message": None,
    "position": None,
    "precall_lookup_url": None,
    "prompt_flow": None,
    "slack": None,
    "sms_enabled": False,
    "sms_template": None,
    "structured_output_config": None,
    "structured_output_prompt": None,
    "stt_context": None,
    "stt_model": "stt-rt-v5",
    "thinking_sound": None,
    "thinking_sound_probability": 0.5,
    "thinking_sound_volume": 0.4,
    "transfer_destinations": None,
    "type": "standalone",
    "voice": None,
    "voicemail_message": None,
    "voicemail_sms_prompt": None,
    "warm_transfer_summary_instructions": None,
    "webhook_url": None,
    "zoho": None,
    "faq_items": [],
    "is_inbound_receptionist": False,
    "is_realestate_assistant": False,
    "pending_faq_count": 0,
}


class AssistantStore(Records[JSON]):
    """The ``/assistants`` behaviour of the store."""

    def get_assistant(self, assistant_id: str) -> JSON:
        return find(self.records, "assistant", assistant_id)

    def list_assistants(self) -> list[JSON]:
        return copy.deepcopy(list(self.records.values()))

    def build_assistant(self, fields: Mapping[str, Any]) -> JSON:
        now = self._now()
        assistant: JSON = {"id": str(uuid.uuid4()), **copy.deepcopy(_ASSISTANT_DEFAULTS)}
        assistant.update(
            created_at=now, updated_at=now, organization_id=self.organization_id, name=""
        )
        assistant["created_by"] = self._member()
        _apply_assistant_fields(assistant, fields)
        return assistant

    def create_assistant(self, body: Mapping[str, Any]) -> JSON:
        assistant = self.build_assistant(body)
        self.records[assistant["id"]] = assistant
        return copy.deepcopy(assistant)

    def update_assistant(
        self, assistant_id: str, body: Mapping[str, Any]
    ) -> tuple[JSON, JSON | None]:
        assistant = self.get_assistant(assistant_id)
        _apply_assistant_fields(assistant, body)
        assistant["updated_at"] = self._now()
        return copy.deepcopy(assistant), self._unpatched_calls_notice(assistant)

    def _unpatched_calls_notice(self, assistant: JSON) -> JSON | None:
        """Pending calls whose prompt variables miss a variable the assistant now uses."""
        wanted: set[str] = set()
        for key in _TEMPLATED_ASSISTANT_FIELDS:
            wanted |= template_variables(assistant.get(key) or "")
        missing: set[str] = set()
        count = 0
        for call in self.store.calls.values():
            if call.assistant_id != assistant["id"] or call.status in TERMINAL_STATUSES:
                continue
            lacking = wanted - set(call.data.get("prompt_variables") or {})
            if lacking:
                count += 1
                missing |= lacking
        return {"count": count, "variables": sorted(missing)} if count else None

    def delete_assistant(self, assistant_id: str) -> None:
        self.get_assistant(assistant_id)
        del self.records[assistant_id]
        for phone in self.store.phone_numbers.values():
            if phone.get("inbound_assistant_id") == assistant_id:
                phone["inbound_assistant_id"] = None

    def clone_assistant(self, assistant_id: str) -> JSON:
        clone = copy.deepcopy(self.get_assistant(assistant_id))
        now = self._now()
        clone.update(
            id=str(uuid.uuid4()),
            name=f"{clone['name']} (Copy)",
            created_at=now,
            updated_at=now,
            created_by=self._member(),
        )
        self.records[clone["id"]] = clone
        return copy.deepcopy(clone)


def _apply_assistant_fields(assistant: JSON, fields: Mapping[str, Any]) -> None:
    """Copy request fields onto an Assistant, filling what the response shape adds."""
    for key, value in copy.deepcopy(dict(fields)).items():
        if key == "faq_items":
            value = [
                {"id": str(uuid.uuid4()), "needs_human_answer": False, "source": "human", **item}
                for item in value
            ]
        elif key == "structured_output_config" and value is not None:
            value = [_output_field(f) for f in value]
        elif key == "custom_tools" and value is not None:
            value = [
                {**t, "input_schema": [_output_field(f) for f in t["input_schema"]]} for t in value
            ]
        elif key == "voice":
            value = {"model": None, "speed": None, "volume": None, **value}
        elif key == "llm_model" and value["type"] == "realtime":
            value = {"realtime_voice_id": None, **value}
        assistant[key] = value
    assistant["pending_faq_count"] = sum(
        bool(item.get("needs_human_answer")) for item in assistant.get("faq_items") or []
    )


def _output_field(spec: JSON) -> JSON:
    return {"description": None, "enum_options": None, **spec}
