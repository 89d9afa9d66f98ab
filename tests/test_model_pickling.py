"""Models survive pickle and copy: a worker process can send back what it fetched.

``multiprocessing`` pickles results, so a model that does not pickle breaks the everyday pattern of
fetching in a pool of worker processes. After the trip a model is equal to the original and writes
the same JSON, the server's explicit nulls and timestamp texts included.
"""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import pkgutil
from typing import Any

import pytest

import revox_async.resources
from revox_async._endpoint import Endpoint, parse_result
from revox_async.models import Assistant, CallingWindow, CallRetryConfig, RevoxModel

from ._helpers import example
from .contract import EXAMPLES


def _parsed_examples() -> list[tuple[str, Any, Any]]:
    """(endpoint, its parsed example, the example's JSON) for each endpoint with an example."""
    found = []
    for module in pkgutil.iter_modules(revox_async.resources.__path__):
        if module.name.startswith("_"):
            continue
        namespace = vars(importlib.import_module(f"revox_async.resources.{module.name}"))
        for endpoint in namespace.values():
            path = EXAMPLES / f"{getattr(endpoint, 'name', '')}.json"
            if not isinstance(endpoint, Endpoint) or not path.exists():
                continue
            content = path.read_bytes()
            if b'"_non_json_response"' in content:  # audio bytes, not a model
                continue
            parsed = parse_result(
                endpoint, url="/", status=200, content=content, content_type="application/json"
            )
            data = json.loads(content)
            if endpoint.envelope is not None:
                data = data[endpoint.envelope]
            found.append((endpoint.name, parsed, data))
    return found


PARSED = _parsed_examples()


def _json_of(value: Any) -> Any:
    if isinstance(value, RevoxModel):
        return value.to_dict()
    if isinstance(value, list):
        return [_json_of(item) for item in value]
    return value


def test_the_examples_cover_the_models() -> None:
    assert len(PARSED) >= 20
    assert sum(isinstance(parsed, (RevoxModel, list)) for _, parsed, _ in PARSED) >= 15


@pytest.mark.parametrize(("name", "parsed", "data"), PARSED, ids=[name for name, _, _ in PARSED])
@pytest.mark.parametrize("trip", ["pickle", "deepcopy", "copy"])
def test_a_parsed_model_comes_back_equal_and_writes_the_same_json(
    name: str, parsed: Any, data: Any, trip: str
) -> None:
    if trip == "pickle":
        back = pickle.loads(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        back = getattr(copy, trip)(parsed)
    assert back == parsed
    assert _json_of(back) == data


def test_explicit_nulls_and_timestamp_texts_survive_pickling() -> None:
    data = example("assistants.retrieve")
    data.update(logo_url=None, webhook_url=None, created_at="2024-03-05T10:00:00+02:00")
    assistant = Assistant.from_dict(data)
    back = pickle.loads(pickle.dumps(assistant))
    assert back.to_dict() == data
    assert back.to_dict() == assistant.to_dict()


def test_a_model_built_by_hand_pickles() -> None:
    config = CallRetryConfig(
        calling_windows=[
            CallingWindow(
                calling_window_start_time="09:00",
                calling_window_end_time="17:00",
                retry_delay_seconds=600,
            )
        ],
        max_retry_attempts=2,
    )
    back = pickle.loads(pickle.dumps(config))
    assert back == config
    assert back.to_dict() == config.to_dict()
