"""Server-rendered SVG charts (no JavaScript, CSP 'self' only). Inputs are plain lists."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 640, 220, 36


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.4g}"


def _ok(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def scale(count: int, values) -> tuple[float, float, Callable, Callable]:
    """(lo, hi, x, y) of a line chart with `count` points over `values`: x(i) and y(v) are SVG
    coordinates inside the padding; a flat range is widened by one each way."""
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    n = max(count, 2)

    def x(i):
        return PAD + i * (WIDTH - 2 * PAD) / (n - 1)

    def y(v):
        return HEIGHT - PAD - (v - lo) * (HEIGHT - 2 * PAD) / (hi - lo)

    return lo, hi, x, y


def svg_open(title: str, *, css: str = "chart", height: int = HEIGHT) -> list[str]:
    """The opening <svg> and its <title> (escaped): a chart's first parts."""
    return [
        f'<svg class="{css}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]


def trend_svg(labels, values, *, low=None, mid=None, high=None, title: str = "") -> str:
    """A line of the unit's values over the network's q1–q3 band and median."""
    series = [v for v in list(values) + list(low or []) + list(high or []) if _ok(v)]
    if not series:
        return ""
    lo, hi, x, y = scale(len(labels), series)
    parts = svg_open(title)
    if low and high:
        top = [(x(i), y(v)) for i, v in enumerate(high) if _ok(v)]
        bottom = [(x(i), y(v)) for i, v in enumerate(low) if _ok(v)][::-1]
        if top and bottom:
            points = " ".join(f"{a:.1f},{b:.1f}" for a, b in top + bottom)
            parts.append(f'<polygon class="chart__band" points="{points}"/>')
    if mid:
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(mid) if _ok(v))
        parts.append(f'<polyline class="chart__median" points="{pts}"/>')
    pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if _ok(v))
    parts.append(f'<polyline class="chart__line" points="{pts}"/>')
    for i, v in enumerate(values):
        if _ok(v):
            parts.append(
                f'<circle class="chart__dot" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3">'
                f"<title>{escape(labels[i])}: {_fmt(v)}</title></circle>"
            )
    parts.append(f'<text class="chart__axis" x="2" y="{PAD - 6}">{_fmt(hi)}</text>')
    parts.append(f'<text class="chart__axis" x="2" y="{HEIGHT - PAD + 14}">{_fmt(lo)}</text>')
    step = max(1, len(labels) // 6)
    for i in range(0, len(labels), step):
        parts.append(
            f'<text class="chart__axis" x="{x(i):.1f}" y="{HEIGHT - 6}" '
            f'text-anchor="middle">{escape(labels[i])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def bars_svg(items, *, highlight=None, title: str = "") -> str:
    """Horizontal bars: items = [(label, value)], best first; `highlight` marks one label."""
    items = [(str(label), float(v)) for label, v in items if _ok(v)]
    if not items:
        return ""
    top = max(abs(v) for _, v in items) or 1
    row, label_w = 22, 200
    height = row * len(items) + 10
    parts = svg_open(title, css="chart chart--bars", height=height)
    for i, (label, v) in enumerate(items):
        w = max(1.0, abs(v) / top * (WIDTH - label_w - 70))
        cls = "chart__bar chart__bar--mine" if label == highlight else "chart__bar"
        yy = 5 + i * row
        parts.append(
            f'<text class="chart__label" x="{label_w - 6}" y="{yy + 14}" '
            f'text-anchor="end">{escape(label[:32])}</text>'
            f'<rect class="{cls}" x="{label_w}" y="{yy + 3}" width="{w:.1f}" height="{row - 6}"/>'
            f'<text class="chart__value" x="{label_w + w + 4:.1f}" y="{yy + 14}">{_fmt(v)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
