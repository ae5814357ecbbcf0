"""Server-rendered SVG for the network pages (no JavaScript; the CSP allows only 'self').

Bars reuse reporting's `bars_svg`; this module adds what the network pages need on top: a
distribution with one unit marked, and several lines on one chart (regions, compared units).
Each is drawn twice, wide and for a phone, as `drawn_twice` there explains.
"""

from __future__ import annotations

import math

from django.utils.html import escape

from reporting.analytics.charts import (
    HEIGHT,
    PAD,
    WIDTH,
    X_TITLE_H,
    axis_number,
    axis_titles,
    bars_svg,
    drawn_twice,
    fit,
    full_number,
    legend,
    legend_height,
    period_ticks,
    svg_open,
    with_unit,
)

__all__ = ["bars_svg", "histogram_bins", "histogram_svg", "lines_svg", "series_rows", "with_unit"]

#: Enough distinct series colours for five compared units or a dozen regions.
PALETTE = 12


def _ok(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def histogram_bins(values, *, bins: int = 12) -> list[tuple[float, float, int]]:
    """[(from, to, units)] of the histogram: `bins` equal ranges over the values (a flat range
    widened by one each way); the table under the chart shows the same rows."""
    values = [float(v) for v in values if _ok(v)]
    if not values:
        return []
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / step))] += 1
    return [(lo + i * step, lo + (i + 1) * step, n) for i, n in enumerate(counts)]


@drawn_twice
def histogram_svg(
    values,
    *,
    marked=None,
    marked_label: str = "",
    bins: int = 12,
    title="",
    x_title: str = "",
    y_title: str = "",
    legend_items=(),
    width: int = WIDTH,
):
    """How the network is spread on one measure; a line marks one unit's value.

    `x_title` names the measure and its unit, `y_title` the count of units per bar."""
    ranges = histogram_bins(values, bins=bins)
    if not ranges:
        return ""
    lo, hi = ranges[0][0], ranges[-1][1]
    step = (hi - lo) / bins
    counts = [n for _a, _b, n in ranges]
    top = max(counts) or 1
    inner_w, inner_h = width - 2 * PAD, HEIGHT - 2 * PAD
    bar_w = inner_w / bins
    legend_items = list(legend_items)
    height = HEIGHT + X_TITLE_H + legend_height(legend_items, width)
    parts = svg_open(title, css="chart chart--histogram", height=height, width=width)
    for i, n in enumerate(counts):
        h = n / top * inner_h
        x = PAD + i * bar_w
        parts.append(
            f'<rect class="chart__bar" x="{x + 1:.1f}" y="{HEIGHT - PAD - h:.1f}" '
            f'width="{bar_w - 2:.1f}" height="{h:.1f}"><title>{full_number(lo + i * step)}–'
            f"{full_number(lo + (i + 1) * step)}: {n}</title></rect>"
        )
    if _ok(marked):
        mx = PAD + (float(marked) - lo) / (hi - lo) * inner_w
        # The unit's label on the side of the marker with more room.
        tx, anchor = (mx + 4, "start") if mx < width / 2 else (mx - 4, "end")
        parts.append(
            f'<line class="chart__marker" x1="{mx:.1f}" x2="{mx:.1f}" y1="{PAD - 10}" '
            f'y2="{HEIGHT - PAD}"/><text class="chart__value" x="{tx:.1f}" y="{PAD - 12}" '
            f'text-anchor="{anchor}">'
            f"{escape(marked_label)} {axis_number(float(marked))}"
            f"<title>{escape(marked_label)}: {full_number(marked)}</title></text>"
        )
    parts.append(f'<text class="chart__axis" x="{PAD}" y="{HEIGHT - 8}">{axis_number(lo)}</text>')
    parts.append(
        f'<text class="chart__axis" x="{width - PAD}" y="{HEIGHT - 8}" text-anchor="end">'
        f"{axis_number(hi)}</text>"
    )
    parts.append(f'<text class="chart__axis" x="2" y="{PAD}">{top}</text>')
    parts += axis_titles(y_title, x_title, width=width)
    parts += legend(legend_items, top=HEIGHT + X_TITLE_H + 4, width=width)
    parts.append("</svg>")
    return "".join(parts)


def series_rows(labels, series: dict) -> list[dict]:
    """The table under a lines chart: one row a period, (series, value) per series in order."""
    return [
        {"period": label, "values": [(name, values[i]) for name, values in series.items()]}
        for i, label in enumerate(labels)
    ]


@drawn_twice
def lines_svg(
    labels,
    series: dict,
    *,
    title: str = "",
    y_title: str = "",
    x_title: str = "",
    width: int = WIDTH,
):
    """Several series over the same periods: {name: [value or None per label]}.

    `y_title` names the value and its unit, `x_title` the periods; each point's <title> holds
    its series, period and value. The legend has three columns, two on a phone."""
    every = [v for values in series.values() for v in values if _ok(v)]
    if not every or not labels:
        return ""
    lo, hi = min(every), max(every)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    n = max(len(labels), 2)
    cols, left = (3, PAD) if width == WIDTH else (2, 2)
    col_w = (width - 2 * left) / cols
    legend_h = 18 * math.ceil(len(series) / cols)
    height = HEIGHT + X_TITLE_H + legend_h

    def x(i):
        return PAD + i * (width - 2 * PAD) / (n - 1)

    def y(v):
        return HEIGHT - PAD - (v - lo) * (HEIGHT - 2 * PAD) / (hi - lo)

    parts = svg_open(title, css="chart chart--lines", height=height, width=width)
    for k, (name, values) in enumerate(series.items()):
        cls = f"chart__series chart__series--{k % PALETTE}"
        points = [(x(i), y(v), v, labels[i]) for i, v in enumerate(values) if _ok(v)]
        if points:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b, _v, _p in points)
            parts.append(f'<polyline class="{cls}" points="{path}"><title>{escape(name)}</title>')
            parts.append("</polyline>")
            for a, b, v, period in points:
                parts.append(
                    f'<circle class="{cls}" cx="{a:.1f}" cy="{b:.1f}" r="3">'
                    f"<title>{escape(name)}, {escape(period)}: {full_number(v)}</title></circle>"
                )
        lx = left + (k % cols) * col_w
        ly = HEIGHT + X_TITLE_H + 4 + 18 * (k // cols)
        parts.append(
            f'<rect class="{cls} chart__swatch" x="{lx:.1f}" y="{ly}" width="10" height="10"/>'
            f'<text class="chart__legend" x="{lx + 14:.1f}" y="{ly + 9}">'
            f"{escape(fit(name, col_w - 14))}<title>{escape(name)}</title></text>"
        )
    parts.append(f'<text class="chart__axis" x="2" y="{PAD - 6}">{axis_number(hi)}</text>')
    parts.append(
        f'<text class="chart__axis" x="2" y="{HEIGHT - PAD + 14}">{axis_number(lo)}</text>'
    )
    parts += period_ticks(labels, x, width)
    parts += axis_titles(y_title, x_title, width=width)
    parts.append("</svg>")
    return "".join(parts)
