"""Charts drawn on the server as SVG: no script, no request elsewhere, and allowed by the
content security policy (SVG attributes are not inline styles).

Each chart has an accessible name and is paired with a table of its figures on the page.
"""

from django.utils.html import format_html, format_html_join

from cascade.lib.charts import Chart, chart, is_number
from cascade.lib.numbers import format_number as number_format


def bar(percent: int, kind: str = "", hidden: bool = False) -> str:
    """One horizontal bar, ``percent`` of the available width (mirrored in rtl by CSS); a
    hidden figure ("<5", "*") draws no bar at all, its mark is written beside it."""
    percent = max(0, min(100, int(percent)))
    if hidden:
        return format_html('<svg class="bar {}" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
                           'focusable="false"></svg>', kind)
    return format_html(
        '<svg class="bar {}" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect width="{}" height="10" rx="1"/></svg>', kind, max(percent, 0.5))


def columns(chart: Chart, rtl: bool = False) -> str:
    """``chart`` as grouped columns (the dashboard's trainings per year), with its value axis.

    The value axis starts at zero, with a gridline and a label at each round step
    (:func:`cascade.lib.charts.axis`); each column carries its value in a ``<title>`` (read
    on hover and by screen readers) and in ``data-value``. A hidden figure is never drawn.
    The numbers are written the reader's way; right to left, the first year is on the right
    and the axis on the right. Text is sized in the drawing's units, which stay near one
    pixel each from a phone (the drawing is at least 320 units wide) to a desktop card.
    """
    if not chart.categories:
        return ""
    n, bars = len(chart.categories), max(len(chart.series), 1)
    axis_w, slot = 44, max(36, 12 * bars + 12)
    width = max(320, axis_w + 12 + n * slot)
    top, bottom, height = 14, 196, 228
    plot_left, plot_right = (12, width - axis_w) if rtl else (axis_w, width - 12)
    slot = (plot_right - plot_left) / n
    bar_w = min(slot * 0.8 / bars, 28)
    ticks, peak = chart.ticks, chart.top

    def y(value):
        return bottom - (bottom - top) * value / peak

    grid = format_html_join("", '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                            '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>', (
        ("baseline" if tick == 0 else "grid", plot_left, plot_right, f"{y(tick):.1f}", f"{y(tick):.1f}",
         plot_right + 6 if rtl else plot_left - 6, f"{y(tick) + 4:.1f}", "start" if rtl else "end",
         number_format(tick)) for tick in ticks))
    rects, labels = [], []
    for index, category in enumerate(chart.categories):
        place = n - 1 - index if rtl else index
        middle = plot_left + slot * (place + 0.5)
        start = middle - bar_w * bars / 2
        for s, series in enumerate(chart.series):
            x = start + bar_w * ((bars - 1 - s) if rtl else s)
            value = series.values[index]
            if is_number(value):
                h = (bottom - top) * value / peak
                rects.append((series.kind, f"{x + 1:.1f}", f"{bottom - h:.1f}", f"{bar_w - 2:.1f}", f"{h:.1f}",
                              value, f"{category}, {series.name}: {number_format(value)}"))
            else:  # a hidden figure: its mark, at the foot of its place
                labels.append((f"{x + bar_w / 2:.1f}", bottom - 3, "mark", value))
        labels.append((f"{middle:.1f}", bottom + 18, "category", category))
    drawn = format_html_join(
        "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}" data-value="{}"><title>{}</title></rect>', rects)
    written = format_html_join("", '<text class="{2}" x="{0}" y="{1}" text-anchor="middle">{3}</text>', labels)
    return format_html(
        '<svg class="columns-chart" viewBox="0 0 {} {}" preserveAspectRatio="{} meet" role="img" aria-label="{}" '
        'data-measure="{}" data-axis="{}">{}{}{}</svg>',
        width, height, "xMaxYMid" if rtl else "xMinYMid", chart.title, chart.measure,
        " ".join(str(t) for t in ticks), grid, drawn, written)


def per_year(rows: list[dict], label: str, rtl: bool = False) -> str:
    """The dashboard's institutes and step-downs per year (rows of ``figures.Dashboard.per_year``,
    the engine's years from first to last, empty years as zeros): one measure, trainings."""
    from django.utils.translation import gettext as _

    def shown(figure):
        return figure.label if figure.suppressed else figure.value

    return columns(chart(label, "trainings", _("trainings"), [str(row["year"]) for row in rows], {
        _("Institutes"): [shown(row["institutes"]) for row in rows],
        _("Step-downs"): [shown(row["step_downs"]) for row in rows]}, kinds=("institute", "step-down")), rtl)
