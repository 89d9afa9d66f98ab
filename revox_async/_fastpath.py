"""A generated structuring function per model class, for JSON that is what the API promises.

cattrs' generic hooks dispatch on every value (``X | None``, ``list[X]``) and attrs' ``__init__``
runs for every field; for a response of thousands of objects that is most of the SDK's CPU. The
function generated here reads the JSON in one pass with exact-type checks (a ``str`` where a
``str`` belongs, a ``dict`` where a model belongs), does the bookkeeping of ``RevoxModel`` (unknown
keys, explicit nulls, timestamp texts) in the same pass, and builds the instance without
``__init__`` when nothing in the class could notice.

It is an optimisation only: anything it does not recognise goes through the converter's own hook
for that type, and any failure at all makes the caller re-run the detailed cattrs path, so errors
and their messages are exactly those of the detailed path. ``tests/test_fast_structuring.py``
checks that both paths agree.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import attrs

from ._model import RevoxModel, Timestamp

if TYPE_CHECKING:
    from ._converter import Rules

FastFn = Callable[[Any], Any]

SKIPPED = ("extra", "_wire_nulls", "_wire_timestamps")

# The form the API writes every timestamp in (JavaScript's toISOString). Such text needs no
# format-and-compare to know to_dict() gives it back. ``[0-9]``, not ``\d``, which also matches
# other scripts' digits; hours stop at 23, as some Pythons read "24:00" as the next midnight.
_CANONICAL_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"
).fullmatch

_PRIMITIVES = (str, int, float, bool)


class NotFast(Exception):
    """Raised by generated code for input it leaves to the detailed path."""


def construction_blockers(cls: type) -> list[str]:
    """Why instances of ``cls`` must be built by ``__init__``; empty when they need not be.

    ``__init__`` may be skipped only where it provably does nothing but store the values given.
    """
    blockers = []
    code = getattr(vars(cls).get("__init__"), "__code__", None)
    if code is None or "attrs generated" not in code.co_filename:
        blockers.append("__init__ is not the one attrs generates")
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            blockers.append(f"has {hook}")
    if any("__new__" in vars(klass) for klass in cls.__mro__[:-1]):
        blockers.append("overrides __new__")
    slots = {name for klass in cls.__mro__ for name in vars(klass).get("__slots__", ())}
    others = slots - {f.name for f in attrs.fields(cls)} - {"__weakref__", "__dict__"}
    if others:  # a cached hash, for one, which __init__ would reset
        blockers.append(f"has slots that are not fields: {', '.join(sorted(others))}")
    for field in attrs.fields(cls):
        if field.validator is not None:
            blockers.append(f"field {field.name!r} has a validator")
        if field.converter is not None:
            blockers.append(f"field {field.name!r} has a converter")
        if not field.init:
            blockers.append(f"field {field.name!r} is init=False")
        if isinstance(field.default, attrs.Factory) and field.default.takes_self:  # type: ignore[arg-type]
            blockers.append(f"field {field.name!r} has a default that takes self")
    return blockers


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    slot = inspect.getattr_static(cls, name, None)
    if isinstance(slot, types.MemberDescriptorType):
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda obj, value: object.__setattr__(obj, name, value)


def _union_args(t: Any) -> tuple[Any, ...]:
    if get_origin(t) in (Union, types.UnionType):
        return get_args(t)
    return ()


class _Compiler:
    """Writes the source of one class's function; names it refers to go into ``namespace``."""

    def __init__(self, rules: Rules, fast_fn: Callable[[type[RevoxModel]], FastFn]) -> None:
        self.rules = rules
        self.fast_fn = fast_fn
        self.namespace: dict[str, Any] = {
            "NotFast": NotFast,
            "MISSING": attrs.NOTHING,
            "datetime": datetime,
            "from_iso": datetime.fromisoformat,
            "is_canonical": _CANONICAL_TIMESTAMP,
            "parse_timestamp": rules.parse_timestamp,
            "format_timestamp": rules.format_timestamp,
        }

    def ref(self, value: Any, hint: str) -> str:
        name = f"{hint}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def hook(self, t: Any) -> str:
        """A function structuring a value as ``t``, for values that take no fast form."""
        if _holds_model(t):
            # Looked up at call time, so that classes referring to each other can be compiled.
            return self.ref(self.rules.converter.structure, "structure")
        return self.ref(self.rules.converter.get_structure_hook(t), "hook")

    def item(self, t: Any, src: str) -> str | None:
        """An expression structuring ``src`` as ``t``, for the kinds that have a fast form."""
        if t in _PRIMITIVES:
            # The hook sees what is not exactly of the type: an int for a float, an error, ...
            kind = self.ref(t, "type")
            return f"({src} if type({src}) is {kind} else {self.hook(t)}({src}, {kind}))"
        if t is Any:
            return src
        args = _union_args(t)
        if self.rules.open_enum(t) is not None and type(None) not in args:
            enum_cls = self.rules.open_enum(t)
            assert enum_cls is not None
            members = self.ref(enum_cls._value2member_map_, "members")
            slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
            return f"({members}.get({src}, {src}) if type({src}) is str else {slow})"
        if self.rules.is_count(t) and type(None) not in args:
            return (
                f"({src} if type({src}) is int else {self.hook(t)}({src}, {self.ref(t, 'type')}))"
            )
        if isinstance(t, type) and issubclass(t, RevoxModel):
            fn = self.ref(self.fast_fn(t), "fast")
            slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
            return f"({fn}({src}) if type({src}) is dict else {slow})"
        tagged = self.rules.tagged_unions.get(t)
        if tagged is not None:
            return f"{self.ref(self._tagged(*tagged), 'union')}({src})"
        return None

    def _tagged(
        self, tag: str, variants: Mapping[str, type[RevoxModel]], fallback: type[RevoxModel]
    ) -> FastFn:
        fns = {value: self.fast_fn(cls) for value, cls in variants.items()}
        fallback_fn = self.fast_fn(fallback)

        def structure(data: Any) -> Any:
            if type(data) is not dict:
                raise NotFast
            value = data.get(tag)
            fn = fns.get(value, fallback_fn) if isinstance(value, str) else fallback_fn
            return fn(data)

        return structure

    def value(self, t: Any, src: str, dst: str, name: str) -> list[str]:
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
                "            texts = {}",
                f"        texts[{name!r}] = ({dst}, {src})",
                f"elif isinstance({src}, datetime):",
                "    raise NotFast",
                "else:",
                f"    {dst} = {src}",
            ]
        expression = self.item(t, src)
        if expression is not None:
            return [f"{dst} = {expression}"]
        if type(None) in _union_args(t):
            inner = _without_none(t)
            if self.item(inner, "x") is not None or self._is_list(inner):
                body = self.value(inner, src, dst, name)
                return [f"if {src} is None:", f"    {dst} = None", "else:"] + [
                    "    " + line for line in body
                ]
        if self._is_list(t):
            element = self.item(t.__args__[0], "i")
            if element is not None:
                slow = f"{self.hook(t)}({src}, {self.ref(t, 'type')})"
                return [f"{dst} = [{element} for i in {src}] if type({src}) is list else {slow}"]
        return [f"{dst} = {self.hook(t)}({src}, {self.ref(t, 'type')})"]

    @staticmethod
    def _is_list(t: Any) -> bool:
        return getattr(t, "__origin__", None) is list and len(getattr(t, "__args__", ())) == 1


def _holds_model(t: Any) -> bool:
    if isinstance(t, type):
        return issubclass(t, RevoxModel)
    return any(_holds_model(arg) for arg in getattr(t, "__args__", ()))


def _without_none(t: Any) -> Any:
    args = _union_args(t)
    if type(None) not in args:
        return t
    rest = tuple(a for a in args if a is not type(None))
    return rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 (built at run time)


def _allows_none(t: Any) -> bool:
    return t is Any or t == Timestamp or type(None) in _union_args(t)


def compile_fast(
    cls: type[RevoxModel], rules: Rules, fast_fn: Callable[[type[RevoxModel]], FastFn]
) -> FastFn:
    """The fast structuring function of ``cls``; ``fast_fn`` gives those of nested classes."""
    compiler = _Compiler(rules, fast_fn)
    fields = [f for f in attrs.fields(attrs.resolve_types(cls)) if f.name not in SKIPPED]
    plain = not construction_blockers(cls)
    known = {str(f.metadata.get("wire", f.name)) for f in fields}
    lines = [
        "def fast(data):",
        "    if type(data) is not dict:",
        "        raise NotFast",
        "    seen = 0",
        "    nulls = None",
        "    texts = None",
    ]
    if not plain:
        lines.append("    kwargs = {}")
    for n, field in enumerate(fields):
        wire = str(field.metadata.get("wire", field.name))
        dst = f"x{n}"
        nullable = field.default is None and _allows_none(field.type)
        body = compiler.value(
            _without_none(field.type) if nullable else field.type, "v", dst, field.name
        )
        if field.default is attrs.NOTHING:
            lines += [f"    v = data[{wire!r}]", "    seen += 1"]
            lines += ["    " + line for line in body]
        else:
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = f"{compiler.ref(field.default.factory, 'factory')}()"
            else:
                default = compiler.ref(field.default, "default")
            lines += [
                f"    v = data.get({wire!r}, MISSING)",
                "    if v is MISSING:",
                f"        {dst} = {default}" if plain else "        pass",
                "    else:",
                "        seen += 1",
            ]
            if nullable:
                lines += [
                    "        if v is None:",
                    f"            {dst} = None",
                    "            if nulls is None:",
                    "                nulls = []",
                    f"            nulls.append({field.name!r})",
                    "        else:",
                ]
                lines += ["            " + line for line in body]
            else:
                lines += ["        " + line for line in body]
            if not plain:
                lines.append(f"        kwargs[{field.alias!r}] = {dst}")
        if not plain and field.default is attrs.NOTHING:
            lines.append(f"    kwargs[{field.alias!r}] = {dst}")
    known_name = compiler.ref(frozenset(known), "known")
    lines += [
        "    if seen == len(data):",
        "        extra = None",
        "    else:",
        f"        extra = {{k: v for k, v in data.items() if k not in {known_name}}}",
    ]
    setters = {name: compiler.ref(_setter(cls, name), "set") for name in SKIPPED}
    cls_name = compiler.ref(cls, "cls")
    if plain:
        lines.append(f"    obj = object.__new__({cls_name})")
        for n, field in enumerate(fields):
            lines.append(f"    {compiler.ref(_setter(cls, field.name), 'set')}(obj, x{n})")
        defaults = {f.name: f.default for f in attrs.fields(cls) if f.name in SKIPPED}
        lines += [
            f"    {setters['extra']}(obj, {{}} if extra is None else extra)",
            f"    {setters['_wire_nulls']}(obj, "
            f"{compiler.ref(defaults['_wire_nulls'], 'default')} if nulls is None "
            "else frozenset(nulls))",
            f"    {setters['_wire_timestamps']}(obj, "
            f"{compiler.ref(defaults['_wire_timestamps'], 'default')} if texts is None else texts)",
        ]
    else:
        lines += [
            f"    obj = {cls_name}(**kwargs)",
            "    if extra is not None:",
            f"        {setters['extra']}(obj, extra)",
            "    if nulls is not None:",
            f"        {setters['_wire_nulls']}(obj, frozenset(nulls))",
            "    if texts is not None:",
            f"        {setters['_wire_timestamps']}(obj, texts)",
        ]
    lines.append("    return obj")
    source = "\n".join(lines)
    exec(
        compile(source, f"<revox_async fast structuring of {cls.__qualname__}>", "exec"),
        compiler.namespace,
    )
    fast: FastFn = compiler.namespace["fast"]
    return fast
