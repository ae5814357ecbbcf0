"""Issue 17 on a phone (390×844): a chart fills its card without making the page wider, its
texts are drawn larger than on a desktop, and the figures table under it opens as cards."""

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
        charts = page.locator("svg.chart")
        expect(charts.first).to_be_visible()
        for i in range(charts.count()):
            chart = charts.nth(i)
            box = chart.bounding_box()
            card = chart.evaluate(
                "c => { const s = getComputedStyle(c.parentElement);"
                " return c.parentElement.clientWidth - parseFloat(s.paddingLeft)"
                " - parseFloat(s.paddingRight); }"
            )
            assert box["width"] == pytest.approx(card, abs=2), (path, i)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        label = page.locator("svg.chart text").first
        assert float(label.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) >= 14
        details = page.locator("details.chart-table").first
        if details.count():
            details.locator("summary").click()
            cell = details.locator("td[data-label]").first
            expect(cell).to_be_visible()
            assert cell.evaluate("c => getComputedStyle(c.closest('tr')).display") == "block"
    finally:
        context.close()
