"""What a chart shows, before anyone draws it: the web's SVG, the report's PNG and the XLSX's
native chart are all drawn from one :class:`Chart`.

Rules every chart keeps, so it reads right:

- **one measure per chart**: trainings (tens) and people (thousands) are never on one scale;
  a :class:`Chart` refuses series that count different things;
- **a value axis from zero** with round steps (:func:`axis`), and each bar labelled;
- **a hidden figure is never drawn**: a value that is not a number ("<5", "*" from
  ``cascade.access.suppression``) is written where its bar would be, never drawn to a length;
- **continuous years**: the engine's rows by year include empty years as zeros, and a chart
  by year refuses a gap (:func:`years_continuous`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    name: str  # translated: "institutes", "step-down trainings"
    values: tuple  # one per category: an int (drawn) or a mark such as "<5" or "*" (written, never drawn)
    kind: str = ""  # a key for the colour: "institute", "step-down", "reach", ...

    def drawn(self) -> list[int | None]:
        """The values a chart may draw: the shown counts, and None where a figure is hidden."""
        return [v if is_number(v) else None for v in self.values]


@dataclass(frozen=True)
class Chart:
    title: str  # translated
    measure: str  # what the value axis counts: "trainings" or "people" (one per chart)
    axis_label: str  # translated name of the value axis
    categories: tuple  # the labels along the category axis (years, generations)
    series: tuple = field(default_factory=tuple)
    category_label: str = ""  # translated name of the category axis
    table: str = ""  # the key of the table whose figures it draws, if any

    def __post_init__(self):
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"{s.name}: {len(s.values)} values for {len(self.categories)} categories")

    @property
    def ticks(self) -> list[int]:
        return axis([v for s in self.series for v in s.drawn() if v is not None])

    @property
    def top(self) -> int:
        return self.ticks[-1]


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def chart(title: str, measure: str, axis_label: str, categories, series: dict, kinds=(),
          category_label: str = "", table: str = "") -> Chart:
    """A :class:`Chart` from ``{series name: values}``; every series counts ``measure``."""
    kinds = list(kinds) or [""] * len(series)
    return Chart(title, measure, axis_label, tuple(categories),
                 tuple(Series(name, tuple(values), kind) for (name, values), kind in zip(series.items(), kinds)),
                 category_label, table)


def axis(values, steps: int = 4) -> list[int]:
    """Ticks of a value axis for counts: from 0 up to the first round step at or above the
    largest value, in steps of 1, 2 or 5 x 10^k, about ``steps`` of them (at least 0 and 1)."""
    peak = max([v for v in values if is_number(v)] or [0])
    if peak <= 0:
        return [0, 1]
    raw = peak / steps
    scale = 1
    while scale * 10 <= raw:
        scale *= 10
    step = next(scale * m for m in (1, 2, 5, 10) if scale * m >= raw)
    step = max(int(step), 1)
    top = -(-int(peak) // step) * step
    if top < peak:
        top += step
    return list(range(0, top + 1, step))


def years_continuous(years) -> bool:
    """True if ``years`` run one by one with no gap (the engine's rows by year always do)."""
    years = [int(y) for y in years]
    return years == list(range(years[0], years[0] + len(years))) if years else True
