"""Samples, medians, spreads and ratios to the floor; the table and the target verdicts."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    title: str
    unit: str
    scale: float = 1.0
    """Multiplies a sample (in seconds, say) into ``unit`` (ms)."""
    digits: int = 1
    higher_is_better: bool = False


@dataclass
class Series:
    label: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """The run-to-run range (max - min) as a fraction of the median."""
        return (max(self.samples) - min(self.samples)) / self.median


@dataclass
class Section:
    """The samples of one scenario; the first series added is the floor."""

    scenario: Scenario
    series: dict[str, Series] = field(default_factory=dict)

    def add_series(self, key: str, label: str) -> None:
        self.series[key] = Series(label)

    @property
    def floor(self) -> Series:
        return next(iter(self.series.values()))

    def ratio(self, key: str) -> float:
        return self.series[key].median / self.floor.median

    def rows(self) -> list[str]:
        unit, scale, digits = self.scenario.unit, self.scenario.scale, self.scenario.digits
        rows = [f"{self.scenario.title}"]
        for n, series in enumerate(self.series.values()):
            label = f"{series.label} (floor)" if n == 0 else series.label
            value = f"{series.median * scale:,.{digits}f} {unit}"
            ratio = series.median / self.floor.median
            rows.append(f"  {label:<40} {value:>16} {ratio:>7.2f}x {series.spread:>7.0%}")
        return rows


@dataclass(frozen=True)
class Target:
    """A goal for one series: a ratio to the floor, or with ``absolute`` a value in the unit."""

    name: str
    section: str
    key: str
    limit: float
    absolute: bool = False

    def verdict(self, sections: dict[str, Section]) -> tuple[str, str, str, str]:
        """The row of the summary table: target, measured, limit, met/missed/not measured."""
        section = sections.get(self.section)
        if section is None or self.key not in section.series:
            return self.name, "-", "-", "not measured"
        scenario = section.scenario
        if self.absolute:
            value = section.series[self.key].median * scenario.scale
            shown = f"{value:,.{scenario.digits}f} {scenario.unit}"
            goal = f"{self.limit:g} {scenario.unit}"
        else:
            value = section.ratio(self.key)
            shown, goal = f"{value:.2f}x", f"{self.limit:g}x"
        passed = value >= self.limit if scenario.higher_is_better else value <= self.limit
        sign = ">=" if scenario.higher_is_better else "<="
        return self.name, shown, f"{sign} {goal}", "met" if passed else "MISSED"


def render(sections: dict[str, Section], targets: list[Target]) -> str:
    header = f"  {'client':<40} {'median':>16} {'ratio':>8} {'spread':>7}"
    lines = [header, "  " + "-" * (len(header) - 2)]
    for section in sections.values():
        lines += section.rows()
    lines += [
        "",
        "ratio: median / floor median (throughput: higher is better; time, memory: lower is "
        "better); spread: (max - min) / median over the repeats",
        "",
    ]
    rows = [("target", "measured", "limit", "verdict")]
    rows += [target.verdict(sections) for target in targets]
    widths = [max(len(row[n]) for row in rows) for n in range(4)]
    for n, row in enumerate(rows):
        lines.append(
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        )
        if n == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return "\n".join(lines)
