"""Documented constraints the API enforces, checked on the JSON about to be sent.

Each check raises ``ValueError`` naming the field, so a mistake is caught before the request.
Checks run on the prepared JSON, which is the same whether the caller passed models or dicts.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

# [0-9], not \d, which also matches the digits of other scripts ("+٣٣٦...").
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
CLOCK_24H = re.compile(r"([01]?[0-9]|2[0-3]):[0-5][0-9]")
CLOCK_12H = re.compile(r"(1[0-2]|0?[1-9])(:[0-5][0-9])?\s?[ap]m", re.IGNORECASE)
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
MAX_SAFE_INTEGER = 2**53 - 1

SPEED_RANGES = {"cartesia": (0.6, 1.5), "gradium": (0.6, 1.5), "elevenlabs": (0.7, 1.2)}
VOLUME_RANGE = (0.5, 2.0)


def _fail(where: str, message: str, value: Any) -> ValueError:
    return ValueError(f"{where} {message}, got {value!r}")


def check_range(value: Any, low: float, high: float, where: str) -> None:
    if value is not None and not low <= value <= high:
        raise _fail(where, f"must be between {low} and {high}", value)


def check_e164(value: Any, where: str) -> None:
    """A phone number in E.164 form: ``+`` then 7 to 15 digits."""
    if value is not None and not (isinstance(value, str) and E164.fullmatch(value)):
        raise _fail(where, "must be an E.164 phone number such as '+33612345678'", value)


def check_not_blank(value: Any, where: str) -> None:
    if value is not None and not (isinstance(value, str) and value.strip()):
        raise _fail(where, "must not be empty", value)


def check_clock_time(value: Any, where: str) -> None:
    """``HH:mm`` on a 24-hour clock, or ``H[:mm]am``/``pm``."""
    if not (isinstance(value, str) and (CLOCK_24H.fullmatch(value) or CLOCK_12H.fullmatch(value))):
        raise _fail(where, "must be a time such as '09:00', '17:30' or '6pm'", value)


def check_voice(voice: Mapping[str, Any] | None, where: str) -> None:
    if voice is None:
        return
    check_not_blank(voice.get("id"), f"{where}.id")
    provider = voice.get("provider")
    speed_range = SPEED_RANGES.get(provider) if isinstance(provider, str) else None
    if speed_range:
        check_range(voice.get("speed"), *speed_range, f"{where}.speed (for {provider} voices)")
    check_range(voice.get("volume"), *VOLUME_RANGE, f"{where}.volume")


def check_retry_config(config: Mapping[str, Any] | None, where: str) -> None:
    if config is None:
        return
    attempts = config.get("max_retry_attempts")
    if attempts is not None and not 0 < attempts <= MAX_SAFE_INTEGER:
        raise _fail(f"{where}.max_retry_attempts", "must be a positive integer", attempts)
    for i, window in enumerate(config.get("calling_windows") or ()):
        at = f"{where}.calling_windows[{i}]"
        check_clock_time(window.get("calling_window_start_time"), f"{at}.calling_window_start_time")
        check_clock_time(window.get("calling_window_end_time"), f"{at}.calling_window_end_time")
        delay = window.get("retry_delay_seconds")
        if delay is not None and not 0 <= delay <= MAX_SAFE_INTEGER:
            raise _fail(f"{at}.retry_delay_seconds", "must not be negative", delay)


def check_structured_output(fields: list[Mapping[str, Any]] | None, where: str) -> None:
    for i, field in enumerate(fields or ()):
        check_not_blank(field.get("name"), f"{where}[{i}].name")


def check_assistant_body(body: Mapping[str, Any], method: str) -> None:
    """Constraints of the assistant fields in a create or update body."""
    check_voice(body.get("voice"), f"{method}: voice")
    check_retry_config(body.get("call_retry_config"), f"{method}: call_retry_config")
    check_structured_output(
        body.get("structured_output_config"), f"{method}: structured_output_config"
    )
    for i, tool in enumerate(body.get("custom_tools") or ()):
        name = tool.get("name")
        if not (isinstance(name, str) and SNAKE_CASE.fullmatch(name)):
            raise _fail(f"{method}: custom_tools[{i}].name", "must be lowercase_snake_case", name)
        check_structured_output(
            tool.get("input_schema"), f"{method}: custom_tools[{i}].input_schema"
        )
    check_e164(body.get("from_phone_number"), f"{method}: from_phone_number")
    for i, destination in enumerate(body.get("transfer_destinations") or ()):
        check_e164(
            destination.get("phone_number"), f"{method}: transfer_destinations[{i}].phone_number"
        )
    for key in ("background_sound_volume", "thinking_sound_volume", "thinking_sound_probability"):
        check_range(body.get(key), 0.0, 1.0, f"{method}: {key}")
    for key in ("name", "prompt"):
        if key in body:
            check_not_blank(body[key], f"{method}: {key}")
    delay = body.get("first_sentence_delay_ms")
    if delay is not None and abs(delay) > MAX_SAFE_INTEGER:
        raise _fail(f"{method}: first_sentence_delay_ms", "is out of range", delay)


def check_exactly_one(body: Mapping[str, Any], keys: tuple[str, str], method: str) -> None:
    """Exactly one of two alternative fields is given."""
    given = [key for key in keys if key in body]
    if len(given) != 1:
        first, second = keys
        state = "both were given" if given else "neither was given"
        raise ValueError(f"{method}: pass exactly one of {first} or {second}; {state}")


def check_not_empty(value: Any, where: str) -> None:
    if not value:
        raise _fail(where, "must not be empty", value)


MAX_CLONE_AUDIO_BYTES = 7_864_320
"""The documented limit on a voice-cloning recording, "~7.5 MB" decoded, read as 7.5 MiB."""


def check_audio_base64(value: str, where: str) -> None:
    """Base64 text whose decoded audio stays within the cloning size limit."""
    try:
        size = len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        raise ValueError(f"{where} must be base64-encoded audio (or pass the bytes)") from None
    if size == 0:
        raise ValueError(f"{where} must not be empty")
    if size > MAX_CLONE_AUDIO_BYTES:
        raise ValueError(
            f"{where} is {size} bytes decoded; the limit is {MAX_CLONE_AUDIO_BYTES} bytes"
        )


def check_voice_preview(body: Mapping[str, Any], method: str) -> None:
    """The voice id is given; speed and volume are within the provider's documented ranges."""
    check_not_blank(body.get("voiceId"), f"{method}: voice_id")
    check_not_blank(body.get("text"), f"{method}: text")
    provider = body.get("provider")
    speed_range = SPEED_RANGES.get(provider) if isinstance(provider, str) else None
    if speed_range:
        check_range(body.get("speed"), *speed_range, f"{method}: speed (for {provider} voices)")
    check_range(body.get("volume"), *VOLUME_RANGE, f"{method}: volume")


def check_positive(value: Any, where: str, *, integer: bool = False) -> None:
    """A number (an integer if ``integer``) greater than zero."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or (integer and not isinstance(value, int)):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{where} must be {kind}, got {type(value).__name__}")
    if not value > 0:
        raise _fail(where, "must be greater than zero", value)
