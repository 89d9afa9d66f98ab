"""``revox-async demo``: a guided tour of the SDK against the embedded fake Revox.

It tells one story (a dental clinic's assistant confirms appointments: one call, then a small
campaign) through the public async API only, so what it prints is what a user would get. Each
step first shows the SDK call it makes, dimmed on a terminal.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .._client import AsyncRevox
from ..models import Assistant, Call
from .fake import embedded_fake
from .output import dim, statistics_text

PROGRAM = "demo_program.txt"
"""The tour as one program against the real API, shipped beside the command line's modules."""

PATIENT = "+33612345678"
PATIENT_TRANSCRIPT = [
    {"role": "assistant", "content": "Hello Marie, this is Léa from Smile Clinic."},
    {"role": "user", "content": "Hi Léa. Is it about tomorrow? I'm afraid I can't make it."},
    {"role": "assistant", "content": "No problem. Would Thursday at 10am suit you instead?"},
    {"role": "user", "content": "Thursday at 10am is perfect, thank you."},
    {"role": "assistant", "content": "Done: see you on Thursday at 10am. Goodbye!"},
]
PATIENT_ANSWERS = {"confirmed": False, "new_time": "Thursday 10am"}
"""What the assistant extracts from that conversation: not coming tomorrow, moved to Thursday."""

CAMPAIGN_CONTACTS = {
    "+33611111111": ("Camille", "completed"),
    "+33622222222": ("Louis", None),
    "+33633333333": ("Inès", "requested_callback_later"),
}
"""Each contact's first name and how the call ends (None: nobody answers)."""


def say(text: str = "") -> None:
    print(text, flush=True)


def show_code(*lines: str) -> None:
    for line in lines:
        say(dim(f"    {line}", sys.stdout))


def _readable(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "-" if value is None else str(value)


def _show_fields(title: str, values: Mapping[str, Any]) -> None:
    say(f"{title}:")
    width = max((len(name) for name in values), default=0)
    for name, value in values.items():
        say(f"  {name.ljust(width)}  {_readable(value)}")


async def _create_assistant(client: AsyncRevox) -> Assistant:
    say("1. Create an assistant that confirms appointments and notes any new time.")
    show_code(
        'assistant = await client.assistants.create(name="Smile Clinic reminders", prompt=...,',
        '    structured_output_config=[{"name": "confirmed", "type": "boolean", ...}, ...])',
    )
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
    say(f"  status: {call.status}")


def _show_outcome(call: Call) -> None:
    attempt = call.last_call_attempt
    say(f"Call finished: {len(call.call_attempts)} attempt(s), outcome {call.outcome}")
    if attempt is None:
        return
    say("Transcript:")
    for message in attempt.transcript or []:
        say(f"  {message.role:>9}: {message.content}")
    _show_fields("Extracted data", attempt.structured_output or {})


async def _place_call(client: AsyncRevox, assistant: Assistant) -> None:
    say("2. Call one patient and follow the call to its end.")
    show_code(
        "call = await client.calls.create(phone_number=PATIENT, assistant_id=assistant.id,",
        '    prompt_variables={"first_name": "Marie"})',
        "call = await client.calls.wait(call.id, on_progress=print_status)",
    )
    call = await client.calls.create(
        phone_number=PATIENT,
        assistant_id=assistant.id,
        prompt_variables={"first_name": "Marie"},
    )
    say(f"Placed call {call.id} to {call.to_phone_number}; following it:")
    _show_outcome(await client.calls.wait(call.id, poll_interval=0.05, on_progress=_progress))


async def _campaign_done(client: AsyncRevox, campaign_id: str) -> bool:
    rows = await client.campaigns.get_rows(campaign_id)
    return all(row.call is None or row.call.is_finished for row in rows)


async def _run_campaign(client: AsyncRevox, assistant: Assistant) -> None:
    say("3. Call every patient booked for tomorrow, two at a time, as a campaign.")
    show_code(
        "campaign = await client.campaigns.create(assistant_id=assistant.id,",
        '    name="Tomorrow\'s appointments", contacts=[...], max_concurrent_calls=2)',
        "await client.campaigns.launch(campaign.id)  # every contact not called yet",
    )
    campaign = await client.campaigns.create(
        assistant_id=assistant.id,
        name="Tomorrow's appointments",
        contacts=[
            {"to_phone_number": number, "prompt_variables": {"first_name": name}}
            for number, (name, _) in CAMPAIGN_CONTACTS.items()
        ],
        max_concurrent_calls=2,
    )
    say(f"Created campaign {campaign.name!r} with {len(CAMPAIGN_CONTACTS)} contacts")
    launch = await client.campaigns.launch(campaign.id)
    say(f"Launched {launch.launched} calls (at most 2 at a time)")
    say()
    say("4. Once every call has ended, read the campaign's report.")
    show_code(
        "rows = await client.campaigns.get_rows(campaign.id)  # until every call has ended",
        "stats = await client.campaigns.statistics(campaign.id)",
    )
    while not await _campaign_done(client, campaign.id):  # noqa: ASYNC110 (polls the server)
        await asyncio.sleep(0.05)
    say(statistics_text(await client.campaigns.statistics(campaign.id)))


async def run_demo() -> None:
    """The tour: every step goes through the SDK to a fake server on 127.0.0.1."""
    say("Starting a fake Revox server on 127.0.0.1 (no key, no network, no phone rings).")
    async with embedded_fake() as fake:
        # What each callee does, so that the story holds together.
        fake.script_number(
            PATIENT,
            outcome="completed",
            transcript=PATIENT_TRANSCRIPT,
            structured_output=PATIENT_ANSWERS,
        )
        for number, (_, outcome) in CAMPAIGN_CONTACTS.items():
            fake.script_number(number, answers=outcome is not None, outcome=outcome)
        show_code("client = AsyncRevox()  # reads REVOX_API_KEY; here, pointed at the fake")
        client = fake.client()
        say(f"Client ready: {client!r}")
        say()
        assistant = await _create_assistant(client)
        say()
        await _place_call(client, assistant)
        say()
        await _run_campaign(client, assistant)
    say()
    say("Done. `revox-async demo --code` prints the same steps as one program:")
    say("set REVOX_API_KEY and run it to do this for real.")


def demo_program() -> str:
    """The tour as one program to read and adapt, as ``revox-async demo --code`` prints it."""
    return resources.files("revox_async._cli").joinpath(PROGRAM).read_text(encoding="utf-8")
