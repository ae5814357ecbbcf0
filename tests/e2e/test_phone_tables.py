"""On a phone (390×844) no page of the owner, manager or lead is wider than the screen.

Tables of lists turn into cards (`.table--cards`, a `data-label` on each cell gives the column
name) or scroll inside their own box with the first column kept (`.table--sticky`); the page
itself never scrolls sideways. Checked on the demo network, whose rows have real, long content.
"""

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


def _pages(code: str) -> list[str]:
    """The dashboard and the list pages of one unit (its tasks page lists its requests too)."""
    return [
        "/dashboard/",
        f"/reports/u/{code}/",
        f"/units/{code}/documents/",
        f"/units/{code}/tasks/",
        f"/finance/u/{code}/",
        f"/orders/{code}/",
        f"/visits/u/{code}/",
    ]


ROLE_PAGES = {
    "owner": [],
    "manager": [
        "/units/portfolio/",
        "/tasks/",
        "/reports/review/",
        "/visits/",
        "/network/",
        "/finance/receivables/",
    ],
    "lead": ["/units/portfolio/", "/tasks/", "/visits/", "/network/", "/network/charts/"],
}


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_no_page_is_wider_than_a_phone(browser, live_server, role):
    from franchise.models import Franchisee

    people = seed_demo_people()
    unit = Franchisee.objects.filter(memberships__user=people[role]).order_by("code").first()
    unit = unit or Franchisee.objects.order_by("code").first()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, role, DEMO_PASSWORD)
        too_wide = {}
        for path in _pages(unit.code) + ROLE_PAGES[role]:
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            expect(page.locator("main h1").first).to_be_visible()
            if _width(page) > PHONE["width"]:
                too_wide[path] = _width(page)
        assert too_wide == {}
    finally:
        context.close()


def test_list_rows_become_cards_with_their_column_names(browser, live_server):
    from franchise.models import Franchisee

    seed_demo_people()
    code = Franchisee.objects.order_by("code").first().code
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, "lead", DEMO_PASSWORD)
        page.goto(f"/units/{code}/tasks/")
        cell = page.locator("table.table--cards tbody td[data-label]").first
        expect(cell).to_be_visible()
        # The header row is hidden (kept for screen readers) and each cell shows its column
        # name before its value.
        assert page.locator("table.table--cards thead").first.bounding_box()["height"] <= 1
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label") != ""
        assert cell.evaluate("c => getComputedStyle(c.closest('tr')).display") == "block"
        # On a wide screen the same table is an ordinary table.
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.locator("table.table--cards thead").first.bounding_box()["height"] > 20
        assert cell.evaluate("c => getComputedStyle(c.closest('tr')).display") == "table-row"
    finally:
        context.close()


def test_network_table_keeps_its_first_column_and_header(browser, live_server):
    seed_demo_people()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, "lead", DEMO_PASSWORD)
        page.goto("/network/")
        table = page.locator("table.table--sticky").first
        expect(table).to_be_visible()
        first = table.locator("tbody tr th, tbody tr td").first
        assert first.evaluate("c => getComputedStyle(c).position") == "sticky"
        head = table.locator("thead th").nth(1)
        assert head.evaluate("c => getComputedStyle(c).position") == "sticky"
        assert _width(page) <= PHONE["width"]
    finally:
        context.close()
