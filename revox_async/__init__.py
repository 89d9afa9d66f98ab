"""revox-async: an async-first Python SDK for the Revox voice-assistant API."""

from ._client import AsyncRevox
from ._core import Timeout
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CallWaitTimeout,
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
from ._sync import Revox
from ._syncify import AsyncPager
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__
from .models.calls import CallSearchResult, CsvExport
from .models.campaigns import CampaignLaunchResult
from .models.voices import AudioClip

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
