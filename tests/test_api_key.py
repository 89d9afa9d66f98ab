"""API keys are checked when a client is built, with messages that never show the key."""

from __future__ import annotations

import pytest

from revox_async import AsyncRevox, Revox, RevoxError
from revox_async.testing import FakeRevox

SECRET = "sk-live-Zq8xSECRET"


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVOX_API_KEY", raising=False)
    monkeypatch.delenv("REVOX_BASE_URL", raising=False)


WRONG_TYPES = [
    pytest.param(123, "api_key must be a str, got int", id="int"),
    pytest.param(b"abc", r"api_key must be a str, got bytes; decode it first", id="bytes"),
    pytest.param(["k"], "api_key must be a str, got list", id="list"),
    pytest.param(True, "api_key must be a str, got bool", id="bool"),
]

BAD_VALUES = [
    pytest.param("", "api_key is empty", id="empty"),
    pytest.param("   ", "api_key is blank", id="blank"),
    pytest.param(
        SECRET + "\n",
        r"api_key ends with a newline; strip it \(key.strip\(\)\)",
        id="trailing-newline",
    ),
    pytest.param(SECRET + "\r\n", "api_key ends with a newline", id="crlf"),
    pytest.param(" " + SECRET, "api_key starts with a space", id="leading-space"),
    pytest.param("\t" + SECRET, "api_key starts with a tab", id="leading-tab"),
    pytest.param("sk-live Zq8", "api_key contains a space at character 8", id="inner-space"),
    pytest.param(
        "sk\x07live", r"api_key contains a control character \(U\+0007\) at character 3", id="bell"
    ),
    pytest.param("\ufeff" + SECRET, "api_key starts with a byte order mark", id="bom"),
    pytest.param(
        "sk-\u201clive\u201d",
        r"api_key contains a non-ASCII character \(U\+201C, LEFT DOUBLE QUOTATION MARK\) "
        "at character 4",
        id="typographic-quote",
    ),
    pytest.param(
        "sk-caf\u00e9", r"non-ASCII character \(U\+00E9, .*\) at character 7", id="latin-1"
    ),
    pytest.param("sk-\u4e2d", r"non-ASCII character \(U\+4E2D", id="not-latin-1"),
]


@pytest.mark.parametrize(("key", "message"), WRONG_TYPES)
def test_a_key_of_the_wrong_type_is_a_type_error(key: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        AsyncRevox(key)  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "message"), BAD_VALUES)
def test_a_malformed_key_is_a_value_error_naming_the_problem(key: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        AsyncRevox(key)
    assert "Zq8" not in str(info.value)
    assert "Zq8" not in repr(info.value)


@pytest.mark.parametrize(("key", "message"), BAD_VALUES[1:])
def test_the_same_checks_apply_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, key: str, message: str
) -> None:
    monkeypatch.setenv("REVOX_API_KEY", key)
    expected = message.replace("api_key", "REVOX_API_KEY").replace(
        r"strip it \(key.strip\(\)\)", "remove it from REVOX_API_KEY"
    )
    with pytest.raises(ValueError, match=expected) as info:
        AsyncRevox()
    assert "Zq8" not in str(info.value)


def test_an_unset_or_empty_environment_variable_means_no_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(RevoxError, match="no API key"):
        AsyncRevox()
    monkeypatch.setenv("REVOX_API_KEY", "")
    with pytest.raises(RevoxError, match="no API key"):
        AsyncRevox()


def test_an_argument_wins_over_a_bad_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVOX_API_KEY", "from-a-file\n")
    assert AsyncRevox("good-key").base_url


@pytest.mark.parametrize(("key", "message"), [*WRONG_TYPES[:1], *BAD_VALUES[1:3]])
def test_with_options_checks_the_new_key(key: object, message: str) -> None:
    client = AsyncRevox("good-key")
    expected = TypeError if isinstance(key, int) else ValueError
    with pytest.raises(expected, match=message):
        client.with_options(api_key=key)  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "message"), [WRONG_TYPES[1], BAD_VALUES[2]])
def test_the_sync_client_checks_the_key(key: object, message: str) -> None:
    expected = TypeError if isinstance(key, bytes) else ValueError
    with pytest.raises(expected, match=message):
        Revox(key)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_a_key_with_punctuation_is_sent_as_is() -> None:
    key = "rvx_live.AbC-123~+/="
    async with FakeRevox(api_key=key) as fake:
        async with AsyncRevox(key, base_url=fake.url) as client:
            status = await client.auth_status.retrieve()
        async with AsyncRevox("other", base_url=fake.url) as client:
            derived = client.with_options(api_key=key)
            assert await derived.auth_status.retrieve() == status
