"""What the command line prints: JSON for programs, tables and short reports for people."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from typing import Any, NamedTuple, TextIO

from .._model import RevoxModel
from ..models.campaigns import CampaignStatistics


def styled(stream: TextIO) -> bool:
    """Whether ``stream`` takes ANSI styles: a terminal, and ``NO_COLOR`` unset or empty."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def dim(text: str, stream: TextIO) -> str:
    """``text`` printed faint on a terminal that takes styles, unchanged elsewhere."""
    return f"\x1b[2m{text}\x1b[0m" if styled(stream) else text


def _jsonable(value: Any) -> Any:
    if isinstance(value, RevoxModel):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return " ".join(text.split()) if "\n" in text else text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class Layout(NamedTuple):
    """How a table is laid out: within ``width`` columns, or ``wide``: every field, uncut."""

    width: int = 80
    wide: bool = False

    @classmethod
    def for_terminal(cls, *, wide: bool) -> Layout:
        """The width of the terminal (``COLUMNS`` first; 80 when there is none)."""
        return cls(shutil.get_terminal_size().columns, wide)


TABLE_FIRST = ("id", "name", "status", "to_phone_number", "phone_number", "outcome", "label")
"""Columns shown first in tables when the objects have them; other plain fields fill up."""
TABLE_COLUMNS = 6
"""Columns a table shows at most unless ``--wide``."""
NARROWEST = 8
"""A column is not cut narrower than this (or than its heading) to fit the terminal."""
GAP = "  "


def _fit(columns: list[str], widths: list[int], width: int) -> tuple[list[str], list[int]]:
    """Drop the last columns until the rest can fit ``width``, then narrow the widest ones.

    The first column, an id to copy as a rule, is never cut.
    """
    floors = [
        widths[0],
        *(min(w, max(NARROWEST, len(c))) for c, w in zip(columns[1:], widths[1:], strict=True)),
    ]
    keep = len(columns)
    while keep > 1 and sum(floors[:keep]) + len(GAP) * (keep - 1) > width:
        keep -= 1
    columns, widths, floors = columns[:keep], widths[:keep], floors[:keep]
    excess = sum(widths) + len(GAP) * (keep - 1) - width
    while excess > 0:
        widest = max(range(keep), key=lambda i: widths[i] - floors[i])
        if widths[widest] == floors[widest]:
            break  # a first column wider than the terminal: nothing else to cut
        cut = min(excess, widths[widest] - floors[widest], max(1, excess // keep))
        widths[widest] -= cut
        excess -= cut
    return columns, widths


def table(rows: list[dict[str, Any]], layout: Layout, first: Sequence[str] = TABLE_FIRST) -> str:
    """Objects as a table: a heading, then one line each, fitted to ``layout``; the ``first``
    columns lead."""
    if not rows:
        return "(none)"
    scalar = [k for k in rows[0] if not isinstance(rows[0][k], (dict, list))]
    columns = [k for k in first if k in scalar]
    columns += [k for k in scalar if k not in columns]
    if not layout.wide:
        columns = columns[:TABLE_COLUMNS]
    texts = [[_text(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in texts)) for i, c in enumerate(columns)]
    if not layout.wide:
        columns, widths = _fit(columns, widths, layout.width)
    lines = [GAP.join(c.ljust(w) for c, w in zip(columns, widths, strict=False))]
    lines += [GAP.join(_cut(v, w).ljust(w) for v, w in zip(r, widths, strict=False)) for r in texts]
    return "\n".join(line.rstrip() for line in lines)


def _fields(data: dict[str, Any], layout: Layout) -> str:
    width = max((len(k) for k in data), default=0)
    room = max(NARROWEST, layout.width - width - len(GAP))
    lines = []
    for key, value in data.items():
        text = _text(value)
        lines.append(f"{key.ljust(width)}{GAP}{text if layout.wide else _cut(text, room)}")
    return "\n".join(lines)


def render(result: Any, output: str, layout: Layout | None = None) -> str:
    """The text printed for a command's result: ``output`` is ``json`` or ``table``."""
    data = _jsonable(result)
    if output == "json" or not isinstance(data, (list, dict)):
        return json.dumps(data, indent=2, ensure_ascii=False)
    layout = layout or Layout()
    if isinstance(data, dict):
        return _fields(data, layout)
    return table(data, layout)


def _share(percent: float | None, of: str) -> str:
    return "" if percent is None else f" ({percent:.0f}% of {of})"


def statistics_text(stats: CampaignStatistics) -> str:
    """A campaign's report as a person reads it: the funnel, then outcomes, then hot leads."""
    funnel = stats.funnel
    lines = [
        f"Campaign {stats.campaign.name!r} ({stats.campaign.status})",
        f"  called         {funnel.called.count} of {funnel.called.imported_rows} contacts",
        f"  reached        {funnel.reached.count}" + _share(funnel.reached.pct_of_called, "called"),
        f"  conversations  {funnel.real_exchanges.count}"
        + _share(funnel.real_exchanges.pct_of_reached, "reached"),
        f"  hot leads      {funnel.hot_leads.count}"
        + _share(funnel.hot_leads.pct_of_reached, "reached"),
        f"  calls          {stats.effort.outbound_attempts} placed, "
        f"{stats.effort.inbound_calls} received",
    ]
    if stats.outcome_breakdown:
        width = max(len(item.label) for item in stats.outcome_breakdown)
        lines.append("Outcomes:")
        lines += [f"  {i.label.ljust(width)}  {i.count}" for i in stats.outcome_breakdown]
    leads = [*stats.leads.interested, *stats.leads.callback_requested]
    if leads:
        lines.append("Hot leads:")
        lines += [f"  {lead.name}  {lead.phone}" for lead in leads]
    return "\n".join(lines)
