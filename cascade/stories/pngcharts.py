"""Bar charts as PNG for documents, drawn with Pillow (already needed by fpdf2 and photos).

matplotlib would draw the same two charts at the cost of some 40 MB of wheels.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from cascade.lib.pdf import FONTS

COLOURS = ["#1b6ca8", "#c2562b", "#5a7d2a", "#8e5ea2"]


def bar_chart(title: str, labels: list[str], series: dict[str, list], width: int = 1200, height: int = 600) -> bytes:
    """Grouped bars; a value that is not a number (a suppressed "<5") is written, not drawn."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 20)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 26)
    draw.text((30, 16), title, fill="black", font=bold)
    left, right, top, bottom = 80, 30, 80, 90
    numbers = [v for values in series.values() for v in values if isinstance(v, (int, float))]
    peak = _nice(max(numbers, default=0))
    plot_h, plot_w = height - top - bottom, width - left - right
    draw.line((left, top + plot_h, width - right, top + plot_h), fill="#444", width=2)
    for fraction in (0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - fraction)
        draw.line((left, y, width - right, y), fill="#ddd")
        draw.text((left - 10, y), f"{peak * fraction:,.{0 if peak >= 8 else 1}f}", fill="#444", font=font, anchor="rm")
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = group_w * 0.8 / max(len(series), 1)
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, (name, values) in enumerate(series.items()):
            value = values[g]
            x = x0 + s * bar_w
            if isinstance(value, (int, float)):
                y = top + plot_h * (1 - value / peak)
                draw.rectangle((x, y, x + bar_w - 4, top + plot_h), fill=COLOURS[s % len(COLOURS)])
            else:
                draw.text((x + bar_w / 2, top + plot_h - 14), str(value), fill="#444", font=font, anchor="mm")
        draw.text((left + g * group_w + group_w / 2, top + plot_h + 22), label, fill="black", font=font, anchor="mm")
    legend_x = left
    for s, name in enumerate(series):
        draw.rectangle((legend_x, height - 34, legend_x + 18, height - 16), fill=COLOURS[s % len(COLOURS)])
        draw.text((legend_x + 26, height - 25), name, fill="black", font=font, anchor="lm")
        legend_x += 26 + int(draw.textlength(name, font=font)) + 40
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _nice(value: float) -> float:
    """The axis top: the first of 1, 2, 4, 5, 8, 10 x 10^k at or above ``value``."""
    scale = 1
    while scale * 10 <= value:
        scale *= 10
    return next(scale * step for step in (1, 2, 4, 5, 8, 10) if scale * step >= max(value, 1))
