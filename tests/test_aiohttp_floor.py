"""The aiohttp this SDK requires writes each request's headers in a buffer of its own.

Every sync client runs its requests on a loop thread of its own, so a process often has several
threads writing requests at once: two clients, or a client next to an aiohttp server. Before
3.13, aiohttp's compiled header writer used one buffer for the whole process, and a thread that
paused halfway through its headers (to run any Python code: a finalizer, a ``str`` subclass's
``__str__``) resumed over what another thread had written meanwhile, and sent that as its own:
another request's first line, or another client's key. The pause is made to happen here, in one
thread, by a header value that writes a second set of headers while it is converted.
"""

from __future__ import annotations

from aiohttp import http_writer
from multidict import CIMultiDict


class _WritesOtherHeadersMeanwhile(str):
    def __str__(self) -> str:
        other = CIMultiDict({"Retry-After": "1"})
        http_writer._serialize_headers("HTTP/1.1 503 Service Unavailable", other)
        return str.__str__(self)


def test_headers_written_while_others_are_stay_their_own() -> None:
    headers = CIMultiDict(
        {"Authorization": _WritesOtherHeadersMeanwhile("Bearer key-1"), "Host": "127.0.0.1"}
    )
    written = http_writer._serialize_headers("GET /assistants HTTP/1.1", headers)
    assert written == (
        b"GET /assistants HTTP/1.1\r\nAuthorization: Bearer key-1\r\nHost: 127.0.0.1\r\n\r\n"
    )
