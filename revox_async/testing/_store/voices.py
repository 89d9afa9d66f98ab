"""Voices: the provider catalog, cloned voices, and the audio a preview answers with."""

from __future__ import annotations

import io
import math
import struct
import uuid
import wave
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._wire import JSON, ErrorReply, not_found
from .core import Part

if TYPE_CHECKING:
    from . import Store


class VoiceStore(Part):
    """The ``/voices`` behaviour of the store: the voice catalog and the cloned voices."""

    def __init__(self, store: Store, catalog: list[JSON], cloned: dict[str, JSON]) -> None:
        super().__init__(store)
        self.catalog: list[JSON] = catalog
        self.cloned: dict[str, JSON] = cloned

    def get_voice(self, voice_id: str, provider: str) -> JSON:
        for voice in self.catalog:
            if voice["id"] == voice_id and voice["provider"] == provider:
                return voice
        raise not_found(f"{provider} voice", voice_id)

    def clone_voice(self, body: Mapping[str, Any]) -> JSON:
        record = {
            "id": str(uuid.uuid4()),
            "voice_id": str(uuid.uuid4()),
            "created_at": self._now(),
        }
        self.cloned[record["id"]] = record
        self.catalog.append(
            {
                "id": record["voice_id"],
                "description": f"Cloned voice {body['name']}.",
                "language": body["language"],
                "name": body["name"],
                "provider": "cartesia",
                "accent": None,
                "gender": None,
                "isCloned": True,
                "modelCompat": "sonic-3",
            }
        )
        return {
            "id": record["id"],
            "cartesiaVoiceId": record["voice_id"],
            "createdAt": record["created_at"],
            "language": body["language"],
            "name": body["name"],
        }

    def delete_voice(self, voice_id: str) -> None:
        """Delete a cloned voice, by its own id or by its provider voice id."""
        record = next(
            (r for r in self.cloned.values() if voice_id in (r["id"], r["voice_id"])),
            None,
        )
        if record is None:
            raise not_found("cloned voice", voice_id)
        users = [
            a["name"]
            for a in self.store.assistants.values()
            if (a.get("voice") or {}).get("id") == record["voice_id"]
        ]
        if users:
            raise ErrorReply(409, f"voice is used by assistant(s): {', '.join(users)}")
        del self.cloned[record["id"]]
        self.catalog[:] = [v for v in self.catalog if v["id"] != record["voice_id"]]


def preview_wav(seconds: float = 0.25, rate: int = 8000, pitch: float = 440.0) -> bytes:
    """A short mono 16-bit sine tone: enough for clients that sniff or play the preview."""
    samples = (
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * pitch * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(samples))
    return buffer.getvalue()
