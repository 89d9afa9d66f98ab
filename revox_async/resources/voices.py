"""``client.voices``: the voice catalog, cloning from a recording, and audio previews."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, Final, TypedDict

from typing_extensions import Required, Unpack

from .._endpoint import Binary, Endpoint
from .._request import Repeat
from .._sync.methods import SyncResource, sync
from ..models.assistants import VoiceModel, VoiceProvider
from ..models.voices import (
    AudioClip,
    AudioContentType,
    ClonedVoice,
    Voice,
    VoiceLanguage,
    VoiceSummary,
)
from ._base import AsyncResource
from ._checks import check_audio_base64, check_not_blank, check_voice_preview
from ._params import prepare, to_json


class VoiceCloneParams(TypedDict, total=False):
    """Keyword arguments of ``voices.clone``. ``audio`` is the recording's bytes, or base64."""

    name: Required[str]
    language: Required[VoiceLanguage | str]
    content_type: Required[AudioContentType | str]
    audio: Required[bytes | str]


class VoicePreviewParams(TypedDict, total=False):
    """Keyword arguments of ``voices.preview``; ``model`` and ``volume`` apply to Cartesia."""

    provider: Required[VoiceProvider | str]
    voice_id: Required[str]
    text: str
    model: VoiceModel | str
    speed: float
    volume: float


# The API spells these two in camelCase; keyword arguments stay snake_case.
_WIRE_NAMES = {"content_type": "contentType", "voice_id": "voiceId"}

_LIST = Endpoint(
    name="voices.list",
    method="GET",
    path="/voices",
    repeat=Repeat.SAFE,
    result=list[Voice],
    envelope="voices",
)
_RETRIEVE = Endpoint(
    name="voices.retrieve",
    method="GET",
    path="/voices/{id}",
    repeat=Repeat.SAFE,
    result=VoiceSummary,
    envelope="voice",
)
_CLONE = Endpoint(
    name="voices.clone",
    method="POST",
    path="/voices/clone",
    repeat=Repeat.NEVER,
    result=ClonedVoice,
)
_DELETE = Endpoint(
    name="voices.delete",
    method="DELETE",
    path="/voices/{id}",
    repeat=Repeat.SAFE,
    result=bool,
    envelope="success",
)
_PREVIEW = Endpoint(
    name="voices.preview",
    method="POST",
    path="/voices/preview",
    repeat=Repeat.SAFE,
    result=Binary,
    accept="*/*",
)


def _wire(body: Mapping[str, Any]) -> dict[str, Any]:
    return {_WIRE_NAMES.get(key, key): value for key, value in body.items()}


def _clone_body(params: Mapping[str, Any]) -> dict[str, Any]:
    method = "voices.clone"
    fields = dict(params)
    if isinstance(fields.get("audio"), bytes):
        fields["audio"] = base64.b64encode(fields["audio"]).decode("ascii")
    body = prepare(method, fields, VoiceCloneParams)
    check_not_blank(body["name"], f"{method}: name")
    check_audio_base64(body["audio"], f"{method}: audio")
    return _wire(body)


class AsyncVoices(AsyncResource):
    """Voices: the catalog, cloned voices, and previews."""

    async def list(self) -> list[Voice]:
        """Every voice available to assistants: presets and the organization's clones."""
        return await self._client._call(_LIST)

    async def retrieve(self, id: str, *, provider: VoiceProvider | str) -> VoiceSummary:
        """The name and description of one voice of ``provider``.

        Args:
            id (str): The voice's id, as its provider names it.
            provider (VoiceProvider | str): The provider the voice belongs to (``cartesia``,
                ``elevenlabs``, ...).
        """
        where = "voices.retrieve: provider"
        value = to_json(provider, VoiceProvider | str, where)
        check_not_blank(value, where)
        return await self._client._call(_RETRIEVE, path={"id": id}, query={"provider": value})

    async def clone(self, **params: Unpack[VoiceCloneParams]) -> ClonedVoice:
        """Create a voice from a recording of at most ~7.5 MB.

        ``audio`` takes the raw bytes (encoded here) or base64 text; both are checked before
        sending. Never resent once it may have reached the server.

        Keyword Args:
            name (str): Required. Name for the cloned voice.
            language (VoiceLanguage | str): Required. Language of the voice.
            content_type (AudioContentType | str): Required. MIME type of the audio.
            audio (bytes | str): Required. Base64-encoded audio data (max ~7.5MB decoded).
        """
        return await self._client._call(_CLONE, body=_clone_body(params))

    async def delete(self, id: str) -> None:
        """Delete a cloned voice. The API refuses (409) while an assistant uses it.

        Args:
            id (str): The voice's id, as its provider names it.
        """
        await self._call_expecting_success(_DELETE, path={"id": id})

    async def preview(self, **params: Unpack[VoicePreviewParams]) -> AudioClip:
        """A short sample of a voice saying ``text`` (or a default line), as audio bytes.

        Keyword Args:
            provider (VoiceProvider | str): Required. The provider to use for the preview.
            voice_id (str): Required. The voice ID to generate a preview for.
            text (str): Custom text for the preview. If omitted, a short default is used.
            model (VoiceModel | str): Cartesia model for the preview.
            speed (float): Speed for preview. Cartesia 0.6-1.5, ElevenLabs 0.7-1.2.
            volume (float): Volume for Cartesia preview (0.5-2.0).
        """
        body = _wire(prepare("voices.preview", params, VoicePreviewParams))
        check_voice_preview(body, "voices.preview")
        audio = await self._client._call(_PREVIEW, body=body)
        return AudioClip(content=audio.content, content_type=audio.content_type)


class Voices(SyncResource[AsyncVoices]):
    """Voices: the catalog, cloned voices, and previews.

    The sync face of :class:`AsyncVoices`: the same methods with the same arguments, each
    returning its result directly.
    """

    list: Final = sync(AsyncVoices.list)
    retrieve: Final = sync(AsyncVoices.retrieve)
    clone: Final = sync(AsyncVoices.clone)
    delete: Final = sync(AsyncVoices.delete)
    preview: Final = sync(AsyncVoices.preview)


__all__ = ["AsyncVoices", "VoiceCloneParams", "VoicePreviewParams", "Voices"]
