"""The assistants the benchmark server serves, made from ``assistant.json`` in memory.

Every variant gets its own ids and name, so no client can profit from identical objects, and
the runner knows every id without asking the server.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).with_name("assistant.json")
ID_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-4b97-a0d2-5c7e9b1f3a68")


def assistant_id(index: int) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"assistant-{index}"))


def assistant_ids(count: int) -> list[str]:
    return [assistant_id(index) for index in range(count)]


def assistants(count: int) -> list[dict[str, Any]]:
    """``count`` distinct full assistants (about 9 KB of compact JSON each)."""
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    variants = []
    for index in range(count):
        variant = copy.deepcopy(template)
        variant["id"] = assistant_id(index)
        variant["name"] = f"{template['name']} #{index + 1}"
        for number, item in enumerate(variant["faq_items"]):
            item["id"] = str(uuid.uuid5(ID_NAMESPACE, f"faq-{index}-{number}"))
        variants.append(variant)
    return variants
