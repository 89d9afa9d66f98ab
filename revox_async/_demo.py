"""``revox-async demo``: a guided tour of the SDK against the embedded fake Revox.

It tells a realistic story (an assistant that confirms dental appointments, one call, then a
small campaign) through the public async API only, so what it prints is what a user would get.
"""

from __future__ import annotations

import asyncio

from ._client import AsyncRevox
from .cli import _embedded_fake, plain_text
from .models import Assistant, Call, CampaignStatistics

PATIENT = "+33612345678"
CAMPAIGN_CONTACTS = {
    "+33611111111": ("Camille", "interested"),
    "+33622222222": ("Louis", None),
    "+33633333333": ("Inès", "requested_callback_later"),
}


def say(text: str = "") -> None:
    print(text, flush=True)


async def _create_assistant(client: AsyncRevox) -> Assistant:
    assistant = await client.assistants.create(
        name="Smile Clinic reminders",
        prompt=(
            "You are Léa from Smile Clinic. Remind {{first_name}} of tomorrow's appointment, "
            "confirm they are coming, and offer another time if they cannot."
        ),
        first_sentence="Hello {{first_name}}, this is Léa from Smile Clinic.",
        first_sentence_mode="static",
        voice={"id": "a0e99841-438c-4a64-b679-ae501e7d6091", "provider": "cartesia", "speed": 1.0},
        structured_output_config=[
            {"name": "confirmed", "type": "boolean", "required": True},
            {"name": "new_time", "type": "string", "required": False},
        ],
        call_retry_config={
            "calling_windows": [
                {
                    "calling_window_start_time": "09:00",
                    "calling_window_end_time": "6pm",
                    "retry_delay_seconds": 60,
                }
            ],
            "max_retry_attempts": 2,
            "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "call_twice_in_a_row": False,
        },
    )
    say(f"Created assistant {assistant.name!r} ({assistant.id})")
    fields = ", ".join(f.name for f in assistant.structured_output_config or [])
    say(f"  it will extract: {fields}")
    return assistant


def _progress(call: Call) -> None:
    say(f"  status: {plain_text(call.status)}")


def _show_outcome(call: Call) -> None:
    attempt = call.last_call_attempt
    say(f"Call finished: {len(call.call_attempts)} attempt(s), outcome {plain_text(call.outcome)}")
    if attempt is None:
        return
    say("Transcript:")
    for message in attempt.transcript or []:
        say(f"  {plain_text(message.role):>9}: {message.content}")
    say(f"Extracted data: {attempt.structured_output}")


def _show_statistics(stats: CampaignStatistics) -> None:
    funnel = stats.funnel
    say("Campaign statistics:")
    say(f"  called        {funnel.called.count} of {funnel.called.imported_rows} contacts")
    say(f"  reached       {funnel.reached.count}")
    say(f"  conversations {funnel.real_exchanges.count}")
    say(f"  hot leads     {funnel.hot_leads.count}")
    for item in stats.outcome_breakdown:
        say(f"  outcome {item.label}: {item.count}")


async def _campaign_done(client: AsyncRevox, campaign_id: str) -> bool:
    rows = await client.campaigns.get_rows(campaign_id)
    return all(row.call is None or row.call.is_finished for row in rows)


async def run_demo() -> None:
    """The tour: every step goes through the SDK to a fake server on 127.0.0.1."""
    say("Starting a fake Revox server on 127.0.0.1 (no key, no network, no phone rings).")
    async with _embedded_fake() as fake:
        client = fake.client()
        say(f"Client ready: {client!r}")
        say()
        assistant = await _create_assistant(client)
        fake.script_number(
            PATIENT,
            outcome="completed",
            structured_output={"confirmed": False, "new_time": "Thursday 10am"},
        )
        call = await client.calls.create(
            phone_number=PATIENT,
            assistant_id=assistant.id,
            prompt_variables={"first_name": "Marie"},
        )
        say(f"\nPlaced call {call.id} to {call.to_phone_number}; following it:")
        _show_outcome(await client.calls.wait(call.id, poll_interval=0.05, on_progress=_progress))

        for number, (_, outcome) in CAMPAIGN_CONTACTS.items():
            fake.script_number(number, answers=outcome is not None, outcome=outcome)
        campaign = await client.campaigns.create(
            assistant_id=assistant.id,
            name="Tomorrow's appointments",
            contacts=[
                {"to_phone_number": number, "prompt_variables": {"first_name": name}}
                for number, (name, _) in CAMPAIGN_CONTACTS.items()
            ],
            max_concurrent_calls=2,
        )
        say(f"\nCreated campaign {campaign.name!r} with {len(CAMPAIGN_CONTACTS)} contacts")
        launch = await client.campaigns.launch(
            campaign.id,
            mode="ai_first",
            selection={"filters": {}, "rows": {"mode": "all_except", "call_ids": []}},
        )
        say(f"Launched {launch.launched} calls (at most 2 at a time)")
        while not await _campaign_done(client, campaign.id):  # noqa: ASYNC110 (polls the server)
            await asyncio.sleep(0.05)
        _show_statistics(await client.campaigns.statistics(campaign.id))
    say("\nDone. Point AsyncRevox or Revox at the real API with REVOX_API_KEY to do this for real.")
