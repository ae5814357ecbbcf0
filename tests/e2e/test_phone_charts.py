"""Issue 17 on a phone (390×844): the phone drawing of each chart fills its card without making
the page wider, its texts render at 11 px or more and stay inside the chart, and the figures
table under it opens as cards. On a laptop the wide drawing fills its card."""

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.portal.crawl import seed_demo_people

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path", ["analytics", "/network/charts/", "/reports/network/"])
def test_charts_fill_their_card_on_a_phone(browser, live_server, path):
    from franchise.models import Franchisee

    people = seed_demo_people()
    role = "owner" if path == "analytics" else "lead"
    if path == "analytics":
        unit = Franchisee.objects.filter(memberships__user=people["owner"]).order_by("code")
        path = f"/reports/u/{unit.first().code}/analytics/"
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, role, DEMO_PASSWORD)
        assert page.goto(path).status == 200
        _check_charts(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        details = page.locator("details.chart-table").first
        if details.count():
            details.locator("summary").click()
            cell = details.locator("td[data-label]").first
            expect(cell).to_be_visible()
            assert cell.evaluate("c => getComputedStyle(c.closest('tr')).display") == "block"
        page.set_viewport_size({"width": 1366, "height": 768})
        _check_charts(page, path)
    finally:
        context.close()


#: Per visible chart: its box, its card's inner width, and per text its rendered font size
#: (CSS size × the drawing's scale) and whether it lies inside the chart.
CHARTS = """() => [...document.querySelectorAll('svg.chart')]
  .filter(c => c.getBoundingClientRect().width > 0)
  .map(c => {
    const box = c.getBoundingClientRect();
    const s = getComputedStyle(c.parentElement);
    const scale = box.width / c.viewBox.baseVal.width;
    return {
      width: box.width,
      card: c.parentElement.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),
      texts: [...c.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {
          text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
          inside: r.left >= box.left - 1 && r.right <= box.right + 1
            && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
        };
      }),
    };
  })"""


def _check_charts(page, path):
    expect(page.locator("svg.chart").first).to_be_attached()
    charts = page.evaluate(CHARTS)
    assert charts, path
    for chart in charts:
        assert chart["width"] == pytest.approx(chart["card"], abs=2), (path, chart["width"])
        small = [t for t in chart["texts"] if t["px"] < 11]
        outside = [t["text"] for t in chart["texts"] if not t["inside"]]
        assert not small and not outside, (path, small[:3], outside[:3])
