"""Values read from the API go back into requests, and the contract's request schemas accept them.

Response values are drawn from the contract's response schemas (nulls where allowed, fields
only the server writes, fields this SDK does not know), built into models, and passed back to
every request field that takes a model or a list of models, on both clients. The body that
reaches the wire (captured with aioresponses) must validate against the request schema, made
strict (no unknown fields) as the API is, and keep every request field the value had. The same
round trips run against the fake's strict checks with values the fake itself returned.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import logging
import re
from collections.abc import Iterator
from typing import Any, cast, get_type_hints

import attrs
import jsonschema
import pytest
from aioresponses import aioresponses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revox_async import AsyncRevox, Revox
from revox_async._structure.converter import structure
from revox_async.models import (
    Assistant,
    CallingWindow,
    CallRetryConfig,
    CampaignContact,
    CampaignLaunchSelection,
    CustomTool,
    FaqItem,
    KeyValuePair,
    StructuredOutputField,
    VoiceSettings,
)
from revox_async.resources._shapes import SHAPES, Field, ObjectShape, TaggedShape, object_shape
from revox_async.resources.assistants import AssistantCreateParams, AssistantUpdateParams
from revox_async.resources.calls import CallCreateParams, InlineAssistantConfig
from revox_async.resources.campaigns import (
    CampaignCreateParams,
    CampaignLaunchParams,
    CampaignUpdateParams,
)
from revox_async.resources.phone_numbers import PhoneNumberUpdateParams
from revox_async.testing import FakeRevox
from revox_async.testing._routes import schemas as fake_schemas

from ._helpers import KEY
from .contract import example, openapi
from .reliability._schema_strategies import json_values, texts, unknown_names, untyped_values

SPEC = openapi()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
REF = "#/components/schemas/"
BASE = "https://api.revox.test"
A_ID = "a3f1c9e2-6b4d-4e8a-9c21-7d5e0b8f4a16"
C_ID = "6d2e9b4f-1a7c-4e38-b5d6-0f9a3c8e2b71"
P_ID = "2c7e9a1f-6b3d-4f80-a5c2-8e1d4b7f093a"
MAX_SAFE_INTEGER = 2**53 - 1

# -- the contract's request schemas, as the API applies them -------------------------------


def _strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever an object lists its fields."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _strict(value) for key, value in schema.items()}
    if "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


_STRICT_COMPONENTS = _strict(SPEC["components"])


def check_request(schema_name: str, body: Any) -> None:
    """``body`` is valid against the contract's request schema, as written and made strict."""
    for components in (SPEC["components"], _STRICT_COMPONENTS):
        root = {"$ref": REF + schema_name, "components": components}
        jsonschema.Draft202012Validator(root).validate(body)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"][len(REF) :]]
    return schema


def assert_kept(sent: Any, read: Any, schema: dict[str, Any], where: str) -> None:
    """Every request field the value read had, with a value the request takes, was sent as is."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        arms = [_resolve(arm) for arm in schema["anyOf"] if arm.get("type") != "null"]
        (schema,) = arms
    if "oneOf" in schema:
        tag = schema["discriminator"]["propertyName"]
        schema = _resolve({"$ref": schema["discriminator"]["mapping"][read[tag]]})
    if schema.get("type") == "array" or "array" in schema.get("type", ()):
        assert isinstance(sent, list) and len(sent) == len(read), where
        for i, (s, r) in enumerate(zip(sent, read, strict=True)):
            assert_kept(s, r, schema["items"], f"{where}[{i}]")
    elif "properties" in schema:
        for key, sub in schema["properties"].items():
            if read.get(key) is not None:
                assert key in sent, f"{where}.{key} was dropped"
                assert_kept(sent[key], read[key], sub, f"{where}.{key}")
    else:
        assert sent == read, where


# -- response values -----------------------------------------------------------------------

Text = st.SearchStrategy[str]
nonblank = texts.filter(str.strip)
e164 = st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True)
clock_times = st.from_regex(r"([01][0-9]|2[0-3]):[0-5][0-9]", fullmatch=True)

# Values the SDK checks against the API's documented limits before sending: a response from
# the API holds them within those limits.
WITHIN_LIMITS: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("VoiceSettings", "id"): nonblank,
    ("VoiceSettings", "speed"): st.none() | st.floats(0.7, 1.2),
    ("VoiceSettings", "volume"): st.none() | st.floats(0.5, 2.0),
    ("StructuredOutputField", "name"): nonblank,
    ("CustomTool", "name"): st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
    ("TransferDestination", "phone_number"): e164,
    ("CallingWindow", "calling_window_start_time"): clock_times,
    ("CallingWindow", "calling_window_end_time"): clock_times,
    ("CallingWindow", "retry_delay_seconds"): st.integers(0, MAX_SAFE_INTEGER),
    ("CallRetryConfig", "max_retry_attempts"): st.integers(1, MAX_SAFE_INTEGER),
    ("CampaignContactInput", "to_phone_number"): e164,
    ("CampaignContactInput", "prompt_variables"): st.dictionaries(texts, texts, max_size=2),
}

numbers = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | st.floats(
    allow_nan=False, allow_infinity=False
)


def value_of(
    schema: dict[str, Any], owner: str = "", prop: str = "", text: Text = texts
) -> st.SearchStrategy[Any]:
    """Values the response ``schema`` allows, with known enum values and kinds of objects;
    ``text`` draws its strings."""
    if (owner, prop) in WITHIN_LIMITS:
        return WITHIN_LIMITS[owner, prop]
    if "$ref" in schema:
        name = schema["$ref"][len(REF) :]
        return st.deferred(lambda: response(name, text))
    if schema.get("x-untyped") or not schema:
        return untyped_values
    if "oneOf" in schema:
        return st.one_of([value_of(arm, text=text) for arm in schema["oneOf"]])
    if "anyOf" in schema:
        return st.one_of([value_of(arm, owner, prop, text) for arm in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    null = st.none() if "null" in kinds else st.nothing()
    if "enum" in schema:
        return st.sampled_from(schema["enum"]) | null
    typed = {
        "string": text,
        "number": numbers,
        "integer": st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
        "boolean": st.booleans(),
    }
    arms = [
        st.lists(value_of(schema["items"], text=text), max_size=2)
        if kind == "array"
        else typed[kind]
        for kind in kinds
        if kind != "null"
    ]
    return null | st.one_of(arms)


@functools.cache
def response(name: str, text: Text = texts) -> st.SearchStrategy[dict[str, Any]]:
    """Objects of the schema ``name`` as the API sends them, with fields of a newer API."""
    schema = SCHEMAS[name]
    if "properties" not in schema:
        return value_of(schema, text=text)
    props = schema["properties"]
    required = set(schema.get("required", ()))
    drawn = {key: value_of(sub, name, key, text) for key, sub in props.items()}
    fields = st.fixed_dictionaries(
        {k: v for k, v in drawn.items() if k in required},
        optional={k: v for k, v in drawn.items() if k not in required},
    )
    unknown = st.dictionaries(
        unknown_names.filter(lambda key: key not in props), json_values, max_size=2
    )
    return st.builds(lambda known, extra: {**extra, **known}, fields, unknown)


ASSISTANT_HINTS = get_type_hints(Assistant)
ASSISTANT_PROPS = SCHEMAS["Assistant"]["properties"]
MODEL_FIELDS = [
    "voice",
    "llm_model",
    "stt_context",
    "call_retry_config",
    "structured_output_config",
    "faq_items",
    "custom_tools",
    "prompt_flow",
    "position",
    "calendly",
    "slack",
    "zoho",
    "transfer_destinations",
]
"""The assistant settings that take a model or a list of models."""


@st.composite
def assistant_settings(
    draw: st.DrawFn, text: Text = texts
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Settings read from an assistant, as JSON and as the models built from it.

    A setting read as ``null`` that the request cannot take is not passed: the keyword is
    refused (see test_fields_the_api_cannot_clear_refuse_none).
    """
    read = draw(
        st.fixed_dictionaries(
            {}, optional={key: value_of(ASSISTANT_PROPS[key], text=text) for key in MODEL_FIELDS}
        )
    )
    read = {
        k: v
        for k, v in read.items()
        if v is not None or object_shape("AssistantUpdateRequest").fields[k].nullable
    }
    built = {key: structure(value, ASSISTANT_HINTS[key]) for key, value in read.items()}
    return read, built


# -- capturing bodies ----------------------------------------------------------------------


@attrs.frozen
class Route:
    method: str
    path: str
    reply: str

    @property
    def url(self) -> re.Pattern[str]:
        return re.compile(re.escape(BASE + self.path.split("{")[0]) + r"[^?]*$")


ROUTES = {
    "assistants.create": Route("POST", "/assistants", "assistants.create"),
    "assistants.update": Route("PATCH", "/assistants/{id}", "assistants.update"),
    "calls.create": Route("POST", "/call", "call.create"),
    "campaigns.create": Route("POST", "/campaigns", "campaigns.create"),
    "campaigns.update": Route("PATCH", "/campaigns/{id}", "campaigns.update"),
    "campaigns.launch": Route("POST", "/campaigns/{id}/launch-calls", "campaigns.launch"),
    "phone_numbers.update": Route("PATCH", "/phone-numbers/{id}", "phone_numbers.update"),
}


@attrs.define
class Wire:
    """The bodies sent, by method; every request is answered with the contract's example."""

    mocked: aioresponses

    def body(self, method: str) -> Any:
        route = ROUTES[method]
        (calls,) = [
            calls for (verb, url), calls in self.mocked.requests.items() if verb == route.method
        ]
        return json.loads(calls[-1].kwargs["data"])


def _sent(method: str, run: Any) -> Any:
    """The body of the one ``method`` request made by ``run`` (a function of a wire)."""
    with aioresponses() as mocked:
        route = ROUTES[method]
        mocked.add(route.url, route.method, payload=example(route.reply))
        run()
        return Wire(mocked).body(method)


def sent_async(method: str, call: Any) -> Any:
    """The body ``call`` (a coroutine function of an async client) sent for ``method``."""

    async def main() -> None:
        async with AsyncRevox(KEY, base_url=BASE, max_retries=0) as client:
            await call(client)

    return _sent(method, lambda: asyncio.run(main()))


def sent_sync(method: str, call: Any) -> Any:
    """The body ``call`` (a function of a sync client) sent for ``method``."""

    def main() -> None:
        with Revox(KEY, base_url=BASE, max_retries=0) as client:
            call(client)

    return _sent(method, main)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the round trips, on the wire ----------------------------------------------------------


@PROPERTY
@given(assistant_settings())
def test_assistant_settings_go_back_into_an_update(
    settings_read: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    read, built = settings_read
    body = sent_async("assistants.update", lambda client: client.assistants.update(A_ID, **built))
    check_request("AssistantUpdateRequest", body)
    assert body.keys() == read.keys()
    assert_kept(body, read, SCHEMAS["AssistantUpdateRequest"], "body")


@PROPERTY
@given(assistant_settings())
def test_assistant_settings_are_copied_into_a_new_assistant(
    settings_read: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    read, built = settings_read
    body = sent_async(
        "assistants.create",
        lambda client: client.assistants.create(name="Copy", prompt="Hello", **built),
    )
    check_request("AssistantCreateRequest", body)
    assert_kept(body, read, SCHEMAS["AssistantCreateRequest"], "body")


@PROPERTY
@given(assistant_settings())
def test_assistant_settings_go_into_an_inline_assistant(
    settings_read: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    read, built = settings_read
    body = sent_async(
        "calls.create",
        lambda client: client.calls.create(
            phone_number="+33612345678",
            assistant=cast(InlineAssistantConfig, {"prompt": "Hello", **built}),
        ),
    )
    check_request("CallCreateRequest", body)
    assert_kept(body["assistant"], read, SCHEMAS["InlineAssistantConfig"], "assistant")


@settings(PROPERTY, max_examples=15)
@given(assistant_settings())
def test_the_sync_client_sends_the_same_bodies(
    settings_read: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, built = settings_read
    update = sent_sync("assistants.update", lambda client: client.assistants.update(A_ID, **built))
    inline = sent_sync(
        "calls.create",
        lambda client: client.calls.create(
            phone_number="+33612345678",
            assistant=cast(InlineAssistantConfig, {"prompt": "Hello", **built}),
        ),
    )
    check_request("AssistantUpdateRequest", update)
    check_request("CallCreateRequest", inline)
    assert inline["assistant"] == {"prompt": "Hello", **update}


@PROPERTY
@given(
    st.lists(response("CampaignContactInput"), min_size=1, max_size=2),
    st.none() | response("CallRetryConfig"),
)
def test_campaign_contacts_and_retry_settings_go_into_a_new_campaign(
    contacts: list[dict[str, Any]], retry: dict[str, Any] | None
) -> None:
    extra = {} if retry is None else {"call_retry_config": CallRetryConfig.from_dict(retry)}
    body = sent_async(
        "campaigns.create",
        lambda client: client.campaigns.create(
            assistant_id=A_ID,
            name="Spring",
            contacts=[CampaignContact.from_dict(contact) for contact in contacts],
            **extra,
        ),
    )
    check_request("CampaignCreateRequest", body)
    read = (
        {"contacts": contacts}
        if retry is None
        else {"contacts": contacts, "call_retry_config": retry}
    )
    assert_kept(body, read, SCHEMAS["CampaignCreateRequest"], "body")


@PROPERTY
@given(st.none() | response("CallRetryConfig"), st.booleans())
def test_campaign_retry_settings_go_back_into_an_update(
    retry: dict[str, Any] | None, sync_client: bool
) -> None:
    config = None if retry is None else CallRetryConfig.from_dict(retry)
    if sync_client:
        body = sent_sync(
            "campaigns.update",
            lambda client: client.campaigns.update(C_ID, call_retry_config=config),
        )
    else:
        body = sent_async(
            "campaigns.update",
            lambda client: client.campaigns.update(C_ID, call_retry_config=config),
        )
    check_request("CampaignUpdateRequest", body)
    assert_kept(body, {"call_retry_config": retry}, SCHEMAS["CampaignUpdateRequest"], "body")


@PROPERTY
@given(response("CampaignLaunchSelection"))
def test_a_launch_selection_goes_back_into_a_launch(selection: dict[str, Any]) -> None:
    body = sent_async(
        "campaigns.launch",
        lambda client: client.campaigns.launch(
            C_ID, mode="ai_first", selection=CampaignLaunchSelection.from_dict(selection)
        ),
    )
    check_request("CampaignLaunchRequest", body)
    assert_kept(body["selection"], selection, SCHEMAS["CampaignLaunchSelection"], "selection")


@PROPERTY
@given(value_of(SCHEMAS["PhoneNumber"]["properties"]["label"]), st.none() | nonblank)
def test_a_phone_number_label_and_assistant_go_back_into_an_update(
    label: str | None, assistant_id: str | None
) -> None:
    body = sent_async(
        "phone_numbers.update",
        lambda client: client.phone_numbers.update(
            P_ID, label=label, inbound_assistant_id=assistant_id
        ),
    )
    check_request("PhoneNumberUpdateRequest", body)
    assert body == {"label": label, "inbound_assistant_id": assistant_id}


def objects_in(value: Any, schema: dict[str, Any], path: str) -> Iterator[tuple[str, Any, Any]]:
    """Each JSON object of ``value`` that ``schema`` describes field by field: its path, the
    object, and its fields' schemas."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        for arm in schema["anyOf"]:
            if arm.get("type") != "null":
                yield from objects_in(value, arm, path)
        return
    if "oneOf" in schema and isinstance(value, dict):
        tag = schema["discriminator"]
        variant = {"$ref": tag["mapping"][value[tag["propertyName"]]]}
        yield from objects_in(value, variant, path)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            yield from objects_in(item, schema["items"], f"{path}[{i}]")
    elif isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        yield path, value, props
        for key, sub in props.items():
            if key in value:
                yield from objects_in(value[key], sub, f"{path}.{key}")


@PROPERTY
@given(assistant_settings(), st.data())
def test_plain_dicts_copied_from_responses_go_back_and_a_misspelt_key_in_one_is_refused(
    settings_read: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    copied = copy.deepcopy(settings_read[0])
    objects = []
    for key, value in copied.items():
        for path, obj, props in objects_in(value, ASSISTANT_PROPS[key], key):
            # A dict is what a user typed: it holds the fields of its model, no newer ones.
            for unknown in obj.keys() - props.keys():
                del obj[unknown]
            objects.append((path, obj))
    body = sent_async("assistants.update", lambda client: client.assistants.update(A_ID, **copied))
    check_request("AssistantUpdateRequest", body)
    assert_kept(body, copied, SCHEMAS["AssistantUpdateRequest"], "body")

    if objects:
        path, obj = data.draw(st.sampled_from(objects))
        obj["x_typo"] = 1
        message = f"assistants.update: {path} got an unexpected key 'x_typo'"
        with aioresponses() as mocked, pytest.raises(TypeError, match=re.escape(message)):
            asyncio.run(_update(copied))
        assert mocked.requests == {}


async def _update(settings: dict[str, Any]) -> None:
    async with AsyncRevox(KEY, base_url=BASE, max_retries=0) as client:
        await client.assistants.update(A_ID, **settings)


# -- the rule, case by case ----------------------------------------------------------------


def test_the_values_of_the_reported_case_are_accepted() -> None:
    assistant = Assistant.from_dict(example("assistants.retrieve"))
    assert assistant.structured_output_config is not None
    assert assistant.faq_items is not None
    body = sent_async(
        "assistants.update",
        lambda client: client.assistants.update(
            A_ID,
            structured_output_config=assistant.structured_output_config,
            faq_items=assistant.faq_items,
        ),
    )
    check_request("AssistantUpdateRequest", body)
    assert all(
        "enum_options" not in field or field["enum_options"]
        for field in body["structured_output_config"]
    )
    assert [item.keys() for item in body["faq_items"]] == [{"question", "answer"}] * len(
        assistant.faq_items
    )


def test_a_null_the_request_does_not_take_is_left_out_and_one_it_takes_is_kept() -> None:
    voice = VoiceSettings.from_dict(
        {"id": "v1", "provider": "cartesia", "model": None, "speed": None, "volume": 1.0}
    )
    tool = CustomTool.from_dict(
        {
            "name": "lookup",
            "description": "Look a customer up",
            "method": "GET",
            "url": "https://crm.example/lookup",
            "headers": [],
            "query_params": [],
            "input_schema": [
                {"name": "zip", "required": True, "type": "string", "enum_options": None}
            ],
            "body_template": None,
        }
    )
    body = sent_async(
        "assistants.update",
        lambda client: client.assistants.update(A_ID, voice=voice, custom_tools=[tool]),
    )
    assert body["voice"] == {"id": "v1", "provider": "cartesia", "volume": 1.0}
    assert body["custom_tools"][0]["body_template"] is None
    assert body["custom_tools"][0]["input_schema"] == [
        {"name": "zip", "required": True, "type": "string"}
    ]


def test_a_required_field_a_request_needs_is_added_as_null_when_it_takes_null() -> None:
    tool = CustomTool(
        name="lookup",
        description="Look a customer up",
        method="GET",
        url="https://crm.example/lookup",
        headers=[KeyValuePair(key="Accept", value="application/json")],
        query_params=[],
        input_schema=[],
    )
    body = sent_async(
        "assistants.update", lambda client: client.assistants.update(A_ID, custom_tools=[tool])
    )
    check_request("AssistantUpdateRequest", body)
    assert body["custom_tools"][0]["body_template"] is None


def test_unknown_fields_are_left_out_with_a_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    field = StructuredOutputField.from_dict(
        {"name": "zip", "required": True, "type": "string", "x_confidence": 0.5}
    )
    assert field.extra == {"x_confidence": 0.5}
    with caplog.at_level(logging.DEBUG, logger="revox_async"):
        body = sent_async(
            "assistants.update",
            lambda client: client.assistants.update(A_ID, structured_output_config=[field]),
        )
    assert body["structured_output_config"] == [{"name": "zip", "required": True, "type": "string"}]
    assert "assistants.update: structured_output_config[0].x_confidence left out" in caplog.text


def test_a_kind_of_language_model_this_sdk_does_not_know_goes_back_whole() -> None:
    future = {"type": "future-model", "future_model_ref": "omni-2"}
    assistant = Assistant.from_dict({**example("assistants.retrieve"), "llm_model": future})
    body = sent_async(
        "assistants.update",
        lambda client: client.assistants.update(A_ID, llm_model=assistant.llm_model),
    )
    assert body == {"llm_model": future}


def test_a_response_value_a_request_cannot_take_is_refused_before_sending() -> None:
    # An older API sent retry settings without the fields requests now require.
    older = CallRetryConfig(
        calling_windows=[
            CallingWindow(
                calling_window_start_time="09:00",
                calling_window_end_time="17:00",
                retry_delay_seconds=3600,
            )
        ],
        max_retry_attempts=2,
    )

    async def update() -> None:
        async with AsyncRevox(KEY, base_url=BASE, max_retries=0) as client:
            await client.campaigns.update(C_ID, call_retry_config=older)

    with aioresponses() as mocked:
        with pytest.raises(
            ValueError, match=r"campaigns.update: call_retry_config.allowed_days is required"
        ):
            asyncio.run(update())
        assert mocked.requests == {}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"voice": {"id": "v1", "provider": "cartesia", "sped": 1.2}},
            "voice got an unexpected key 'sped'; did you mean 'speed'?",
        ),
        (
            {
                "call_retry_config": {
                    "allowed_days": ["monday"],
                    "call_twice_in_a_row": False,
                    "max_retry_attempts": 2,
                    "calling_windows": [
                        {
                            "calling_window_start_time": "09:00",
                            "calling_window_end_time": "17:00",
                            "retry_delay": 60,
                        }
                    ],
                }
            },
            r"call_retry_config.calling_windows\[0\] got an unexpected key 'retry_delay'; "
            "did you mean 'retry_delay_seconds'?",
        ),
        (
            {
                "custom_tools": [
                    {
                        "name": "lookup",
                        "description": "Look a customer up",
                        "method": "GET",
                        "url": "https://crm.example/lookup",
                        "headers": [],
                        "query_params": [],
                        "input_schema": [
                            {"name": "zip", "required": True, "type": "string", "zzz": 1}
                        ],
                    }
                ]
            },
            r"custom_tools\[0\].input_schema\[0\] got an unexpected key 'zzz'; its keys are "
            "description, enum_options, name, required, type",
        ),
        (
            {"llm_model": {"type": "dedicated-instance", "nmae": "gpt-4.1"}},
            "llm_model got an unexpected key 'nmae'; did you mean 'name'?",
        ),
    ],
)
def test_a_misspelt_key_of_a_nested_dict_is_refused_before_sending(
    arguments: dict[str, Any], message: str
) -> None:
    async def send() -> None:
        async with AsyncRevox(KEY, base_url=BASE, max_retries=0) as client:
            with pytest.raises(TypeError, match=f"assistants.update: {message}"):
                await client.assistants.update(A_ID, **arguments)
            with pytest.raises(TypeError, match=f"calls.create: assistant: {message}"):
                await client.calls.create(
                    phone_number="+33612345678",
                    assistant=cast(InlineAssistantConfig, {"prompt": "Hi", **arguments}),
                )

    with aioresponses() as mocked:
        asyncio.run(send())
        assert mocked.requests == {}


def test_the_sync_client_refuses_a_misspelt_key_too() -> None:
    with aioresponses() as mocked, Revox(KEY, base_url=BASE, max_retries=0) as client:
        with pytest.raises(TypeError, match="contacts\\[0\\] got an unexpected key 'phone'"):
            client.campaigns.create(
                assistant_id=A_ID,
                name="Spring",
                contacts=[{"phone": "+33612345678", "prompt_variables": {}}],
            )
        assert mocked.requests == {}


def test_a_dict_copied_from_to_dict_goes_back_without_its_response_only_fields() -> None:
    item = FaqItem.from_dict(
        {"id": "f1", "question": "Hours?", "answer": "9 to 5", "needs_human_answer": False}
    )
    body = sent_async(
        "assistants.update",
        lambda client: client.assistants.update(A_ID, faq_items=[item.to_dict()]),
    )
    assert body == {"faq_items": [{"question": "Hours?", "answer": "9 to 5"}]}


# -- the tables follow the contract --------------------------------------------------------


def _field(schema: dict[str, Any]) -> Field:
    nullable, shape = False, None
    for arm in schema.get("anyOf", [schema]):
        kinds = arm.get("type", [])
        kinds = kinds if isinstance(kinds, list) else [kinds]
        nullable |= "null" in kinds or None in arm.get("enum", ())
        target = arm["items"] if "array" in kinds else arm
        if "$ref" in target:
            shape = target["$ref"][len(REF) :]
    return Field(nullable=nullable, shape=shape)


def derived_shapes() -> dict[str, ObjectShape | TaggedShape]:
    """The request shapes the contract describes, from the body of every operation."""
    shapes: dict[str, ObjectShape | TaggedShape] = {}
    pending = [
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"][len(REF) :]
        for path in SPEC["paths"].values()
        for operation in path.values()
        if "requestBody" in operation
    ]
    while pending:
        name = pending.pop()
        if name in shapes:
            continue
        schema = SCHEMAS[name]
        if "oneOf" in schema:
            tag = schema["discriminator"]
            variants = {k: ref[len(REF) :] for k, ref in tag["mapping"].items()}
            shapes[name] = TaggedShape(tag=tag["propertyName"], variants=variants)
            pending.extend(variants.values())
            continue
        fields = {key: _field(sub) for key, sub in schema["properties"].items()}
        shapes[name] = ObjectShape(fields=fields, required=frozenset(schema.get("required", ())))
        pending.extend(f.shape for f in fields.values() if f.shape)
    return shapes


def test_the_request_shapes_are_the_contracts() -> None:
    derived = derived_shapes()
    assert sorted(SHAPES) == sorted(derived)
    for name, shape in derived.items():
        assert SHAPES[name] == shape, f"revox_async/resources/_shapes.py: {name} differs"


@pytest.mark.parametrize(
    ("params", "shape"),
    [
        (AssistantCreateParams, "AssistantCreateRequest"),
        (AssistantUpdateParams, "AssistantUpdateRequest"),
        (InlineAssistantConfig, "InlineAssistantConfig"),
        (CallCreateParams, "CallCreateRequest"),
        (CampaignCreateParams, "CampaignCreateRequest"),
        (CampaignUpdateParams, "CampaignUpdateRequest"),
        (CampaignLaunchParams, "CampaignLaunchRequest"),
        (PhoneNumberUpdateParams, "PhoneNumberUpdateRequest"),
    ],
)
def test_keyword_arguments_are_the_request_fields(params: type, shape: str) -> None:
    request = object_shape(shape)
    hints = get_type_hints(params)
    assert hints.keys() == request.fields.keys()
    takes_none = {key for key, hint in hints.items() if type(None) in getattr(hint, "__args__", ())}
    assert takes_none == {key for key, field in request.fields.items() if field.nullable}


# -- the fake's strict checks --------------------------------------------------------------


@PROPERTY
@given(
    assistant_settings(nonblank),
    st.lists(response("CampaignContactInput", nonblank), min_size=1, max_size=2),
    response("CallRetryConfig", nonblank),
    response("CampaignLaunchSelection", nonblank),
)
def test_the_fakes_checks_take_the_same_bodies(
    settings_read: tuple[dict[str, Any], dict[str, Any]],
    contacts: list[dict[str, Any]],
    retry: dict[str, Any],
    selection: dict[str, Any],
) -> None:
    # The fake refuses blank text wherever the API needs a name, an id or a URL: values read
    # from it hold none.
    _, built = settings_read
    config = CallRetryConfig.from_dict(retry)
    sent = {
        "assistants.update": sent_async(
            "assistants.update", lambda client: client.assistants.update(A_ID, **built)
        ),
        "assistants.create": sent_async(
            "assistants.create",
            lambda client: client.assistants.create(name="Copy", prompt="Hello", **built),
        ),
        "calls.create": sent_async(
            "calls.create",
            lambda client: client.calls.create(
                phone_number="+33612345678",
                assistant=cast(InlineAssistantConfig, {"prompt": "Hello", **built}),
            ),
        ),
        "campaigns.create": sent_async(
            "campaigns.create",
            lambda client: client.campaigns.create(
                assistant_id=A_ID,
                name="Spring",
                contacts=[CampaignContact.from_dict(contact) for contact in contacts],
                call_retry_config=config,
            ),
        ),
        "campaigns.update": sent_async(
            "campaigns.update",
            lambda client: client.campaigns.update(C_ID, call_retry_config=config),
        ),
        "campaigns.launch": sent_async(
            "campaigns.launch",
            lambda client: client.campaigns.launch(
                C_ID, mode="ai_first", selection=CampaignLaunchSelection.from_dict(selection)
            ),
        ),
    }
    for method, body in sent.items():
        FAKE_CHECKS[method](body, "")


FAKE_CHECKS = {
    "assistants.create": fake_schemas.ASSISTANT_CREATE,
    "assistants.update": fake_schemas.ASSISTANT_UPDATE,
    "calls.create": fake_schemas.CALL_CREATE,
    "campaigns.create": fake_schemas.CAMPAIGN_CREATE,
    "campaigns.update": fake_schemas.CAMPAIGN_UPDATE,
    "campaigns.launch": fake_schemas.CAMPAIGN_LAUNCH,
}
"""The fake's checks of each request body: each raises its 422 error on a body it refuses."""


@pytest.mark.asyncio
async def test_what_the_fake_returns_goes_back_into_every_request() -> None:
    async with FakeRevox(seed_demo_data=True) as fake:
        client = fake.client(max_retries=0)
        assistant = await client.assistants.retrieve(A_ID)
        settings = {key: getattr(assistant, key) for key in MODEL_FIELDS}
        settings = {k: v for k, v in settings.items() if v is not None}
        assert {"voice", "structured_output_config", "faq_items", "custom_tools"} <= set(settings)

        updated = await client.assistants.update(A_ID, **settings)
        copy_ = await client.assistants.create(name="Copy", prompt=assistant.prompt, **settings)
        await client.calls.create(
            phone_number="+33612345678",
            assistant=cast(InlineAssistantConfig, {"prompt": assistant.prompt, **settings}),
        )
        assert updated.assistant.faq_items is not None
        assert [(f.question, f.answer) for f in updated.assistant.faq_items] == [
            (f.question, f.answer) for f in settings["faq_items"]
        ]
        assert copy_.structured_output_config == assistant.structured_output_config

        campaign = await client.campaigns.retrieve(C_ID)
        assert campaign.call_retry_config is not None
        rows = await client.campaigns.get_rows(C_ID)
        contacts = [
            CampaignContact(to_phone_number=row.phone_number, prompt_variables=row.input_data)
            for row in rows
        ]
        await client.campaigns.create(
            assistant_id=A_ID,
            name="Again",
            contacts=contacts,
            call_retry_config=campaign.call_retry_config,
        )
        await client.campaigns.update(C_ID, call_retry_config=campaign.call_retry_config)
        selection = CampaignLaunchSelection.from_dict(
            example("requests/campaigns.launch")["selection"]
        )
        await client.campaigns.launch(C_ID, mode="ai_first", selection=selection)

        (number, *_) = await client.phone_numbers.list()
        await client.phone_numbers.update(
            number.id, label=number.label, inbound_assistant_id=assistant.id
        )
        bodies = [request.body for request in fake.requests if request.method != "GET"]
        assert len(bodies) == 7
