"""The in-memory store of one fake organization, composed of one part per resource."""

from __future__ import annotations

from collections.abc import Iterable

from .._clock import FakeClock
from .._lifecycle import CallRecord, Lifecycle
from .._wire import JSON
from .assistants import AssistantStore
from .calls import CallStore
from .campaigns import CampaignStore
from .phone_numbers import PhoneNumberStore
from .seed import load_seed, seed_calls
from .voices import VoiceStore


class Store:
    """All state of one fake organization; also the lifecycle's :class:`CallHost`.

    ``assistants``, ``calls``, ``campaigns`` and ``phone_numbers`` each read as the mapping of
    their records by id and carry that resource's behaviour; ``voices`` holds the catalog and
    the cloned voices. Campaign figures are computed in ``campaign_stats``, CSV exports in
    ``exports``, and the demo data loads in ``seed``.
    """

    def __init__(self, clock: FakeClock, lifecycle: Lifecycle, *, seed_demo_data: bool) -> None:
        self.clock: FakeClock = clock
        self.lifecycle: Lifecycle = lifecycle
        seed = load_seed(clock.now())
        self.user: JSON = seed["user"]
        self.organization_id: str = self.user["organization_id"]
        self.search_lag: int = 0
        """How many ``POST /call/search`` requests a newly created call stays out of, as
        behind a search index that lags."""
        # Without the demo data the organization starts empty.
        demo = seed if seed_demo_data else {key: [] for key in seed}
        self.assistants: AssistantStore = AssistantStore(
            self, {a["id"]: a for a in demo["assistants"]}
        )
        self.calls: CallStore = CallStore(self, seed_calls(demo["calls"]))
        campaigns = {c["id"]: c for c in demo["campaigns"]}
        rows = {cid: [r for r in demo["rows"] if r["campaign_id"] == cid] for cid in campaigns}
        self.campaigns: CampaignStore = CampaignStore(self, campaigns, rows)
        self.phone_numbers: PhoneNumberStore = PhoneNumberStore(
            self, {p["id"]: p for p in demo["phone_numbers"]}
        )
        # The provider voice catalog exists for every account; the rest is account data.
        catalog = (
            seed["voices"] if seed_demo_data else [v for v in seed["voices"] if not v["isCloned"]]
        )
        self.voices: VoiceStore = VoiceStore(
            self, catalog, {v["id"]: v for v in demo["cloned_voices"]}
        )

    def simulated_calls(self) -> Iterable[CallRecord]:
        return self.calls.values()

    def assistant_for(self, call: CallRecord) -> JSON | None:
        if call.inline_assistant is not None:
            return call.inline_assistant
        return self.assistants.get(call.assistant_id or "")

    def lane_limits(self, call: CallRecord) -> dict[str, float]:
        limits: dict[str, float] = {}
        campaign = self.campaigns.get(call.campaign_id or "")
        if campaign and campaign.get("max_concurrent_calls"):
            limits[f"campaign:{campaign['id']}"] = float(campaign["max_concurrent_calls"])
        if call.concurrency_key:
            # Calls sharing a concurrency key never ring at the same time.
            limits[f"key:{call.concurrency_key}"] = 1.0
        return limits

    def tick(self) -> None:
        """Bring every call up to the clock's current time."""
        self.lifecycle.run(self)
