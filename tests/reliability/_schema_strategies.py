"""Hypothesis strategies for the API's JSON, built from the schemas in ``openapi.json``.

``response(name)`` draws an object that ``components.schemas[name]`` allows and that a newer API
could send: with fields the SDK does not know, enum values it has never seen, ``llm_model``
members of an unknown ``type``, and explicit nulls wherever the schema allows them. Optional
fields come and go. Where the schema's letter and the API's practice differ, the practice wins:

- an ``x-untyped`` field (the API leaves its timestamps untyped) holds any JSON: a timestamp as
  the API writes it (``YYYY-MM-DDTHH:MM:SS.mmmZ``), text that merely looks like one (a date, an
  offset, no milliseconds), or anything else;
- a JSON ``number`` is one JavaScript writes: finite, whole numbers within 2**53; and where the
  SDK reads a ``number`` as a count (an ``int`` attribute of the model), only whole numbers,
  sometimes written ``3.0``.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import timedelta, timezone
from typing import Any

import attrs
from hypothesis import strategies as st

from revox_async import models
from revox_async._model import RevoxModel

from ..contract import openapi

SPEC: dict[str, Any] = openapi()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]

MAX_SAFE_INTEGER = 2**53
REF_PREFIX = "#/components/schemas/"

RESPONSE_SCHEMAS = [
    "Assistant",
    "AssistantUpdateEnvelope",
    "Call",
    "CallSearchResponse",
    "Campaign",
    "CampaignLaunchResponse",
    "CampaignRow",
    "CampaignStatistics",
    "ClonedVoice",
    "CsvExport",
    "PhoneHistoryEntry",
    "PhoneNumber",
    "User",
    "Voice",
    "VoiceSummary",
]
"""The schemas the API answers with; every other model is nested in one of them."""

# Response schemas whose model has another name; the others share the schema's name.
_RENAMED_MODELS: dict[str, type[RevoxModel]] = {
    "AssistantUpdateEnvelope": models.AssistantUpdateResult,
    "CallSearchResponse": models.CallSearchResult,
    "CampaignLaunchResponse": models.CampaignLaunchResult,
    "LlmModelCustom": models.CustomLlmModel,
    "LlmModelDedicatedInstance": models.DedicatedInstanceModel,
    "LlmModelOpenRouter": models.OpenRouterModel,
    "LlmModelRealtime": models.RealtimeModel,
}


def model_of(schema_name: str) -> type[RevoxModel] | None:
    """The model class that parses objects of the schema ``schema_name``, if there is one."""
    if schema_name in _RENAMED_MODELS:
        return _RENAMED_MODELS[schema_name]
    candidate = getattr(models, schema_name, None)
    if isinstance(candidate, type) and issubclass(candidate, RevoxModel):
        return candidate
    return None


def wire_fields(cls: type[RevoxModel]) -> dict[str, attrs.Attribute[Any]]:
    """The model's attributes by their JSON name, with their annotations resolved."""
    attrs.resolve_types(cls)
    return {
        str(f.metadata.get("wire", f.name)): f
        for f in attrs.fields(cls)
        if f.name not in ("extra", "_wire")
    }


# -- values --------------------------------------------------------------------------------

safe_integers = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
whole_numbers = safe_integers | safe_integers.map(float)
numbers = safe_integers | st.floats(allow_nan=False, allow_infinity=False)
texts = st.text(max_size=12)

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)

instants = st.datetimes(timezones=st.none())

api_timestamps = instants.map(lambda moment: moment.isoformat(timespec="milliseconds") + "Z")
"""Timestamps exactly as the API writes them (JavaScript's ``toISOString``)."""


def _offset(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


_RENDERINGS = (
    lambda m, tz: m.date().isoformat(),
    lambda m, tz: m.isoformat(timespec="seconds") + "Z",
    lambda m, tz: m.isoformat(timespec="microseconds") + "Z",
    lambda m, tz: m.isoformat(timespec="milliseconds") + "z",
    lambda m, tz: m.isoformat(sep=" ", timespec="milliseconds"),
    lambda m, tz: m.isoformat(),
    lambda m, tz: m.replace(tzinfo=tz).isoformat(),
    lambda m, tz: m.replace(tzinfo=tz).isoformat(timespec="milliseconds"),
    lambda m, tz: m.isoformat(timespec="milliseconds")[:-2] + "Z",
    lambda m, tz: m.strftime("%G-W%V-%u"),
    lambda m, tz: f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}",
)

timestamp_lookalikes = st.builds(
    lambda render, moment, tz: render(moment, tz),
    st.sampled_from(_RENDERINGS),
    instants,
    st.integers(-23 * 60 - 59, 23 * 60 + 59).map(_offset),
)
"""Text in other ISO 8601 forms, or close to them: dates, offsets, no or more digits."""

untyped_values = api_timestamps | timestamp_lookalikes | json_values
"""What an ``x-untyped`` (timestamp) field may hold."""

strings = texts | timestamp_lookalikes
unknown_names = st.sampled_from(["extra", "_wire", "to_dict", "__dict__", "type_"]) | texts


def unknown_values(known: Collection[object]) -> st.SearchStrategy[str]:
    """Strings that are not among ``known``: enum values or union tags of a newer API."""
    return texts.filter(lambda value: value not in known)


# -- schemas -------------------------------------------------------------------------------


def _ref_name(ref: str) -> str:
    assert ref.startswith(REF_PREFIX), ref
    return ref[len(REF_PREFIX) :]


def _is_integral(owner: str | None, prop: str | None) -> bool:
    cls = model_of(owner) if owner else None
    if cls is None or prop is None:
        return False
    field = wire_fields(cls).get(prop)
    return field is not None and field.type in (int, int | None)


def from_schema(
    schema: dict[str, Any], owner: str | None = None, prop: str | None = None
) -> st.SearchStrategy[Any]:
    """Values ``schema`` allows; ``owner`` and ``prop`` name the object property it describes."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return st.deferred(lambda: response(name))
    if schema.get("x-untyped") or not schema:
        return untyped_values
    if "oneOf" in schema:
        variants = [from_schema(s) for s in schema["oneOf"]]
        tag = schema.get("discriminator", {})
        if tag:
            variants.append(_unknown_member(tag["propertyName"], tag["mapping"]))
        return st.one_of(variants)
    if "anyOf" in schema:
        return st.one_of([from_schema(s, owner, prop) for s in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    types = schema["type"]
    type_list: list[str] = types if isinstance(types, list) else [types]
    nullable = st.none() if "null" in type_list else st.nothing()
    if "enum" in schema:
        known = [value for value in schema["enum"] if value is not None]
        with_null = None in schema["enum"] or "null" in type_list
        return (
            st.sampled_from(known)
            | unknown_values(known)
            | (st.none() if with_null else st.nothing())
        )
    return nullable | st.one_of(
        [_typed(schema, kind, owner, prop) for kind in type_list if kind != "null"]
    )


def _typed(
    schema: dict[str, Any], kind: str, owner: str | None, prop: str | None
) -> st.SearchStrategy[Any]:
    if kind == "string":
        return api_timestamps if schema.get("format") == "date-time" else strings
    if kind == "number":
        return whole_numbers if _is_integral(owner, prop) else numbers
    if kind == "integer":
        return safe_integers
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(from_schema(schema["items"]), max_size=2)
    if kind == "object":
        if "properties" in schema:
            return _object(schema, None)
        values = schema.get("additionalProperties", True)
        inner = json_values if values is True else from_schema(values)
        return st.dictionaries(texts, inner, max_size=2)
    raise AssertionError(f"no strategy for JSON type {kind!r}")


def _object(schema: dict[str, Any], name: str | None) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Any] = schema["properties"]
    required = set(schema.get("required", ()))
    drawn = {key: from_schema(sub, name, key) for key, sub in props.items()}
    known = set(props)
    cls = model_of(name) if name else None
    if cls is not None:
        known |= set(wire_fields(cls))
    fixed = st.fixed_dictionaries(
        {k: v for k, v in drawn.items() if k in required},
        optional={k: v for k, v in drawn.items() if k not in required},
    )
    unknown = st.dictionaries(
        unknown_names.filter(lambda key: key not in known), json_values, max_size=2
    )
    return st.builds(lambda fields, extra: {**extra, **fields}, fixed, unknown)


def _unknown_member(tag: str, mapping: dict[str, str]) -> st.SearchStrategy[dict[str, Any]]:
    """A union member of a kind added after this SDK: an unknown tag and unknown fields."""
    return st.builds(
        lambda value, extra: {**extra, tag: value},
        unknown_values(mapping),
        st.dictionaries(unknown_names.filter(lambda key: key != tag), json_values, max_size=3),
    )


@functools.cache
def response(name: str) -> st.SearchStrategy[Any]:
    """Values of the schema ``components.schemas[name]``, as a newer API could send them."""
    schema = SCHEMAS[name]
    return _object(schema, name) if "properties" in schema else from_schema(schema)


def success_body(method: str, path: str) -> st.SearchStrategy[Any]:
    """The JSON bodies of a 200 answer to ``method path``, as its operation declares them."""
    content = SPEC["paths"][path][method.lower()]["responses"]["200"]["content"]
    return from_schema(content["application/json"]["schema"])
