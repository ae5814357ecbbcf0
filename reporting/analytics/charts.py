"""Server-rendered SVG charts (no JavaScript, CSP 'self' only). Inputs are plain lists.

Every text drawn inside a chart comes from the caller, already translated (axis titles with the
unit, legend texts): this module holds no words of its own. Each point or bar carries a native
SVG <title> (the tooltip) with its period and value; long labels are shortened with an ellipsis
and keep their full text in that <title>. The <svg> has a viewBox and no fixed size, so the
stylesheet lets it fill its card at any width.

A chart scaled down to a phone would shrink its texts with it (SVG text cannot be kept from
scaling), so every chart is drawn twice: 640 wide for a card wider than a phone and 320 wide,
with fewer period labels, a one-column legend and bar labels above their bars, for a phone. The
stylesheet shows one of the two by the width of the screen (`chart--wide`, `chart--phone`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 640, 220, 36
#: The viewBox width of the phone drawing: about the width of a card on a 390 px screen, so its
#: texts (12–13 units in the stylesheet) render at 12–13 px there.
PHONE_WIDTH = 320
#: Room under the plot for the x axis title, and the height of one legend row.
X_TITLE_H, LEGEND_ROW = 18, 18
#: Characters of a bar's label before it is shortened with an ellipsis (fits the label column
#: at the phone font size too).
LABEL_CHARS = 24
ELLIPSIS = "…"
#: Viewbox units a character of chart text takes at most (a 12–13 unit font), to fit texts.
CHAR_W = 7.5


def axis_number(value: float) -> str:
    """A short axis label in the reader's way: "6.0M", "2k" in English, "6,0 млн", "2 тыс." in
    Russian."""
    if abs(value) >= 1_000_000:
        return _("%(number)sM") % {"number": number_format(round(value / 1_000_000, 1), 1)}
    if abs(value) >= 1_000:
        return _("%(number)sk") % {"number": number_format(round(value / 1_000), 0)}
    return number_format(float(f"{value:.4g}"))


def full_number(value) -> str:
    """A value as the tooltip shows it, the same text as the `num` filter prints in the table
    under the chart: grouped with thin spaces, at most two decimals (none from a thousand up or
    for a whole number)."""
    value = float(value)
    digits = 0 if abs(value) >= 1000 or value == int(value) else 2
    return f"{value:,.{digits}f}".replace(",", "\u202f")


def with_unit(label, unit) -> str:
    """An axis title: the field's label and its unit ("Revenue, ₽"), or the label alone."""
    return f"{label}, {unit}" if unit else str(label)


def shorten(text, limit: int = LABEL_CHARS) -> str:
    """The text, or its first characters and an ellipsis when it is longer than `limit`."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _ok(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def scale(count: int, values, width: int = WIDTH) -> tuple[float, float, Callable, Callable]:
    """(lo, hi, x, y) of a line chart with `count` points over `values`: x(i) and y(v) are SVG
    coordinates inside the padding of a `width` wide chart; a flat range is widened by one each
    way."""
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    n = max(count, 2)

    def x(i):
        return PAD + i * (width - 2 * PAD) / (n - 1)

    def y(v):
        return HEIGHT - PAD - (v - lo) * (HEIGHT - 2 * PAD) / (hi - lo)

    return lo, hi, x, y


def drawn_twice(draw):
    """`draw(..., width=)` as a chart function that returns the wide and the phone drawing (or
    "" when there is nothing to draw)."""

    @functools.wraps(draw)
    def both(*args, **kwargs):
        wide = draw(*args, width=WIDTH, **kwargs)
        if not wide:
            return ""
        phone = draw(*args, width=PHONE_WIDTH, **kwargs)
        return mark_safe(wide + phone)  # noqa: S308 - the drawings escape every text they draw

    return both


def fit(text, room: float) -> str:
    """The text shortened with an ellipsis to fit `room` viewBox units."""
    return shorten(text, max(4, int(room / CHAR_W)))


def fitted_text(css: str, x: float, y: float, text, room: float, anchor: str = "") -> str:
    """A <text> of `css` shortened to `room` units, its full text in a <title> when shortened."""
    text = str(text)
    short = fit(text, room)
    tip = f"<title>{escape(text)}</title>" if short != text else ""
    anchor = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text class="{css}" x="{x:.0f}" y="{y:.0f}"{anchor}>{escape(short)}{tip}</text>'


def svg_open(
    title: str, *, css: str = "chart", height: int = HEIGHT, width: int = WIDTH
) -> list[str]:
    """The opening <svg> and its <title> (escaped): a chart's first parts."""
    variant = "chart--wide" if width == WIDTH else "chart--phone"
    return [
        f'<svg class="{css} {variant}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]


def axis_titles(
    y_title: str = "", x_title: str = "", *, x_y: float = HEIGHT + 12, width: int = WIDTH
) -> list[str]:
    """The value axis title at the top left (above the highest value) and the x axis title
    centred under the period labels."""
    parts = []
    if y_title:
        parts.append(fitted_text("chart__title chart__title--y", 2, 12, y_title, width - 4))
    if x_title:
        parts.append(
            fitted_text("chart__title chart__title--x", width / 2, x_y, x_title, width, "middle")
        )
    return parts


def period_ticks(labels, x, width: int = WIDTH) -> list[str]:
    """The period labels under a line chart: at most six, three on a phone."""
    step = max(1, math.ceil(len(labels) / (6 if width == WIDTH else 3)))
    return [
        f'<text class="chart__axis" x="{x(i):.1f}" y="{HEIGHT - 6}" '
        f'text-anchor="middle">{escape(labels[i])}</text>'
        for i in range(0, len(labels), step)
    ]


#: What a legend swatch looks like: a line of the chart's own class, or a filled box.
_SWATCH_LINES = {"line": "chart__line", "median": "chart__median", "marker": "chart__marker"}


def legend_columns(width: int) -> int:
    return 2 if width == WIDTH else 1


def legend(items, *, top: float, width: int = WIDTH) -> list[str]:
    """Legend rows from `top`: items = [(kind, text)], kind one of line, median, marker,
    band, bar, mine or series-<n>; two entries a row, one on a phone."""
    parts = []
    cols = legend_columns(width)
    left = PAD if cols > 1 else 2
    col_w = (width - 2 * left) / cols
    for k, (kind, text) in enumerate(items):
        lx = left + (k % cols) * col_w
        ly = top + LEGEND_ROW * (k // cols)
        if kind in _SWATCH_LINES:
            parts.append(
                f'<line class="{_SWATCH_LINES[kind]} chart__key" x1="{lx:.1f}" x2="{lx + 18:.1f}" '
                f'y1="{ly + 5:.1f}" y2="{ly + 5:.1f}"/>'
            )
        else:
            css = {
                "band": "chart__band",
                "bar": "chart__bar",
                "mine": "chart__bar chart__bar--mine",
            }.get(kind, f"chart__series chart__{kind} chart__swatch")
            parts.append(
                f'<rect class="{css} chart__key" x="{lx:.1f}" y="{ly:.1f}" width="18" height="10"/>'
            )
        parts.append(fitted_text("chart__legend", lx + 24, ly + 9, text, col_w - 24))
    return parts


def legend_height(items, width: int = WIDTH) -> int:
    return LEGEND_ROW * math.ceil(len(items) / legend_columns(width)) + (4 if items else 0)


@drawn_twice
def trend_svg(
    labels,
    values,
    *,
    low=None,
    mid=None,
    high=None,
    title: str = "",
    y_title: str = "",
    x_title: str = "",
    legend_items=(),
    value_name: str = "",
    width: int = WIDTH,
) -> str:
    """A line of the unit's values over the network's q1–q3 band and median.

    `y_title` names the value and its unit ("Revenue, ₽"), `x_title` the periods; `legend_items`
    are [(kind, text)] as `legend` takes them; `value_name` heads each point's tooltip."""
    values = list(values)
    series = [v for v in values + list(low or []) + list(high or []) if _ok(v)]
    if not series:
        return ""
    legend_items = list(legend_items)
    height = HEIGHT + X_TITLE_H + legend_height(legend_items, width)
    lo, hi, x, y = scale(len(labels), series, width)
    parts = svg_open(title, height=height, width=width)
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
    if pts:
        parts.append(f'<polyline class="chart__line" points="{pts}"/>')
    head = f"{value_name}, " if value_name else ""
    for i, v in enumerate(values):
        if _ok(v):
            parts.append(
                f'<circle class="chart__dot" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4">'
                f"<title>{escape(head)}{escape(labels[i])}: {full_number(v)}</title></circle>"
            )
    parts.append(f'<text class="chart__axis" x="2" y="{PAD - 6}">{axis_number(hi)}</text>')
    parts.append(
        f'<text class="chart__axis" x="2" y="{HEIGHT - PAD + 14}">{axis_number(lo)}</text>'
    )
    parts += period_ticks(labels, x, width)
    parts += axis_titles(y_title, x_title, width=width)
    parts += legend(legend_items, top=HEIGHT + X_TITLE_H + 4, width=width)
    parts.append("</svg>")
    return "".join(parts)


#: Bars on a phone: the label on its own line above the bar, the value after the bar.
_PHONE_ROW, _VALUE_ROOM = 34, 48


@drawn_twice
def bars_svg(
    items,
    *,
    highlight=None,
    title: str = "",
    value_title: str = "",
    legend_items=(),
    width: int = WIDTH,
) -> str:
    """Horizontal bars: items = [(label, value)], best first; `highlight` marks one label.

    `value_title` names the value and its unit above the bars; a label longer than the label
    column (a line on a phone) is shortened with an ellipsis, its full text in the bar's
    <title>."""
    items = [(str(label), float(v)) for label, v in items if _ok(v)]
    if not items:
        return ""
    legend_items = list(legend_items)
    top = max(abs(v) for _, v in items) or 1
    wide = width == WIDTH
    row, label_w = (24, 200) if wide else (_PHONE_ROW, 2)
    head = 20 if value_title else 4
    height = head + row * len(items) + 6 + legend_height(legend_items, width)
    parts = svg_open(title, css="chart chart--bars", height=height, width=width)
    if value_title:
        parts.append(
            fitted_text("chart__title chart__title--y", label_w, 13, value_title, width - label_w)
        )
    # Room after the longest bar for the longest value ("2,2 млн" is wider than "2.2M").
    values = [axis_number(v) for _label, v in items]
    room = max(80 if wide else _VALUE_ROOM, max(map(len, values)) * CHAR_W + 6)
    for i, ((label, v), shown) in enumerate(zip(items, values, strict=True)):
        w = max(1.0, abs(v) / top * (width - label_w - room))
        cls = "chart__bar chart__bar--mine" if label == highlight else "chart__bar"
        yy = head + i * row
        if wide:
            text = (
                f'<text class="chart__label" x="{label_w - 6}" y="{yy + 15}" '
                f'text-anchor="end">{escape(shorten(label))}</text>'
            )
            bar_y, bar_h, value_y = yy + 3, row - 6, yy + 15
        else:
            text = (
                f'<text class="chart__label" x="{label_w}" y="{yy + 13}">'
                f"{escape(fit(label, width - 4))}</text>"
            )
            bar_y, bar_h, value_y = yy + 17, 14, yy + 29
        parts.append(
            f"<g><title>{escape(label)}: {full_number(v)}</title>{text}"
            f'<rect class="{cls}" x="{label_w}" y="{bar_y}" width="{w:.1f}" height="{bar_h}"/>'
            f'<text class="chart__value" x="{label_w + w + 4:.1f}" y="{value_y}">'
            f"{shown}</text></g>"
        )
    parts += legend(legend_items, top=head + row * len(items) + 6, width=width)
    parts.append("</svg>")
    return "".join(parts)
