"""A response holding a field or an enum value the SDK does not know is reported once."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from typing import Any

import attrs
import pytest

from revox_async._model import ApiEnum, RevoxModel, wire
from revox_async._structure import drift
from revox_async._structure.converter import detailed_structure, structure
from revox_async._telemetry.drift import drift_counter
from revox_async.models import Assistant

from ._helpers import example


class Mood(ApiEnum):
    CALM = "calm"


def _model(name: str) -> Any:
    """A model class of its own for each test: drift is reported once per process."""

    @attrs.frozen(kw_only=True)
    class Model(RevoxModel):
        pet_name: str = attrs.field(metadata=wire("petName"))
        mood: Mood | str | None = None
        moods: list[Mood | str] = attrs.field(factory=list)

    Model.__name__ = Model.__qualname__ = name
    return Model


@pytest.fixture
def seen() -> Any:
    events: list[drift.Drift] = []
    stop = drift.observe(events.append)
    yield events
    stop()


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "revox_async" and r.levelno == logging.WARNING
    ]


@pytest.mark.parametrize("path", [structure, detailed_structure])
def test_an_unknown_field_is_logged_once_by_name_without_its_value(
    caplog: pytest.LogCaptureFixture, path: Any
) -> None:
    cls = _model(f"FieldDrift{path.__name__}")
    data = {"petName": "Rex", "secretNote": "call me at +33 6 12 34 56 78"}
    for _ in range(3):
        assert path(data, cls).extra == {"secretNote": data["secretNote"]}
    messages = _warnings(caplog)
    assert len(messages) == 1
    assert f"{cls.__name__} has a field" in messages[0]
    assert "'secretNote'" in messages[0]
    assert "+33" not in caplog.text


@pytest.mark.parametrize("path", [structure, detailed_structure])
def test_an_unknown_enum_value_is_logged_once_with_model_field_and_value(
    caplog: pytest.LogCaptureFixture, path: Any
) -> None:
    cls = _model(f"ValueDrift{path.__name__}")
    for _ in range(3):
        built = path({"petName": "Rex", "mood": "sleepy", "moods": ["calm", "grumpy"]}, cls)
        assert built.mood == "sleepy"
        assert built.moods == [Mood.CALM, "grumpy"]
    assert sorted(_warnings(caplog)) == [
        f"API drift: {cls.__name__}.mood has a value this SDK version does not know: 'sleepy'",
        f"API drift: {cls.__name__}.moods has a value this SDK version does not know: 'grumpy'",
    ]


def test_an_unknown_kind_of_llm_model_is_reported(seen: list[drift.Drift]) -> None:
    data = example("assistants.retrieve")
    Assistant.from_dict({**data, "llm_model": {"type": "quantum", "qubits": 7}})
    assert drift.Drift("UnknownLlmModel", "type", "quantum") in seen
    assert drift.Drift("UnknownLlmModel", "qubits") in seen


def test_what_the_contract_promises_reports_nothing(seen: list[drift.Drift]) -> None:
    data = example("assistants.retrieve")
    assert structure(data, Assistant) == detailed_structure(data, Assistant)
    assert seen == []


def test_observers_hear_every_sighting_and_the_log_only_the_first(
    caplog: pytest.LogCaptureFixture, seen: list[drift.Drift]
) -> None:
    cls = _model("EverySighting")
    for _ in range(3):
        structure({"petName": "Rex", "mood": "sleepy"}, cls)
    assert seen == [drift.Drift("EverySighting", "mood", "sleepy")] * 3
    assert len(_warnings(caplog)) == 1


def test_threads_meeting_the_same_drift_log_it_once(caplog: pytest.LogCaptureFixture) -> None:
    cls = _model("ManyThreads")
    start = threading.Barrier(8)

    def parse() -> None:
        start.wait()
        for _ in range(50):
            structure({"petName": "Rex", "newThing": 1}, cls)

    threads = [threading.Thread(target=parse) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_warnings(caplog)) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_forked_while_the_lock_was_held_still_reports() -> None:
    cls = _model("ForkedChild")
    # Python 3.12 warns of fork() in a process with threads: this child uses none.
    with drift._lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
        if pid == 0:  # the child: it must not wait for a lock no thread of its own holds
            structure({"petName": "Rex", "newThing": 1}, cls)
            os._exit(0)
    deadline = time.monotonic() + 60
    while (waited := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if waited[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert waited[0] == pid, "the child hung on the lock"
    assert os.waitstatus_to_exitcode(waited[1]) == 0


COUNT_IN_A_FRESH_PROCESS = """
from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

reader = InMemoryMetricReader()
metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))

from revox_async.models import Voice
from tests.contract import example

voice = example("voices.list")["voices"][0]
for _ in range(3):
    Voice.from_dict({**voice, "x_new_field": True, "provider": "future-carrier"})
for metric in reader.get_metrics_data().resource_metrics[0].scope_metrics[0].metrics:
    for point in metric.data.data_points:
        attributes = point.attributes
        print(metric.name, attributes["revox.drift.kind"], attributes["revox.model"],
              attributes["revox.field"], point.value)
"""


def test_each_new_drift_is_counted_once_by_opentelemetry() -> None:
    pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk (the test-otel extra)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run(
        [sys.executable, "-c", COUNT_IN_A_FRESH_PROCESS],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert sorted(result.stdout.splitlines()) == [
        "revox.api.drift field Voice x_new_field 1",
        "revox.api.drift value Voice provider 1",
    ]


def test_without_opentelemetry_drift_is_only_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)
    assert drift_counter() is None
