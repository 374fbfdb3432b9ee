"""A country's women-in-parliament series as a small, self-contained SVG.

Hand-built: a line per chamber needs some forty lines of SVG, while matplotlib would
add tens of megabytes and pygal a stylesheet and script to ship. The SVG embeds in a
page as it is, scales, and reads in right-to-left pages too (numbers stay LTR).
"""

from __future__ import annotations

import datetime
import math
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from cascade.indicators import services
from cascade.indicators.models import IndicatorObservation
from cascade.lib.numbers import decimal_text

COLOURS = {"lower": "#1b6ca8", "upper": "#c2562b", "both": "#5a7d2a", "": "#666666"}


def country_chart_svg(country: str, width: int = 640, height: int = 300) -> str:
    """Percent of seats held by women, one line per chamber, with its sources below."""
    observations = list(services.series(country))
    chambers: dict[str, list[IndicatorObservation]] = {}
    for observation in observations:
        chambers.setdefault(observation.chamber, []).append(observation)
    left, right, top, bottom = 44, 16, 28, 56
    title = _("Seats held by women in parliament, %(country)s (%%)") % {"country": country.upper()}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11" direction="ltr">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="16" font-size="13">{escape(title)}</text>',
    ]
    if not observations:
        parts.append(f'<text x="{left}" y="{height // 2}">{escape(_("No data yet."))}</text></svg>')
        return "".join(parts)
    first = min(o.date for o in observations).toordinal()
    last = max(o.date for o in observations).toordinal()
    span = max(last - first, 1)
    top_value = max(50, math.ceil(max(float(o.value) for o in observations) / 10) * 10)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(date) -> float:
        return left + plot_w * (date.toordinal() - first) / span

    def y(value) -> float:
        return top + plot_h * (1 - float(value) / top_value)

    for tick in range(0, top_value + 1, 10):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    years = sorted({o.date.year for o in observations})
    step = max(1, math.ceil(len(years) / 8))
    for year in years[::step]:
        position = min(max(x(datetime.date(year, 1, 1)), left), width - right)
        parts.append(f'<text x="{position:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{year}</text>')
    legend_x = left
    for chamber, points in chambers.items():
        colour = COLOURS.get(chamber, COLOURS[""])
        path = " ".join(f"{x(o.date):.1f},{y(o.value):.1f}" for o in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for o in points:
            label = f"{o.date.isoformat()}: {decimal_text(o.value)}% ({o.source_name})"
            parts.append(
                f'<circle cx="{x(o.date):.1f}" cy="{y(o.value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(label)}</title></circle>"
            )
        name = str(IndicatorObservation.Chamber(chamber).label) if chamber else _("chamber not stated")
        parts.append(f'<rect x="{legend_x}" y="{height - 30}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{height - 21}">{escape(name)}</text>')
        legend_x += 14 + 7 * len(name) + 20
    sources = sorted({o.source_name.split(",")[0].split(" (")[0] for o in observations})
    parts.append(f'<text x="{left}" y="{height - 6}" fill="#555">{escape(_("Sources: ") + "; ".join(sources))}</text>')
    parts.append("</svg>")
    return "".join(parts)
