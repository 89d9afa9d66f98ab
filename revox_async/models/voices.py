"""Voices: the speech catalog, cloned voices, and audio previews."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from .._model import ApiEnum, RevoxModel, Timestamp, wire
from .assistants import VoiceProvider


class VoiceLanguage(ApiEnum):
    """The language a voice speaks."""

    EN = "en"
    FR = "fr"
    ES = "es"
    DE = "de"
    IT = "it"
    PT = "pt"
    RU = "ru"
    ZH = "zh"


class VoiceModelCompat(ApiEnum):
    """The Cartesia models a voice works with (``UNIVERSAL``: all of them)."""

    UNIVERSAL = "universal"
    SONIC_3 = "sonic-3"
    SONIC_3_5 = "sonic-3.5"


class AudioContentType(ApiEnum):
    """Audio formats accepted for voice cloning."""

    WEBM = "audio/webm"
    WAV = "audio/wav"
    MPEG = "audio/mpeg"
    OGG = "audio/ogg"
    MP4 = "audio/mp4"
    VIDEO_WEBM = "video/webm"


@attrs.frozen(kw_only=True)
class Voice(RevoxModel):
    """An entry of the voice catalog: a preset voice or one cloned by the organization."""

    id: str
    description: str
    language: VoiceLanguage | str
    name: str
    provider: VoiceProvider | str
    accent: str | None = None
    gender: str | None = None
    is_cloned: bool | None = attrs.field(default=None, metadata=wire("isCloned"))
    model_compat: VoiceModelCompat | str | None = attrs.field(
        default=None, metadata=wire("modelCompat")
    )


@attrs.frozen(kw_only=True)
class VoiceSummary(RevoxModel):
    """The short description of one voice that ``voices.retrieve`` gives."""

    id: str
    name: str
    description: str | None = None


@attrs.frozen(kw_only=True)
class ClonedVoice(RevoxModel):
    """A voice just cloned from a recording; ``id`` is what assistants refer to."""

    id: str
    cartesia_voice_id: str = attrs.field(metadata=wire("cartesiaVoiceId"))
    created_at: Timestamp = attrs.field(metadata=wire("createdAt"))
    language: VoiceLanguage | str
    name: str


@attrs.frozen(kw_only=True)
class AudioClip:
    """Audio returned by the API, with the content type the server declared."""

    content: bytes = attrs.field(repr=False)
    content_type: str

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the audio to the file ``path`` and return that path."""
        target = Path(path)
        target.write_bytes(self.content)
        return target
