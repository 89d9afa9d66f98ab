"""Secrets stay secret: the API key never shows in a repr, a log line, the command line's
output, the fake's request log or an exception chain; TLS is verified; cleartext to another
machine is refused; and the key never follows a redirect to another host."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import importlib
import ipaddress
import logging
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import revox_async
from revox_async import (
    APIConnectionError,
    APIStatusError,
    AsyncRevox,
    Revox,
)
from revox_async._cli.main import main
from revox_async.testing import FakeRevox, FakeRevoxThread

from .._helpers import KEY, NO_WAIT, LoopbackServer

PHONE = "+33612345678"
SELECTION = {"filters": {}, "rows": {"mode": "all_except", "call_ids": []}}
INSECURE_HOSTS = ["api.example.com", "localhost.example.com", "127.0.0.1.example.com"]


def _texts(error: BaseException) -> Iterator[str]:
    """Everything an error chain can show: each link's str, repr, arguments and attributes."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        link = pending.pop()
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield str(link)
        yield repr(link)
        yield from (f"{arg!s} {arg!r}" for arg in link.args)
        yield repr(vars(link))
        pending += [e for e in (link.__cause__, link.__context__) if e is not None]


def _assert_hidden(texts: Iterable[str]) -> None:
    for text in texts:
        assert KEY not in text


def _assistant(fake: FakeRevox) -> str:
    return next(iter(fake.state.assistants))


# -- repr, errors, logs, request log ------------------------------------------------------


@pytest.mark.asyncio
async def test_reprs_never_show_the_key() -> None:
    async with FakeRevox(seed_demo_data=True, api_key=KEY) as fake:
        client = fake.client()
        raw = await client.with_raw_response(client.assistants.retrieve, _assistant(fake))
        derived = client.with_options(api_key=KEY + "-derived", timeout=5)
        sync = Revox(KEY, base_url=fake.url)
        try:
            objects: list[Any] = [
                client,
                derived,
                client._config,
                derived._config,
                client.assistants,
                sync,
                sync.with_options(max_retries=0),
                sync.calls,
                raw,
                raw.info,
            ]
            _assert_hidden([repr(o) for o in objects] + [str(o) for o in objects])
        finally:
            sync.close()


async def _bad_status_line(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\n{}")
    await writer.drain()
    writer.close()


async def _redirect_to_itself(request: web.Request) -> web.Response:
    raise web.HTTPFound(request.path)


async def _failing_calls(fake: FakeRevox, refused_url: str) -> list[revox_async.APIError]:
    """One error of every kind the SDK raises for a failed request."""
    client = fake.client().with_options(retry_policy=NO_WAIT)
    assistant = _assistant(fake)
    fake.faults.fail_next(3, route="GET /assistants/{id}", status=503)
    fake.faults.fail_next(route="POST /call", status=500, body={"message": "boom"})
    fake.faults.fail_next(route="POST /assistants", drop="after")
    fake.faults.fail_next(route="GET /assistants", status=None, malformed_body=True)
    fake.faults.fail_next(route="GET /users/me", status=None, delay=0.5)
    fake.faults.fail_next(route="POST /campaigns/{id}/launch-calls", status=429, retry_after=60)
    attempts: list[Awaitable[Any]] = [
        client.assistants.retrieve(assistant),
        client.assistants.retrieve("nope"),
        client.calls.create(phone_number=PHONE, assistant_id=assistant, exactly_once=False),
        client.assistants.create(name="n", prompt="p"),
        client.assistants.list(),
        client.with_options(timeout=0.2).users.retrieve(),
        client.campaigns.launch("nope", mode="ai_first", selection=SELECTION),
        client.with_options(base_url=refused_url).assistants.list(),
        client.with_options(api_key="rvx_wrong").assistants.list(),
    ]
    server = await asyncio.start_server(_bad_status_line, "127.0.0.1", 0)
    async with server, LoopbackServer(respond=_redirect_to_itself) as looping:
        bad_http = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        attempts += [
            client.with_options(base_url=bad_http).assistants.list(),
            client.with_options(base_url=looping.url).assistants.list(),
        ]
        errors = []
        for attempt in attempts:
            with pytest.raises(revox_async.APIError) as info:
                await attempt
            errors.append(info.value)
    return errors


@pytest.mark.asyncio
async def test_errors_and_their_chains_never_show_the_key(refused_url: str) -> None:
    async with FakeRevox(seed_demo_data=True, api_key=KEY) as fake:
        errors = await _failing_calls(fake, refused_url)
    kinds = {type(e).__name__ for e in errors}
    assert {"InternalServerError", "NotFoundError", "APIConnectionError"} <= kinds
    assert {"APIResponseValidationError", "APITimeoutError", "RateLimitError"} <= kinds
    assert "AuthenticationError" in kinds
    messages = " ".join(map(str, errors))
    # aiohttp's errors for these two carry the request's headers: they must not be chained.
    assert "ClientResponseError" in messages
    assert "TooManyRedirects" in messages
    for error in errors:
        _assert_hidden(_texts(error))


async def _async_failures(url: str, fake: FakeRevoxThread) -> None:
    fake.call(lambda f: f.faults.fail_next(3, route="GET /assistants", status=502))
    async with AsyncRevox(KEY, base_url=url) as client:
        with pytest.raises(APIStatusError):
            await client.with_options(retry_policy=NO_WAIT).assistants.list()
        with pytest.raises(APIStatusError):
            await client.assistants.retrieve("nope")


def test_debug_logs_never_show_the_key(caplog: pytest.LogCaptureFixture, refused_url: str) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeRevoxThread(seed_demo_data=True, api_key=KEY) as fake:
        client = fake.client().with_options(retry_policy=NO_WAIT)
        assistant = fake.call(_assistant)
        fake.call(lambda f: f.faults.fail_next(route="GET /assistants/{id}", status=503))
        fake.call(lambda f: f.faults.fail_next(route="GET /assistants/{id}", drop="before"))
        fake.call(lambda f: f.faults.fail_next(route="POST /call", status=429, retry_after_ms=5))
        client.assistants.retrieve(assistant)
        client.calls.create(phone_number=PHONE, assistant_id=assistant)
        with pytest.raises(APIConnectionError):
            client.with_options(base_url=refused_url).assistants.list()
        asyncio.run(_async_failures(fake.url, fake))
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("retrying") for m in messages)
    assert any("-> not_sent" in m for m in messages)
    assert any("-> 502" in m for m in messages)
    _assert_hidden([caplog.text] + [f"{r.args!r} {r.exc_text}" for r in caplog.records])


@pytest.mark.asyncio
async def test_the_fakes_request_log_never_holds_the_key() -> None:
    async with FakeRevox(seed_demo_data=True, api_key=KEY) as fake:
        client = fake.client()
        await client.assistants.retrieve(_assistant(fake))
        await client.calls.create(phone_number=PHONE, assistant_id=_assistant(fake))
        with pytest.raises(APIStatusError):
            await client.assistants.retrieve("nope")
        assert [r.headers["Authorization"] for r in fake.requests] == ["Bearer ***"] * 3
        _assert_hidden([repr(fake.requests)])


# -- the command line -----------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str]:
    try:
        code: int | str | None = main(list(argv))
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out + err


def test_the_command_line_never_prints_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, refused_url: str
) -> None:
    monkeypatch.delenv("REVOX_API_KEY", raising=False)
    monkeypatch.delenv("REVOX_BASE_URL", raising=False)
    with FakeRevoxThread(seed_demo_data=True, api_key=KEY) as fake:
        assistant = fake.call(_assistant)
        fake.call(lambda f: f.faults.fail_next(route="GET /voices", status=409))
        base = ["--api-key", KEY, "--base-url", fake.url]
        runs = {
            "list": (*base, "assistants", "list"),
            "table": (*base, "--table", "users", "me"),
            "conflict": (*base, "--timeout", "5", "voices", "list"),
            "not found": (*base, "assistants", "get", "nope"),
            "refused": ("--api-key", KEY, "--base-url", refused_url, "assistants", "list"),
            "cleartext": (
                "--api-key",
                KEY,
                "--base-url",
                "http://api.example.com",
                "voices",
                "list",
            ),
            "option after the command": (
                "--base-url",
                fake.url,
                "assistants",
                "list",
                "--api-key",
                KEY,
            ),
            "inline option after the command": (
                "--base-url",
                fake.url,
                "assistants",
                "get",
                assistant,
                f"--api-key={KEY}",
            ),
        }
        outcomes = {name: _cli(capsys, *argv) for name, argv in runs.items()}
        monkeypatch.setenv("REVOX_API_KEY", KEY)
        outcomes["key from the environment"] = _cli(capsys, "--base-url", fake.url, "users", "me")
        outcomes["key where the command goes"] = _cli(capsys, "--base-url", fake.url, KEY)
    assert {name: code for name, (code, _) in outcomes.items()} == {
        "list": 0,
        "table": 0,
        "conflict": 1,
        "not found": 1,
        "refused": 1,
        "cleartext": 2,
        "option after the command": 0,
        "inline option after the command": 0,
        "key from the environment": 0,
        "key where the command goes": 2,
    }
    assert "***" in outcomes["key where the command goes"][1]
    _assert_hidden([text for _, text in outcomes.values()])


# -- TLS, cleartext, redirects ------------------------------------------------------------


def test_no_sdk_code_turns_tls_verification_off() -> None:
    package = Path(revox_async.__file__).parent
    weakening = re.compile(r"ssl\s*=\s*False|verify_ssl|CERT_NONE|check_hostname\s*=\s*False")
    for source in package.rglob("*.py"):
        assert not weakening.search(source.read_text()), source


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key: (certificate, key) files."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        x509 = importlib.import_module("cryptography.x509")
        hashes = importlib.import_module("cryptography.hazmat.primitives.hashes")
        rsa = importlib.import_module("cryptography.hazmat.primitives.asymmetric.rsa")
        serialization = importlib.import_module("cryptography.hazmat.primitives.serialization")
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("neither the cryptography package nor the openssl command is available")
        subprocess.run(
            [
                *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
                *("-addext", "subjectAltName=IP:127.0.0.1"),
            ],
            check=True,
            capture_output=True,
        )
        return cert, key
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.mark.asyncio
async def test_a_self_signed_certificate_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cert, key = _self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    caplog.set_level(logging.INFO, logger="revox_async")
    async with LoopbackServer(ssl_context=context) as server:
        url = server.url
        async with AsyncRevox(KEY, base_url=url) as client:
            with pytest.raises(APIConnectionError, match="certificate") as info:
                await client.assistants.list()
        sync = Revox(KEY, base_url=url)
        try:
            with pytest.raises(APIConnectionError, match="certificate"):
                await asyncio.to_thread(sync.assistants.list)
        finally:
            await asyncio.to_thread(sync.close)
    assert "TLS" in str(info.value)
    assert not info.value.maybe_processed
    assert server.requests == []
    # Retrying cannot fix a certificate: one attempt per call.
    assert not any(r.getMessage().startswith("retrying") for r in caplog.records)
    _assert_hidden(_texts(info.value))


@pytest.mark.parametrize("host", INSECURE_HOSTS)
def test_cleartext_to_another_machine_is_refused_unless_allowed(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://{host}"
    for make in (
        lambda: AsyncRevox(KEY, base_url=url),
        lambda: Revox(KEY, base_url=url),
        lambda: AsyncRevox(KEY).with_options(base_url=url),
        lambda: Revox(KEY).with_options(base_url=url),
    ):
        with pytest.raises(ValueError, match="allow_insecure_http") as info:
            make()
        _assert_hidden(_texts(info.value))
    monkeypatch.setenv("REVOX_BASE_URL", url)
    with pytest.raises(ValueError, match="allow_insecure_http"):
        AsyncRevox(KEY)
    # Constructing sends nothing: these clients are never used.
    assert AsyncRevox(KEY, allow_insecure_http=True).base_url == url
    allowed = Revox(KEY, allow_insecure_http=True)
    assert allowed.base_url == url
    allowed.close()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1", "http://127.8.9.10:1", "http://localhost:1", "http://[::1]:1"]
)
def test_cleartext_to_this_machine_is_allowed(url: str) -> None:
    assert AsyncRevox(KEY, base_url=url).base_url == url


def _second_loopback_host() -> str:
    """127.0.0.2 where the system routes it (Linux does), else 127.0.0.1 on another port."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.2", 0))
        except OSError:
            return "127.0.0.1"
    return "127.0.0.2"


@contextlib.asynccontextmanager
async def _redirecting(status: int) -> AsyncIterator[tuple[LoopbackServer, LoopbackServer]]:
    """A server redirecting everything with ``status`` to a server on another host, which
    answers 404; yields both."""
    async with LoopbackServer(host=_second_loopback_host()) as other:

        async def redirect(request: web.Request) -> web.Response:
            return web.Response(status=status, headers={"Location": other.url + request.path_qs})

        async with LoopbackServer(respond=redirect) as first:
            yield first, other


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_to_another_host_does_not_carry_the_key(status: int) -> None:
    async with (
        _redirecting(status) as (first, second),
        AsyncRevox(KEY, base_url=first.url, max_retries=0) as client,
    ):
        with pytest.raises(APIStatusError) as info:
            await client.assistants.retrieve("a")
    assert info.value.status_code == 404
    assert [r.headers.getall("Authorization") for r in first.requests] == [[f"Bearer {KEY}"]]
    assert len(second.requests) == 1
    assert second.requests[0].headers.getall("Authorization") == []
    _assert_hidden([repr(r.headers) for r in second.requests])


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [302, 307, 308])
async def test_a_post_is_never_redirected(status: int) -> None:
    async with (
        _redirecting(status) as (first, second),
        AsyncRevox(KEY, base_url=first.url, max_retries=0) as client,
    ):
        with pytest.raises(APIStatusError) as info:
            await client.calls.create(phone_number=PHONE, assistant_id="a")
    assert info.value.status_code == status
    assert len(first.requests) == 1
    assert second.requests == []
