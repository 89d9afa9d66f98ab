"""Objects with the same explicit nulls share one set of their names, and still write them back."""

from __future__ import annotations

import copy
from typing import Any

from revox_async._structure.converter import detailed_structure, structure
from revox_async._structure.fast import _WireForms
from revox_async.models import Assistant

from ._helpers import example


def _assistant(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(example("assistants.retrieve"))
    data.update(changes)
    return data


def _nulls_of_the_template() -> set[str]:
    return {key for key, value in _assistant().items() if value is None}


def test_objects_with_the_same_nulls_share_one_set() -> None:
    first = structure(_assistant(logo_url=None, webhook_url=None), Assistant)
    second = structure(_assistant(logo_url=None, webhook_url=None), Assistant)
    assert first._wire.nulls == _nulls_of_the_template() | {"logo_url", "webhook_url"}
    assert first._wire.nulls is second._wire.nulls


def test_other_nulls_get_their_own_set_and_round_trip() -> None:
    data = _assistant(logo_url=None, webhook_url=None)
    other = _assistant(logo_url=None, sms_template=None)
    first, second = structure(data, Assistant), structure(other, Assistant)
    assert second._wire.nulls == _nulls_of_the_template() | {"logo_url", "sms_template"}
    assert first._wire.nulls != second._wire.nulls
    assert first.to_dict() == data
    assert second.to_dict() == other
    assert second == detailed_structure(copy.deepcopy(other), Assistant)


def test_past_the_limit_sets_are_correct_but_not_kept() -> None:
    names = [f"f{bit}" for bit in range(12)]
    sets = _WireForms(names)
    for mask in range(1, _WireForms._LIMIT + 1):
        assert sets[mask].nulls == {names[bit] for bit in range(12) if mask >> bit & 1}
    assert len(sets) == _WireForms._LIMIT
    extra_mask = _WireForms._LIMIT + 1
    assert sets[extra_mask].nulls == {"f0", "f10"}
    assert extra_mask not in sets
