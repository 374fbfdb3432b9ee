"""Charts drawn on the server as SVG: no script, no request elsewhere, and allowed by the
content security policy (SVG attributes are not inline styles).

Each chart has an accessible name and is paired with a table of its figures on the page.
"""

from django.utils.html import format_html, format_html_join



def bar(percent: int, kind: str = "") -> str:
    """One horizontal bar, ``percent`` of the available width (mirrored in rtl by CSS)."""
    percent = max(0, min(100, int(percent)))
    return format_html(
        '<svg class="bar {}" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect width="{}" height="10" rx="1"/></svg>', kind, max(percent, 0.5))


def columns(rows: list[dict], label: str) -> str:
    """Pairs of columns per year: institutes and step-downs (rows from figures.Dashboard.per_year)."""
    if not rows:
        return ""
    width, height, slot = 40, 120, 48
    parts = []
    for index, row in enumerate(rows):
        x = index * slot + 4
        for offset, (key, kind) in enumerate((("institutes_pct", "institute"), ("step_downs_pct", "step-down"))):
            h = max(row[key] * (height - 20) / 100, 0.5)
            parts.append((kind, x + offset * (width // 2), f"{height - 18 - h:.1f}", width // 2 - 2, f"{h:.1f}"))
        parts.append(("year", x + width / 2, height - 4, row["year"], None))
    rects = format_html_join(
        "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>',
        ((k, x, y, w, h) for k, x, y, w, h in parts if k != "year"))
    labels = format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x, y, text) for k, x, y, text, _h in parts if k == "year"))
    return format_html(
        '<svg class="columns-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}</svg>',
        len(rows) * slot + 8, height, label, rects, labels)



