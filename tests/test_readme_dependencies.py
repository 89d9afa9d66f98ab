"""README's sentence of dependencies names every package the distribution requires."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_required_package_is_named() -> None:
    required = {
        re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0].lower()
        for requirement in metadata.requires("revox-async") or []
        if "extra ==" not in requirement
    }
    sentence = re.search(r"Dependencies: ([^.]+)\.", README.read_text(encoding="utf-8"))
    assert sentence is not None
    named = {name.lower() for name in re.split(r",\s*|\s+and\s+", " ".join(sentence[1].split()))}
    assert required
    assert named == required
