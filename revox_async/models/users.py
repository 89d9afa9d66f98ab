"""Users: the account behind the API key."""

from __future__ import annotations

import attrs

from .._model import RevoxModel, Timestamp


@attrs.frozen(kw_only=True)
class User(RevoxModel):
    """A member of an organization."""

    id: str
    created_at: Timestamp
    email: str
    has_completed_onboarding: bool
    organization_id: str
    updated_at: Timestamp
    first_name: str | None = None
    last_name: str | None = None
    organization_country: str | None = None
