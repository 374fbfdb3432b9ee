"""Bar charts as PNG for documents, drawn with Pillow (already needed by fpdf2 and photos).

matplotlib would draw the same charts at the cost of some 40 MB of wheels. What is drawn
is decided in :class:`cascade.lib.charts.Chart` (one measure, its axis, hidden figures);
this module only paints it: a value axis from zero with gridlines, a label on every bar,
and a hidden figure ("<5", "*") written at the foot of its place, never drawn to a length.
Right-to-left languages read the categories from the right, with the axis on the right.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from cascade.lib.charts import Chart, is_number
from cascade.lib.numbers import format_number
from cascade.lib.pdf import FONTS

COLOURS = {"institute": "#5b2a86", "step-down": "#0f7b6c", "trainings": "#1b6ca8", "reach": "#c2562b"}
OTHER_COLOURS = ["#1b6ca8", "#c2562b", "#5a7d2a", "#8e5ea2"]
RTL = {"ar", "fa", "he", "ur"}


def colour(series, index: int) -> str:
    return COLOURS.get(series.kind, OTHER_COLOURS[index % len(OTHER_COLOURS)])


def bar_chart(chart: Chart, lang: str = "en", width: int = 1200, height: int = 560) -> bytes:
    """``chart`` as a PNG: grouped bars on one value axis, each bar labelled with its value."""
    rtl = lang.split("-")[0] in RTL
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 22)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 20)
    ticks, top_value = chart.ticks, chart.top
    labels = [format_number(t, lang) for t in ticks]
    axis_w = max(int(draw.textlength(label, font=font)) for label in labels) + 24
    margin = 30
    plot_top, plot_bottom = 70, height - (100 if len(chart.series) > 1 else 60)
    left, right = (margin, width - margin - axis_w) if rtl else (margin + axis_w, width - margin)
    plot_h, plot_w = plot_bottom - plot_top, right - left

    # The value axis: its name above it, a gridline and a label at each tick.
    name_x, anchor = (right + axis_w, "ra") if rtl else (left - axis_w, "la")
    draw.text((name_x, 20), chart.axis_label, fill="#333", font=font, anchor=anchor)
    for tick, label in zip(ticks, labels):
        y = plot_bottom - plot_h * tick / top_value
        draw.line((left, y, right, y), fill="#444" if tick == 0 else "#ddd", width=2 if tick == 0 else 1)
        draw.text((right + 10, y) if rtl else (left - 10, y), label, fill="#444", font=font,
                  anchor="lm" if rtl else "rm")

    groups = max(len(chart.categories), 1)
    group_w = plot_w / groups
    bar_w = group_w * 0.8 / max(len(chart.series), 1)
    for g, category in enumerate(chart.categories):
        slot = (groups - 1 - g) if rtl else g
        x0 = left + slot * group_w + group_w * 0.1
        for s, series in enumerate(chart.series):
            value = series.values[g]
            place = (len(chart.series) - 1 - s) if rtl else s
            x = x0 + place * bar_w
            middle = x + (bar_w - 4) / 2
            if is_number(value):
                y = plot_bottom - plot_h * value / top_value
                if value:
                    draw.rectangle((x, y, x + bar_w - 4, plot_bottom), fill=colour(series, s))
                draw.text((middle, y - 6), format_number(value, lang), fill="#222", font=small, anchor="md")
            else:  # hidden: written at the foot, never drawn
                draw.text((middle, plot_bottom - 6), str(value), fill="#444", font=small, anchor="md")
        draw.text((left + slot * group_w + group_w / 2, plot_bottom + 24), str(category), fill="black",
                  font=font, anchor="mm")

    if len(chart.series) > 1:
        items = [(colour(series, s), series.name) for s, series in enumerate(chart.series)]
        x = right if rtl else left
        for fill, name in items:
            text_w = int(draw.textlength(name, font=font))
            if rtl:
                draw.rectangle((x - 20, height - 38, x - 2, height - 20), fill=fill)
                draw.text((x - 28, height - 29), name, fill="black", font=font, anchor="rm")
                x -= 28 + text_w + 40
            else:
                draw.rectangle((x, height - 38, x + 18, height - 20), fill=fill)
                draw.text((x + 26, height - 29), name, fill="black", font=font, anchor="lm")
                x += 26 + text_w + 40
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
