"""Models whose fields hold no list hash: they go in sets and serve as dict keys."""

from __future__ import annotations

import pytest

from revox_async.models import Assistant, CallingWindow, KeyValuePair, Voice

from ._helpers import example


def test_equal_models_hash_alike_whether_parsed_or_built() -> None:
    parsed = KeyValuePair.from_dict({"key": "Authorization", "value": "Bearer x"})
    built = KeyValuePair(key="Authorization", value="Bearer x")
    assert parsed == built
    assert hash(parsed) == hash(built)
    assert {parsed, built} == {built}
    assert {parsed: 1}[built] == 1


def test_parsed_voices_dedupe_in_a_set() -> None:
    voices = [Voice.from_dict(item) for item in example("voices.list")["voices"]]
    assert voices
    twice = [Voice.from_dict(voice.to_dict()) for voice in voices] + voices
    assert len(set(twice)) == len({voice.to_dict()["id"] for voice in voices})


def test_unknown_fields_take_part_in_equality_not_in_the_hash() -> None:
    plain = CallingWindow.from_dict(
        {
            "calling_window_start_time": "09:00",
            "calling_window_end_time": "17:00",
            "retry_delay_seconds": 60,
        }
    )
    newer = CallingWindow.from_dict({**plain.to_dict(), "x_new_field": 1})
    assert newer.extra == {"x_new_field": 1}
    assert newer != plain
    assert hash(newer) == hash(plain)  # allowed: equal hashes, unequal objects
    assert len({newer, plain}) == 2


def test_a_model_holding_a_list_is_not_hashable_as_a_tuple_holding_one() -> None:
    assistant = Assistant.from_dict(example("assistants.retrieve"))
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(assistant)
