"""Every failure as one line of stderr, in the words of the command line rather than the SDK's.

The SDK names Python arguments (``calls.create: phone_number``, ``allow_insecure_http=True``);
a person at a shell typed options, so messages are rewritten to name those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .._errors import APIResponseValidationError, APIStatusError, CallWaitTimeout, RevoxError

CLIENT_OPTIONS = {
    "allow_insecure_http=True": "--allow-insecure-http",
    "base_url": "--base-url",
    "api_key": "--api-key",
    "timeout": "--timeout",
}
"""Client arguments as the SDK names them in its messages, and the option that sets each."""

_FIELD_MESSAGE = re.compile(r"^[a-z_]+\.[a-z_]+(?:\(\))?: ([A-Za-z_]+)(.*)$", re.DOTALL)
_CONTENT_TYPE = re.compile(r"expected JSON, got content type '([^']*)'")
_TAG = re.compile(r"<[^>]*>")
FIRST_WORDS = 12
"""How many words of a body that is not JSON an error quotes."""


class UsageError(Exception):
    """The command line asks for something that cannot be done as typed (exit status 2)."""


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of blanks made single spaces."""
    return " ".join(text.split())


def client_option_error(exc: Exception) -> UsageError:
    """A client's refusal of its options, naming the options typed instead."""
    message = str(exc)
    for argument, option in CLIENT_OPTIONS.items():
        message = re.sub(rf"(?<![\w-]){re.escape(argument)}(?![\w=])", option, message)
    message = message.replace("pass --allow-insecure-http", "give --allow-insecure-http")
    return UsageError(message)


def argument_error(exc: Exception, options: Mapping[str, str]) -> UsageError:
    """An SDK method's refusal of an argument, naming the option it came from.

    ``options`` maps the method's field names to the options that set them; a field set some
    other way (a ``--settings`` file) is named as a field.
    """
    message = str(exc)
    match = _FIELD_MESSAGE.match(message)
    if match is None:
        return UsageError(message)
    field, rest = match.groups()
    if field not in options or rest.startswith((".", "[")):
        # Set by a settings file, or a part of what the option built: name the field.
        return UsageError(f"field {field}{rest}")
    return UsageError(f"{options[field]}{rest}")


def _first_words(body: object) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body)
    words = _TAG.sub(" ", text).split() or text.split()
    quoted = " ".join(words[:FIRST_WORDS])
    return f'"{quoted}…"' if len(words) > FIRST_WORDS else f'"{quoted}"'


def _base_url_hint(status: int, url: str) -> str:
    if status >= 500:
        return ""  # a failing gateway in front of the right URL answers HTML too
    path = urlsplit(url).path
    if "/api" not in path:
        return "; is --base-url the API root? It usually ends in /api"
    return "; is --base-url the API root?"


def _not_json(status: int, content_type: str, body: object, method: str, url: str) -> str:
    kind = content_type.partition(";")[0].strip() or "no content type"
    hint = _base_url_hint(status, url)
    return f"{status} from {method} {url}: {kind}, not JSON: {_first_words(body)}{hint}"


def api_error_line(exc: RevoxError) -> str:
    """What a failed request prints: the server's message, or a summary of a page that is not
    the API's."""
    if isinstance(exc, APIStatusError) and isinstance(exc.body, str):
        content_type = exc.headers.get("Content-Type", "")
        if "json" not in content_type:
            return _not_json(exc.status_code, content_type, exc.body, exc.method, exc.url)
    if isinstance(exc, CallWaitTimeout):
        return f"{one_line(str(exc))}; --max-wait SECONDS waits longer"
    if isinstance(exc, APIResponseValidationError):
        named = _CONTENT_TYPE.search(exc.message)
        if named is not None:
            return _not_json(exc.status_code, named[1], exc.body, exc.method, exc.url)
    return one_line(str(exc))
