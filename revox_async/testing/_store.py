"""The in-memory store of one fake organization, assembled from one part per resource."""

from __future__ import annotations

from ._store_campaigns import CampaignStore
from ._store_phone_numbers import PhoneNumberStore
from ._store_voices import VoiceStore


class Store(CampaignStore, PhoneNumberStore, VoiceStore):
    """All state of one fake organization; also the lifecycle's :class:`CallHost`.

    The records and shared helpers live in ``_store_core``; each resource's behaviour in
    its own part: ``_store_assistants``, ``_store_calls`` (which builds on assistants),
    ``_store_campaigns`` (which builds on calls), ``_store_phone_numbers`` and
    ``_store_voices``. Campaign figures are computed in ``_campaign_stats``.
    """
