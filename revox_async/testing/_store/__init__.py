"""The in-memory store of one fake organization, assembled from one part per resource."""

from __future__ import annotations

from .campaigns import CampaignStore
from .phone_numbers import PhoneNumberStore
from .voices import VoiceStore


class Store(CampaignStore, PhoneNumberStore, VoiceStore):
    """All state of one fake organization; also the lifecycle's :class:`CallHost`.

    The records and shared helpers live in ``core``; each resource's behaviour in its own
    module: ``assistants``, ``calls`` (which builds on assistants), ``campaigns`` (which
    builds on calls), ``phone_numbers`` and ``voices``. Campaign figures are computed in
    ``campaign_stats``, CSV exports in ``exports``, and the demo data loads in ``seed``.
    """
