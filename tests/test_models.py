"""Models and the converter: both API shapes parse, nothing the server sends is lost."""

from __future__ import annotations

import copy
import enum
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from revox_async._structure.converter import describe_error, structure
from revox_async._structure.timestamps import format_timestamp, parse_timestamp
from revox_async.models import (
    ApiEnum,
    Assistant,
    AssistantUpdateResult,
    Call,
    CallStatus,
    CampaignRowStats,
    CustomLlmModel,
    DedicatedInstanceModel,
    FirstSentenceMode,
    OpenRouterModel,
    RealtimeModel,
    UnknownLlmModel,
    VoiceProvider,
    VoiceSettings,
    assistants,
    calls,
    campaigns,
    common,
    phone_numbers,
    users,
    voices,
)

from ._helpers import example, seed_example


def _assistant(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(example("assistants.retrieve"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("assistants.retrieve", ()),
        ("assistants.create", ("assistant",)),
        ("assistants.clone", ("assistant",)),
    ],
)
def test_assistant_examples_round_trip_exactly(name: str, path: tuple[str, ...]) -> None:
    data = example(name)
    for key in path:
        data = data[key]
    assert structure(data, Assistant).to_dict() == data


def test_assistant_list_example_round_trips() -> None:
    data = example("assistants.list")["assistants"]
    assistants = structure(data, list[Assistant])
    assert [a.to_dict() for a in assistants] == data


def test_update_envelope_round_trips_with_camel_case_notice() -> None:
    data = example("assistants.update")
    result = structure(data, AssistantUpdateResult)
    assert result.unpatched_calls_notice is not None
    assert result.unpatched_calls_notice.count == data["unpatchedCallsNotice"]["count"]
    assert result.to_dict() == data


@pytest.mark.parametrize("stem", ["000", "001"])
def test_seed_shape_parses_and_round_trips(stem: str) -> None:
    data = seed_example(stem)
    items = data.get("assistants", [data])
    for item in items:
        assistant = structure(item, Assistant)
        assert assistant.transfer_phone_number == item["transfer_phone_number"]
        assert assistant.stt_model is None
        assert assistant.created_at == {}  # the seed's placeholder, kept as sent
        assert assistant.to_dict() == item


def test_parsed_values_are_typed() -> None:
    data = example("assistants.retrieve")
    assistant = structure(data, Assistant)
    assert assistant.first_sentence_mode is FirstSentenceMode(data["first_sentence_mode"])
    assert isinstance(assistant.voice, VoiceSettings)
    provider: str = assistant.voice.provider
    assert provider == "cartesia"
    assert provider is VoiceProvider.CARTESIA
    assert isinstance(assistant.created_at, datetime)
    assert assistant.created_at.tzinfo is not None


def test_unknown_fields_are_kept_at_every_level_and_written_back() -> None:
    data = _assistant(brand_new_field={"nested": [1, 2]})
    data["voice"] = {**data["voice"], "emotion": "cheerful"}
    assistant = structure(data, Assistant)
    assert assistant.extra == {"brand_new_field": {"nested": [1, 2]}}
    assert assistant.voice is not None
    assert assistant.voice.extra == {"emotion": "cheerful"}
    assert assistant.to_dict() == data


def test_unknown_enum_values_stay_strings() -> None:
    data = _assistant(first_sentence_mode="whispered", stt_model="stt-rt-v9")
    assistant = structure(data, Assistant)
    assert assistant.first_sentence_mode == "whispered"
    assert not isinstance(assistant.first_sentence_mode, FirstSentenceMode)
    assert assistant.to_dict() == data


@pytest.mark.parametrize(
    ("llm_model", "cls"),
    [
        ({"type": "dedicated-instance", "name": "gpt-4.1"}, DedicatedInstanceModel),
        (
            {"type": "openrouter", "openrouter_model_id": "a/b", "openrouter_provider": "x"},
            OpenRouterModel,
        ),
        (
            {"type": "custom", "api_url": "https://x", "model_name": "m", "api_key": "k"},
            CustomLlmModel,
        ),
        (
            {
                "type": "realtime",
                "provider": "openai",
                "realtime_model_id": "gpt-rt",
                "realtime_voice_id": None,
            },
            RealtimeModel,
        ),
    ],
)
def test_llm_model_variants_are_chosen_by_type(llm_model: dict[str, Any], cls: type) -> None:
    data = _assistant(llm_model=llm_model)
    assistant = structure(data, Assistant)
    assert type(assistant.llm_model) is cls
    assert assistant.to_dict() == data


def test_unknown_llm_model_type_falls_back_without_losing_fields() -> None:
    data = _assistant(llm_model={"type": "quantum", "qubits": 7})
    assistant = structure(data, Assistant)
    assert isinstance(assistant.llm_model, UnknownLlmModel)
    assert assistant.llm_model.type == "quantum"
    assert assistant.llm_model.extra == {"qubits": 7}
    assert assistant.to_dict() == data


def test_custom_model_api_key_stays_out_of_repr() -> None:
    model = CustomLlmModel(api_url="https://x", model_name="m", api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(model)
    assert model.to_dict()["api_key"] == "sk-very-secret"


def test_null_and_absent_are_told_apart() -> None:
    data = _assistant(webhook_url=None)
    data.pop("voicemail_message", None)
    assistant = structure(data, Assistant)
    assert assistant.webhook_url is None
    assert assistant.voicemail_message is None
    dumped = assistant.to_dict()
    assert dumped["webhook_url"] is None
    assert "voicemail_message" not in dumped


def test_hand_built_model_sends_no_nulls_it_was_not_given() -> None:
    voice = VoiceSettings(id="v1", provider=VoiceProvider.ELEVENLABS)
    assert voice.to_dict() == {"id": "v1", "provider": "elevenlabs"}


def test_evolved_model_writes_the_new_value() -> None:
    assistant = structure(_assistant(webhook_url=None), Assistant)
    changed = attrs.evolve(assistant, webhook_url="https://hooks.example/x")
    assert changed.to_dict()["webhook_url"] == "https://hooks.example/x"


def test_models_are_immutable() -> None:
    assistant = structure(example("assistants.retrieve"), Assistant)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        assistant.name = "other"  # type: ignore[misc,unused-ignore]


def _structuring_error(data: Any) -> str:
    with pytest.raises(Exception) as info:  # noqa: PT011 (cattrs raises exception groups)
        structure(data, Assistant)
    return describe_error(info.value)


def test_missing_required_field_is_reported_with_its_path() -> None:
    data = _assistant()
    del data["voice"]["provider"]
    assert "$.voice.provider" in _structuring_error(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [("ivr_navigation_enabled", "false"), ("name", 42), ("first_sentence_delay_ms", 1.5)],
)
def test_primitives_are_checked_not_coerced(field: str, value: Any) -> None:
    assert f"$.{field}" in _structuring_error(_assistant(**{field: value}))


def test_integral_floats_become_ints() -> None:
    assistant = structure(
        _assistant(first_sentence_delay_ms=400.0, pending_faq_count=3.0), Assistant
    )
    assert assistant.first_sentence_delay_ms == 400
    assert type(assistant.first_sentence_delay_ms) is int
    assert type(assistant.pending_faq_count) is int


class TestTimestamps:
    def test_z_suffix_gives_aware_utc(self) -> None:
        parsed = parse_timestamp("2025-03-12T17:14:50.021Z")
        assert parsed == datetime(2025, 3, 12, 17, 14, 50, 21000, tzinfo=timezone.utc)

    def test_offset_is_kept(self) -> None:
        parsed = parse_timestamp("2025-03-12T18:14:50+01:00")
        assert parsed.utcoffset() == timedelta(hours=1)

    def test_naive_text_is_read_as_utc(self) -> None:
        assert parse_timestamp("2025-03-12T17:14:50").tzinfo is timezone.utc

    @pytest.mark.parametrize("raw", [{}, "soon", 12, None])
    def test_non_timestamps_are_kept_as_sent(self, raw: Any) -> None:
        assert parse_timestamp(raw) == raw

    def test_formatting_matches_the_api(self) -> None:
        text = "2025-03-12T17:14:50.021Z"
        assert format_timestamp(parse_timestamp(text)) == text
        stamp = datetime(2025, 1, 1, 9, 0, 0, 123456, tzinfo=timezone.utc)
        assert format_timestamp(stamp) == "2025-01-01T09:00:00.123456Z"


def _model_enums() -> list[type[enum.Enum]]:
    found = {
        value
        for module in (assistants, calls, campaigns, common, phone_numbers, users, voices)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, enum.Enum) and value is not ApiEnum
    }
    return sorted(found, key=lambda cls: cls.__name__)


def test_every_model_enum_shares_the_printing_base() -> None:
    enums = _model_enums()
    assert len(enums) >= 30
    assert [cls.__name__ for cls in enums if not issubclass(cls, ApiEnum)] == []


@pytest.mark.parametrize("member", [m for cls in _model_enums() for m in cls], ids=repr)
def test_enum_members_print_as_their_value(member: ApiEnum) -> None:
    value = member.value
    assert str(member) == value
    assert f"{member}" == value
    assert format(member) == value
    assert "%s" % member == value  # noqa: UP031 (the %-operator is what is tested)
    assert f"[{member:>40}]" == f"[{value:>40}]"
    assert "{}".format(member) == value  # noqa: UP032 (str.format is what is tested)
    assert member == value


def test_printing_a_parsed_status_shows_its_value() -> None:
    call = structure(example("call.retrieve")["call"], Call)
    assert isinstance(call.status, CallStatus)
    assert f"status: {call.status}" == f"status: {call.status.value}"
    assert repr(call.status).startswith("<CallStatus.")


class TestCounts:
    """Counts the contract types as ``number``: whole values are ints, others kept as sent."""

    def _stats(self, **changes: Any) -> CampaignRowStats:
        data = {
            "calling": 0,
            "completed": 0,
            "failed": 0,
            "not_launched": 0,
            "pending": 0,
            "retry": 0,
            "skipped": 0,
            "total": 0,
        }
        data.update(changes)
        return structure(data, CampaignRowStats)

    def test_whole_values_become_ints(self) -> None:
        stats = self._stats(total=12.0, pending=3)
        assert (stats.total, stats.pending) == (12, 3)
        assert type(stats.total) is int
        assert type(stats.pending) is int

    def test_a_fraction_is_kept_rather_than_refused(self) -> None:
        stats = self._stats(total=12.5)
        assert stats.total == 12.5
        assert stats.to_dict()["total"] == 12.5

    def test_optional_count_accepts_null_and_fractions(self) -> None:
        data = _assistant(pending_faq_count=None)
        assert structure(data, Assistant).pending_faq_count is None
        assert structure(_assistant(pending_faq_count=2.5), Assistant).pending_faq_count == 2.5

    @pytest.mark.parametrize("value", ["12", True, None, [1]])
    def test_what_is_not_a_number_is_still_refused(self, value: Any) -> None:
        with pytest.raises(Exception) as info:  # noqa: PT011 (cattrs raises exception groups)
            self._stats(total=value)
        assert "$.total" in describe_error(info.value)

    def test_integer_fields_of_the_contract_stay_strict(self) -> None:
        assert "$.first_sentence_delay_ms" in _structuring_error(
            _assistant(first_sentence_delay_ms=400.5)
        )
