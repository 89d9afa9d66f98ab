"""A griffe extension for the API reference: Sphinx roles in docstrings become code spans.

The package's docstrings read well in ``help()``, where roles such as ``:class:`Timeout``` are
common; Markdown has no such syntax, so the reference shows the name as code instead.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|meth|func|data|attr|exc|mod|obj):`~?([^`]+)`")


def _plain(match: re.Match[str]) -> str:
    target = match.group(1)
    # ``~a.b.C`` shows only ``C``, as Sphinx would.
    name = target.rsplit(".", 1)[-1] if match.group(0).count("~") else target
    return f"`{name}`"


def _rewrite(obj: griffe.Object | griffe.Alias) -> None:
    if isinstance(obj, griffe.Alias):
        return
    if obj.docstring is not None:
        obj.docstring.value = ROLE.sub(_plain, obj.docstring.value)
    for member in obj.members.values():
        _rewrite(member)


class SphinxRoles(griffe.Extension):
    """Rewrite roles once a package is loaded, before any docstring is parsed."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _rewrite(pkg)
