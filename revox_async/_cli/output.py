"""What the command line prints: JSON for programs, tables and short reports for people."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

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


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 48 else text[:47] + "…"


TABLE_FIRST = ("id", "name", "status", "to_phone_number", "phone_number", "outcome", "label")
"""Columns shown first in tables when the objects have them; other plain fields fill up."""
TABLE_WIDTH = 6


def _table(rows: list[dict[str, Any]]) -> str:
    scalar = [k for k in rows[0] if not isinstance(rows[0][k], (dict, list))]
    columns = [k for k in TABLE_FIRST if k in scalar]
    columns += [k for k in scalar if k not in columns][: max(0, TABLE_WIDTH - len(columns))]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def render(result: Any, output: str) -> str:
    """The text printed for a command's result: ``output`` is ``json`` or ``table``."""
    data = _jsonable(result)
    if output == "json" or not isinstance(data, (list, dict)):
        return json.dumps(data, indent=2, ensure_ascii=False)
    if isinstance(data, dict):
        width = max((len(k) for k in data), default=0)
        return "\n".join(f"{k.ljust(width)}  {_cell(v)}" for k, v in data.items())
    return _table(data) if data else "(none)"


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
