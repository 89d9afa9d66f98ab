"""revox-async: an async-first Python SDK for the Revox voice-assistant API."""

from typing import TYPE_CHECKING, Any

from ._client import AsyncRevox
from ._config import Timeout
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CallWaitTimeout,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RevoxError,
    UnprocessableEntityError,
)
from ._response import RawResponse, ResponseInfo
from ._retry import RetryBudget, RetryPolicy
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from ._sync.client import Revox
    from .models.calls import CallSearchResult, CsvExport
    from .models.campaigns import CampaignLaunchResult
    from .models.voices import AudioClip
    from .resources._pages import AsyncPager

# Imported on first access: the sync client and the models are not needed to import the
# package, and loading them all costs more than the rest of the package together.
_LAZY = {
    "Revox": "._sync.client",
    "AsyncPager": ".resources._pages",
    "CallSearchResult": ".models.calls",
    "CsvExport": ".models.calls",
    "CampaignLaunchResult": ".models.campaigns",
    "AudioClip": ".models.voices",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncRevox",
    "AudioClip",
    "AuthenticationError",
    "BadRequestError",
    "CallSearchResult",
    "CallWaitTimeout",
    "ClientClosedError",
    "CampaignLaunchResult",
    "ConflictError",
    "CsvExport",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseInfo",
    "RetryBudget",
    "RetryPolicy",
    "Revox",
    "RevoxError",
    "Timeout",
    "UnprocessableEntityError",
    "__version__",
]
