"""Drift mode: answers shaped like a newer API, to prove a client tolerates what it can't know.

Every object gains an unknown field, and a few enum values become ones no client has seen.
"""

from __future__ import annotations

import copy
from typing import Any

from ._wire import JSON

_DRIFT_FIELD: JSON = {"x_new_field": {"added_in": "2099-01", "enabled": True}}
NEW_FIELDS = frozenset(_DRIFT_FIELD)
"""Fields of the newer API, which it accepts back in request bodies (and ignores)."""
FUTURE_LLM_MODEL: JSON = {"type": "future-model", "future_model_ref": "revox-omni-2"}
# Objects whose keys are data, not schema fields: an extra key there would change the data.
_FREE_FORM_KEYS = frozenset(
    {"metadata", "prompt_variables", "input_data", "structured_output", "tool_arguments"}
)
_MAP_KEYS = frozenset({"phone_history"})


def drift(value: Any, key: str | None = None) -> Any:
    """Simulate a newer API: unknown fields everywhere and enum values this client can't know."""
    if isinstance(value, list):
        return [drift(item, key) for item in value]
    if not isinstance(value, dict) or key in _FREE_FORM_KEYS:
        return value
    if key in _MAP_KEYS:
        return {k: drift(v) for k, v in value.items()}
    out = {k: drift(v, k) for k, v in value.items()}
    if key == "llm_model":
        out = copy.deepcopy(FUTURE_LLM_MODEL)
    elif "call_attempts" in out and "status" in out:
        out["status"] = "voicemail_screening"
    elif "answered_at" in out and out.get("result") is not None:
        out["result"] = "carrier_screening"
    elif "assistant_id" in out and "is_cancelled" in out:
        out["status"] = "archived"
    elif "livekit_outbound_trunk_id" in out:
        out["provider"] = "future-carrier"
    out.update(copy.deepcopy(_DRIFT_FIELD))
    return out
