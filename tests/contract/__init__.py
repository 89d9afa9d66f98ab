"""The API contract the tests check against, kept in the repository (see README.md here)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OPENAPI = HERE / "openapi.json"
EXAMPLES = HERE / "examples"


@cache
def openapi() -> dict[str, Any]:
    """The OpenAPI document of the whole API."""
    spec: dict[str, Any] = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return spec


def example(name: str) -> Any:
    """A response example of the contract, e.g. ``example("assistants.retrieve")``."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def seed_example(stem: str) -> Any:
    """The response example JSON printed at the end of a seed documentation page."""
    text = next((HERE / "seeds").glob(f"{stem}_*.txt")).read_text(encoding="utf-8")
    start = text.index("{", text.rindex("Returns Examples"))
    return json.loads(text[start:])
