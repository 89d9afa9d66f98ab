"""Phone numbers: the organization's numbers and the assistant answering each."""

from __future__ import annotations

import attrs

from .._model import ApiEnum, RevoxModel, Timestamp
from .assistants import Assistant
from .common import MemberRef


class PhoneNumberProvider(ApiEnum):
    """The carrier or trunk behind a number."""

    TWILIO = "twilio"
    TELNYX = "telnyx"
    SIP = "sip"


class PhoneNumberSource(ApiEnum):
    """How the number came to the organization."""

    USER_IMPORTED = "user_imported"
    REVOX_PROVISIONED = "revox_provisioned"
    REVOX_PURCHASED = "revox_purchased"


class PhoneNumberType(ApiEnum):
    """A number the organization owns, or one it only verified for caller id."""

    OWNED_NUMBER = "owned_number"
    VERIFIED_CALLER_ID = "verified_caller_id"


@attrs.frozen(kw_only=True)
class PhoneNumber(RevoxModel):
    """A phone number (E.164) usable for outbound calls and, with an assistant, inbound ones."""

    id: str
    created_at: Timestamp
    phone_number: str
    provider: PhoneNumberProvider | str
    source: PhoneNumberSource | str
    type: PhoneNumberType | str
    created_by: MemberRef | None = None
    inbound_assistant: Assistant | None = None
    inbound_sip_uri: str | None = None
    label: str | None = None
    livekit_outbound_trunk_id: str | None = None
