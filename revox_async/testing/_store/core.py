"""The data of one fake organization and the helpers every part of the store shares.

Records are plain JSON-shaped dicts. Handlers pass in request bodies that were already
type-checked, and get back wire-ready dicts (deep copies, so callers may mutate them).
Domain failures raise :class:`ErrorReply` carrying the HTTP status to answer with.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._clock import FakeClock, isoformat
from .._lifecycle import CallRecord, Lifecycle
from .._wire import JSON, ErrorReply
from .seed import load_seed, seed_calls


class StoreCore:
    """The organization's records, and what the lifecycle needs as its :class:`CallHost`."""

    def __init__(self, clock: FakeClock, lifecycle: Lifecycle, *, seed_demo_data: bool) -> None:
        self.clock: FakeClock = clock
        self.lifecycle: Lifecycle = lifecycle
        seed = load_seed(clock.now())
        self.user: JSON = seed["user"]
        self.organization_id: str = self.user["organization_id"]
        # The provider voice catalog exists for every account; the rest is account data.
        self.voices: list[JSON] = [v for v in seed["voices"] if not v["isCloned"]]
        self.cloned_voices: dict[str, JSON] = {}
        self.assistants: dict[str, JSON] = {}
        self.phone_numbers: dict[str, JSON] = {}
        self.campaigns: dict[str, JSON] = {}
        self.rows: dict[str, list[JSON]] = {}
        self.calls: dict[str, CallRecord] = {}
        if seed_demo_data:
            self._load_demo_data(seed)

    def _load_demo_data(self, seed: JSON) -> None:
        self.voices = seed["voices"]
        self.cloned_voices = {v["id"]: v for v in seed["cloned_voices"]}
        self.assistants = {a["id"]: a for a in seed["assistants"]}
        self.phone_numbers = {p["id"]: p for p in seed["phone_numbers"]}
        self.campaigns = {c["id"]: c for c in seed["campaigns"]}
        for campaign_id in self.campaigns:
            self.rows[campaign_id] = [r for r in seed["rows"] if r["campaign_id"] == campaign_id]
        self.calls = seed_calls(seed["calls"])

    # -- CallHost -----------------------------------------------------------------------

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

    # -- shared helpers -----------------------------------------------------------------

    def _now(self) -> str:
        return isoformat(self.clock.now())

    def _today(self) -> str:
        return self.clock.now().date().isoformat()

    def _member(self) -> JSON:
        return {k: self.user[k] for k in ("id", "email", "first_name", "last_name")}

    def _referenced_assistant(self, field: str, assistant_id: str) -> JSON:
        """The assistant a request field points at; a 422 naming the field if it is unknown."""
        assistant = self.assistants.get(assistant_id)
        if assistant is None:
            raise ErrorReply(422, f"{field}: no assistant with id {assistant_id}")
        return assistant

    def _default_from_number(self, *candidates: str | None) -> str:
        """The first given caller id, else the organization's first number."""
        owned = (str(p["phone_number"]) for p in self.phone_numbers.values())
        for number in (*candidates, *owned):
            if number:
                return number
        raise ErrorReply(422, "from_phone_number: required, the organization has no phone number")
