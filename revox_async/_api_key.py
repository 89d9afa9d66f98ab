"""API keys are checked when a client is built, so a bad one fails at once with a clear message.

Without these checks a key of the wrong type fails later as a puzzling 401, and a key read from a
file with its trailing newline fails on the first request inside aiohttp's header validation.
Messages name the problem and where it is, never the key itself.
"""

from __future__ import annotations

import os
import unicodedata

from ._errors import RevoxError

ENV_VAR = "REVOX_API_KEY"

_NAMED = {
    "\n": "a newline",
    "\r": "a carriage return",
    "\t": "a tab",
    " ": "a space",
    "\u00a0": "a no-break space",
    "\ufeff": "a byte order mark",
    "\u200b": "a zero-width space",
}


def resolve_api_key(api_key: object) -> str:
    """The key a client uses: ``api_key`` when given, else ``REVOX_API_KEY``, checked."""
    if api_key is not None:
        return check_api_key(api_key, "api_key")
    from_env = os.environ.get(ENV_VAR)
    if not from_env:
        raise RevoxError(f"no API key: pass api_key=... or set the {ENV_VAR} environment variable")
    return check_api_key(from_env, ENV_VAR)


def check_api_key(key: object, source: str) -> str:
    """``key`` if it can be sent as a bearer token; else ``TypeError`` or ``ValueError``.

    ``source`` names where the key came from (``api_key``, ``REVOX_API_KEY``, ``--api-key``)
    in the message.
    """
    if not isinstance(key, str):
        hint = "; decode it first (key.decode())" if isinstance(key, (bytes, bytearray)) else ""
        raise TypeError(f"{source} must be a str, got {type(key).__name__}{hint}")
    if not key.strip():
        raise ValueError(f"{source} is {'empty' if not key else 'blank'}")
    fix = "strip it (key.strip())" if source == "api_key" else f"remove it from {source}"
    for edge, index in (("starts", 0), ("ends", -1)):
        character = key[index]
        if _is_invisible(character):
            raise ValueError(f"{source} {edge} with {_describe(character)}; {fix}")
    for position, character in enumerate(key, start=1):
        if _is_invisible(character) or not character.isascii():
            raise ValueError(
                f"{source} contains {_describe(character)} at character {position}; "
                "an API key is a single word of ASCII letters, digits and punctuation"
            )
    return key


def _is_invisible(character: str) -> bool:
    return character in _NAMED or character.isspace() or not character.isprintable()


def _describe(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = f"U+{ord(character):04X}"
    if not character.isprintable():
        return f"a control character ({code})"
    if character.isspace():
        return f"a whitespace character ({code})"
    return f"a non-ASCII character ({code}, {unicodedata.name(character, 'unnamed')})"
