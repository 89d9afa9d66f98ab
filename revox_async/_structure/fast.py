"""A generated structuring function per model class, for JSON that is what the API promises.

cattrs' generic hooks dispatch on every value (``X | None``, ``list[X]``) and attrs' ``__init__``
runs for every field; the function generated here reads the JSON in one pass with exact-type
checks (a ``str`` where a ``str`` belongs, a ``dict`` where a model belongs), does the bookkeeping
of a model (unknown keys, explicit nulls, timestamp texts) in the same pass, and builds the
instance without ``__init__`` when nothing in the class could notice. Its source is registered in
:mod:`linecache`, so tracebacks and debuggers show it.

It is an optimisation only: anything it does not recognise goes through the converter's own hook
for that type, and any failure at all makes the caller run the detailed cattrs path, so errors and
their messages are exactly those of the detailed path.
"""

from __future__ import annotations

import inspect
import itertools
import linecache
import types
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import cattrs

from .base import PLAIN_WIRE, ModelBase, Timestamp, WireForm
from .drift import unknown_fields, unknown_value
from .fields import (
    SKIPPED,
    TaggedUnion,
    class_facts,
    holds_model,
    is_count,
    is_list,
    is_model,
    open_enum,
    tagged_union,
    union_args,
    without_none,
)
from .timestamps import format_timestamp, is_canonical, parse_timestamp

FastFn = Callable[[Any], Any]

_PRIMITIVES = (str, int, float, bool)

# Each generated function gets a file name of its own in linecache, even for a class compiled
# twice (two converters, or two classes of one name).
_serial = itertools.count()


class NotFast(Exception):
    """Raised by generated code for input it leaves to the detailed path."""


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    slot = inspect.getattr_static(cls, name, None)
    if isinstance(slot, types.MemberDescriptorType):
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda obj, value: object.__setattr__(obj, name, value)


class _WireForms(dict[int, WireForm]):
    """The wire form for each bit mask of explicit nulls, shared by every instance with that
    mask and no timestamp text to keep, as most objects of a kind hold the same nulls."""

    _LIMIT = 1024  # masks kept; a server sending ever new combinations gets fresh forms

    def __init__(self, names: list[str]) -> None:
        super().__init__({0: PLAIN_WIRE})
        self._names = names

    def __missing__(self, mask: int) -> WireForm:
        form = WireForm(frozenset(name for bit, name in enumerate(self._names) if mask >> bit & 1))
        if len(self) < self._LIMIT:
            self[mask] = form
        return form


def _keep_unknown(cls: type, wire: str) -> Callable[[str], str]:
    """The value of an open enum field it does not know, kept as text and reported."""

    def keep(value: str) -> str:
        unknown_value(cls, wire, value)
        return value

    return keep


class _Compiler:
    """Writes the source of one class's function; names it refers to go into ``namespace``."""

    def __init__(
        self,
        cls: type[ModelBase],
        converter: cattrs.Converter,
        fast_fn: Callable[[type[ModelBase]], FastFn],
    ) -> None:
        self.cls = cls
        self.converter = converter
        self.fast_fn = fast_fn
        self.namespace: dict[str, Any] = {
            "NotFast": NotFast,
            "MISSING": attrs.NOTHING,
            "new": object.__new__,
            "WireForm": WireForm,
            "datetime": datetime,
            "from_iso": datetime.fromisoformat,
            "is_canonical": is_canonical,
            "parse_timestamp": parse_timestamp,
            "format_timestamp": format_timestamp,
            "unknown_fields": unknown_fields,
        }

    def ref(self, value: Any, hint: str) -> str:
        name = f"{hint}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def hook(self, t: Any) -> str:
        """A function structuring a value as ``t``, for values that take no fast form."""
        if holds_model(t):
            # Looked up at call time, so that classes referring to each other can be compiled.
            return self.ref(self.converter.structure, "structure")
        return self.ref(self.converter.get_structure_hook(t), "hook")

    def item(self, t: Any, src: str, wire: str) -> str | None:
        """An expression structuring ``src`` as ``t``, for the kinds that have a fast form.

        ``wire`` names the field in drift reports.
        """
        if t in _PRIMITIVES:
            # The hook sees what is not exactly of the type: an int for a float, an error, ...
            kind = self.ref(t, "type")
            return f"({src} if type({src}) is {kind} else {self.hook(t)}({src}, {kind}))"
        if t is Any:
            return src
        args = union_args(t)
        enum_cls = open_enum(t)
        if enum_cls is not None and type(None) not in args:
            members = self.ref(enum_cls._value2member_map_, "members")
            keep = self.ref(_keep_unknown(self.cls, wire), "keep")
            slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
            known = f"(e if (e := {members}.get({src})) is not None else {keep}({src}))"
            return f"({known} if type({src}) is str else {slow})"
        if is_count(t) and type(None) not in args:
            return (
                f"({src} if type({src}) is int else {self.hook(t)}({src}, {self.ref(t, 'type')}))"
            )
        if is_model(t):
            fn = self.ref(self.fast_fn(t), "fast")
            slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
            return f"({fn}({src}) if type({src}) is dict else {slow})"
        tagged = tagged_union(t)
        if tagged is not None:
            return f"{self.ref(self._tagged(tagged), 'union')}({src})"
        return None

    def _tagged(self, union: TaggedUnion) -> FastFn:
        fns = {value: self.fast_fn(cls) for value, cls in union.variants.items()}
        fallback_fn = self.fast_fn(union.fallback)
        tag = union.tag

        def structure(data: Any) -> Any:
            if type(data) is not dict:
                raise NotFast
            value = data.get(tag)
            if not isinstance(value, str):
                return fallback_fn(data)
            fn = fns.get(value)
            if fn is None:
                unknown_value(union.fallback, tag, value)
                return fallback_fn(data)
            return fn(data)

        return structure

    def value(self, t: Any, src: str, dst: str, name: str, wire: str) -> list[str]:
        """Statements setting ``dst`` to ``src`` structured as ``t``."""
        if t == Timestamp:
            # What parse_timestamp() does, minus its checks, for text in the canonical form.
            return [
                f"if type({src}) is str and is_canonical({src}):",
                "    try:",
                f"        {dst} = from_iso({src}[:-1] + '+00:00')",
                "    except ValueError:",
                f"        {dst} = {src}",
                f"elif type({src}) is str:",
                f"    {dst} = parse_timestamp({src})",
                f"    if {dst} is not {src} and format_timestamp({dst}) != {src}:",
                "        if texts is None:",
                "            texts = []",
                f"        texts.append(({name!r}, {dst}, {src}))",
                f"elif isinstance({src}, datetime):",
                "    raise NotFast",
                "else:",
                f"    {dst} = {src}",
            ]
        expression = self.item(t, src, wire)
        if expression is not None:
            return [f"{dst} = {expression}"]
        if type(None) in union_args(t):
            inner = without_none(t)
            if self.item(inner, "x", wire) is not None or is_list(inner):
                body = self.value(inner, src, dst, name, wire)
                return [f"if {src} is None:", f"    {dst} = None", "else:"] + [
                    "    " + line for line in body
                ]
        if is_list(t):
            element = self.item(t.__args__[0], "i", wire)
            if element is not None:
                slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
                return [f"{dst} = [{element} for i in {src}] if type({src}) is list else {slow}"]
        return [f"{dst} = {self.hook(t)}({src}, {self.ref(t, 'type')})"]


def compile_fast(
    cls: type[ModelBase],
    converter: cattrs.Converter,
    fast_fn: Callable[[type[ModelBase]], FastFn],
) -> FastFn:
    """The fast structuring function of ``cls``.

    ``converter`` gives the hooks for values that take no fast form; ``fast_fn`` gives the
    functions of nested classes.
    """
    compiler = _Compiler(cls, converter, fast_fn)
    facts = class_facts(cls)
    plain = facts.plain
    nullable = [field.name for field in facts.fields if field.nullable]
    wire_forms = compiler.ref(_WireForms(nullable), "wire_forms")
    required = sum(field.default is attrs.NOTHING for field in facts.fields)
    lines = [
        "def fast(data):",
        "    if type(data) is not dict:",
        "        raise NotFast",
        # A missing required key raises, so only optional keys need counting.
        f"    seen = {required}",
        "    nulls = 0",
        "    texts = None",
    ]
    if not plain:
        lines.append("    kwargs = {}")
    for n, field in enumerate(facts.fields):
        dst = f"x{n}"
        t = without_none(field.type) if field.nullable else field.type
        body = compiler.value(t, "v", dst, field.name, field.wire)
        if field.default is attrs.NOTHING:
            lines.append(f"    v = data[{field.wire!r}]")
            lines += ["    " + line for line in body]
        else:
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = f"{compiler.ref(field.default.factory, 'factory')}()"
            else:
                default = compiler.ref(field.default, "default")
            lines += [
                f"    v = data.get({field.wire!r}, MISSING)",
                "    if v is MISSING:",
                f"        {dst} = {default}" if plain else "        pass",
                "    else:",
                "        seen += 1",
            ]
            if field.nullable:
                lines += [
                    "        if v is None:",
                    f"            {dst} = None",
                    f"            nulls |= {1 << nullable.index(field.name)}",
                    "        else:",
                ]
                lines += ["            " + line for line in body]
            else:
                lines += ["        " + line for line in body]
            if not plain:
                lines.append(f"        kwargs[{field.alias!r}] = {dst}")
        if not plain and field.default is attrs.NOTHING:
            lines.append(f"    kwargs[{field.alias!r}] = {dst}")
    known_name = compiler.ref(facts.known, "known")
    cls_name = compiler.ref(cls, "cls")
    lines += [
        "    if seen == len(data):",
        "        extra = None",
        "    else:",
        f"        extra = {{k: v for k, v in data.items() if k not in {known_name}}}",
        f"        unknown_fields({cls_name}, extra)",
    ]
    setters = {name: compiler.ref(_setter(cls, name), "set") for name in SKIPPED}
    # Timestamp texts are rare: only then does an object get a wire form of its own.
    kept_texts = f"WireForm({wire_forms}[nulls].nulls, tuple(texts))"
    wire = f"{wire_forms}[nulls] if texts is None else {kept_texts}"
    if plain:
        lines.append(f"    obj = new({cls_name})")
        for n, field in enumerate(facts.fields):
            lines.append(f"    {compiler.ref(_setter(cls, field.name), 'set')}(obj, x{n})")
        lines += [
            f"    {setters['extra']}(obj, {{}} if extra is None else extra)",
            f"    {setters['_wire']}(obj, {wire})",
        ]
    else:
        lines += [
            f"    obj = {cls_name}(**kwargs)",
            "    if extra is not None:",
            f"        {setters['extra']}(obj, extra)",
            "    if nulls or texts is not None:",
            f"        {setters['_wire']}(obj, {wire})",
        ]
    lines.append("    return obj")
    source = "\n".join(lines) + "\n"
    filename = f"<revox_async fast structuring of {cls.__qualname__} #{next(_serial)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), compiler.namespace)
    fast: FastFn = compiler.namespace["fast"]
    return fast
