"""Phone numbers: the organization's lines and the assistant answering each one."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .._wire import JSON, find
from .core import Records


class PhoneNumberStore(Records[JSON]):
    """The ``/phone-numbers`` behaviour of the store."""

    def get_phone_number(self, phone_id: str) -> JSON:
        return find(self.records, "phone number", phone_id)

    def render_phone_number(self, phone: JSON) -> JSON:
        out = copy.deepcopy(phone)
        assistant_id = out.pop("inbound_assistant_id", None)
        out["inbound_assistant"] = copy.deepcopy(self.store.assistants.get(assistant_id or ""))
        return out

    def update_phone_number(self, phone_id: str, body: Mapping[str, Any]) -> JSON:
        phone = self.get_phone_number(phone_id)
        assistant_id = body.get("inbound_assistant_id")
        if assistant_id is not None:
            self._referenced_assistant("inbound_assistant_id", assistant_id)
        phone.update(body)
        return self.render_phone_number(phone)

    def delete_phone_number(self, phone_id: str) -> None:
        self.get_phone_number(phone_id)
        del self.records[phone_id]
