"""Issue 17: the hand-drawn SVG charts carry an axis title with the unit, a translated legend,
a <title> (tooltip) per point and bar, an ellipsis for long labels and a viewBox at full width;
the unit's analytics page has a <details> table with the same numbers as the chart."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from reporting.analytics import charts
from reporting.network import charts as network_charts

LABELS = ["Jan 2026", "Feb 2026", "Mar 2026"]


def titles(svg):
    return re.findall(r"<title>(.*?)</title>", str(svg))


def variants(svg):
    """(wide, phone): the two drawings every chart function returns."""
    wide, phone = re.findall(r"<svg .*?</svg>", str(svg))
    assert "chart--wide" in wide.split(">", 1)[0] and "chart--phone" in phone.split(">", 1)[0]
    return wide, phone


def test_trend_has_axis_titles_legend_and_a_title_per_point():
    svg = charts.trend_svg(
        LABELS,
        [1200.0, None, 15000.5],
        low=[1000.0, 1100.0, 1200.0],
        mid=[1500.0, 1600.0, 1700.0],
        high=[2000.0, 2100.0, 2200.0],
        title="Revenue",
        y_title=charts.with_unit("Revenue", "₽"),
        x_title="Period",
        value_name="Your unit",
        legend_items=[("line", "Your unit"), ("band", "Q1 – Q3"), ("median", "Network median")],
    )
    assert 'class="chart__title chart__title--y"' in svg and ">Revenue, ₽</text>" in svg
    assert 'class="chart__title chart__title--x"' in svg and ">Period</text>" in svg
    for text in ("Your unit", "Q1 – Q3", "Network median"):
        assert 'class="chart__legend"' in svg and f">{text}</text>" in svg
    # One tooltip per reported point (the February gap has none), period and full value.
    for drawing in variants(svg):
        points = [t for t in titles(drawing) if t.startswith("Your unit, ")]
        assert points == ["Your unit, Jan 2026: 1\u202f200", "Your unit, Mar 2026: 15\u202f000"]
        assert drawing.count("<circle") == 2
    # Scales with its card: a viewBox and a relative width, no fixed pixel size.
    assert re.search(r'<svg [^>]*viewBox="0 0 640 \d+"[^>]*width="100%"', svg)
    assert 'height="' not in svg.split(">", 1)[0]


def test_the_chart_holds_no_words_of_its_own():
    svg = charts.trend_svg(LABELS, [1.0, 2.0, 3.0], low=[0, 1, 2], mid=[1, 2, 3], high=[2, 3, 4])
    words = re.findall(r">([^<>]+)</text>", svg)
    # Only the caller's texts (none here), numbers and period labels are drawn.
    assert all(re.fullmatch(r"[\d.,kM\s−-]+|\w{3} 2026", w) for w in words), words


def test_bars_shorten_long_labels_with_an_ellipsis_and_keep_the_full_text_in_the_title():
    long = "KZN-001 Кофейня на улице Баумана у Казанского кремля"
    svg = charts.bars_svg(
        [(long, 125000.0), ("EKB-002 Short", 99.5)],
        highlight="EKB-002 Short",
        title="Revenue",
        value_title="Revenue, ₽",
    )
    assert ">Revenue, ₽</text>" in svg
    short = charts.shorten(long)
    assert short.endswith("…") and len(short) == charts.LABEL_CHARS
    assert f">{short}</text>" in svg and f">{long}</text>" not in svg
    assert f"<title>{long}: 125\u202f000</title>" in svg
    assert "<title>EKB-002 Short: 99.50</title>" in svg
    assert "chart__bar--mine" in svg
    assert charts.shorten("Short") == "Short"


def test_network_charts_have_axis_titles_and_tooltips():
    hist = network_charts.histogram_svg(
        [1, 2, 2, 3, 10],
        marked=2,
        marked_label="KZN-001",
        title="Key figure",
        x_title="Key figure",
        y_title="Units",
        legend_items=[("bar", "Units in the range"), ("marker", "Marked unit")],
    )
    assert ">Key figure</text>" in hist and ">Units</text>" in hist
    assert ">Units in the range</text>" in hist and ">Marked unit</text>" in hist
    rows = network_charts.histogram_bins([1, 2, 2, 3, 10])
    assert sum(n for _lo, _hi, n in rows) == 5 and len(rows) == 12
    assert [d.count('<rect class="chart__bar"') for d in variants(hist)] == [12, 12]
    lines = network_charts.lines_svg(
        LABELS,
        {"Kazan": [1.0, 2.0, None], "A region with a very long name indeed": [3.0, None, 4.0]},
        title="Revenue",
        y_title="Revenue, ₽",
        x_title="Period",
    )
    assert ">Revenue, ₽</text>" in lines and ">Period</text>" in lines
    assert "<title>Kazan, Feb 2026: 2</title>" in lines
    for drawing in variants(lines):
        assert re.search(
            r">A region with a[^<]*…<title>A region with a very long name indeed<", drawing
        )
    assert network_charts.series_rows(LABELS, {"Kazan": [1.0, 2.0, None]})[2] == {
        "period": "Mar 2026",
        "values": [("Kazan", None)],
    }


def _page(network, client_for, sales, period, language="en"):
    from .conftest import report

    report(network.unit, sales, period, revenue=125000, receipts=10, staff=2)
    report(network.other_unit, sales, period, revenue=3000, receipts=10, staff=2)
    client = client_for(network.owner)
    client.cookies["django_language"] = language
    return client.get(f"/reports/u/{network.unit.code}/analytics/").content.decode()


def _revenue_card(html):
    start = html.index('<section class="card">\n  <h2>Revenue')
    return html[start : html.index("</section>", start)]


def test_the_analytics_page_has_the_figures_table_with_the_chart_numbers(
    network, client_for, sales, period
):
    card = _revenue_card(_page(network, client_for, sales, period))
    assert ">Revenue, ₽</text>" in card  # the axis title with the field's unit
    for text in ("Your unit", "Lower quartile – upper quartile", "Network median"):
        assert f">{text}</text>" in card
    assert '<details class="chart-table"><summary>Show the figures</summary>' in card
    table = card[card.index("<details") :]
    assert 'class="table table--cards"' in table
    # The point's tooltip and the table cell show the same number.
    point = next(t for t in titles(card) if t.startswith("Your unit, "))
    period_label, value = point.removeprefix("Your unit, ").split(": ")
    assert value == "125\u202f000"
    assert f'<td data-label="Period">{period_label}</td>' in table
    assert f'<td data-label="Your unit" class="num">{value}</td>' in table
    # Network median of two units: (125 000 + 3 000) / 2.
    assert '<td data-label="Network median" class="num">64\u202f000</td>' in table
    assert "<script" not in card and "style=" not in card


def _russian(msgid):
    with translation.override("ru"):
        return translation.gettext(msgid)


@pytest.mark.skipif(
    _russian("Show the figures") == "Show the figures",
    reason="the Russian catalogue is merged later (ru_charts.py)",
)
def test_the_analytics_page_in_russian(network, client_for, sales, period):
    html = _page(network, client_for, sales, period, language="ru")
    assert "<summary>Показать цифры</summary>" in html
    for text in ("Ваша точка", "От нижнего до верхнего квартиля", "Медиана сети"):
        assert f">{text}</text>" in html
    assert ">Период</text>" in html
    assert "Show the figures" not in html and ">Your unit</text>" not in html


#: A chart's width on a 390 px screen: the card's content box (measured in the e2e test).
PHONE_CARD_PX = 326


def test_the_phone_drawing_renders_its_texts_at_11_px_or_more():
    css = (Path(__file__).resolve().parents[2] / "portal/static/portal/css/portal.css").read_text()
    sizes = [int(n) for n in re.findall(r"\.chart--phone [^{]*\{ font-size: (\d+)px", css)]
    assert len(sizes) == 2 and min(sizes) * PHONE_CARD_PX / charts.PHONE_WIDTH >= 11
    long = "KZN-001 Кофейня на улице Баумана у Казанского кремля и ещё немного"
    svg = charts.bars_svg([(long, 125000.0)], title="Revenue", value_title="Revenue, ₽")
    _wide, phone = variants(svg)
    assert f'viewBox="0 0 {charts.PHONE_WIDTH} ' in phone
    # The label on its own line above the bar, shortened to the phone's width.
    label = re.search(r'class="chart__label" x="2" y="\d+">([^<]+)</text>', phone).group(1)
    assert label.endswith("…") and len(label) * charts.CHAR_W <= charts.PHONE_WIDTH
    trend = charts.trend_svg(
        [f"M{i}" for i in range(12)],
        list(range(12)),
        legend_items=[("line", "Your unit"), ("median", "Network median")],
    )
    wide, phone = variants(trend)
    ticks = lambda d: len(re.findall(r'class="chart__axis" x="[\d.]+" y="214"', d))  # noqa: E731
    assert (ticks(wide), ticks(phone)) == (6, 3)
    # One legend entry a row on a phone.
    assert len(set(re.findall(r'class="chart__legend" x="(\d+)"', phone))) == 1


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", 6_047_900, "6.0M"),
        ("ru", 6_047_900, "6,0 млн"),
        ("en", 1_600, "2k"),
        ("ru", 1_600, "2 тыс."),
        ("ru", 12.5, "12,5"),
        ("en", 12.5, "12.5"),
    ],
)
def test_axis_numbers_are_written_the_readers_way(language, value, text):
    with translation.override(language):
        assert charts.axis_number(value) == text
